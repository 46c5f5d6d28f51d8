//! The rules on one text. Rules comparing updates or languages are in
//! `incident.rs`.



use crate::{Analysed, Cx, Sink};

/// Every rule that reads one body.
pub(crate) fn check_body(t: &Analysed, cx: &Cx, sink: &mut Sink) {
    misc::limit_body(t, sink);
    let stock = misc::default_text(t, sink);
    dates::check(t, cx, sink);
    words::check(t, crate::Field::Body, cx, sink);
    sections::empty(t, sink);
    sections::style_mixed(t, sink);
    if let Some(status) = cx.status {
        tense::body(t, status, sink);
        // A stock line is already reported; what it lacks follows from that.
        if !stock {
            sections::missing(t, status, cx, sink);
            misc::next_update(t, status, cx, sink);
        }
    }
}

/// Every rule that reads a title. `seen`: the same title was checked with
/// an earlier update, so only the rules that depend on the status run.
pub(crate) fn check_title(t: &Analysed, cx: &Cx, seen: bool, sink: &mut Sink) {
    if !seen {
        misc::limit_title(t, sink);
        words::check(t, crate::Field::Title, cx, sink);
        sections::title_marker(t, cx.config, sink);
    }
    if let Some(status) = cx.status {
        tense::title(t, status, sink);
    }
}

/// A set of words searched for in one pass (Aho-Corasick), ASCII case
/// insensitive or not.
pub(crate) struct Needles {
    pub words: &'static [&'static str],
    pub automaton: std::sync::LazyLock<aho_corasick::AhoCorasick>,
}

impl Needles {
    /// Every occurrence of every word, as (start, end, word).
    pub fn find_all<'h>(&'static self, hay: &'h str) -> impl Iterator<Item = (usize, usize, &'static str)> + use<'h> {
        self.automaton.find_overlapping_iter(hay).map(|m| (m.start(), m.end(), self.words[m.pattern().as_usize()]))
    }

    pub fn any(&self, hay: &str) -> bool {
        self.automaton.is_match(hay)
    }
}

/// `needles!(NAME, case_insensitive, ["word", …]);` declares a [`Needles`].
macro_rules! needles {
    ($(#[$meta:meta])* $name:ident, $ci:expr, [$($w:expr),* $(,)?]) => {
        $(#[$meta])*
        pub(crate) static $name: $crate::rules::Needles = $crate::rules::Needles {
            words: &[$($w),*],
            automaton: std::sync::LazyLock::new(|| {
                aho_corasick::AhoCorasick::builder().ascii_case_insensitive($ci).build([$($w),*]).expect("valid patterns")
            }),
        };
    };
}
pub(crate) use needles;

/// The most frequent item, the first seen on a tie. Items take few
/// distinct values (heading styles, date notations): counted per value.
pub(crate) fn majority<T: Copy + PartialEq>(items: &[T]) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for &x in items {
        match counts.iter_mut().find(|c| c.0 == x) {
            Some(c) => c.1 += 1,
            None => counts.push((x, 1)),
        }
    }
    let mut best: Option<(T, usize)> = None;
    for (x, n) in counts {
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((x, n));
        }
    }
    best.map(|b| b.0)
}

mod dates;
mod misc;
mod sections;
mod tense;
mod words;

pub(crate) use misc::BODY_LIMIT;
pub(crate) use sections::report_style;
