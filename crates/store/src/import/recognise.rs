//! Recognising what a format has no field for: an update's status, its
//! sections and its period, an incident's status prefix in the title.

use desk_model::{Period, PeriodStyle, SectionKind, Status, UpdateText};

/// Title prefixes that say the incident is over.
const CLOSED_PREFIXES: &[&str] = &[
    "【解決済み】", "【解消済み】", "【復旧済み】", "【復旧】", "【解決】", "【解消】", "【完了】",
    "[解決済み]", "[解消済み]", "[Resolved]", "[RESOLVED]", "[Resolved] ", "(Resolved)",
];

/// Splits a status prefix off a title: the title as written without it, and
/// whether the title says the incident is over (a prefix, or past tense).
pub fn split_title(title: &str) -> (String, bool) {
    let mut t = title.trim();
    let mut closed = false;
    while let Some(p) = CLOSED_PREFIXES.iter().find(|p| t.starts_with(**p)) {
        t = t[p.len()..].trim_start();
        closed = true;
    }
    let bare = t.trim_end_matches(['。', '.']);
    closed |= bare.ends_with("ていました") || bare.ends_with("が発生しました") || bare.ends_with("しておりました");
    (t.to_string(), closed)
}

/// Phrases that say which status an update moves to, strongest first. The
/// first phrase found in the update's opening decides.
const PHRASES: &[(&str, Status)] = &[
    // A report written afterwards, with cause and prevention.
    ("下記の通りご報告", Status::Postmortem),
    ("下記のとおりご報告", Status::Postmortem),
    ("以下の通りご報告", Status::Postmortem),
    ("事後報告", Status::Postmortem),
    ("原因の認識に誤り", Status::Postmortem),
    ("postmortem", Status::Postmortem),
    // Over.
    ("解消したのでご報告", Status::Resolved),
    ("解消しましたのでご報告", Status::Resolved),
    ("解消いたしました", Status::Resolved),
    ("解消しました", Status::Resolved),
    ("解消しております", Status::Resolved),
    ("解消しており", Status::Resolved),
    ("障害が解消し", Status::Resolved),
    ("解消ならびに", Status::Resolved),
    ("解消が完了", Status::Resolved),
    ("復旧しました", Status::Resolved),
    ("復旧いたしました", Status::Resolved),
    ("復旧を確認", Status::Resolved),
    ("解決しました", Status::Resolved),
    ("事後となります", Status::Resolved),
    ("事後となり", Status::Resolved),
    ("this incident has been resolved", Status::Resolved),
    ("has been resolved", Status::Resolved),
    ("is resolved", Status::Resolved),
    // Fixed, watching.
    ("監視を続け", Status::Monitoring),
    ("監視を継続", Status::Monitoring),
    ("継続して監視", Status::Monitoring),
    ("経過を観察", Status::Monitoring),
    ("経過観察", Status::Monitoring),
    ("順次修正を適用", Status::Monitoring),
    ("修正を適用", Status::Monitoring),
    ("対応を実施しました", Status::Monitoring),
    ("暫定対応を実施", Status::Monitoring),
    ("解消予定", Status::Monitoring),
    ("解消のための対応を行", Status::Monitoring),
    ("continuing to monitor", Status::Monitoring),
    ("fix has been implemented", Status::Monitoring),
    ("monitoring the results", Status::Monitoring),
    // The cause is known.
    ("原因が特定", Status::Identified),
    ("原因を特定", Status::Identified),
    ("原因が判明", Status::Identified),
    ("について特定できました", Status::Identified),
    ("has been identified", Status::Identified),
    ("issue is identified", Status::Identified),
    // Still looking.
    ("調査中", Status::Investigating),
    ("調査しております", Status::Investigating),
    ("調査を行って", Status::Investigating),
    ("調査進捗", Status::Investigating),
    ("現在も当障害が発生", Status::Investigating),
    ("障害が発生しています", Status::Investigating),
    ("事象が発生しています", Status::Investigating),
    ("遅延が発生しています", Status::Investigating),
    ("想定される主な影響", Status::Investigating),
    ("continuing to investigate", Status::Investigating),
    ("investigating", Status::Investigating),
];

/// How much of an update's opening is read for its status: its first
/// sentence or two, before the sections start.
fn opening(text: &str) -> String {
    let head = text.split(['■']).next().unwrap_or(text);
    let head: String = head.chars().take(160).collect();
    head.to_lowercase()
}

/// The status an update's text announces, when it says.
pub fn status_from_text(text: &str) -> Option<Status> {
    let open = opening(text);
    let found = |hay: &str| PHRASES.iter().map(|(p, s)| (hay.find(*p), *s)).filter_map(|(at, s)| at.map(|a| (a, s))).min_by_key(|(a, _)| *a);
    // The earliest phrase in the opening wins ("障害が解消したのでご報告します"
    // before the sections); otherwise the earliest in the whole text.
    found(&open).or_else(|| found(&text.to_lowercase())).map(|(_, s)| s)
}

/// A heading at `text[at..]`: `■ name`, `**name**` or `【name】`, returning the
/// name and where the content after it starts.
fn heading_at(text: &str, at: usize) -> Option<(&str, usize)> {
    let rest = &text[at..];
    if let Some(r) = rest.strip_prefix('■').or_else(|| rest.strip_prefix('●')) {
        let r2 = r.trim_start();
        let start = at + (rest.len() - r2.len());
        let end = r2.find(|c: char| c.is_whitespace()).unwrap_or(r2.len());
        return Some((&r2[..end], start + end));
    }
    for (open, close) in [("**", "**"), ("【", "】")] {
        if let Some(r) = rest.strip_prefix(open) {
            let end = r.find(close)?;
            let name = &r[..end];
            if name.chars().count() > 20 || name.contains('\n') {
                return None;
            }
            return Some((name, at + open.len() + end + close.len()));
        }
    }
    None
}

/// Sections found in a text: for every recognised heading, its kind and its
/// content. Unrecognised headings stay in the preceding section's content.
pub fn sections(text: &str) -> Vec<(SectionKind, String)> {
    let mut found: Vec<(SectionKind, usize, usize)> = Vec::new(); // kind, heading start, content start
    for (at, _) in text.char_indices() {
        let at_line_start = at == 0 || text[..at].ends_with(char::is_whitespace);
        if !at_line_start {
            continue;
        }
        if let Some((name, content)) = heading_at(text, at) {
            if let Some(kind) = SectionKind::recognise(name) {
                found.push((kind, at, content));
            }
        }
    }
    let mut out = Vec::new();
    for (i, (kind, _, content)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(text.len(), |n| n.1);
        let body = text[*content..end].trim();
        out.push((*kind, body.trim_end_matches(['-', '—']).trim().to_string()));
    }
    out
}

/// Fills an update text's sections from its body; returns the period the
/// period section states, when it can be read.
pub fn fill_sections(text: &mut UpdateText, body: &str, style: &PeriodStyle) -> Option<Period> {
    let mut period = None;
    for (kind, content) in sections(body) {
        if kind == SectionKind::Period {
            if period.is_none() {
                period = Period::parse(&content, style).ok();
            }
            continue;
        }
        if let Some(slot) = text.section_mut(kind) {
            if !slot.is_empty() {
                slot.push('\n');
            }
            slot.push_str(&content);
        }
    }
    period
}

/// Gives a flattened update back its lines: ` ■ ` starts a section heading
/// (on its own line) and ` - ` a list item, except between two times
/// (`20:20頃 - 22:05頃` is a range).
pub fn unflatten(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let rest = &text[at..];
        if c == ' ' && rest.starts_with(" ■ ") {
            out.push_str("\n\n■ ");
            // The heading name runs to the next space: put its content on the next line.
            let name_start = at + " ■ ".len();
            let name_len = text[name_start..].find(' ').unwrap_or(text.len() - name_start);
            out.push_str(&text[name_start..name_start + name_len]);
            out.push('\n');
            let skip_to = name_start + name_len + 1;
            while i < chars.len() && chars[i].0 < skip_to {
                i += 1;
            }
            continue;
        }
        if c == ' ' && rest.starts_with(" - ") && !is_time_range(text, at) {
            out.push_str("\n- ");
            i += 3;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out.trim().replace("\n- \n", "\n").to_string()
}

/// True when ` - ` at `at` sits between a time (or date) and another.
fn is_time_range(text: &str, at: usize) -> bool {
    let before = text[..at].chars().last();
    let after = text[at + 3..].chars().next();
    matches!(before, Some(c) if c.is_ascii_digit() || c == '頃') && matches!(after, Some(c) if c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_their_status_prefix() {
        assert_eq!(split_title("【解決済み】ログイン機能で障害が発生しています"), ("ログイン機能で障害が発生しています".into(), true));
        assert_eq!(split_title("通知機能で障害が発生していました"), ("通知機能で障害が発生していました".into(), true));
        assert_eq!(split_title("通知機能で障害が発生しています"), ("通知機能で障害が発生しています".into(), false));
        assert_eq!(split_title("[Resolved] Login failures").0, "Login failures");
    }

    #[test]
    fn statuses_are_read_from_the_opening() {
        for (text, status) in [
            ("請求画面で障害が発生しています。 想定される主な影響は次の通りです。", Status::Investigating),
            ("当障害の調査進捗をお知らせします。", Status::Investigating),
            ("原因が特定できました。 現時点で分かっていることは次の通りです。 ■ 原因 - 設定の誤り", Status::Identified),
            ("本障害の解決に向けた対応を実施しました。 ■ 対象 - 全プロジェクト", Status::Monitoring),
            ("修正を適用しました。引き続き監視を続けています。", Status::Monitoring),
            ("障害が解消したのでご報告します。 ■ 発生期間 2025/03/04 10:00頃〜11:00頃 ■ 原因 調査中", Status::Resolved),
            ("この度発生した請求画面の障害について、下記の通りご報告いたします。 ■ 原因", Status::Postmortem),
            ("We are continuing to investigate this issue.", Status::Investigating),
            ("This incident has been resolved.", Status::Resolved),
            ("A fix has been implemented and we are monitoring the results.", Status::Monitoring),
        ] {
            assert_eq!(status_from_text(text), Some(status), "{text}");
        }
        assert_eq!(status_from_text("対象のプロジェクトの一覧を追記します。"), None);
    }

    #[test]
    fn flattened_text_gets_its_lines_back() {
        let flat = "障害が解消したのでご報告します。 ■ 発生期間 2025/03/04 10:00頃 - 11:00頃 ■ 対象プロジェクト - 請求機能を利用中の全プロジェクト - 管理画面 ■ 原因 - 設定の誤り";
        let text = unflatten(flat);
        assert_eq!(
            text,
            "障害が解消したのでご報告します。\n\n■ 発生期間\n2025/03/04 10:00頃 - 11:00頃\n\n■ 対象プロジェクト\n- 請求機能を利用中の全プロジェクト\n- 管理画面\n\n■ 原因\n- 設定の誤り"
        );
    }

    #[test]
    fn sections_and_period_are_found() {
        let body = unflatten("障害が解消したのでご報告します。 ■ 発生期間 2025/03/04 10:00頃〜11:00頃 ■ 対象プロジェクト - 全プロジェクト ■ 発生した現象 - 請求書が作成されない ■ 原因 - 設定の誤り ■ 今後の対応 - 手順の見直し");
        let mut t = UpdateText::default();
        let period = fill_sections(&mut t, &body, &PeriodStyle::default()).expect("period");
        assert_eq!(period.start.to_rfc3339(), "2025-03-04T01:00:00+00:00");
        assert!(period.approximate);
        assert_eq!(t.scope, "- 全プロジェクト");
        assert_eq!(t.symptoms, "- 請求書が作成されない");
        assert_eq!(t.cause, "- 設定の誤り");
        assert_eq!(t.prevention, "- 手順の見直し");
        let md = sections("--- **発生期間** 2024年5月1日 9時00分頃 〜 10時00分頃 **原因** 証明書の期限切れ");
        assert_eq!(md.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [SectionKind::Period, SectionKind::Cause]);
    }
}
