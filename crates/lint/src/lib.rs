//! The announcement linter of Incident Desk.
//!
//! Two kinds of input: raw pasted text ([`lint_text`]) and a structured
//! incident, all its updates in both languages ([`lint_incident`]), which
//! lets rules compare updates and languages. While one update is typed,
//! [`lint_next`] lints just that update against a [`History`] of the ones
//! before it, with the findings [`lint_incident`] reports on it. Every rule
//! has a stable code ([`Rule`]); RULES.md documents each one. The linter is
//! plain Rust with no morphological analyser: rules look for the specific
//! forms mistakes take, and prefer a warning where they cannot be sure.

mod compensation;
pub mod config;
pub mod diagnostic;
mod incident;
mod maintenance;
pub mod outline;
mod prose;
pub mod published;
mod rules;
pub mod text;
mod timeline;
pub mod typed;

use chrono::{DateTime, Utc};
use desk_model::dates::{self, Mention};
use desk_model::{Bilingual, Lang, Period, Status};

pub use compensation::lint_compensation;
pub use config::{Config, ConfigError, DateFormat, Level, SectionPolicy};
pub use diagnostic::{Diagnostic, Field, Rule, Severity};
pub use incident::History;
pub use maintenance::lint_maintenance;
pub use outline::{Heading, HeadingStyle, Outline, Section};

use text::LineIndex;

/// What is known about a raw text besides its words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextContext {
    /// The text's language; `None` detects it.
    pub lang: Option<Lang>,
    /// The status it is published with; rules that need it are skipped without.
    pub status: Option<Status>,
    /// The incident's title as it will be published, when known.
    pub title: Option<String>,
}

/// One update of an incident as the linter sees it: plain strings, so any
/// renderer (or none) can feed it.
#[derive(Debug, Clone, PartialEq)]
pub struct LintUpdate {
    pub status: Status,
    /// The title as published with this update (status marker included).
    pub title: Bilingual<String>,
    /// The body as published, per language (empty: not written).
    pub body: Bilingual<String>,
    /// The structured period, when the update has one.
    pub period: Option<Period>,
    /// The promised time of the next update.
    pub next_update_at: Option<DateTime<Utc>>,
}

/// A text read once, for all rules.
pub(crate) struct Analysed<'t> {
    pub text: &'t str,
    pub lang: Lang,
    pub lines: LineIndex<'t>,
    pub outline: Outline,
    /// Links and code, sorted.
    pub opaque: Vec<(usize, usize)>,
    /// 「quoted」 spans, sorted.
    pub quoted: Vec<(usize, usize)>,
    pub mentions: Vec<Mention>,
    ranges: std::cell::OnceCell<Vec<dates::RangeMention>>,
    prose: std::cell::OnceCell<prose::Prose>,
}

impl<'t> Analysed<'t> {
    pub fn new(text: &'t str, lang: Option<Lang>) -> Self {
        Analysed {
            text,
            lang: lang.unwrap_or_else(|| text::detect_lang(text)),
            lines: LineIndex::new(text),
            outline: Outline::parse(text),
            opaque: text::opaque_spans(text),
            quoted: text::quoted_spans(text),
            mentions: dates::scan(text),
            ranges: std::cell::OnceCell::new(),
            prose: std::cell::OnceCell::new(),
        }
    }

    /// True when the range is inside a link, code or a quotation.
    pub fn skipped(&self, start: usize, end: usize) -> bool {
        text::in_spans(&self.opaque, start, end) || text::in_spans(&self.quoted, start, end)
    }

    /// True when `offset` is inside a heading (not prose).
    pub fn in_heading(&self, offset: usize) -> bool {
        let s = &self.outline.sections;
        // Sections are in text order: the last one starting at or before `offset`.
        let k = s.partition_point(|x| x.heading.as_ref().map_or(x.body_start, |h| h.start) <= offset);
        k > 0 && s[k - 1].heading.as_ref().is_some_and(|h| h.start <= offset && offset < h.end)
    }

    /// The date ranges written in the text (computed once).
    pub fn ranges(&self) -> &[dates::RangeMention] {
        self.ranges.get_or_init(|| dates::scan_ranges(self.text))
    }

    /// Clock times with their meridiem and zone (computed once), and, in an
    /// English text, the periods written in words.
    pub fn prose(&self) -> &prose::Prose {
        self.prose.get_or_init(|| match self.lang {
            Lang::En => prose::read(self.text, &self.mentions),
            Lang::Ja => prose::Prose { clocks: prose::clocks(self.text), periods: Vec::new() },
        })
    }

    /// True when the text states a period: a date range, or one in words.
    pub fn has_period(&self) -> bool {
        !self.ranges().is_empty() || !self.prose().periods.is_empty()
    }
}

/// What rules know about the update a text belongs to.
pub(crate) struct Cx<'c> {
    pub config: &'c Config,
    pub status: Option<Status>,
    pub has_period: bool,
    pub has_next_update: bool,
}

/// Collects diagnostics, applying the organisation's severity overrides.
pub(crate) struct Sink<'c> {
    pub config: &'c Config,
    pub update: Option<u32>,
    pub out: Vec<Diagnostic>,
}

impl<'c> Sink<'c> {
    pub fn new(config: &'c Config) -> Self {
        Sink { config, update: None, out: Vec::new() }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn report(
        &mut self,
        t: &Analysed,
        field: Field,
        rule: Rule,
        default: Severity,
        (start, end): (usize, usize),
        message: Bilingual<String>,
        suggestion: Option<String>,
    ) {
        let Some(severity) = self.config.level(rule, default) else { return };
        let (line, column) = t.lines.position(start);
        let (end_line, end_column) = t.lines.position(end.max(start));
        self.out.push(Diagnostic {
            rule,
            severity,
            message,
            lang: Some(t.lang),
            update: self.update,
            field,
            line,
            column,
            end_line,
            end_column,
            start: start as u32,
            end: end.max(start) as u32,
            suggestion,
        });
    }
}

impl Sink<'_> {
    /// A diagnostic about a text as a whole: it points at its first line.
    pub fn whole(&mut self, t: &Analysed, rule: Rule, default: Severity, message: Bilingual<String>) {
        self.report(t, Field::Body, rule, default, text::first_line(t.text), message, None);
    }
}

/// Lints one raw text (a pasted or imported announcement).
pub fn lint_text(text: &str, ctx: &TextContext, config: &Config) -> Vec<Diagnostic> {
    let mut sink = Sink::new(config);
    let body = Analysed::new(text, ctx.lang);
    let cx = Cx { config, status: ctx.status, has_period: false, has_next_update: false };
    rules::check_body(&body, &cx, &mut sink);
    timeline::check_text(&body, config, &mut sink);
    if let Some(title) = &ctx.title {
        let t = Analysed::new(title, Some(body.lang));
        rules::check_title(&t, &cx, false, &mut sink);
    }
    sort(&mut sink.out);
    sink.out
}

/// Lints an incident: every update (oldest first) in both languages, and the
/// rules that compare updates and languages.
pub fn lint_incident(updates: &[LintUpdate], config: &Config) -> Vec<Diagnostic> {
    let mut sink = Sink::new(config);
    incident::check(updates, config, &mut sink);
    sink.out.sort_by_key(|d| d.update);
    sink.out
}

/// Lints the update that follows `history` (its index is `history.len()`):
/// exactly the findings, in the same order, that [`lint_incident`] reports
/// on it when given the updates `history` was built from followed by it.
/// `history` must have been built with the same `config`.
pub fn lint_next(history: &History, update: &LintUpdate, config: &Config) -> Vec<Diagnostic> {
    let mut sink = Sink::new(config);
    incident::next(history, update, config, &mut sink);
    sink.out
}

fn sort(out: &mut [Diagnostic]) {
    out.sort_by_key(|d| (d.field == Field::Body, d.line, d.column, d.rule));
}
