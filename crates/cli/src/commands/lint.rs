//! `desk lint`: check raw announcement text or incident documents.
//!
//! `desk lint [--lang ja|en|auto] [--status STATUS] [--title TEXT]
//! [--glossary FILE] [--format human|json] FILE...`
//!
//! Exit 0 when there is no error, 1 when there is, 2 on bad usage or
//! unreadable input. `--format json` prints
//! `{"diagnostics":[{"file","code","severity","message","line","column",
//! "end_line","end_column","suggestion"}]}`. Messages are in Japanese when
//! `DESK_UI_LANG` (else `LC_ALL`, `LC_MESSAGES`, `LANG`) starts with `ja`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use desk_lint::{Config, Diagnostic, Field, Severity, TextContext};
use desk_model::{Incident, IncidentDocument, Lang, Status};
use desk_templates::TemplateSet;
use serde::Serialize;

use crate::failure::Failure;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    Ja,
    En,
    Auto,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// The language of raw text; `auto` detects it. (Incident documents say
    /// which text is which.)
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: LangArg,
    /// The status raw text is published with (investigating, identified,
    /// monitoring, resolved, postmortem, scheduled, in_progress, verifying,
    /// completed). Without it, rules that need the status are skipped.
    /// Incident documents carry each update's status and ignore this.
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// The title raw text is published under (documents carry their own).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// A UTF-8 file with one preferred term per line; `#` starts a comment.
    #[arg(long, value_name = "FILE")]
    pub glossary: Option<PathBuf>,
    /// `human`: `FILE:LINE:COLUMN: severity[code]: message` lines and a
    /// count; `json`: `{"diagnostics":[…]}` for tools.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Raw text (`.md`, `.txt`, …) or incident documents (`.toml`).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// One diagnostic as the JSON contract prints it.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: String,
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    suggestion: Option<&'a str>,
}

/// The JSON output: fields in the contract's order.
#[derive(Serialize)]
struct JsonOutput<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// A diagnostic placed in its file.
struct Placed {
    file: String,
    diagnostic: Diagnostic,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    /// For documents: which update and language, shown by the human format.
    context: Option<String>,
}


fn read_text(path: &Path) -> Result<String, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure::usage(format!("{}: cannot read the file: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Failure::usage(format!(
            "{}: the file is not valid UTF-8 text (invalid byte at offset {}, line {line}); save it as UTF-8 and try again",
            path.display(),
            valid.len()
        ))
    })
}

fn is_document(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

pub fn run(global: &super::Global, args: Args) -> Result<ExitCode, Failure> {
    let set = global.template_set()?;
    let status = match &args.status {
        None => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            Failure::usage(format!("--status: `{s}` is not a status; use one of {}", all.join(", ")))
        })?),
    };
    let mut config = Config::default();
    if let Some(path) = &args.glossary {
        config.glossary = Config::parse_glossary(&read_text(path)?);
    }
    // Read everything first: an unreadable file stops the run before any output.
    let inputs: Vec<(PathBuf, String)> = args.files.iter().map(|p| read_text(p).map(|t| (p.clone(), t))).collect::<Result<_, _>>()?;
    let lang = match args.lang {
        LangArg::Ja => Some(Lang::Ja),
        LangArg::En => Some(Lang::En),
        LangArg::Auto => None,
    };
    let mut placed = Vec::new();
    for (path, text) in &inputs {
        let file = path.display().to_string();
        if is_document(path) {
            let incident = IncidentDocument::parse(text).map_err(|e| e.in_file(path))?;
            placed.extend(lint_document(&file, text, &incident, &set, &config));
        } else {
            let ctx = TextContext { lang, status, title: args.title.clone() };
            for d in desk_lint::lint_text(text, &ctx, &config) {
                let context = (d.field == Field::Title).then(|| "title".to_string());
                placed.push(Placed { file: file.clone(), line: d.line, column: d.column, end_line: d.end_line, end_column: d.end_column, context, diagnostic: d });
            }
        }
    }
    let ui = crate::language::ui_lang();
    match args.format {
        Format::Json => {
            let list: Vec<JsonDiagnostic> = placed
                .iter()
                .map(|p| JsonDiagnostic {
                    file: p.file.clone(),
                    code: p.diagnostic.code(),
                    severity: p.diagnostic.severity.as_str(),
                    message: p.diagnostic.message_in(ui),
                    line: p.line,
                    column: p.column,
                    end_line: p.end_line,
                    end_column: p.end_column,
                    suggestion: p.diagnostic.suggestion.as_deref(),
                })
                .collect();
            let out = serde_json::to_string(&JsonOutput { diagnostics: list }).expect("diagnostics serialise");
            println!("{out}");
        }
        Format::Human => print_human(&placed, ui),
    }
    let errors = placed.iter().any(|p| p.diagnostic.severity == Severity::Error);
    Ok(if errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_human(placed: &[Placed], ui: Lang) {
    let mut counts = [0usize; 3];
    for p in placed {
        let d = &p.diagnostic;
        counts[d.severity as usize] += 1;
        let context = p.context.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        println!("{}:{}:{}: {}[{}]{context}: {}", p.file, p.line, p.column, d.severity.as_str(), d.code(), d.message_in(ui));
        if let Some(s) = &d.suggestion {
            if s.is_empty() {
                println!("    suggestion: delete it");
            } else {
                println!("    suggestion: {s}");
            }
        }
    }
    let [e, w, i] = counts;
    if ui == Lang::Ja {
        println!("エラー {e} 件、警告 {w} 件、情報 {i} 件");
    } else {
        println!("{e} error(s), {w} warning(s), {i} info");
    }
}

/// Lints an incident document and places each diagnostic in the file: at
/// the text itself when the body is written verbatim in the document, else
/// at the update's `[[updates]]` line (titles: at the `title` line).
fn lint_document(file: &str, source: &str, incident: &Incident, set: &TemplateSet, config: &Config) -> Vec<Placed> {
    // Judge what would be published: the organisation's templates applied.
    let updates = desk_lint::published::published_updates(set, incident).expect("every update index exists");
    let headers: Vec<usize> = source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("[[updates]]"))
        .map(|(i, _)| i + 1)
        .collect();
    let title_line = source.lines().position(|l| l.trim_start().starts_with("title")).map_or(1, |i| i + 1);
    // Each update's part of the document, in bytes: from its `[[updates]]` to the next.
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for l in source.split_inclusive('\n') {
        if l.trim_start().starts_with("[[updates]]") {
            starts.push(offset);
        }
        offset += l.len();
    }
    let regions: Vec<(usize, usize)> = starts.iter().enumerate().map(|(k, &a)| (a, starts.get(k + 1).copied().unwrap_or(source.len()))).collect();
    let mut placed: Vec<Placed> = desk_lint::lint_incident(&updates, config)
        .into_iter()
        .map(|d| {
            let index = d.update.unwrap_or(0) as usize;
            let lang = d.lang.unwrap_or(Lang::Ja);
            let context = Some(format!("update {}, {}{}", index + 1, lang.as_str(), if d.field == Field::Title { ", title" } else { "" }));
            let verbatim = (d.field == Field::Body)
                .then(|| incident.updates.get(index).and_then(|u| u.text(lang).body.as_deref()))
                .flatten()
                .and_then(|body| source.find(body));
            let filled = (d.field == Field::Body && verbatim.is_none())
                .then(|| updates.get(index).and_then(|u| written_at(source, &regions, index, u.body.get(lang), &d)))
                .flatten();
            let (line, column, end_line, end_column) = match (verbatim, filled) {
                (Some(at), _) => {
                    let (l, c) = desk_model::document::line_col(source, at + d.start as usize);
                    let (el, ec) = desk_model::document::line_col(source, at + d.end as usize);
                    (l as u32, c as u32, el as u32, ec as u32)
                }
                (None, Some(place)) => place,
                (None, None) => {
                    let l = if d.field == Field::Title { title_line } else { headers.get(index).copied().unwrap_or(1) } as u32;
                    (l, 1, l, 1)
                }
            };
            Placed { file: file.to_string(), line, column, end_line, end_column, context, diagnostic: d }
        })
        .collect();
    // A maintenance's window, checked at the clock's now: at the
    // `[updates.maintenance]` line of the update that gave the window.
    for index in 0..incident.updates.len() {
        let Ok(found) = desk_app::maintenance::findings(set, config, incident, index, chrono::Utc::now()) else { continue };
        let giver = (0..=index).rev().find(|&i| incident.updates[i].maintenance.is_some()).unwrap_or(index);
        for d in found {
            placed.push(table_place(file, source, &regions, &headers, (giver, "[updates.maintenance]", 1), format!("update {}, maintenance window", index + 1), d));
        }
    }
    // A postmortem's compensation: at its offer's `[[updates.compensation]]` line.
    for index in 0..incident.updates.len() {
        for (offer, d) in desk_lint::published::compensation_findings(incident, index, config) {
            placed.push(compensation_place(file, source, &regions, &headers, (index, offer + 1), d));
        }
    }
    placed
}

/// A finding placed at the `nth` (1-based) line starting with `header` in
/// update `index`'s part of the document, else at the update's header.
fn table_place(file: &str, source: &str, regions: &[(usize, usize)], headers: &[usize], (index, header, nth): (usize, &str, usize), context: String, d: Diagnostic) -> Placed {
    let at = regions.get(index).and_then(|&(from, to)| {
        let mut offset = from;
        let mut seen = 0;
        for l in source[from..to].split_inclusive('\n') {
            if l.trim_start().starts_with(header) {
                seen += 1;
                if seen == nth {
                    return Some(offset);
                }
            }
            offset += l.len();
        }
        None
    });
    let line = at.map_or(headers.get(index).copied().unwrap_or(1), |at| desk_model::document::line_col(source, at).0) as u32;
    Placed { file: file.to_string(), line, column: 1, end_line: line, end_column: 1, context: Some(context), diagnostic: d }
}

/// A compensation finding placed at the `[[updates.compensation]]` line of
/// `offer` (1-based) in update `index`'s part of the document.
fn compensation_place(file: &str, source: &str, regions: &[(usize, usize)], headers: &[usize], (index, offer): (usize, usize), d: Diagnostic) -> Placed {
    let lang = d.lang.map(|l| format!(", {}", l.as_str())).unwrap_or_default();
    let context = format!("update {}, compensation {offer}{lang}", index + 1);
    table_place(file, source, regions, headers, (index, "[[updates.compensation]]", offer), context, d)
}

/// Where a finding in a body the template filled was written in the document:
/// the line of the published text it is on, looked up in the update's part of
/// the document — whole, without its list marker, or (a timeline line,
/// `22:00頃: …`) the entry's text after its time. The column is exact when the
/// finding's words are on that line as written. `None` when the line came from
/// the template itself.
fn written_at(source: &str, regions: &[(usize, usize)], index: usize, body: &str, d: &Diagnostic) -> Option<(u32, u32, u32, u32)> {
    let &(from, to) = regions.get(index)?;
    let region = &source[from..to];
    let (start, end) = (d.start as usize, d.end as usize);
    let line_start = body[..start.min(body.len())].rfind('\n').map_or(0, |n| n + 1);
    let line_end = body[line_start..].find('\n').map_or(body.len(), |n| line_start + n);
    let line = &body[line_start..line_end];
    let trimmed = line.trim_start_matches("- ");
    let after_time = line.split_once(": ").map(|(_, rest)| rest);
    for candidate in [Some(line), Some(trimmed), after_time].into_iter().flatten() {
        if candidate.chars().count() < 2 {
            continue;
        }
        let Some(at) = region.find(candidate) else { continue };
        let candidate_start = line_start + (line.len() - candidate.len());
        let place = |offset: usize| {
            let (l, c) = desk_model::document::line_col(source, from + at + offset);
            (l as u32, c as u32)
        };
        let inside = start >= candidate_start && end <= candidate_start + candidate.len();
        if inside {
            let ((l, c), (el, ec)) = (place(start - candidate_start), place(end - candidate_start));
            return Some((l, c, el, ec));
        }
        // A timeline line's time: the entry's `at` line, above its text.
        if Some(candidate) == after_time {
            if let Some(k) = region[..at].rfind("\nat = ") {
                let (l, _) = desk_model::document::line_col(source, from + k + 1);
                return Some((l as u32, 1, l as u32, 1));
            }
        }
        let (l, c) = place(0);
        return Some((l, c, l, c));
    }
    None
}
