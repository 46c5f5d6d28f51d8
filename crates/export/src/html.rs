//! One standalone bilingual page: Japanese, then English, each with its
//! title, period, timeline picture and every section of the update as
//! Statuspage shows it (the Markdown rendered and sanitized as in the
//! preview). Inline CSS; no scripts, no fonts or images fetched: a
//! Content-Security-Policy in the page itself says so to the browser too.

use desk_model::Lang;
use desk_render::markdown_to_safe_html;

use crate::picture::escape;
use crate::Postmortem;

const STYLE: &str = "\
:root{color-scheme:light}\
body{margin:0;background:#f4f4f2;color:#1e1e1e;font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',Meiryo,system-ui,sans-serif;line-height:1.75}\
main{max-width:52rem;margin:0 auto;padding:2rem 1.25rem}\
article{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1.5rem 2rem;margin-bottom:2rem}\
h1{font-size:1.45rem;line-height:1.4;margin:0 0 .5rem}\
.meta{color:#555;margin:0 0 1rem;font-size:.95rem}\
figure{margin:1rem 0 1.5rem;overflow-x:auto}\
figure svg{max-width:100%;height:auto;display:block}\
.body p{margin:0 0 1rem}.body ul{margin:0 0 1rem;padding-left:1.5rem}\
nav{font-size:.9rem;margin-bottom:1rem}nav a{color:#1f4f99}\
@media print{body{background:#fff}main{padding:0}article{border:0;padding:0}article+article{break-before:page}nav{display:none}}";

/// The page. Deterministic: the same postmortem gives the same bytes.
pub fn to_html(pm: &Postmortem) -> String {
    let ja = pm.announcement(Lang::Ja);
    let en = pm.announcement(Lang::En);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{} / {}</title>\n", escape(&ja.title), escape(&en.title)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"));
    out.push_str("<nav><a href=\"#ja\">日本語</a> · <a href=\"#en\" hreflang=\"en\">English</a></nav>\n");
    for (lang, a) in [(Lang::Ja, &ja), (Lang::En, &en)] {
        let code = lang.as_str();
        out.push_str(&format!("<article id=\"{code}\" lang=\"{code}\">\n"));
        out.push_str(&format!("<h1>{}</h1>\n", escape(&a.title)));
        if let Some(meta) = pm.meta_line(lang) {
            out.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(&meta)));
        }
        out.push_str(&format!("<figure>\n{}</figure>\n", pm.svg(lang)));
        out.push_str(&format!("<div class=\"body\">\n{}</div>\n", markdown_to_safe_html(&a.body)));
        out.push_str("</article>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
