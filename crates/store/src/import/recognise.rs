//! Recognising what a format has no field for: an update's status, its
//! sections and its period, an incident's status prefix in the title.

use desk_model::dates::{self, Mention};
use desk_model::{Period, PeriodStyle, SectionKind, Status, TimelineEntry, UpdateText};

use crate::text::is_japanese;

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

/// Phrases that say which status an update moves to, in tiers: a phrase of
/// an earlier tier wins wherever it stands in the opening ("…が発生しています。
/// 原因は特定できており" is identified).
const TIERS: &[(Status, &[&str])] = &[
    // A report written afterwards, with cause and prevention.
    (Status::Postmortem, &["下記の通りご報告", "下記のとおりご報告", "以下の通りご報告", "事後報告", "原因の認識に誤り", "postmortem"]),
    // Over.
    (
        Status::Resolved,
        &[
            "解消したのでご報告", "解消しましたのでご報告", "解消いたしました", "解消しました", "解消しております",
            "解消しており", "解消されています", "障害が解消し", "解消ならびに", "解消が完了", "対応が完了しました",
            "復旧しました", "復旧いたしました", "復旧を確認", "解決しました", "事後となり",
            "this incident has been resolved", "has been resolved", "is resolved",
        ],
    ),
    // Fixed, watching.
    (
        Status::Monitoring,
        &[
            "監視を続け", "監視を継続", "継続して監視", "経過を観察", "経過観察", "修正を適用", "対応を実施しました",
            "対応を行いました", "暫定対応を実施", "解消予定", "解消のための対応を行",
            "continuing to monitor", "fix has been implemented", "monitoring the results",
        ],
    ),
    // The cause is known.
    (
        Status::Identified,
        &[
            "原因が特定", "原因は特定", "原因を特定しました", "原因を特定いたしました", "原因を特定できました",
            "原因が判明", "について特定できました", "has been identified", "issue is identified",
        ],
    ),
];

/// Past tense alone ("…が発生していました。"): over, unless a tier says more.
const PAST: &[&str] = &["発生していました", "発生しておりました"];

/// Still looking.
const INVESTIGATING: &[&str] = &[
    "調査中", "調査しております", "調査を行って", "調査進捗", "現在も当障害が発生", "が発生しています",
    "想定される主な影響", "continuing to investigate", "investigating",
];

/// An update's opening: what comes before its first heading (any style).
fn opening(text: &str) -> String {
    let end = ["■", "**", "【", "---", "●"].iter().filter_map(|h| text.find(h)).min().unwrap_or(text.len());
    text[..end].trim().to_lowercase()
}

/// The status an update's opening sentences announce, when they say.
pub fn status_from_text(text: &str) -> Option<Status> {
    let open = opening(text);
    let has = |phrases: &[&str]| phrases.iter().any(|p| open.contains(p));
    TIERS
        .iter()
        .find(|(_, phrases)| has(phrases))
        .map(|(s, _)| *s)
        .or_else(|| has(PAST).then_some(Status::Resolved))
        .or_else(|| has(INVESTIGATING).then_some(Status::Investigating))
}

/// What an update's text tells about its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clues {
    /// What its opening says, if anything.
    pub said: Option<Status>,
    /// It has no opening: it starts with a heading.
    pub starts_with_heading: bool,
    /// Its period section has an end.
    pub period_ended: bool,
    /// It has a cause or prevention section.
    pub explains: bool,
}

impl Clues {
    pub fn of(text: &str, period: Option<&Period>, sections: &UpdateText) -> Clues {
        Clues {
            said: status_from_text(text),
            starts_with_heading: opening(text).is_empty(),
            period_ended: period.is_some_and(|p| p.end.is_some()),
            explains: !sections.cause.trim().is_empty() || !sections.prevention.trim().is_empty(),
        }
    }
}

/// Gives every update (oldest first) a status: the one its opening says;
/// for one that starts with a heading, a postmortem when it explains an
/// incident already over, resolved when its period has ended; else the status
/// before it (an update that only adds detail keeps it), else investigating.
/// When the title says the incident is over, its newest update cannot still
/// be ongoing.
pub fn settle_statuses(clues: &[Clues], title_says_closed: bool) -> Vec<Status> {
    let mut out: Vec<Status> = Vec::with_capacity(clues.len());
    let mut previous: Option<Status> = None;
    for c in clues {
        let s = c
            .said
            .or_else(|| {
                if !c.starts_with_heading {
                    return None;
                }
                if c.explains && previous.is_some_and(Status::is_closed) {
                    Some(Status::Postmortem)
                } else {
                    c.period_ended.then_some(Status::Resolved)
                }
            })
            .or(previous)
            .unwrap_or(Status::Investigating);
        out.push(s);
        previous = Some(s);
    }
    if title_says_closed {
        if let Some(last) = out.last_mut() {
            if last.is_ongoing() {
                *last = Status::Resolved;
            }
        }
    }
    out
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


/// The timeline a report tells in day-grouped lines (`≫2018年6月17日(日)`,
/// `■6月18日`, `Sunday, June 17, 2018`, each followed by `22:00頃: …` lines),
/// as timeline entries in the text's language. A day without a year takes the
/// year of the first dated mention in the text. A flattened text (its line
/// breaks turned into spaces) is split before each `≫` day and each time that
/// opens an entry (`… 6:00: …`).
pub fn timeline(text: &str, style: &PeriodStyle) -> Vec<TimelineEntry> {
    let year = dates::scan(text).into_iter().find_map(|m| match m {
        Mention::Date(d) => d.year,
        Mention::Time(_) => None,
    });
    let lines = if text.contains('\n') { text.to_string() } else { split_flattened_timeline(text) };
    let japanese = is_japanese(text);
    desk_model::timeline::read(&lines, style, year)
        .into_iter()
        .map(|e| TimelineEntry {
            at: e.at,
            approximate: e.approximate,
            status: None,
            ja: if japanese { e.text.clone() } else { String::new() },
            en: if japanese { String::new() } else { e.text },
        })
        .collect()
}

/// `≫2018年6月17日(日) 22:00頃: 作業開始 ≫2018年6月18日(月) 6:00: 公開 7:00: 遅延`
/// back into lines.
fn split_flattened_timeline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some((i, c)) = rest.char_indices().next() {
        let after = &rest[i + c.len_utf8()..];
        if c == '≫' && !out.is_empty() {
            out.push('\n');
        }
        out.push(c);
        // A space, then a time with its label colon: a new entry; a space
        // then ■: the next section.
        if c.is_whitespace() && after.starts_with('■') {
            out.pop();
            out.push('\n');
        } else if c.is_whitespace() {
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if (1..=2).contains(&digits) && after[digits..].starts_with(':') {
                let t = &after[digits + 1..];
                let minutes = t.bytes().take_while(u8::is_ascii_digit).count();
                let tail = &t[minutes..];
                let tail = tail.strip_prefix("頃").unwrap_or(tail);
                if minutes == 2 && (tail.starts_with(':') || tail.starts_with('：')) {
                    out.pop();
                    out.push('\n');
                }
            }
        }
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_day_grouped_timeline_in_lines_or_flattened() {
        let style = PeriodStyle::default();
        let jst = |s: &str| desk_model::period::timestamp::parse(s).unwrap();
        let text = "2. 経緯\n\n≫2018年6月17日(日)\n\n22:00頃: 作業開始のため切替\n\n≫6月18日(月)\n\n6:00: 公開を開始\n\n7:00: 遅延が発生\n\n3. 原因\n本文";
        let t = timeline(text, &style);
        let got: Vec<(String, bool, &str, &str)> = t.iter().map(|e| (e.at.to_rfc3339(), e.approximate, e.ja.as_str(), e.en.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (jst("2018-06-17T22:00:00+09:00").to_rfc3339(), true, "作業開始のため切替", ""),
                (jst("2018-06-18T06:00:00+09:00").to_rfc3339(), false, "公開を開始", ""),
                (jst("2018-06-18T07:00:00+09:00").to_rfc3339(), false, "遅延が発生", ""),
            ]
        );
        let flat = "■ 経緯 ≫2018年6月17日(日) 22:00頃: 作業開始のため切替 ≫2018年6月18日(月) 6:00: 公開を開始 7:00: 遅延が発生 ■ 原因 設定";
        assert_eq!(timeline(flat, &style), t);
        let en = timeline("Timeline\nSunday, June 17, 2018\n22:00 (approx.): Work began\nMonday, June 18, 2018\n06:00: Reopened", &style);
        assert_eq!(en.iter().map(|e| (e.en.as_str(), e.ja.as_str())).collect::<Vec<_>>(), vec![("Work began", ""), ("Reopened", "")]);
        assert!(timeline("■ 原因\n10:00: 設定を変えた", &style).is_empty(), "no day line, no timeline");
    }

    /// The renewal report in `../shared/seeds/` (when present): its timeline,
    /// seventeen lines over three days.
    #[test]
    fn reads_the_renewal_reports_timeline() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds/002_0554dd0b565fc892.txt");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: {} is not here (a clone without the seeds)", path.display());
            return;
        };
        let t = timeline(&text, &PeriodStyle::default());
        assert_eq!(t.len(), 17, "{t:#?}");
        assert_eq!(t[0].at.to_rfc3339(), "2018-06-17T13:00:00+00:00");
        assert!(t[0].approximate);
        assert_eq!(t[16].at.to_rfc3339(), "2018-06-18T16:40:00+00:00");
        assert!(t.windows(2).all(|w| w[0].at <= w[1].at));
    }

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
            ("請求画面で障害が発生しています。 原因は特定できており、対応を進めています。", Status::Identified),
            ("請求画面で障害が発生していました。 想定される主な影響は次の通りです。", Status::Resolved),
            ("請求画面で障害が発生していました。 解消のための対応を行いました。", Status::Monitoring),
        ] {
            assert_eq!(status_from_text(text), Some(status), "{text}");
        }
        assert_eq!(status_from_text("対象のプロジェクトの一覧を追記します。"), None);
    }

    #[test]
    fn unsaid_statuses_are_inferred() {
        use Status::*;
        let said = |s| Clues { said: Some(s), ..Default::default() };
        let nothing = Clues::default();
        let heading = |period_ended, explains| Clues { said: None, starts_with_heading: true, period_ended, explains };
        assert_eq!(settle_statuses(&[nothing, said(Identified), nothing], false), [Investigating, Identified, Identified]);
        assert_eq!(settle_statuses(&[said(Investigating), said(Monitoring)], true), [Investigating, Resolved]);
        assert_eq!(settle_statuses(&[said(Postmortem)], true), [Postmortem]);
        assert_eq!(settle_statuses(&[heading(true, false)], false), [Resolved]);
        assert_eq!(settle_statuses(&[said(Resolved), heading(true, true)], false), [Resolved, Postmortem]);
        assert_eq!(settle_statuses(&[said(Investigating), heading(false, true)], false), [Investigating, Investigating]);
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
