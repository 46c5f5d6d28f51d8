//! Markdown to HTML that is safe to show in the webview.

use pulldown_cmark::{html, Event, Options, Parser};

/// Renders Markdown as Statuspage shows it (every line break kept) and
/// removes anything that could run: scripts, event handlers, `javascript:`
/// links, styles, frames. Links open outside the app (`rel="noopener noreferrer"`).
pub fn markdown_to_safe_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES)
        .map(|event| match event {
            // Statuspage keeps the author's line breaks.
            Event::SoftBreak => Event::HardBreak,
            other => other,
        });
    let mut raw = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_line_breaks_and_lists() {
        let html = markdown_to_safe_html("■ 原因\n証明書の期限切れ\n\n- 一つ目\n- 二つ目");
        assert!(html.contains("■ 原因<br>"), "{html}");
        assert!(html.contains("<li>一つ目</li>"), "{html}");
    }

    #[test]
    fn removes_everything_that_could_run() {
        let html = markdown_to_safe_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n<a href=\"https://example.com\" onclick=\"x()\">ok</a>\n\n<iframe src=\"https://example.com\"></iframe>",
        );
        for bad in ["<script", "onerror", "javascript:", "onclick", "<iframe", "alert(1)</script>"] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
        assert!(html.contains("href=\"https://example.com\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }
}
