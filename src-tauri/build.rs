fn main() {
    // Our commands are declared so that each needs a permission: the window
    // gets exactly the ones its capability grants (capabilities/main.json).
    let manifest = tauri_build::AppManifest::new().commands(&[
        "list_incidents", "preview_incident", "publish_update", "publish_plan", "publish_target", "open_public_page",
        "new_incident", "start_update", "open_draft", "preview_draft", "save_draft",
        "who_am_i", "review_queue", "review_item", "approve_revision", "request_changes", "request_review",
        "draft_review", "publish_emergency", "emergency_publishes",
        "list_templates", "load_template", "template_samples", "preview_template", "template_completions",
        "save_template", "template_history", "rollback_template", "export_templates", "import_templates",
        "import_statuspage_templates",
        // Settings and the timeline (settings.rs, timeline.rs).
        "get_settings", "save_publish_settings", "set_api_key", "remove_api_key", "add_glossary_term",
        "remove_glossary_term", "set_ui_language", "fetch_page_components", "next_update", "notify_update_due",
        "restatus_draft",
        // A postmortem's timeline table (compose.rs).
        "open_timeline", "save_timeline",
        // A postmortem's compensation form (compose.rs).
        "open_compensation", "save_compensation",
        // A postmortem's notifications: subscribers and Twitter (compose.rs).
        "postmortem_notifications", "choose_postmortem_notifications",
        // Where the data lives: the first start's question and the settings (connection.rs).
        "connection_state", "test_team_connection", "join_team", "work_alone", "restart_app",
        // The update prompt (updates.rs): the webview gets no updater permission.
        "pending_update", "install_update",
        // The translation memory beside the composer (memory.rs).
        "suggest_translation", "record_memory_insert", "memory_marks", "similar_incidents",
        // Searching the list (search.rs).
        "search_incidents", "preview_search_match",
        // A maintenance's window, and the window that overruns (maintenance.rs).
        "maintenance_window", "check_window", "save_window", "extend_window", "open_incident_from_maintenance",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri configuration and capabilities are valid");
}
