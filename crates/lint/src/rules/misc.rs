//! `limit.title`, `limit.body`, `statuspage.default-text`, `next-update.missing`.

use desk_model::{Lang, Status};

use crate::diagnostic::msg;
use crate::text::first_line;
use crate::{Analysed, Cx, Field, Rule, Severity, Sink};

/// Statuspage's limits, in characters.
pub const TITLE_LIMIT: usize = 255;
pub const BODY_LIMIT: usize = 25_000;

fn limit(t: &Analysed, field: Field, rule: Rule, max: usize, sink: &mut Sink) {
    let count = t.text.chars().count();
    if count <= max {
        return;
    }
    let cut = t.text.char_indices().nth(max).map_or(t.text.len(), |c| c.0);
    let (ja, en) = if field == Field::Title { ("タイトル", "title") } else { ("本文", "body") };
    sink.report(
        t,
        field,
        rule,
        Severity::Error,
        (cut, t.text.len()),
        msg(
            format!("{ja}が{count}文字あります。Statuspageの上限は{max}文字です。"),
            format!("The {en} has {count} characters; Statuspage accepts at most {max}."),
        ),
        None,
    );
}

pub(crate) fn limit_title(t: &Analysed, sink: &mut Sink) {
    limit(t, Field::Title, Rule::LimitTitle, TITLE_LIMIT, sink);
}

pub(crate) fn limit_body(t: &Analysed, sink: &mut Sink) {
    limit(t, Field::Body, Rule::LimitBody, BODY_LIMIT, sink);
}

needles!(
    /// Statuspage's stock update lines (lower case, without the final period).
    STOCK_LINES, true, [
    "we are currently investigating this issue",
    "we are continuing to investigate this issue",
    "we are continuing to monitor for any further issues",
    "this incident has been resolved",
    "a fix has been implemented and we are monitoring the results",
    "the issue has been identified and a fix is being implemented",
    "we are continuing to work on a fix for this issue",
    "scheduled maintenance is currently in progress. we will provide updates as necessary",
    "the scheduled maintenance has been completed",
    "verification is currently underway for the maintenance items",
    "we will be undergoing scheduled maintenance during this time",
]);

fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.trim_end_matches('.').to_ascii_lowercase()
}

/// A stock English line standing in for an update. Returns true when the
/// whole text is one (other rules about content then stay quiet).
pub(crate) fn default_text(t: &Analysed, sink: &mut Sink) -> bool {
    let whole = normalise(t.text);
    if STOCK_LINES.words.contains(&whole.as_str()) {
        let at = first_line(t.text);
        sink.report(
            t,
            Field::Body,
            Rule::StatuspageDefaultText,
            Severity::Error,
            at,
            msg(
                "Statuspageの定型文だけの更新です。日本語の本文（と英語の実際の状況）を書いてください。",
                "The update is only Statuspage's stock line: write what is actually happening, in Japanese and English.",
            ),
            None,
        );
        return true;
    }
    if t.lang != Lang::Ja {
        return false;
    }
    for (s, e, _) in STOCK_LINES.find_all(t.text) {
        sink.report(
            t,
            Field::Body,
            Rule::StatuspageDefaultText,
            Severity::Warning,
            (s, e),
            msg(
                "日本語の本文にStatuspageの英語の定型文が入っています。",
                "A stock Statuspage English line stands in the Japanese text.",
            ),
            None,
        );
    }
    false
}

needles!(PROMISE, true, [
    "続報", "次回の更新", "次回更新", "改めてご報告", "改めてお知らせ", "改めてご連絡", "次第、", "次第ご", "次第お",
    "次第更新", "ご報告いたします", "ご報告します", "お知らせいたします", "お知らせします", "更新いたします",
    "更新します", "掲載します", "掲載いたします", "next update", "will update", "will provide", "will post", "further update", "more information", "as soon as",
    "keep you updated", "will share", "will let you know", "provide an update", "another update",]);

/// An ongoing update that does not say when the next one comes.
pub(crate) fn next_update(t: &Analysed, status: Status, cx: &Cx, sink: &mut Sink) {
    if !status.is_ongoing() || cx.has_next_update || t.text.trim().is_empty() {
        return;
    }
    if PROMISE.any(t.text) {
        return;
    }
    sink.whole(
        t,
        Rule::NextUpdateMissing,
        Severity::Warning,
        msg(
            format!("「{}」の更新ですが、次の更新の予定（例:「1時間以内に続報を掲載します」）がありません。", status.label(Lang::Ja)),
            format!("This {} update does not say when the next update comes (e.g. “We will post an update within an hour”).", status.as_str()),
        ),
    );
}

#[cfg(test)]
mod tests {
    use desk_model::Status;

    use crate::{lint_text, Config, Diagnostic, Rule, Severity, TextContext};

    fn lint(text: &str, status: Option<Status>, title: Option<String>) -> Vec<Diagnostic> {
        lint_text(text, &TextContext { lang: None, status, title }, &Config::default())
    }

    #[test]
    fn statuspage_limits() {
        let body = "あ".repeat(25_001);
        let got = lint(&body, None, Some("い".repeat(256)));
        let rules: Vec<Rule> = got.iter().map(|d| d.rule).collect();
        assert!(rules.contains(&Rule::LimitBody) && rules.contains(&Rule::LimitTitle), "{rules:?}");
        let title = got.iter().find(|d| d.rule == Rule::LimitTitle).unwrap();
        assert_eq!((title.line, title.column, title.end_column), (1, 256, 257));
        assert!(lint(&"あ".repeat(25_000), None, Some("い".repeat(255))).iter().all(|d| !d.rule.code().starts_with("limit")));
    }

    #[test]
    fn stock_lines_alone_are_errors() {
        let got = lint("We are continuing to investigate this issue.\n", Some(Status::Investigating), None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].rule, got[0].severity), (Rule::StatuspageDefaultText, Severity::Error));
        let got = lint("ログインの障害を調査しています。This incident has been resolved.", None, None);
        assert_eq!((got[0].rule, got[0].severity), (Rule::StatuspageDefaultText, Severity::Warning));
        assert!(lint("We have resolved the sign-in failures caused by an expired certificate.", None, None).is_empty());
    }

    #[test]
    fn ongoing_updates_promise_the_next() {
        let got = lint("ログインに失敗する障害を調査しています。", Some(Status::Investigating), None);
        assert_eq!(got.iter().filter(|d| d.rule == Rule::NextUpdateMissing).count(), 1);
        let ok = lint("ログインに失敗する障害を調査しています。1時間以内に続報を掲載します。", Some(Status::Investigating), None);
        assert!(ok.iter().all(|d| d.rule != Rule::NextUpdateMissing));
        let resolved = lint("解消しました。", Some(Status::Resolved), None);
        assert!(resolved.iter().all(|d| d.rule != Rule::NextUpdateMissing));
    }
}
