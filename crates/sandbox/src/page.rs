//! The public status page: what a reader sees, in Japanese and English.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use desk_model::{ComponentStatus, Lang, Status};
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use crate::state::{IncidentRec, PageRec, State};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Markdown as Statuspage shows it, with raw HTML shown as text, and links
/// and images kept only with the schemes the app keeps (see [`allowed_url`]).
fn markdown(text: &str) -> String {
    // Whether each open link or image was dropped, so its end is dropped too.
    let mut open: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).filter_map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
            let keep = allowed_url(dest_url);
            open.push(keep);
            keep.then_some(e)
        }
        Event::End(TagEnd::Link | TagEnd::Image) => open.pop().unwrap_or(true).then_some(e),
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// Whether a link or image target may become an `href`/`src`: relative (no
/// scheme), or `http`, `https` or `mailto`, the schemes the app's preview
/// keeps (desk-render's `markdown_to_safe_html`; ammonia there, which this
/// crate does not link). The scheme is read as a browser reads it: leading
/// spaces and control characters skipped, tabs and line breaks ignored.
fn allowed_url(url: &str) -> bool {
    let url: String = url.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let Some((scheme, _)) = url.split_once(':') else { return true };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !is_scheme || ["http", "https", "mailto"].iter().any(|s| scheme.eq_ignore_ascii_case(s))
}

fn status_label(status: &str, lang: Lang) -> String {
    Status::parse(status).map(|s| s.label(lang).to_string()).unwrap_or_else(|| status.to_string())
}

fn component_label(status: &str, lang: Lang) -> String {
    let parsed: Option<ComponentStatus> = serde_json::from_value(Value::String(status.to_string())).ok();
    parsed.map(|s| s.label(lang).to_string()).unwrap_or_else(|| status.to_string())
}

/// Both labels, the page's language first; one when the page has a language.
fn labels(f: impl Fn(Lang) -> String, page_lang: Option<Lang>) -> String {
    match page_lang {
        Some(l) => f(l),
        None => format!("{} / {}", f(Lang::Ja), f(Lang::En)),
    }
}

/// Japan time, then UTC.
fn when(at: &str) -> String {
    match DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let jst = t.with_timezone(&chrono_tz::Asia::Tokyo);
            format!("{} JST ({} UTC)", jst.format("%Y/%m/%d %H:%M"), t.with_timezone(&Utc).format("%Y-%m-%d %H:%M"))
        }
        Err(_) => at.to_string(),
    }
}

/// A link to the same incident on the other language's page.
fn twin_link(rec: &IncidentRec, lang: Option<Lang>, base: &str) -> String {
    let twin = rec.metadata.values().find_map(|v| v.get("twin_incident_id")).and_then(Value::as_str);
    let label = match lang {
        Some(Lang::Ja) => "English version →",
        Some(Lang::En) => "日本語版はこちら →",
        None => "日本語 / English →",
    };
    match twin {
        Some(id) => format!(r#"<p class="twin"><a href="{base}/incidents/{}">{label}</a></p>"#, esc(id)),
        None => String::new(),
    }
}

/// What Statuspage will do by itself around a maintenance, as sent.
fn automatic(rec: &IncidentRec, lang: Option<Lang>) -> String {
    let on = |flag: &str| rec.maintenance_flags.get(flag).copied().unwrap_or(false);
    let mut parts: Vec<(&str, &str)> = Vec::new();
    if on("scheduled_remind_prior") {
        parts.push(("事前リマインド", "reminder before"));
    }
    if on("scheduled_auto_in_progress") {
        parts.push(("自動開始", "starts automatically"));
    }
    if on("scheduled_auto_completed") {
        parts.push(("自動完了", "completes automatically"));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!(
        " · {}",
        labels(|l| parts.iter().map(|(ja, en)| if l == Lang::Ja { *ja } else { *en }).collect::<Vec<_>>().join(if l == Lang::Ja { "・" } else { ", " }), lang)
    )
}

fn incident_html(out: &mut String, rec: &IncidentRec, lang: Option<Lang>, base: &str) {
    let _ = write!(
        out,
        r#"<article class="incident" id="{id}"><h3><a href="{base}/incidents/{id}">{name}</a> <span class="status">{status}</span></h3>"#,
        id = esc(&rec.id),
        name = esc(&rec.name),
        status = esc(&labels(|l| status_label(&rec.status, l), lang)),
    );
    if let (Some(from), Some(until)) = (&rec.scheduled_for, &rec.scheduled_until) {
        let _ = write!(out, r#"<p class="window">{} — {}{}</p>"#, esc(&when(from)), esc(&when(until)), esc(&automatic(rec, lang)));
    }
    out.push_str(&twin_link(rec, lang, base));
    if let Some(pm) = rec.postmortem.as_ref().filter(|p| p.published_at.is_some()) {
        let _ = write!(
            out,
            r#"<section class="postmortem"><h4>{}</h4>{}</section>"#,
            esc(&labels(|l| Status::Postmortem.label(l).to_string(), lang)),
            markdown(pm.body.as_deref().unwrap_or(""))
        );
    }
    for u in rec.updates.iter().rev() {
        let _ = write!(
            out,
            r#"<div class="update"><p class="meta"><strong>{}</strong> · {}</p>{}</div>"#,
            esc(&labels(|l| status_label(&u.status, l), lang)),
            esc(&when(&u.created_at)),
            markdown(&u.body)
        );
    }
    out.push_str("</article>");
}

fn page_html(out: &mut String, page: &PageRec, base: &str) {
    let lang = page.lang.as_deref().and_then(Lang::parse);
    let _ = write!(out, r#"<section class="page" lang="{}"><h2>{}</h2><ul class="components">"#, lang.map(Lang::as_str).unwrap_or("ja"), esc(&page.name));
    for c in &page.components {
        let _ = write!(
            out,
            r#"<li class="{}">{} — {}</li>"#,
            esc(&c.status),
            esc(&c.name),
            esc(&labels(|l| component_label(&c.status, l), lang))
        );
    }
    out.push_str("</ul>");
    if page.incidents.is_empty() {
        out.push_str(&format!("<p>{}</p>", esc(&labels(|l| if l == Lang::Ja { "お知らせはありません".into() } else { "No incidents".into() }, lang))));
    }
    for rec in page.incidents.iter().rev() {
        incident_html(out, rec, lang, base);
    }
    out.push_str("</section>");
}

const STYLE: &str = "body{font-family:system-ui,'Hiragino Sans','Noto Sans JP',sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}\
.components li{list-style:none}.components .operational::before{content:'● ';color:#2a2}\
.components li:not(.operational)::before{content:'● ';color:#d80}.incident{border-top:1px solid #ddd;padding:.5rem 0}\
.status{font-size:.8em;background:#eee;padding:.1em .4em;border-radius:.3em}.meta{color:#666;margin-bottom:0}\
.update{margin-left:1rem}.banner{background:#fff6d5;padding:.5rem;border-radius:.3rem}";

/// `/` (every page, or `?page=ID`) and `/incidents/ID`; `None` = not found.
pub fn render(state: &State, path: &str, query: &BTreeMap<String, String>, base: &str) -> Option<String> {
    let mut body = String::new();
    if let Some(id) = path.strip_prefix("/incidents/") {
        let (page, rec) =
            state.pages.values().find_map(|p| p.incidents.iter().find(|r| r.id == id).map(|r| (p, r)))?;
        let _ = write!(body, r#"<p><a href="{base}/?page={}">← {}</a></p>"#, esc(&page.id), esc(&page.name));
        incident_html(&mut body, rec, page.lang.as_deref().and_then(Lang::parse), base);
    } else {
        let only = query.get("page");
        // Combined pages first, then Japanese, then English.
        let mut pages: Vec<&PageRec> = state.pages.values().filter(|p| only.is_none_or(|id| *id == p.id)).collect();
        pages.sort_by_key(|p| match p.lang.as_deref() {
            None => 0,
            Some("ja") => 1,
            _ => 2,
        });
        for page in pages {
            page_html(&mut body, page, base);
        }
    }
    Some(format!(
        "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>Incident Desk sandbox / サンドボックス</title><style>{STYLE}</style></head>\
<body><h1>Incident Desk sandbox / サンドボックス</h1><p class=\"banner\">{}</p>{body}</body></html>",
        esc("ローカルの練習用ステータスページです。ここに公開した内容は外部に送信されません。 / A local practice status page: nothing published here leaves this computer.")
    ))
}
