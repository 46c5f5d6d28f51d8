//! Every command, for the invoke handler and for generating the TypeScript
//! bindings (`ui/src/lib/bindings.ts`), with the domain's facts exported as
//! the constant `DOMAIN_FACTS` so the UI copies none of them.

use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{compose, connection, incidents, maintenance, memory, review, search, settings, templates, timeline, updates};

/// The commands, for the invoke handler and for generating the TypeScript bindings.
pub fn bindings_builder<R: tauri::Runtime>() -> Builder<R> {
    Builder::<R>::new()
        .commands(collect_commands![
            incidents::list_incidents,
            incidents::preview_incident,
            incidents::publish_update,
            incidents::publish_plan,
            incidents::publish_target,
            incidents::open_public_page,
            compose::new_incident,
            compose::start_update,
            compose::open_draft,
            compose::preview_draft,
            compose::save_draft,
            compose::open_timeline,
            compose::save_timeline,
            compose::open_compensation,
            compose::save_compensation,
            compose::postmortem_notifications,
            compose::choose_postmortem_notifications,
            review::who_am_i,
            review::review_queue,
            review::review_item,
            review::approve_revision,
            review::request_changes,
            review::request_review,
            review::draft_review,
            review::publish_emergency,
            review::emergency_publishes,
            templates::list_templates,
            templates::load_template,
            templates::template_samples,
            templates::preview_template,
            templates::template_completions,
            templates::save_template,
            templates::template_history,
            templates::rollback_template,
            templates::export_templates,
            templates::import_templates,
            templates::import_statuspage_templates,
            settings::get_settings,
            settings::save_publish_settings,
            settings::set_api_key,
            settings::remove_api_key,
            settings::add_glossary_term,
            settings::remove_glossary_term,
            settings::set_ui_language,
            settings::fetch_page_components,
            timeline::next_update,
            timeline::notify_update_due,
            compose::restatus_draft,
            connection::connection_state,
            connection::test_team_connection,
            connection::join_team,
            connection::work_alone,
            connection::restart_app,
            updates::pending_update,
            updates::install_update,
            memory::suggest_translation,
            memory::record_memory_insert,
            memory::memory_marks,
            memory::similar_incidents,
            search::search_incidents,
            search::preview_search_match,
            maintenance::maintenance_window,
            maintenance::check_window,
            maintenance::save_window,
            maintenance::extend_window,
            maintenance::open_incident_from_maintenance,
        ])
        // What Rust tells the window unasked: an update found, what a menu item did.
        .events(collect_events![crate::updates::UpdateOffered, crate::menu::MenuNotice])
        .typ::<desk_app::facts::DomainFacts>()
        .constant("DOMAIN_FACTS", desk_app::facts::domain_facts())
        // The UI only reads what commands return: one type per struct is enough.
        .disable_serde_phases()
}
