//! `section.missing`, `section.empty`, `heading.style-mixed` (headings in
//! one text, and the closed-title marker).

use desk_model::{Lang, SectionKind, Status};

use super::majority;
use crate::diagnostic::msg;
use crate::outline::{Heading, HeadingStyle};
use crate::text::first_line;
use crate::{Analysed, Config, Cx, Field, Rule, Severity, Sink};

fn section_names(kind: SectionKind, past: bool) -> (&'static str, &'static str) {
    (kind.heading(Lang::Ja, past), kind.heading(Lang::En, past))
}

/// Prose that states the cause without a heading (「原因は…でした」).
fn cause_in_prose(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let ja = text.match_indices("原因は").any(|(i, _)| {
        let after = &text[i + "原因は".len()..];
        !["調査", "特定", "現在", "不明", "確認中", "引き続き"].iter().any(|w| after.trim_start().starts_with(w))
    });
    ja || ["caused by", "the cause was", "the cause is", "root cause was", "due to"].iter().any(|w| lower.contains(w))
}

/// The sections the organisation asks of this status.
pub(crate) fn missing(t: &Analysed, status: Status, cx: &Cx, sink: &mut Sink) {
    if t.text.trim().is_empty() {
        return;
    }
    let policy = cx.config.sections.for_status(status);
    let present = |kind: SectionKind| {
        t.outline.has(kind)
            || match kind {
                SectionKind::Period => cx.has_period || t.has_period(),
                SectionKind::Scope => t.outline.has(SectionKind::Features),
                SectionKind::Cause => cause_in_prose(t.text),
                // 「原因と対策」: one heading for the cause and the countermeasures.
                SectionKind::Prevention => t.outline.headings().any(|h| {
                    let name = h.name(t.text).to_lowercase();
                    ["対策", "再発防止", "countermeasure", "prevent"].iter().any(|w| name.contains(w))
                }),
                _ => false,
            }
    };
    let at = first_line(t.text);
    let past = status.is_closed();
    for (kinds, severity) in [(&policy.required, Severity::Error), (&policy.recommended, Severity::Warning)] {
        for &kind in kinds {
            if present(kind) {
                continue;
            }
            let (ja, en) = section_names(kind, past);
            let (sj, se) = (status.label(Lang::Ja), status.as_str());
            let (wj, we) = if severity == Severity::Error { ("必須", "requires") } else { ("推奨", "recommends") };
            sink.report(
                t,
                Field::Body,
                Rule::SectionMissing,
                severity,
                at,
                msg(
                    format!("「{sj}」の更新に「{ja}」の節がありません（組織の方針で{wj}）。"),
                    format!("This {se} update has no “{en}” section (your organisation's policy {we} it)."),
                ),
                None,
            );
        }
    }
}

/// A known section heading with nothing under it.
pub(crate) fn empty(t: &Analysed, sink: &mut Sink) {
    let sections = &t.outline.sections;
    for (i, s) in sections.iter().enumerate() {
        let Some(h) = &s.heading else { continue };
        if h.kind.is_none() || !s.is_empty(t.text) {
            continue;
        }
        // A sub-heading of another style right below is content, not emptiness.
        if let Some(next) = sections.get(i + 1).and_then(|n| n.heading.as_ref()) {
            if next.kind.is_none() && next.style != h.style {
                continue;
            }
        }
        let name = h.name(t.text).trim_end_matches([':', '：']);
        sink.report(
            t,
            Field::Body,
            Rule::SectionEmpty,
            Severity::Error,
            (h.start, h.end),
            msg(format!("見出し「{name}」の下に何も書かれていません。"), format!("The section “{name}” is empty.")),
            None,
        );
    }
}

/// Section headings of one text written in more than one style.
pub(crate) fn style_mixed(t: &Analysed, sink: &mut Sink) {
    let headings: Vec<_> = t
        .outline
        .headings()
        // Known sections in any style, and every marker heading (`■原因`
        // beside `■ 原因` drifts whatever the section).
        .filter(|h| match h.style {
            HeadingStyle::Marker { .. } => true,
            HeadingStyle::Field | HeadingStyle::Plain | HeadingStyle::Parenthesis => false,
            _ => h.kind.is_some_and(|k| k != SectionKind::Note),
        })
        .collect();
    let styles: Vec<HeadingStyle> = headings.iter().map(|h| h.style).collect();
    let Some(main) = majority(&styles) else { return };
    for h in headings.iter().filter(|h| h.style != main) {
        report_style(t, h, main, ("他の見出し".into(), "the others".into()), sink);
    }
}

/// A heading not written in the `wanted` style; `than` names what it is
/// compared with (ja, en). The fix rewrites it in that style.
pub(crate) fn report_style(t: &Analysed, h: &Heading, wanted: HeadingStyle, than: (String, String), sink: &mut Sink) {
    let written = &t.text[h.start..h.end];
    sink.report(
        t,
        Field::Body,
        Rule::HeadingStyleMixed,
        Severity::Warning,
        (h.start, h.end),
        msg(
            format!("見出し「{written}」の書き方が{}（{}）と違います。", than.0, wanted.label()),
            format!("The heading “{written}” is not written like {} ({}).", than.1, wanted.write("…")),
        ),
        // A numbered heading's number cannot be guessed.
        (wanted != HeadingStyle::Numbered).then(|| wanted.write(h.name(t.text))),
    );
}

/// The closed-title marker the organisation does not use (【解消済み】 where
/// it writes 【解決済み】).
pub(crate) fn title_marker(t: &Analysed, config: &Config, sink: &mut Sink) {
    let preferred = config.resolved_title_marker.trim();
    if preferred.is_empty() {
        return;
    }
    for other in ["解決済み", "解消済み", "復旧済み", "対応済み", "復旧完了", "解決"] {
        if other == preferred {
            continue;
        }
        let marker = format!("【{other}】");
        if let Some(s) = t.text.find(&marker) {
            sink.report(
                t,
                Field::Title,
                Rule::HeadingStyleMixed,
                Severity::Warning,
                (s, s + marker.len()),
                msg(
                    format!("タイトルの「{marker}」は、組織の表記「【{preferred}】」と違います。"),
                    format!("The title marker “{marker}” differs from your organisation's “【{preferred}】”."),
                ),
                Some(format!("【{preferred}】")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use desk_model::Status;

    use crate::{lint_text, Config, Diagnostic, Rule, Severity, TextContext};

    fn lint(text: &str, status: Option<Status>, rule: Rule) -> Vec<Diagnostic> {
        let ctx = TextContext { lang: None, status, title: None };
        lint_text(text, &ctx, &Config::default()).into_iter().filter(|d| d.rule == rule).collect()
    }

    #[test]
    fn identified_needs_a_cause() {
        let got = lint("原因が特定できました。", Some(Status::Identified), Rule::SectionMissing);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].severity, Severity::Error);
        assert!(lint("原因が特定できました。\n■ 原因\nキャッシュの設定誤り", Some(Status::Identified), Rule::SectionMissing).is_empty());
        assert!(lint("原因はキャッシュの設定誤りでした。", Some(Status::Identified), Rule::SectionMissing).is_empty());
        assert!(lint("原因が特定できました。", None, Rule::SectionMissing).is_empty(), "no status, no policy");
    }

    #[test]
    fn postmortems_need_a_period_and_resolved_updates_should_have_one() {
        let got = lint("解消しました。\n■ 原因\n設定の誤り", Some(Status::Resolved), Rule::SectionMissing);
        let sev: Vec<Severity> = got.iter().map(|d| d.severity).collect();
        assert_eq!(sev, [Severity::Warning, Severity::Warning], "period and symptoms recommended");
        let got = lint("ご報告します。\n■ 原因\n設定の誤り", Some(Status::Postmortem), Rule::SectionMissing);
        assert_eq!(got.iter().filter(|d| d.severity == Severity::Error).count(), 2, "the period and the countermeasures are required");
        let got = lint("ご報告します。\n■ 発生期間\n2025/03/04 10:00〜11:00\n■ 今後の対応\n監視を増やします", Some(Status::Postmortem), Rule::SectionMissing);
        let errors: Vec<&str> = got.iter().filter(|d| d.severity == Severity::Error).map(|d| d.message.en.as_str()).collect();
        assert_eq!(errors.len(), 1, "a postmortem without its cause: {errors:?}");
        assert!(errors[0].contains("Cause"), "{errors:?}");
        let both = "ご報告します。\n■ 発生期間\n2025/03/04 10:00〜11:00\n■ 本件の原因と対策\n設定の誤りでした。確認の手順を加えます。";
        assert!(lint(both, Some(Status::Postmortem), Rule::SectionMissing).iter().all(|d| d.severity != Severity::Error), "one heading for both");
        let ok = "解消しました。\n■ 発生期間\n2025/03/04 10:00〜11:00\n■ 発生した現象\n遅延\n■ 原因\n設定の誤り";
        assert!(lint(ok, Some(Status::Resolved), Rule::SectionMissing).is_empty());
    }

    #[test]
    fn empty_sections() {
        let got = lint("■ 発生期間\n\n■ 原因\n設定の誤り", None, Rule::SectionEmpty);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].line, 1);
        assert!(lint("■ 対象プロジェクト\n【例】\n- A", None, Rule::SectionEmpty).is_empty(), "a sub-heading is content");
        assert_eq!(lint("■ 対象 ■ 原因 設定", None, Rule::SectionEmpty).len(), 1);
        assert_eq!(lint("原因：\n対象：全員", None, Rule::SectionEmpty).len(), 1);
    }

    #[test]
    fn heading_styles_mixed_in_one_text() {
        let got = lint("■ 発生期間\n2025/03/04 10:00\n■ 対象\n全員\n■原因\n設定", None, Rule::HeadingStyleMixed);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].suggestion.as_deref(), Some("■ 原因"));
        assert!(lint("■ 発生期間\n2025/03/04 10:00\n■ 原因\n設定\n【テンプレート例】\n- A", None, Rule::HeadingStyleMixed).is_empty());
    }

    #[test]
    fn title_marker_follows_the_organisation() {
        let ctx = TextContext { title: Some("【解消済み】ログインの障害".into()), ..TextContext::default() };
        let got = lint_text("", &ctx, &Config::default());
        assert_eq!(got[0].rule, Rule::HeadingStyleMixed);
        assert_eq!(got[0].suggestion.as_deref(), Some("【解決済み】"));
        let ctx = TextContext { title: Some("【解決済み】ログインの障害".into()), ..TextContext::default() };
        assert!(lint_text("", &ctx, &Config::default()).is_empty());
    }
}
