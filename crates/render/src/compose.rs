//! Filling an update's title and body, per language and combined.

use desk_model::{Incident, Lang};
use desk_templates::{Fields, Layout, TemplateSet};
use serde::Serialize;
use specta::Type;

/// A title and a Markdown body, exactly as sent to Statuspage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Announcement {
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// The incident has no update with this (0-based) index.
    NoSuchUpdate { index: usize, count: usize },
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::NoSuchUpdate { count: 0, .. } => write!(f, "the incident has no updates yet"),
            RenderError::NoSuchUpdate { index, count } => {
                write!(f, "there is no update {}; the incident has {count} (1 to {count})", index + 1)
            }
        }
    }
}

impl std::error::Error for RenderError {}

/// The update at `index` (0-based) in one language.
///
/// When the author wrote the body themselves (`UpdateText::body`), it is
/// published as written; otherwise the template for the update's status
/// fills in the sections. The title always comes from the template.
pub fn render_update(
    set: &TemplateSet,
    incident: &Incident,
    index: usize,
    lang: Lang,
) -> Result<Announcement, RenderError> {
    let update = incident
        .updates
        .get(index)
        .ok_or(RenderError::NoSuchUpdate { index, count: incident.updates.len() })?;
    let template = set.get(update.status, lang);
    let fields = Fields { incident, index, update, lang, settings: &set.settings };
    let value = |name: &str| fields.value(name);
    let title = template.title.fill(&value).trim().to_string();
    let body = match update.text(lang).body.as_deref() {
        Some(own) if !own.trim().is_empty() => normalise(own),
        _ => normalise(&template.body.fill(&value)),
    };
    Ok(Announcement { title, body })
}

/// Both languages in one announcement, for a single bilingual page.
pub fn combine(ja: &Announcement, en: &Announcement, layout: &Layout) -> Announcement {
    let (first, second) = match layout.first {
        Lang::Ja => (ja, en),
        Lang::En => (en, ja),
    };
    Announcement {
        title: format!("{}{}{}", first.title, layout.title_separator, second.title),
        body: format!("{}{}{}", first.body, layout.separator, second.body),
    }
}

/// Line endings to `\n`, no trailing spaces, at most one blank line in a row,
/// no blank lines at either end.
pub(crate) fn normalise(text: &str) -> String {
    kept_lines(text).into_iter().map(|(_, line)| line).collect::<Vec<_>>().join("\n")
}

/// The lines an author's body keeps once published (see [`render_update`]),
/// each with its 0-based line number in `text`: positions found in the
/// published text map back to the text as typed.
pub fn kept_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out: Vec<(usize, &str)> = Vec::new();
    let mut blank_run = 0;
    for (number, line) in text.split('\n').enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push((number, line));
    }
    while out.last().is_some_and(|(_, line)| line.is_empty()) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use desk_model::{Bilingual, Period, Status, Update};

    fn incident(status: Status) -> Incident {
        let mut inc = Incident::new(status.kind());
        inc.title = Bilingual { ja: "ログインできない障害".into(), en: "Sign-in failures".into() };
        inc.period = Some(Period::parse("2025/06/13 02:51頃〜05:30頃", &Default::default()).unwrap());
        let mut u = Update::new(status);
        u.ja.symptoms = "- ログインに失敗する".into();
        u.en.symptoms = "- Signing in fails".into();
        inc.updates.push(u);
        inc
    }

    #[test]
    fn wording_follows_the_status() {
        let set = TemplateSet::builtin();
        let ongoing = render_update(&set, &incident(Status::Investigating), 0, Lang::Ja).unwrap();
        assert!(ongoing.body.contains("■ 発生している現象\n- ログインに失敗する"), "{}", ongoing.body);
        assert_eq!(ongoing.title, "ログインできない障害");
        let done = render_update(&set, &incident(Status::Resolved), 0, Lang::Ja).unwrap();
        assert!(done.body.contains("■ 発生した現象"), "{}", done.body);
        assert!(!done.body.contains("発生している"), "{}", done.body);
        assert_eq!(done.title, "【解決済み】ログインできない障害");
        let en = render_update(&set, &incident(Status::Resolved), 0, Lang::En).unwrap();
        assert!(en.body.contains("■ What happened"), "{}", en.body);
        assert!(en.body.contains("Jun 13, 2025 02:51–05:30 JST (approx.)"), "{}", en.body);
        assert_eq!(en.title, "[Resolved] Sign-in failures");
    }

    #[test]
    fn a_later_update_can_restate_the_title() {
        let set = TemplateSet::builtin();
        let mut inc = incident(Status::Investigating);
        let mut done = Update::new(Status::Resolved);
        done.title = Some(Bilingual { ja: "ログインできない障害が発生していました".into(), en: "Sign-in was failing".into() });
        inc.updates.push(done);
        inc.updates.push(Update::new(Status::Postmortem));
        assert_eq!(render_update(&set, &inc, 0, Lang::Ja).unwrap().title, "ログインできない障害");
        assert_eq!(render_update(&set, &inc, 1, Lang::Ja).unwrap().title, "【解決済み】ログインできない障害が発生していました");
        assert_eq!(render_update(&set, &inc, 2, Lang::En).unwrap().title, "[Resolved] Sign-in was failing");
    }

    #[test]
    fn a_postmortem_tells_its_timeline_by_day_in_each_language() {
        let at = |d: u32, h: u32, m: u32| desk_model::period::timestamp::parse(&format!("2026-06-{d:02}T{h:02}:{m:02}:00+09:00")).unwrap();
        let set = TemplateSet::builtin();
        let mut inc = incident(Status::Postmortem);
        inc.updates[0].ja.cause = "- 設定の誤り".into();
        inc.updates[0].en.cause = "- A wrong setting".into();
        inc.updates[0].timeline = vec![
            desk_model::TimelineEntry { at: at(14, 22, 0), approximate: true, status: None, ja: "作業を開始".into(), en: "Work began".into() },
            desk_model::TimelineEntry { at: at(15, 1, 40), approximate: false, status: Some(Status::Resolved), ja: "復旧".into(), en: "Service was restored".into() },
        ];
        let ja = render_update(&set, &inc, 0, Lang::Ja).unwrap().body;
        assert!(ja.contains("■ 発生した現象\n- ログインに失敗する\n\n■ 経緯\n≫2026年6月14日(日)\n22:00頃: 作業を開始\n\n≫2026年6月15日(月)\n01:40: 復旧\n\n■ 原因"), "{ja}");
        let en = render_update(&set, &inc, 0, Lang::En).unwrap().body;
        assert!(en.contains("■ Timeline\nSunday, June 14, 2026 (JST)\n22:00 (approx.): Work began\n\nMonday, June 15, 2026 (JST)\n01:40: Service was restored\n\n■ Cause"), "{en}");
        // Without entries there is no timeline section.
        inc.updates[0].timeline.clear();
        assert!(!render_update(&set, &inc, 0, Lang::Ja).unwrap().body.contains("■ 経緯"));
    }

    #[test]
    fn a_postmortem_states_its_compensation_in_each_language() {
        let day = |s: &str| desk_model::compensation::date::parse(s).unwrap();
        let set = TemplateSet::builtin();
        let mut inc = incident(Status::Postmortem);
        inc.updates[0].ja.prevention = "- 試験を増やす".into();
        inc.updates[0].en.prevention = "- More testing".into();
        inc.updates[0].compensation = vec![desk_model::Compensation {
            who: desk_model::Bilingual { ja: "有料プランのお客様".into(), en: "Customers on a paid plan".into() },
            what: desk_model::Bilingual { ja: "1か月分の料金を無料".into(), en: "One month free".into() },
            period: desk_model::DateRange { start: day("2026-06-01"), end: day("2026-06-30") },
            how: desk_model::Bilingual { ja: "請求額から自動で差し引き".into(), en: "Deducted from your invoice automatically".into() },
            from: Some(day("2026-07-01")),
        }];
        let ja = render_update(&set, &inc, 0, Lang::Ja).unwrap().body;
        assert!(ja.contains("■ 今後の対応\n- 試験を増やす\n\n■ 補償について\n- 対象: 有料プランのお客様\n- 内容: 1か月分の料金を無料\n- 対象期間: 2026/06/01〜2026/06/30\n- 方法: 請求額から自動で差し引き（2026/07/01から）\n\n"), "{ja}");
        let en = render_update(&set, &inc, 0, Lang::En).unwrap().body;
        assert!(en.contains("■ Compensation\n- Who: Customers on a paid plan\n- What: One month free\n- Period: Jun 1, 2026 – Jun 30, 2026\n- How: Deducted from your invoice automatically (from Jul 1, 2026)\n\n"), "{en}");
        inc.updates[0].compensation.clear();
        assert!(!render_update(&set, &inc, 0, Lang::En).unwrap().body.contains("Compensation"));
    }

    #[test]
    fn empty_sections_are_left_out() {
        let set = TemplateSet::builtin();
        let a = render_update(&set, &incident(Status::Identified), 0, Lang::Ja).unwrap();
        assert!(!a.body.contains("■ 原因"), "{}", a.body);
        assert!(!a.body.contains("\n\n\n"), "{}", a.body);
    }

    #[test]
    fn the_authors_own_body_is_published_as_written() {
        let set = TemplateSet::builtin();
        let mut inc = incident(Status::Monitoring);
        inc.updates[0].ja.body = Some("手書きの本文です。\r\n\r\n\r\n二段落目".into());
        let a = render_update(&set, &inc, 0, Lang::Ja).unwrap();
        assert_eq!(a.body, "手書きの本文です。\n\n二段落目");
    }

    #[test]
    fn kept_lines_say_where_each_published_line_was_typed() {
        let typed = "\n\n一行目  \r\n\n\n\n二行目\n\n";
        let kept = kept_lines(typed);
        assert_eq!(kept, vec![(2, "一行目"), (3, ""), (6, "二行目")]);
        assert_eq!(normalise(typed), "一行目\n\n二行目");
    }

    #[test]
    fn combined_follows_the_layout() {
        let ja = Announcement { title: "障害".into(), body: "本文".into() };
        let en = Announcement { title: "Outage".into(), body: "Body".into() };
        let c = combine(&ja, &en, &Layout::default());
        assert_eq!(c.title, "障害 / Outage");
        assert_eq!(c.body, "本文\n\n---\n\nBody");
        let flipped = combine(&ja, &en, &Layout { first: Lang::En, ..Layout::default() });
        assert!(flipped.body.starts_with("Body"));
    }

    #[test]
    fn a_missing_update_is_an_error() {
        let set = TemplateSet::builtin();
        let err = render_update(&set, &incident(Status::Resolved), 3, Lang::Ja).unwrap_err();
        assert_eq!(err.to_string(), "there is no update 4; the incident has 1 (1 to 1)");
    }
}
