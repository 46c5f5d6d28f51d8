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
        .filter(|d| d.severity == crate::Severity::Error && d.update == Some(index as u32))
        .collect())
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
}
