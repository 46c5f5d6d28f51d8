//! The domain's facts as the UI shows them: which statuses each kind of
//! announcement moves through, their labels, the sections and their
//! headings, the linter's severities. One source (desk-model and desk-lint);
//! the app exports them into the generated TypeScript bindings as a
//! constant, so the UI copies none of them.

use desk_lint::Severity;
use desk_model::{Bilingual, Impact, Kind, Lang, SectionKind, Status};
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Serialize, Type)]
pub struct DomainFacts {
    /// Incident, then maintenance, each with its lifecycle in order.
    pub kinds: Vec<KindFacts>,
    /// Every status, in lifecycle order.
    pub statuses: Vec<StatusFacts>,
    pub impacts: Vec<ImpactFacts>,
    pub sections: Vec<SectionFacts>,
    /// Most severe first.
    pub severities: Vec<SeverityFacts>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct KindFacts {
    pub kind: Kind,
    pub label: Bilingual<String>,
    /// The statuses it moves through, in order; the first is where a new one starts.
    pub statuses: Vec<Status>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct StatusFacts {
    pub status: Status,
    pub kind: Kind,
    pub label: Bilingual<String>,
    /// Still going on: a next update is promised.
    pub ongoing: bool,
    /// Over (resolved, postmortem, completed).
    pub closed: bool,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ImpactFacts {
    pub impact: Impact,
    pub label: Bilingual<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SectionFacts {
    pub section: SectionKind,
    /// The heading while it is going on, per language.
    pub heading: Bilingual<String>,
    /// The heading once it is over (past tense), per language.
    pub past_heading: Bilingual<String>,
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SeverityFacts {
    pub severity: Severity,
    pub label: Bilingual<String>,
    /// True when a finding of this severity blocks publishing.
    pub blocks: bool,
}

/// A status's label in both languages.
pub fn label(status: Status) -> Bilingual<String> {
    Bilingual { ja: status.label(Lang::Ja).into(), en: status.label(Lang::En).into() }
}

fn kind_label(kind: Kind) -> Bilingual<String> {
    match kind {
        Kind::Incident => Bilingual { ja: "障害".into(), en: "Incident".into() },
        Kind::Maintenance => Bilingual { ja: "メンテナンス".into(), en: "Maintenance".into() },
    }
}

fn impact_label(impact: Impact) -> Bilingual<String> {
    let (ja, en) = match impact {
        Impact::None => ("影響なし", "None"),
        Impact::Minor => ("軽微", "Minor"),
        Impact::Major => ("重大", "Major"),
        Impact::Critical => ("致命的", "Critical"),
    };
    Bilingual { ja: ja.into(), en: en.into() }
}

fn severity_label(severity: Severity) -> Bilingual<String> {
    let (ja, en) = match severity {
        Severity::Error => ("エラー", "Error"),
        Severity::Warning => ("注意", "Warning"),
        Severity::Info => ("参考", "Info"),
    };
    Bilingual { ja: ja.into(), en: en.into() }
}

/// Every fact the UI needs to show the domain's words.
pub fn domain_facts() -> DomainFacts {
    DomainFacts {
        kinds: Kind::ALL
            .into_iter()
            .map(|kind| KindFacts { kind, label: kind_label(kind), statuses: kind.statuses().to_vec() })
            .collect(),
        statuses: Status::ALL
            .into_iter()
            .map(|status| StatusFacts { status, kind: status.kind(), label: label(status), ongoing: status.is_ongoing(), closed: status.is_closed() })
            .collect(),
        impacts: [Impact::None, Impact::Minor, Impact::Major, Impact::Critical]
            .into_iter()
            .map(|impact| ImpactFacts { impact, label: impact_label(impact) })
            .collect(),
        sections: SectionKind::ALL
            .into_iter()
            .map(|section| SectionFacts {
                section,
                heading: Bilingual { ja: section.heading(Lang::Ja, false).into(), en: section.heading(Lang::En, false).into() },
                past_heading: Bilingual { ja: section.heading(Lang::Ja, true).into(), en: section.heading(Lang::En, true).into() },
            })
            .collect(),
        severities: [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .map(|severity| SeverityFacts { severity, label: severity_label(severity), blocks: severity == Severity::Error })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_belongs_to_exactly_one_kind_in_lifecycle_order() {
        let facts = domain_facts();
        let listed: Vec<Status> = facts.kinds.iter().flat_map(|k| k.statuses.clone()).collect();
        assert_eq!(listed, Status::ALL.to_vec());
        assert_eq!(facts.kinds[0].statuses[0], Status::Investigating);
        assert_eq!(facts.kinds[1].statuses[0], Status::Scheduled);
        let resolved = facts.statuses.iter().find(|s| s.status == Status::Resolved).unwrap();
        assert_eq!((resolved.label.ja.as_str(), resolved.closed, resolved.ongoing), ("解決済み", true, false));
    }
}
