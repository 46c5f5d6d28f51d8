//! The headed sections an announcement is built from, and the many names
//! each section goes by in real announcements.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::incident::Lang;

/// A section of an announcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// When it happened. Filled from the structured period, not typed.
    Period,
    /// Who is affected (projects, customers, regions).
    Scope,
    /// Which features are affected.
    Features,
    /// What users see or saw.
    Symptoms,
    Cause,
    /// What was done.
    Actions,
    /// What will be done so it does not happen again.
    Prevention,
    /// What customers need to do themselves (workarounds, re-sending).
    CustomerAction,
    /// Free text that belongs to no heading.
    Note,
}

impl SectionKind {
    pub const ALL: [SectionKind; 9] = [
        SectionKind::Period,
        SectionKind::Scope,
        SectionKind::Features,
        SectionKind::Symptoms,
        SectionKind::Cause,
        SectionKind::Actions,
        SectionKind::Prevention,
        SectionKind::CustomerAction,
        SectionKind::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Period => "period",
            SectionKind::Scope => "scope",
            SectionKind::Features => "features",
            SectionKind::Symptoms => "symptoms",
            SectionKind::Cause => "cause",
            SectionKind::Actions => "actions",
            SectionKind::Prevention => "prevention",
            SectionKind::CustomerAction => "customer_action",
            SectionKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<SectionKind> {
        SectionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The heading our default templates use. `past` chooses the wording for
    /// closed statuses (発生した現象 rather than 発生している現象).
    pub fn heading(self, lang: Lang, past: bool) -> &'static str {
        match (lang, self, past) {
            (Lang::Ja, SectionKind::Period, _) => "発生期間",
            (Lang::Ja, SectionKind::Scope, _) => "対象",
            (Lang::Ja, SectionKind::Features, _) => "対象機能",
            (Lang::Ja, SectionKind::Symptoms, false) => "発生している現象",
            (Lang::Ja, SectionKind::Symptoms, true) => "発生した現象",
            (Lang::Ja, SectionKind::Cause, _) => "原因",
            (Lang::Ja, SectionKind::Actions, _) => "実施した対応",
            (Lang::Ja, SectionKind::Prevention, _) => "今後の対応",
            (Lang::Ja, SectionKind::CustomerAction, _) => "お客様へのお願い",
            (Lang::Ja, SectionKind::Note, _) => "補足",
            (Lang::En, SectionKind::Period, _) => "Period",
            (Lang::En, SectionKind::Scope, _) => "Affected customers",
            (Lang::En, SectionKind::Features, _) => "Affected features",
            (Lang::En, SectionKind::Symptoms, false) => "What is happening",
            (Lang::En, SectionKind::Symptoms, true) => "What happened",
            (Lang::En, SectionKind::Cause, _) => "Cause",
            (Lang::En, SectionKind::Actions, _) => "What we did",
            (Lang::En, SectionKind::Prevention, _) => "Preventing a recurrence",
            (Lang::En, SectionKind::CustomerAction, _) => "What you need to do",
            (Lang::En, SectionKind::Note, _) => "Notes",
        }
    }

    /// Names this section goes by in real announcements, for recognising it in
    /// pasted or imported text. Lower-case for English; matched after trimming.
    pub fn known_names(self) -> &'static [&'static str] {
        match self {
            SectionKind::Period => &[
                "発生期間", "発生日時", "発生していた期間", "障害発生期間", "推定発生期間",
                "発生時間", "発生時刻", "影響期間", "期間", "日時", "実施日時", "作業日時",
                "メンテナンス日時", "メンテナンス期間", "作業期間",
                "period", "duration", "time", "when", "start time", "occurred", "schedule",
                "maintenance window", "window",
            ],
            SectionKind::Scope => &[
                "対象", "対象プロジェクト", "対象のプロジェクト", "影響範囲", "影響した可能性のある範囲",
                "対象のお客様", "対象となるお客様", "対象ユーザー", "対象サービス", "影響を受けるお客様",
                "affected customers", "affected users", "scope", "impact", "who is affected",
                "affected projects", "affected services",
            ],
            SectionKind::Features => &[
                "対象機能", "影響機能", "影響を受ける機能", "対象の機能",
                "affected features", "features", "affected functionality",
            ],
            SectionKind::Symptoms => &[
                "発生している現象", "発生した現象", "発生していた現象", "現象", "事象", "発生している事象",
                "発生した事象", "現在確認している現象", "発生した現象と影響", "発生した現象と対象",
                "症状", "影響内容", "影響",
                "メンテナンス中の影響",
                "what is happening", "what happened", "what was happening", "symptoms",
                "impact during the maintenance", "issue", "details", "what we are seeing",
                "what users saw", "what users see",
            ],
            SectionKind::Cause => &[
                "原因", "発生原因", "障害原因", "根本原因",
                "cause", "root cause", "why it happened",
            ],
            SectionKind::Actions => &[
                "実施した対応", "実施した内容", "対応内容", "対応状況", "実施内容", "暫定対応", "復旧対応", "対応",
                "what we did", "actions taken", "actions", "resolution", "what we are doing", "mitigation",
            ],
            SectionKind::Prevention => &[
                "今後の対応", "今後の対策", "再発防止策", "再発防止", "恒久対応", "今後の予定",
                "preventing a recurrence", "prevention", "next steps", "follow-up", "follow up",
                "what we will do", "future mitigation", "preventive measures",
            ],
            SectionKind::CustomerAction => &[
                "お客様側で必要な対応", "お客様へのお願い", "確認方法", "再送方法", "ワークアラウンド",
                "回避策", "回避方法", "お客様にご対応いただきたいこと",
                "what you need to do", "workaround", "customer action", "action required",
                "how to check", "how to resend",
            ],
            SectionKind::Note => &["補足", "備考", "その他", "notes", "note", "other", "additional information"],
        }
    }

    /// Recognises a heading's text as a section, by exact name or, for longer
    /// Japanese headings, by a known name it starts or ends with.
    pub fn recognise(heading: &str) -> Option<SectionKind> {
        let h = heading.trim().trim_end_matches([':', '：']).trim();
        let lower = h.to_lowercase();
        for kind in SectionKind::ALL {
            if kind.known_names().iter().any(|n| *n == lower) {
                return Some(kind);
            }
        }
        // Longest known Japanese name contained in the heading wins
        // ("障害の発生期間について" is a period heading).
        let mut best: Option<(usize, SectionKind)> = None;
        for kind in SectionKind::ALL {
            for name in kind.known_names() {
                if name.is_ascii() || name.chars().count() < 2 {
                    continue;
                }
                if h.contains(name) && best.is_none_or(|(len, _)| name.len() > len) {
                    best = Some((name.len(), kind));
                }
            }
        }
        best.map(|(_, k)| k)
    }
}

/// What one update says in one language.
///
/// Either the structured sections are filled and the organisation's template
/// turns them into the body, or `body` holds text that is published as it is
/// (an edited or imported announcement).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
pub struct UpdateText {
    /// When set, this exact Markdown is the body; the template is not applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub features: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub symptoms: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cause: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actions: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prevention: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub customer_action: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl UpdateText {
    /// The text of a typed section. The period is structured and has none.
    pub fn section(&self, kind: SectionKind) -> &str {
        match kind {
            SectionKind::Period => "",
            SectionKind::Scope => &self.scope,
            SectionKind::Features => &self.features,
            SectionKind::Symptoms => &self.symptoms,
            SectionKind::Cause => &self.cause,
            SectionKind::Actions => &self.actions,
            SectionKind::Prevention => &self.prevention,
            SectionKind::CustomerAction => &self.customer_action,
            SectionKind::Note => &self.note,
        }
    }

    pub fn section_mut(&mut self, kind: SectionKind) -> Option<&mut String> {
        Some(match kind {
            SectionKind::Period => return None,
            SectionKind::Scope => &mut self.scope,
            SectionKind::Features => &mut self.features,
            SectionKind::Symptoms => &mut self.symptoms,
            SectionKind::Cause => &mut self.cause,
            SectionKind::Actions => &mut self.actions,
            SectionKind::Prevention => &mut self.prevention,
            SectionKind::CustomerAction => &mut self.customer_action,
            SectionKind::Note => &mut self.note,
        })
    }

    /// True when nothing at all was written.
    pub fn is_empty(&self) -> bool {
        self.body.as_deref().is_none_or(|b| b.trim().is_empty())
            && SectionKind::ALL.iter().all(|k| self.section(*k).trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_names_real_announcements_use() {
        for (heading, kind) in [
            ("発生期間", SectionKind::Period),
            ("推定発生期間", SectionKind::Period),
            ("発生していた期間", SectionKind::Period),
            ("対象のプロジェクト", SectionKind::Scope),
            ("影響した可能性のある範囲", SectionKind::Scope),
            ("発生した現象と影響", SectionKind::Symptoms),
            ("発生原因", SectionKind::Cause),
            ("今後の対策", SectionKind::Prevention),
            ("再送方法", SectionKind::CustomerAction),
            ("Root cause:", SectionKind::Cause),
            ("What happened", SectionKind::Symptoms),
            ("What was happening", SectionKind::Symptoms),
            ("Impact during the maintenance", SectionKind::Symptoms),
            ("メンテナンス中の影響", SectionKind::Symptoms),
            ("実施した内容", SectionKind::Actions),
            ("障害の発生期間について", SectionKind::Period),
        ] {
            assert_eq!(SectionKind::recognise(heading), Some(kind), "{heading}");
        }
        assert_eq!(SectionKind::recognise("お知らせ"), None);
    }

    #[test]
    fn default_headings_are_recognised_as_themselves() {
        for kind in SectionKind::ALL {
            for lang in Lang::ALL {
                for past in [false, true] {
                    assert_eq!(SectionKind::recognise(kind.heading(lang, past)), Some(kind));
                }
            }
        }
    }
}
