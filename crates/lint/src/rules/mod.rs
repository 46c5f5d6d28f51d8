//! The rules on one text. Rules comparing updates or languages are in
//! `incident.rs`.

mod dates;
mod misc;
mod sections;
mod tense;
mod words;

pub(crate) use misc::BODY_LIMIT;

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

/// Every rule that reads a title.
pub(crate) fn check_title(t: &Analysed, cx: &Cx, sink: &mut Sink) {
    misc::limit_title(t, sink);
    words::check(t, crate::Field::Title, cx, sink);
    sections::title_marker(t, cx.config, sink);
    if let Some(status) = cx.status {
        tense::title(t, status, sink);
    }
}

/// Every occurrence of each needle in `hay`, as (start, end, needle index).
pub(crate) fn find_all<'h, 'n>(hay: &'h str, needles: &'n [&'n str]) -> impl Iterator<Item = (usize, usize, &'n str)> + use<'h, 'n> {
    needles.iter().flat_map(move |n| hay.match_indices(n).map(move |(i, _)| (i, i + n.len(), *n)))
}

/// The most frequent item, the first seen on a tie.
pub(crate) fn majority<T: Copy + PartialEq>(items: &[T]) -> Option<T> {
    let mut best: Option<(T, usize)> = None;
    for &x in items {
        let n = items.iter().filter(|&&y| y == x).count();
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((x, n));
        }
    }
    best.map(|b| b.0)
}
