//! The template editor's live preview: a template source, filled from sample
//! data for one status and language, exactly as it would be published, and
//! as the safe HTML the preview pane shows.

use desk_model::{Lang, Status};
use desk_templates::{parse_file, Diagnostic, PreviewFinding, PreviewLinter, SampleFields, Settings};
use serde::Serialize;
use specta::Type;

use crate::compose::normalise;
use crate::html::markdown_to_safe_html;

/// What the preview pane shows for one template in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TemplatePreview {
    /// The filled title, as Statuspage would receive it.
    pub title: String,
    /// The filled body (Markdown), as Statuspage would receive it.
    pub markdown: String,
    /// The body as sanitized HTML for the preview pane.
    pub html: String,
    /// Problems in the template itself, with their ranges. When there are
    /// any, the preview is a best effort and the template cannot be saved.
    pub problems: Vec<Diagnostic>,
    /// What the linter finds in the filled text (empty until it is wired in).
    pub findings: Vec<PreviewFinding>,
}

/// Fills a template file's source (`title: …`, `---`, body) with sample
/// values at `status` in `lang`, with the organisation's settings (prefixes,
/// date style). Never fails: a broken template gives its problems and as much
/// of the preview as can be made. Substitution only: nothing is run, nothing
/// is fetched.
pub fn preview_template(
    settings: &Settings,
    source: &str,
    status: Status,
    lang: Lang,
    sample: &SampleFields,
    linter: &dyn PreviewLinter,
) -> TemplatePreview {
    let (templates, problems) = parse_file(source);
    let Some((title, body)) = templates else {
        return TemplatePreview { title: String::new(), markdown: String::new(), html: String::new(), problems, findings: Vec::new() };
    };
    let title = sample.fill(&title, settings, status, lang).trim().to_string();
    let markdown = normalise(&sample.fill(&body, settings, status, lang));
    let html = markdown_to_safe_html(&markdown);
    let findings = if problems.is_empty() { linter.lint_filled_preview(&title, &markdown, status, lang) } else { Vec::new() };
    TemplatePreview { title, markdown, html, problems, findings }
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_templates::{NoLint, TemplateSet};

    #[test]
    fn the_preview_is_what_the_composer_would_publish() {
        let set = TemplateSet::builtin();
        let incident = desk_templates::sample_incident("login-certificate-expiry").unwrap();
        let sample = SampleFields::from_incident(&incident);
        let source = &set.get(Status::Resolved, Lang::Ja).source;
        let p = preview_template(&set.settings, source, Status::Resolved, Lang::Ja, &sample, &NoLint);
        assert_eq!(p.problems, vec![]);
        assert!(p.title.starts_with("【解決済み】"), "{}", p.title);
        assert!(p.markdown.contains("■ 発生期間"), "{}", p.markdown);
        assert!(p.html.contains("<p>"), "{}", p.html);
        // The same as rendering an incident at that status.
        let one = sample.incident_at(Status::Resolved);
        let rendered = crate::render_update(&set, &one, 0, Lang::Ja).unwrap();
        assert_eq!((p.title.as_str(), p.markdown.as_str()), (rendered.title.as_str(), rendered.body.as_str()));
    }

    #[test]
    fn a_broken_template_still_previews_and_says_what_is_wrong() {
        let set = TemplateSet::builtin();
        let sample = SampleFields::named("login-certificate-expiry").unwrap();
        let p = preview_template(&set.settings, "title: {{title}}\n---\n{{symptoms}}\n{{casue}}\n<script>x</script>\n", Status::Investigating, Lang::Ja, &sample, &NoLint);
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].start, desk_templates::Position { line: 4, column: 1 });
        assert!(p.markdown.contains("ログイン"));
        assert!(!p.html.contains("<script"));
    }

    struct Shouty;
    impl PreviewLinter for Shouty {
        fn lint_filled_preview(&self, title: &str, _: &str, _: Status, _: Lang) -> Vec<PreviewFinding> {
            vec![PreviewFinding { severity: "warning".into(), message: format!("checked {title}"), line: None, column: None }]
        }
    }

    #[test]
    fn the_lint_hook_sees_the_filled_text() {
        let set = TemplateSet::builtin();
        let sample = SampleFields::named("login-certificate-expiry").unwrap();
        let p = preview_template(&set.settings, "title: T {{title}}\n---\nbody\n", Status::Identified, Lang::En, &sample, &Shouty);
        assert_eq!(p.findings.len(), 1);
        assert!(p.findings[0].message.starts_with("checked T "), "{:?}", p.findings);
    }
}
