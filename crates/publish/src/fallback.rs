//! Plain payloads built from an incident document, **to be replaced by
//! desk-render at integration**: desk-render produces the organisation's
//! exact titles and Markdown bodies. This only exists so `desk publish FILE`
//! works before that: a body written out in full (`UpdateText.body`) is used
//! as it is; otherwise the structured sections are listed under their
//! default headings.

use desk_model::{Incident, Lang, PeriodStyle, SectionKind, Update};

use crate::engine::{PagePayload, PublishJob};

/// One language's body for an update.
pub fn plain_body(incident: &Incident, update: &Update, lang: Lang) -> String {
    let text = update.text(lang);
    if let Some(body) = text.body.as_deref().filter(|b| !b.trim().is_empty()) {
        return body.to_string();
    }
    let past = update.status.is_closed();
    let mut out = String::new();
    if let Some(period) = incident.period_for(update) {
        let formatted = PeriodStyle::default().format_period(&period, lang);
        out.push_str(&format!("■ {}\n\n{formatted}\n\n", SectionKind::Period.heading(lang, past)));
    }
    for kind in SectionKind::ALL.into_iter().filter(|k| *k != SectionKind::Period) {
        let section = text.section(kind).trim();
        if section.is_empty() {
            continue;
        }
        if kind == SectionKind::Note {
            out.push_str(&format!("{section}\n\n"));
        } else {
            out.push_str(&format!("■ {}\n\n{section}\n\n", kind.heading(lang, past)));
        }
    }
    out.trim_end().to_string()
}

/// Where an update goes: one page with both languages, or one page each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pages {
    Combined(String),
    Split { ja: String, en: String },
}

/// The job for `incident.updates[index]` with plain payloads.
pub fn plain_job(incident: &Incident, incident_key: &str, index: usize, pages: &Pages) -> Option<PublishJob> {
    let update = incident.updates.get(index)?;
    let payloads = match pages {
        Pages::Combined(page_id) => vec![PagePayload {
            page_id: page_id.clone(),
            lang: None,
            title: combine(&incident.title.ja, &incident.title.en, " / "),
            body: combine(&plain_body(incident, update, Lang::Ja), &plain_body(incident, update, Lang::En), "\n\n---\n\n"),
        }],
        Pages::Split { ja, en } => [(ja, Lang::Ja), (en, Lang::En)]
            .into_iter()
            .map(|(page_id, lang)| PagePayload {
                page_id: page_id.clone(),
                lang: Some(lang),
                title: incident.title.get(lang).clone(),
                body: plain_body(incident, update, lang),
            })
            .collect(),
    };
    Some(PublishJob {
        incident_key: incident_key.to_string(),
        update_index: index,
        kind: incident.kind,
        status: update.status,
        impact: incident.impact,
        components: incident.components.clone(),
        scheduled_for: incident.period.map(|p| p.start),
        scheduled_until: incident.period.and_then(|p| p.end),
        deliver_notifications: true,
        pages: payloads,
    })
}

fn combine(ja: &str, en: &str, sep: &str) -> String {
    match (ja.trim().is_empty(), en.trim().is_empty()) {
        (false, false) => format!("{ja}{sep}{en}"),
        (false, true) => ja.to_string(),
        _ => en.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_model::{Kind, Status};

    #[test]
    fn written_bodies_win_and_sections_get_headings() {
        let mut incident = Incident::new(Kind::Incident);
        incident.title.ja = "遅延".into();
        incident.title.en = "Delays".into();
        let mut u = Update::new(Status::Identified);
        u.ja.cause = "設定".into();
        u.en.body = Some("Config.".into());
        incident.updates.push(u);
        let job = plain_job(&incident, "k", 0, &Pages::Combined("p".into())).unwrap();
        assert_eq!(job.pages[0].title, "遅延 / Delays");
        assert!(job.pages[0].body.starts_with("■ 原因\n\n設定"), "{}", job.pages[0].body);
        assert!(job.pages[0].body.ends_with("---\n\nConfig."));
        let job = plain_job(&incident, "k", 0, &Pages::Split { ja: "a".into(), en: "b".into() }).unwrap();
        assert_eq!(job.pages.len(), 2);
        assert!(plain_job(&incident, "k", 1, &Pages::Combined("p".into())).is_none());
    }
}
