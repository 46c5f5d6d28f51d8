//! `tense.status`, `title.status` and the text form of `status.reopened`.

use desk_model::{Lang, Status};

use super::Needles;

use crate::diagnostic::msg;
use crate::{Analysed, Field, Rule, Severity, Sink};

needles!(
    /// Finite present-tense forms: the problem is still going on.
    PRESENT, true, [
    "発生しています", "発生しております", "発生している。", "発生中です", "調査中です", "調査しております",
    "調査しています", "調査を進めております", "調査を進めています", "続いております", "続いています",
    "復旧作業中です", "対応中です", "we are investigating", "we are currently investigating", "are experiencing", "is experiencing",
    "are continuing to investigate", "is currently unavailable", "are working on a fix", "is currently down",]);
needles!(
    /// Claims that it is over, out of place while investigating.
    RESOLVED, true, ["解消しました", "解消いたしました", "復旧しました", "復旧いたしました", "解決しました", "解決いたしました", "has been resolved", "have been resolved", "is now resolved", "has been fixed", "have been fixed"]);
needles!(
    /// A closed update that says it is not over after all.
    NOT_OVER, true, [
    "解消されていない", "解消していない", "解消しておりません", "解消されておりません", "復旧していない",
    "再発しました", "再発いたしました", "再発を確認", "誤った情報", "not been resolved", "not yet resolved", "has recurred", "was not resolved", "is not resolved"]);

needles!(
    /// Title words of an ongoing problem.
    TITLE_PRESENT, true, ["発生しています", "発生しております", "発生中", "調査中", "are experiencing", "investigating"]);
needles!(
    /// Title words of a closed problem.
    TITLE_CLOSED, true, ["【解決済み】", "【解消済み】", "【復旧済み】", "[Resolved]", "(Resolved)", "Resolved:", "解消しました", "復旧しました"]);

fn past_of(present: &str) -> Option<String> {
    Some(match present {
        "発生しています" => "発生していました".into(),
        "発生しております" => "発生しておりました".into(),
        "発生している。" => "発生していた。".into(),
        "続いています" => "続いていました".into(),
        "続いております" => "続いておりました".into(),
        _ => return None,
    })
}

/// Present tense in a closed update; claims of resolution while investigating.
pub(crate) fn body(t: &Analysed, status: Status, sink: &mut Sink) {
    if status.is_closed() {
        for h in t.outline.headings() {
            let name = h.name(t.text);
            let present = ["している", "しています", "しております"].iter().any(|p| name.contains(p));
            let present_en = ["what is happening", "what we are seeing", "current status"].iter().any(|p| name.to_lowercase().contains(p));
            if present || present_en {
                // 「発生している現象」→「発生した現象」 is certain; finite forms
                // (しています) in a heading are left to the author.
                let fixed = if present_en {
                    Some("What happened".to_string())
                } else if !name.contains("しています") && !name.contains("しております") {
                    Some(name.replacen("している", "した", 1))
                } else {
                    None
                };
                let fixed = fixed.filter(|f| f != name);
                sink.report(
                    t,
                    Field::Body,
                    Rule::TenseStatus,
                    Severity::Error,
                    (h.name_start, h.name_end),
                    msg(
                        format!("「{}」の更新で見出し「{name}」が現在形です。", status.label(Lang::Ja)),
                        format!("The heading “{name}” is in the present tense in a {} update.", status.as_str()),
                    ),
                    fixed,
                );
            }
        }
        let label = status.label(Lang::Ja);
        words_against_status(t, sink, &PRESENT, Rule::TenseStatus, true, |w| {
            (
                format!("「{label}」の更新なのに「{w}」と現在のことのように書かれています。"),
                format!("“{w}” speaks of the problem as ongoing, but the status is {status}."),
            )
        });
        words_against_status(t, sink, &NOT_OVER, Rule::StatusReopened, false, |w| {
            (
                format!("「{w}」とあり、解決していないと読めます。解決済みとして出さず、元のインシデントを調査中などに戻して続報してください。"),
                format!("“{w}”: the text says the problem is not over. Reopen the original incident with an ongoing status instead of publishing it as {status}."),
            )
        });
    } else if matches!(status, Status::Investigating | Status::Identified) {
        let label = status.label(Lang::Ja);
        words_against_status(t, sink, &RESOLVED, Rule::TenseStatus, true, |w| {
            (
                format!("「{w}」とありますが、ステータスは「{label}」です。解決したならステータスを変えてください。"),
                format!("“{w}”, but the status is {status}: if it is over, change the status."),
            )
        });
    }
}

/// Reports, as warnings, each of `words` in the prose (outside quotes,
/// links and, if asked, headings), with the past form where it is certain.
fn words_against_status(
    t: &Analysed,
    sink: &mut Sink,
    words: &'static Needles,
    rule: Rule,
    skip_headings: bool,
    message: impl Fn(&str) -> (String, String),
) {
    for (s, e, word) in words.find_all(t.text) {
        if t.skipped(s, e) || skip_headings && t.in_heading(s) {
            continue;
        }
        let (ja, en) = message(&t.text[s..e]);
        let fix = if rule == Rule::TenseStatus { past_of(word) } else { None };
        sink.report(t, Field::Body, rule, Severity::Warning, (s, e), msg(ja, en), fix);
    }
}

/// A title whose tense or marker contradicts the status.
pub(crate) fn title(t: &Analysed, status: Status, sink: &mut Sink) {
    let (words, closed) = if status.is_closed() {
        (&TITLE_PRESENT, true)
    } else if status.is_ongoing() {
        (&TITLE_CLOSED, false)
    } else {
        return;
    };
    for (s, e, word) in words.find_all(t.text) {
        let written = &t.text[s..e];
        let (ja, en, fix) = if closed {
            (
                format!("ステータスは「{}」ですが、タイトルが「{written}」と現在形のままです。", status.label(Lang::Ja)),
                format!("The status is {}, but the title still says “{written}”.", status.as_str()),
                past_of(word),
            )
        } else {
            let fix = word.starts_with(['【', '[', '(']).then(String::new);
            (
                format!("ステータスは「{}」ですが、タイトルに「{written}」とあります。", status.label(Lang::Ja)),
                format!("The status is {}, but the title says “{written}”.", status.as_str()),
                fix,
            )
        };
        sink.report(t, Field::Title, Rule::TitleStatus, Severity::Error, (s, e), msg(ja, en), fix);
    }
}

#[cfg(test)]
mod tests {
    use desk_model::Status;

    use crate::{lint_text, Config, Diagnostic, Field, Rule, Severity, TextContext};

    fn lint(text: &str, status: Status, title: Option<&str>) -> Vec<Diagnostic> {
        let ctx = TextContext { lang: None, status: Some(status), title: title.map(str::to_string) };
        lint_text(text, &ctx, &Config::default())
            .into_iter()
            .filter(|d| matches!(d.rule, Rule::TenseStatus | Rule::TitleStatus | Rule::StatusReopened))
            .collect()
    }

    const RESOLVED: &str = "復旧を確認しました。\n■ 発生期間\n2025/03/04 10:00〜11:00\n■ 発生している現象\nログインに失敗する\n■ 原因\n証明書の期限切れ";

    #[test]
    fn present_headings_in_a_resolved_update() {
        let got = lint(RESOLVED, Status::Resolved, None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].rule, got[0].severity), (Rule::TenseStatus, Severity::Error));
        assert_eq!(got[0].suggestion.as_deref(), Some("発生した現象"));
        assert_eq!((got[0].line, got[0].column), (4, 3));
        assert!(lint(RESOLVED, Status::Investigating, None).is_empty());
        assert!(lint(&RESOLVED.replace("発生している現象", "発生した現象"), Status::Resolved, None).is_empty());
    }

    #[test]
    fn present_sentences_in_a_closed_update_warn() {
        let got = lint("現在も一部で遅延が発生しています。", Status::Resolved, None);
        assert_eq!((got[0].severity, got[0].suggestion.as_deref()), (Severity::Warning, Some("発生していました")));
        assert!(lint("遅延が発生している場合はご連絡ください。", Status::Resolved, None).is_empty());
        let got = lint("We are investigating reports of errors.", Status::Resolved, None);
        assert_eq!(got.len(), 1);
        assert!(lint("「発生しています」との表記を訂正します。", Status::Resolved, None).is_empty());
    }

    #[test]
    fn resolution_claims_while_investigating() {
        let got = lint("一部の機能は復旧しました。引き続き調査しています。", Status::Investigating, None);
        assert_eq!(got.len(), 1);
        assert!(lint("一部の機能は復旧しました。", Status::Monitoring, None).is_empty());
    }

    #[test]
    fn titles_follow_the_status() {
        let got = lint("", Status::Resolved, Some("【解決済み】ログイン機能で障害が発生しています"));
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].rule, got[0].field), (Rule::TitleStatus, Field::Title));
        assert_eq!(got[0].suggestion.as_deref(), Some("発生していました"));
        assert!(lint("", Status::Resolved, Some("【解決済み】ログイン機能で障害が発生していました")).is_empty());
        let got = lint("", Status::Investigating, Some("【解決済み】ログイン機能の障害"));
        assert_eq!(got[0].suggestion.as_deref(), Some(""));
        assert!(lint("", Status::Investigating, Some("ログイン機能で障害が発生しています")).is_empty());
    }

    #[test]
    fn a_closed_update_saying_it_is_not_over() {
        let got = lint("先の報告に誤りがあり、障害は解消されていないことを確認しました。", Status::Resolved, None);
        assert_eq!(got.iter().filter(|d| d.rule == Rule::StatusReopened).count(), 1);
        assert!(lint("再発防止策を実施します。", Status::Resolved, None).is_empty());
    }
}
