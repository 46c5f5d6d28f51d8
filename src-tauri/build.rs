fn main() {
    // Our commands are declared so that each needs a permission: the window
    // gets exactly the ones its capability grants (capabilities/main.json).
    let manifest = tauri_build::AppManifest::new().commands(&[
        "list_incidents", "preview_incident", "publish_update", "publish_target", "open_public_page",
        "new_incident", "start_update", "open_draft", "preview_draft", "save_draft",
        "restatus_draft",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("the Tauri configuration and capabilities are valid");
}
