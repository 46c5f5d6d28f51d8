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
    (0..incident.updates.len())
        .map(|i| {
            let ja = render_update(set, incident, i, Lang::Ja)?;
            let en = render_update(set, incident, i, Lang::En)?;
            let update = &incident.updates[i];
            Ok(LintUpdate {
                status: update.status,
                title: Bilingual { ja: ja.title, en: en.title },
                body: Bilingual { ja: ja.body, en: en.body },
                period: incident.period_for(update),
                next_update_at: update.next_update_at,
            })
        })
        .collect()
}
