//! Markdown to plain text, as email and SMS readers see an update.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Plain text: no Markdown marks, list items as `- `, links as `text (url)`.
pub fn markdown_to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut links: Vec<(String, usize)> = Vec::new();
    let mut depth: usize = 0;
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Html(h) | Event::InlineHtml(h) => out.push_str(&h),
            Event::Rule => out.push_str("----\n\n"),
            Event::Start(Tag::List(_)) => {
                if depth > 0 && !out.ends_with('\n') {
                    out.push('\n');
                }
                depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                depth -= 1;
                if depth == 0 {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                out.push_str(&"  ".repeat(depth.saturating_sub(1)));
                out.push_str("- ");
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => links.push((dest_url.to_string(), out.len())),
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = links.pop() {
                    if out[start..] != url {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => {
                out.push_str("\n\n")
            }
            _ => {}
        }
    }
    let mut text = out.trim_end().to_string();
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_marks_and_keeps_structure() {
        let text = markdown_to_text("**発生期間**\n2025/06/13\n\n- 一つ目\n- 二つ目\n\n詳細は[こちら](https://example.com/status)");
        assert_eq!(text, "発生期間\n2025/06/13\n\n- 一つ目\n- 二つ目\n\n詳細はこちら (https://example.com/status)");
    }

    #[test]
    fn bare_links_are_not_repeated() {
        assert_eq!(markdown_to_text("<https://example.com>"), "https://example.com");
    }
}
