//! The native menu, in the UI's language: the app menu on macOS (File
//! elsewhere), Edit (its items make the usual shortcuts work in the webview
//! on macOS), View (zoom), and Help: the version, the README, "Check for
//! updates…" and "Copy diagnostics". What an item does is decided here;
//! the UI only shows the notices and the update prompt it is sent.

use std::sync::Mutex;

use desk_app::Desk;
use desk_model::Lang;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

/// The project's page, opened by Help → README.
pub const README_URL: &str = "https://github.com/incident-desk/incident-desk#readme";

const CHECK_FOR_UPDATES: &str = "check-for-updates";
const COPY_DIAGNOSTICS: &str = "copy-diagnostics";
const README: &str = "readme";
const ZOOM_IN: &str = "zoom-in";
const ZOOM_OUT: &str = "zoom-out";
const ZOOM_RESET: &str = "zoom-reset";

/// A line the window shows for a while: what a menu item did, or why it could not.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct MenuNotice {
    /// In the UI's language.
    pub message: String,
    /// True when it failed.
    pub problem: bool,
}

/// The menu's words in one language.
struct Words {
    file: &'static str,
    edit: &'static str,
    view: &'static str,
    window: &'static str,
    help: &'static str,
    undo: &'static str,
    redo: &'static str,
    cut: &'static str,
    copy: &'static str,
    paste: &'static str,
    select_all: &'static str,
    zoom_in: &'static str,
    zoom_out: &'static str,
    zoom_reset: &'static str,
    readme: &'static str,
    check_for_updates: &'static str,
    copy_diagnostics: &'static str,
    close_window: &'static str,
    quit: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Ja => Words {
            file: "ファイル",
            edit: "編集",
            view: "表示",
            window: "ウインドウ",
            help: "ヘルプ",
            undo: "取り消す",
            redo: "やり直す",
            cut: "切り取り",
            copy: "コピー",
            paste: "貼り付け",
            select_all: "すべてを選択",
            zoom_in: "拡大",
            zoom_out: "縮小",
            zoom_reset: "実際のサイズ",
            readme: "README を開く",
            check_for_updates: "更新を確認…",
            copy_diagnostics: "診断情報をコピー",
            close_window: "ウインドウを閉じる",
            quit: "Incident Desk を終了",
        },
        Lang::En => Words {
            file: "File",
            edit: "Edit",
            view: "View",
            window: "Window",
            help: "Help",
            undo: "Undo",
            redo: "Redo",
            cut: "Cut",
            copy: "Copy",
            paste: "Paste",
            select_all: "Select All",
            zoom_in: "Zoom In",
            zoom_out: "Zoom Out",
            zoom_reset: "Actual Size",
            readme: "Open the README",
            check_for_updates: "Check for updates…",
            copy_diagnostics: "Copy diagnostics",
            close_window: "Close Window",
            quit: "Quit Incident Desk",
        },
    }
}

/// The webview's zoom (1.0 = 100 %).
#[derive(Default)]
struct Zoom(Mutex<Option<f64>>);

/// Builds the menu in `lang`.
pub fn build<R: Runtime>(app: &AppHandle<R>, lang: Lang) -> tauri::Result<Menu<R>> {
    let w = words(lang);
    let version = format!("{} {}", app.package_info().name, app.package_info().version);
    #[cfg(target_os = "macos")]
    let first = SubmenuBuilder::new(app, &app.package_info().name)
        .about(None)
        .separator()
        .services()
        .separator()
        .hide()
        .hide_others()
        .show_all()
        .separator()
        .quit_with_text(w.quit)
        .build()?;
    #[cfg(not(target_os = "macos"))]
    let first = SubmenuBuilder::new(app, w.file).close_window_with_text(w.close_window).separator().quit_with_text(w.quit).build()?;
    let edit = SubmenuBuilder::new(app, w.edit)
        .undo_with_text(w.undo)
        .redo_with_text(w.redo)
        .separator()
        .cut_with_text(w.cut)
        .copy_with_text(w.copy)
        .paste_with_text(w.paste)
        .select_all_with_text(w.select_all)
        .build()?;
    let view = SubmenuBuilder::new(app, w.view)
        .item(&MenuItemBuilder::with_id(ZOOM_IN, w.zoom_in).accelerator("CmdOrCtrl+=").build(app)?)
        .item(&MenuItemBuilder::with_id(ZOOM_OUT, w.zoom_out).accelerator("CmdOrCtrl+-").build(app)?)
        .item(&MenuItemBuilder::with_id(ZOOM_RESET, w.zoom_reset).accelerator("CmdOrCtrl+0").build(app)?)
        .build()?;
    let window = SubmenuBuilder::new(app, w.window).minimize().maximize().build()?;
    let help = SubmenuBuilder::new(app, w.help)
        .item(&MenuItemBuilder::new(version).enabled(false).build(app)?)
        .separator()
        .text(README, w.readme)
        .text(CHECK_FOR_UPDATES, w.check_for_updates)
        .text(COPY_DIAGNOSTICS, w.copy_diagnostics)
        .build()?;
    MenuBuilder::new(app).items(&[&first, &edit, &view, &window, &help]).build()
}

/// Sets the menu in the UI's language and answers its items.
pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let lang = app.try_state::<Desk>().map(|d| d.ui_language()).unwrap_or(Lang::Ja);
    app.manage(Zoom::default());
    app.set_menu(build(app, lang)?)?;
    app.on_menu_event(on_item);
    Ok(())
}

fn on_item<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        README => {
            if let Err(e) = tauri_plugin_opener::open_url(README_URL, None::<&str>) {
                log::warn!("menu: could not open {README_URL}: {e}");
            }
        }
        CHECK_FOR_UPDATES => check_for_updates(app.clone()),
        COPY_DIAGNOSTICS => copy_diagnostics(app),
        ZOOM_IN => zoom(app, |z| z + 0.1),
        ZOOM_OUT => zoom(app, |z| z - 0.1),
        ZOOM_RESET => zoom(app, |_| 1.0),
        _ => {}
    }
}

fn lang_of<R: Runtime>(app: &AppHandle<R>) -> Lang {
    app.try_state::<Desk>().map(|d| d.ui_language()).unwrap_or(Lang::Ja)
}

fn notify<R: Runtime>(app: &AppHandle<R>, message: String, problem: bool) {
    if let Err(e) = (MenuNotice { message, problem }).emit(app) {
        log::warn!("menu: could not tell the window: {e}");
    }
}

/// Asked for: the prompt when there is an update, else a notice (the newest, or why the check failed).
fn check_for_updates<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let lang = lang_of(&app);
        match crate::updates::check(&app).await {
            Ok(Some(offer)) => {
                log::info!("updates: {} is available (asked from the menu)", offer.version);
                if let Err(e) = offer.emit(&app) {
                    log::warn!("updates: could not tell the window: {e}");
                }
            }
            Ok(None) => {
                let version = app.package_info().version.to_string();
                log::info!("updates: {version} is the newest version (asked from the menu)");
                let message = match lang {
                    Lang::Ja => format!("お使いの Incident Desk {version} が最新版です。"),
                    Lang::En => format!("Incident Desk {version} is the newest version."),
                };
                notify(&app, message, false);
            }
            Err(e) => {
                log::warn!("updates: the check from the menu failed: {}", e.message.en);
                notify(&app, e.message_in(lang).to_string(), true);
            }
        }
    });
}

/// Puts the diagnostics on the clipboard and says so.
fn copy_diagnostics<R: Runtime>(app: &AppHandle<R>) {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    let facts = crate::diagnostics::gather(app);
    let lines = facts.log_tail.len();
    let lang = lang_of(app);
    match app.clipboard().write_text(crate::diagnostics::text(&facts)) {
        Ok(()) => notify(
            app,
            match lang {
                Lang::Ja => format!("診断情報（バージョン、システム、データベース、公開先、ログの最後の {lines} 行）をクリップボードにコピーしました。API キーとパスワードは含まれません。"),
                Lang::En => format!("Diagnostics (version, system, database, publish target and the log's last {lines} lines) are on the clipboard. They contain no API key or password."),
            },
            false,
        ),
        Err(e) => {
            log::warn!("diagnostics: the clipboard refused them: {e}");
            let message = match lang {
                Lang::Ja => format!("診断情報をクリップボードにコピーできませんでした（{e}）。"),
                Lang::En => format!("The diagnostics could not be put on the clipboard ({e})."),
            };
            notify(app, message, true);
        }
    }
}

fn zoom<R: Runtime>(app: &AppHandle<R>, change: impl Fn(f64) -> f64) {
    let Some(window) = app.get_webview_window("main") else { return };
    let state = app.state::<Zoom>();
    let mut current = state.0.lock().unwrap_or_else(|e| e.into_inner());
    let next = (change(current.unwrap_or(1.0)) * 10.0).round() / 10.0;
    let next = next.clamp(0.5, 3.0);
    match window.set_zoom(next) {
        Ok(()) => *current = Some(next),
        Err(e) => log::warn!("menu: could not zoom to {next}: {e}"),
    }
}
