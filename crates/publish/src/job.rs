//! The payloads of one update, exactly as the preview shows them: the
//! organisation's templates fill the titles and bodies (desk-render).

use desk_model::{Incident, Lang};
use desk_render::{combine, render_update, RenderError};
use desk_templates::TemplateSet;

use crate::engine::{PagePayload, PublishJob};

/// Where an update goes: one page with both languages, or one page each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pages {
    Combined(String),
    Split { ja: String, en: String },
}

/// The job for `incident.updates[index]`, rendered with the organisation's templates.
pub fn render_job(
    set: &TemplateSet,
    incident: &Incident,
    incident_key: &str,
    index: usize,
    pages: &Pages,
) -> Result<PublishJob, RenderError> {
    let ja = render_update(set, incident, index, Lang::Ja)?;
    let en = render_update(set, incident, index, Lang::En)?;
    let update = &incident.updates[index];
    let payloads = match pages {
        Pages::Combined(page_id) => {
            let both = combine(&ja, &en, &set.settings.layout);
            vec![PagePayload { page_id: page_id.clone(), lang: None, title: both.title, body: both.body }]
        }
        Pages::Split { ja: ja_page, en: en_page } => vec![
            PagePayload { page_id: ja_page.clone(), lang: Some(Lang::Ja), title: ja.title, body: ja.body },
            PagePayload { page_id: en_page.clone(), lang: Some(Lang::En), title: en.title, body: en.body },
        ],
    };
    let period = incident.period_for(update).or(incident.period);
    Ok(PublishJob {
        incident_key: incident_key.to_string(),
        update_index: index,
        kind: incident.kind,
        status: update.status,
        impact: incident.impact,
        components: incident.components.clone(),
        scheduled_for: period.map(|p| p.start),
        scheduled_until: period.and_then(|p| p.end),
        deliver_notifications: true,
        pages: payloads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_model::{Kind, Status, Update};

    #[test]
    fn payloads_are_what_the_preview_shows() {
        let set = TemplateSet::builtin();
        let mut incident = Incident::new(Kind::Incident);
        incident.title.ja = "遅延".into();
        incident.title.en = "Delays".into();
        let mut u = Update::new(Status::Identified);
        u.ja.cause = "設定".into();
        u.en.body = Some("Config.".into());
        incident.updates.push(u);
        let job = render_job(&set, &incident, "k", 0, &Pages::Combined("p".into())).unwrap();
        let ja = render_update(&set, &incident, 0, Lang::Ja).unwrap();
        assert_eq!(job.pages[0].title, "遅延 / Delays");
        assert!(job.pages[0].body.starts_with(&ja.body), "{}", job.pages[0].body);
        assert!(job.pages[0].body.contains("■ 原因\n設定"), "{}", job.pages[0].body);
        assert!(job.pages[0].body.ends_with("---\n\nConfig."));
        let split = render_job(&set, &incident, "k", 0, &Pages::Split { ja: "a".into(), en: "b".into() }).unwrap();
        assert_eq!(split.pages.len(), 2);
        assert_eq!(split.pages[1].body, "Config.");
        assert!(render_job(&set, &incident, "k", 1, &Pages::Combined("p".into())).is_err());
    }
}
