//! Changing a draft update's status: the template's wording for the new
//! status (lead sentence, section headings, closing sentence, the title's
//! status prefix) replaces the old status's wording, and everything the
//! author wrote stays where it was.
//!
//! The author edits the whole body, so the template's text and theirs are
//! mixed. The old status's template, filled with a marker in every section,
//! tells which lines of the body are template text and which slot they fill
//! (the lead, a section's heading, the closing); those lines are replaced by
//! the new template's lines for the same slot. Every other line is the
//! author's and is kept; only the few status phrases whose other tense is
//! certain (発生しています ⇄ 発生していました, "is experiencing" → "experienced")
//! are turned, when the update moves between ongoing and closed.

use std::collections::{HashMap, HashSet};

use desk_model::{Bilingual, Incident, Lang, SectionKind, Status};
use desk_templates::{Fields, TemplateSet};

/// The title and body of an update as the author edits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The title without the status prefix the template adds.
    pub title: Bilingual<String>,
    pub body: Bilingual<String>,
}

/// What the template contributes for one place in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    /// Before the first section.
    Lead,
    /// The heading of a section.
    Heading(SectionKind),
    /// After the last section.
    Closing,
}

/// The template's own lines for one status, by slot, in order.
struct Skeleton {
    slots: Vec<(Slot, Vec<String>)>,
}

impl Skeleton {
    fn lines(&self, slot: Slot) -> Option<&[String]> {
        self.slots.iter().find(|(s, _)| *s == slot).map(|(_, l)| l.as_slice())
    }

    /// Each non-blank template line and its slot.
    fn index(&self) -> HashMap<&str, Slot> {
        let mut map = HashMap::new();
        for (slot, lines) in &self.slots {
            for line in lines.iter().filter(|l| !l.trim().is_empty()) {
                map.entry(line.trim()).or_insert(*slot);
            }
        }
        map
    }
}

/// Marks where a section's text goes when a template is filled for slots.
fn marker(kind: SectionKind) -> String {
    format!("\u{1}{}\u{1}", kind.as_str())
}

/// Fills the template of `status` with a marker in every section, and splits
/// the result into slots: the literal lines before a section's marker are its
/// heading (the last non-blank one) and, before the first section, the lead.
fn skeleton(set: &TemplateSet, incident: &Incident, index: usize, status: Status, lang: Lang) -> Skeleton {
    let mut update = incident.updates[index].clone();
    update.status = status;
    let fields = Fields { incident, index, update: &update, lang, settings: &set.settings };
    let value = |name: &str| match SectionKind::parse(name) {
        Some(kind) => marker(kind),
        None => fields.value(name),
    };
    let filled = set.get(status, lang).body.fill(&value);
    let mut slots: Vec<(Slot, Vec<String>)> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    for line in filled.lines() {
        let Some(kind) = SectionKind::ALL.into_iter().find(|k| line.contains(&marker(*k))) else {
            pending.push(line.trim_end().to_string());
            continue;
        };
        let mut literal = std::mem::take(&mut pending);
        trim_blank(&mut literal);
        let heading = literal.pop();
        if slots.is_empty() && !literal.is_empty() {
            slots.push((Slot::Lead, literal));
        }
        if let Some(heading) = heading {
            slots.push((Slot::Heading(kind), vec![heading]));
        }
    }
    trim_blank(&mut pending);
    if slots.is_empty() {
        // No sections at all: the whole template is its lead.
        slots.push((Slot::Lead, pending));
    } else if !pending.is_empty() {
        slots.push((Slot::Closing, pending));
    }
    Skeleton { slots }
}

/// Drops blank lines at both ends.
fn trim_blank(lines: &mut Vec<String>) {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let leading = lines.iter().take_while(|l| l.trim().is_empty()).count();
    lines.drain(..leading);
}

/// The update at `index` of `incident` carries the author's `written` text in
/// its current status; returns that text worded for `to`.
pub fn restatus(set: &TemplateSet, incident: &Incident, index: usize, written: &Written, to: Status) -> Written {
    let from = incident.updates[index].status;
    let mut incident = incident.clone();
    incident.updates[index].title = Some(written.title.clone());
    let turn = Turn::between(from, to);
    let mut out = written.clone();
    for lang in Lang::ALL {
        let old = skeleton(set, &incident, index, from, lang);
        let new = skeleton(set, &incident, index, to, lang);
        let body = reword_body(written.body.get(lang), &old, &new);
        *out.body.get_mut(lang) = turn.apply(&body, lang);
        let title = strip_prefixes(written.title.get(lang), set, lang);
        *out.title.get_mut(lang) = turn.apply(&title, lang);
    }
    out
}

/// Replaces the old template's lines with the new template's lines for the
/// same slot; keeps every other line. A slot the author edited (one of its
/// lines is not there as the template wrote it) is the author's: kept as is.
fn reword_body(body: &str, old: &Skeleton, new: &Skeleton) -> String {
    let present: HashSet<&str> = body.lines().map(str::trim).collect();
    let intact = |slot: Slot| {
        old.lines(slot).is_some_and(|lines| lines.iter().all(|l| l.trim().is_empty() || present.contains(l.trim())))
    };
    let old_index = old.index();
    let mut done: HashSet<Slot> = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for line in body.lines() {
        let slot = old_index.get(line.trim()).copied().filter(|s| intact(*s));
        let Some(slot) = slot else {
            out.push(line.to_string());
            continue;
        };
        if !done.insert(slot) {
            continue; // a later line of a slot already replaced
        }
        match (new.lines(slot), slot) {
            (Some(lines), _) => out.extend(lines.iter().cloned()),
            // The new status has no such section: the author's text keeps its heading.
            (None, Slot::Heading(_)) => out.push(line.to_string()),
            (None, _) => {}
        }
    }
    let mut text = collapse_blank_runs(&out);
    if body.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Joins lines with at most one blank line in a row and none at either end
/// (removed template lines leave gaps behind).
fn collapse_blank_runs(lines: &[String]) -> String {
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    for line in lines {
        let blank = line.trim().is_empty();
        if blank && kept.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        kept.push(line);
    }
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    kept.join("\n")
}

/// The status prefixes templates add to titles (【解決済み】, [Resolved]):
/// typed into the title, they would appear twice, or stay after a reopening.
fn strip_prefixes(title: &str, set: &TemplateSet, lang: Lang) -> String {
    let prefixes = &set.settings.title_prefix;
    let mut rest = title.trim_start();
    for prefix in [prefixes.resolved.get(lang), prefixes.completed.get(lang)] {
        let prefix = prefix.trim();
        if !prefix.is_empty() {
            if let Some(stripped) = rest.strip_prefix(prefix) {
                rest = stripped.trim_start();
            }
        }
    }
    rest.to_string()
}

/// Status phrases with a certain form in the other tense: (ongoing, closed).
/// Only phrases whose closed form maps back to one ongoing form are turned
/// back when an update is reopened.
const PHRASES: &[(Lang, &str, &str, bool)] = &[
    (Lang::Ja, "発生しております", "発生しておりました", true),
    (Lang::Ja, "発生しています", "発生していました", true),
    (Lang::Ja, "続いております", "続いておりました", true),
    (Lang::Ja, "続いています", "続いていました", true),
    (Lang::Ja, "発生している現象", "発生した現象", true),
    (Lang::En, "is experiencing", "experienced", false),
    (Lang::En, "are experiencing", "experienced", false),
    (Lang::En, "is failing", "was failing", true),
    (Lang::En, "are failing", "were failing", true),
    (Lang::En, "is delayed", "was delayed", true),
    (Lang::En, "are delayed", "were delayed", true),
    (Lang::En, "is unavailable", "was unavailable", true),
    (Lang::En, "are unavailable", "were unavailable", true),
    (Lang::En, "What is happening", "What happened", true),
];

/// Which way status phrases are turned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    None,
    ToClosed,
    ToOngoing,
}

impl Turn {
    fn between(from: Status, to: Status) -> Turn {
        match (from.is_closed(), to.is_closed()) {
            (false, true) => Turn::ToClosed,
            (true, false) => Turn::ToOngoing,
            _ => Turn::None,
        }
    }

    fn apply(self, text: &str, lang: Lang) -> String {
        let mut out = text.to_string();
        for &(l, ongoing, closed, reversible) in PHRASES {
            if l != lang {
                continue;
            }
            match self {
                Turn::ToClosed => out = out.replace(ongoing, closed),
                Turn::ToOngoing if reversible => out = out.replace(closed, ongoing),
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render_update;
    use desk_model::{Kind, Update};

    /// An investigating draft as the composer first shows it, then edited.
    fn draft() -> (TemplateSet, Incident) {
        let set = TemplateSet::builtin();
        let mut incident = Incident::new(Kind::Incident);
        incident.title = Bilingual { ja: "ログインできない障害が発生しています".into(), en: "Sign-in is failing".into() };
        let mut update = Update::new(Status::Investigating);
        update.ja.symptoms = "【要記入】".into();
        update.en.symptoms = "[TBD]".into();
        incident.updates.push(update);
        (set, incident)
    }

    fn as_written(set: &TemplateSet, incident: &Incident, edit: impl Fn(Lang, String) -> String) -> Written {
        let mut w = Written { title: incident.title.clone(), body: Bilingual::default() };
        for lang in Lang::ALL {
            *w.body.get_mut(lang) = edit(lang, render_update(set, incident, 0, lang).unwrap().body);
        }
        w
    }

    fn typed(lang: Lang, body: String) -> String {
        match lang {
            Lang::Ja => body.replace("【要記入】", "- ログイン画面でエラーが表示される\n- 一部のお客様のみ")
                + "\n\n■ 社内メモ\n問い合わせ窓口は通常どおりです。",
            Lang::En => body.replace("[TBD]", "- Some customers are experiencing errors at sign-in"),
        }
    }

    #[test]
    fn resolving_rewords_the_template_and_keeps_what_was_typed() {
        let (set, incident) = draft();
        let written = as_written(&set, &incident, typed);
        let done = restatus(&set, &incident, 0, &written, Status::Resolved);
        let ja = &done.body.ja;
        assert!(ja.starts_with("以下の障害は解消いたしました。"), "{ja}");
        assert!(!ja.contains("原因は調査中です"), "the old lead is gone: {ja}");
        assert!(!ja.contains("ご不便をおかけし、申し訳ございません。\n"), "{ja}");
        assert!(ja.contains("■ 発生した現象\n- ログイン画面でエラーが表示される\n- 一部のお客様のみ"), "{ja}");
        assert!(ja.contains("■ 社内メモ\n問い合わせ窓口は通常どおりです。"), "a section of the author's own stays: {ja}");
        assert!(ja.contains("この度はご迷惑をおかけし、誠に申し訳ございませんでした。"), "{ja}");
        assert!(!ja.contains("続報を掲載いたします"), "{ja}");
        let en = &done.body.en;
        assert!(en.starts_with("The issue described below has been resolved."), "{en}");
        assert!(en.contains("■ What happened\n- Some customers experienced errors at sign-in"), "{en}");
        assert_eq!(done.title.ja, "ログインできない障害が発生していました");
        assert_eq!(done.title.en, "Sign-in was failing");
    }

    #[test]
    fn reopening_goes_back_and_a_round_trip_loses_nothing() {
        let (set, mut incident) = draft();
        let written = as_written(&set, &incident, typed);
        let resolved = restatus(&set, &incident, 0, &written, Status::Resolved);
        incident.updates[0].status = Status::Resolved;
        let back = restatus(&set, &incident, 0, &resolved, Status::Investigating);
        assert!(back.body.ja.contains("■ 発生している現象\n- ログイン画面でエラーが表示される"), "{}", back.body.ja);
        assert!(back.body.ja.starts_with("現在、以下の障害が発生しております。原因は調査中です。\nご利用中のお客様"), "{}", back.body.ja);
        assert!(back.body.ja.contains("■ 社内メモ\n問い合わせ窓口は通常どおりです。"), "{}", back.body.ja);
        assert_eq!(back.title.ja, "ログインできない障害が発生しています");
        assert_eq!(back.body.ja, written.body.ja, "Japanese comes back exactly");
    }

    #[test]
    fn a_section_the_new_status_lacks_keeps_its_heading_and_text() {
        let (set, mut incident) = draft();
        incident.updates[0].status = Status::Resolved;
        let written = as_written(&set, &incident, |lang, body| match lang {
            Lang::Ja => body.replace("【要記入】", "- 画面が開かない") + "\n\n■ 原因\n証明書の期限切れ",
            Lang::En => body,
        });
        let back = restatus(&set, &incident, 0, &written, Status::Investigating);
        assert!(back.body.ja.contains("■ 原因\n証明書の期限切れ"), "{}", back.body.ja);
        assert!(back.body.ja.contains("■ 発生している現象\n- 画面が開かない"), "{}", back.body.ja);
    }

    #[test]
    fn a_typed_status_prefix_is_left_to_the_template() {
        let (set, incident) = draft();
        let mut written = as_written(&set, &incident, |_, b| b);
        written.title.ja = "【解決済み】ログインできない障害".into();
        written.title.en = "[Resolved] Sign-in failures".into();
        let done = restatus(&set, &incident, 0, &written, Status::Resolved);
        assert_eq!(done.title.ja, "ログインできない障害");
        assert_eq!(done.title.en, "Sign-in failures");
    }

    #[test]
    fn edited_template_lines_are_the_authors() {
        let (set, incident) = draft();
        let written = as_written(&set, &incident, |lang, body| match lang {
            Lang::Ja => body.replace("原因は調査中です。", "原因はネットワーク機器と見ています。"),
            Lang::En => body,
        });
        let done = restatus(&set, &incident, 0, &written, Status::Identified);
        assert!(done.body.ja.contains("原因はネットワーク機器と見ています。"), "{}", done.body.ja);
        assert!(!done.body.ja.contains("原因を特定いたしました"), "the lead was the author's, so no second lead: {}", done.body.ja);
        assert!(done.body.en.starts_with("We have identified the cause"), "{}", done.body.en);
    }

    #[test]
    fn the_same_status_changes_nothing() {
        let (set, incident) = draft();
        let written = as_written(&set, &incident, typed);
        assert_eq!(restatus(&set, &incident, 0, &written, Status::Investigating), written);
    }
}
