//! The bridge from an incident to what the linter checks: every update as
//! the organisation's templates will publish it (desk-render), titles with
//! their status prefix included. The app and `desk lint` both use it, so
//! they judge exactly the text customers would read.

use desk_model::{Bilingual, Incident, Lang};
use desk_render::{render_update, RenderError};
use desk_templates::TemplateSet;

use crate::LintUpdate;

/// Every update of `incident`, rendered as it would be published.
pub fn published_updates(set: &TemplateSet, incident: &Incident) -> Result<Vec<LintUpdate>, RenderError> {
    (0..incident.updates.len()).map(|i| published_update(set, incident, i)).collect()
}

/// Update `index` of `incident`, rendered as it would be published: with
/// [`crate::History::of`] over the updates before it, what the live preview
/// lints per keystroke ([`crate::lint_next`]) without rendering the others.
pub fn published_update(set: &TemplateSet, incident: &Incident, index: usize) -> Result<LintUpdate, RenderError> {
    let ja = render_update(set, incident, index, Lang::Ja)?;
    let en = render_update(set, incident, index, Lang::En)?;
    let update = &incident.updates[index];
    Ok(LintUpdate {
        status: update.status,
        title: Bilingual { ja: ja.title, en: en.title },
        body: Bilingual { ja: ja.body, en: en.body },
        period: incident.period_for(update),
        next_update_at: update.next_update_at,
    })
}

/// The errors that block publishing update `index`: every error-severity
/// finding on that update, in either language, title or body.
pub fn blocking_errors(
    set: &TemplateSet,
    incident: &Incident,
    index: usize,
    config: &crate::Config,
) -> Result<Vec<crate::Diagnostic>, RenderError> {
    let updates = published_updates(set, incident)?;
    Ok(crate::lint_incident(&updates, config)
        .into_iter()
        .chain(compensation_findings(incident, index, config).into_iter().map(|(_, d)| d))
        .filter(|d| d.severity == crate::Severity::Error && d.update == Some(index as u32))
        .collect())
}

/// The compensation checks on `incident.updates[index]`, against when the
/// incident began (its period's start, else the update's), each with the
/// offer it is about (0-based).
pub fn compensation_findings(incident: &Incident, index: usize, config: &crate::Config) -> Vec<(usize, crate::Diagnostic)> {
    let Some(update) = incident.updates.get(index) else { return Vec::new() };
    let began = incident.period.or(update.period).map(|p| p.start);
    crate::lint_compensation(&update.compensation, began, config)
        .into_iter()
        .map(|(k, mut d)| {
            d.update = Some(index as u32);
            (k, d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_model::{Kind, Status, Update};

    #[test]
    fn only_errors_on_the_update_being_published_block_it() {
        let set = TemplateSet::builtin();
        let mut incident = Incident::new(Kind::Incident);
        incident.title = Bilingual { ja: "ログイン障害".into(), en: "Sign-in failures".into() };
        let mut first = Update::new(Status::Investigating);
        first.ja.symptoms = "- 2025/11/31 10:00頃からログインできない".into();
        first.en.symptoms = "- Sign-in fails since Nov 31, 2025 10:00".into();
        let mut second = Update::new(Status::Resolved);
        second.ja.symptoms = "- ログインできなかった".into();
        second.en.symptoms = "- Sign-in failed".into();
        incident.updates = vec![first, second];
        let config = crate::Config::default();
        let blocking = blocking_errors(&set, &incident, 0, &config).unwrap();
        assert!(blocking.iter().any(|d| d.code() == "date.invalid"), "{blocking:#?}");
        assert!(blocking_errors(&set, &incident, 1, &config).unwrap().iter().all(|d| d.code() != "date.invalid"));
    }

    #[test]
    fn a_compensation_that_cannot_be_blocks_its_postmortem() {
        let day = |s: &str| desk_model::compensation::date::parse(s).unwrap();
        let set = TemplateSet::builtin();
        let mut incident = Incident::new(Kind::Incident);
        incident.title = Bilingual { ja: "ログイン障害".into(), en: "Sign-in failures".into() };
        incident.period = Some(desk_model::Period { start: desk_model::period::timestamp::parse("2025-06-13T02:51:00+09:00").unwrap(), end: None, approximate: false });
        let mut pm = Update::new(Status::Postmortem);
        pm.compensation = vec![desk_model::Compensation {
            who: Bilingual { ja: "全員".into(), en: "Everyone".into() },
            what: Bilingual { ja: "1か月無料".into(), en: "One month free".into() },
            period: desk_model::DateRange { start: day("2025-06-30"), end: day("2025-06-01") },
            how: Bilingual::default(),
            from: None,
        }];
        incident.updates = vec![pm];
        let blocking = blocking_errors(&set, &incident, 0, &crate::Config::default()).unwrap();
        let found: Vec<_> = blocking.iter().filter(|d| d.code() == "compensation.period").collect();
        assert_eq!(found.len(), 1, "{blocking:#?}");
        assert_eq!(found[0].update, Some(0));
    }
}
