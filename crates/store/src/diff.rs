//! A character-level diff for the approver's screen.
//!
//! Japanese has no spaces between words, so a word diff would mark whole
//! sentences; this one compares extended grapheme clusters (what a reader sees
//! as one character: 「が」, an emoji with its modifiers, "e" + a combining
//! accent), with Myers' O(ND) algorithm. Pure functions, no database.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

/// What a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Equal,
    Insert,
    Delete,
}

/// A run of text with one operation. `Delete` text is from the old text,
/// `Insert` and `Equal` text is (also) in the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub op: Op,
    pub text: String,
}

/// The spans turning `old` into `new`, adjacent spans of one kind merged.
/// Concatenating the `Equal` + `Delete` texts gives `old`; `Equal` + `Insert`, `new`.
pub fn diff(old: &str, new: &str) -> Vec<Span> {
    let a: Vec<&str> = old.graphemes(true).collect();
    let b: Vec<&str> = new.graphemes(true).collect();
    // Common prefix and suffix first: most edits are small.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let mut spans = Vec::new();
    push(&mut spans, Op::Equal, &a[..prefix]);
    for (op, range) in myers(&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]) {
        let source = if op == Op::Insert { &b[prefix..] } else { &a[prefix..] };
        push(&mut spans, op, &source[range]);
    }
    push(&mut spans, Op::Equal, &a[a.len() - suffix..]);
    spans
}

fn push(spans: &mut Vec<Span>, op: Op, graphemes: &[&str]) {
    if graphemes.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some(last) if last.op == op => last.text.extend(graphemes.iter().copied()),
        _ => spans.push(Span { op, text: graphemes.concat() }),
    }
}

/// Myers' shortest edit script between `a` and `b`, as operations with the
/// range they cover (in `a` for Delete and Equal, in `b` for Insert).
fn myers(a: &[&str], b: &[&str]) -> Vec<(Op, std::ops::Range<usize>)> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    if n == 0 && m == 0 {
        return Vec::new();
    }
    let max = (n + m) as usize;
    let offset = max as isize;
    let mut v = vec![0isize; 2 * max + 2];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    'search: for d in 0..=max as isize {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let idx = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) { v[idx + 1] } else { v[idx - 1] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x >= n && y >= m {
                break 'search;
            }
            k += 2;
        }
    }
    // Walk back through the trace.
    let mut ops: Vec<(Op, std::ops::Range<usize>)> = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..trace.len() as isize).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && v[(k - 1 + offset) as usize] < v[(k + 1 + offset) as usize]) { k + 1 } else { k - 1 };
        let prev_x = if d == 0 { 0 } else { v[(prev_k + offset) as usize] };
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push((Op::Equal, (x - 1) as usize..x as usize));
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            if x == prev_x {
                ops.push((Op::Insert, prev_y as usize..y as usize));
            } else {
                ops.push((Op::Delete, prev_x as usize..x as usize));
            }
        }
        x = prev_x;
        y = prev_y;
    }
    ops.reverse();
    ops
}

/// The diff of each language of two updates (the text the approver reads:
/// sections joined as they are stored), for "since the version I reviewed"
/// and "against the last published update".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateDiff {
    pub ja: Vec<Span>,
    pub en: Vec<Span>,
}

/// Diffs the plain text of two updates, per language.
pub fn diff_updates(old: Option<&desk_model::Update>, new: &desk_model::Update) -> UpdateDiff {
    let (old_ja, old_en) = old.map(crate::text::plain_pair).unwrap_or_default();
    let (new_ja, new_en) = crate::text::plain_pair(new);
    UpdateDiff { ja: diff(&old_ja, &new_ja), en: diff(&old_en, &new_en) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(spans: &[Span]) -> String {
        spans
            .iter()
            .map(|s| match s.op {
                Op::Equal => s.text.clone(),
                Op::Insert => format!("[+{}]", s.text),
                Op::Delete => format!("[-{}]", s.text),
            })
            .collect()
    }

    fn rebuild(spans: &[Span], keep: Op) -> String {
        spans.iter().filter(|s| s.op == Op::Equal || s.op == keep).map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn japanese_changes_are_marked_by_character() {
        let old = "ログインできない障害が発生しています";
        let new = "ログインできない障害が発生していました";
        assert!(render(&diff(old, new)).starts_with("ログインできない障害が発生してい"));
        let spans = diff(old, new);
        assert_eq!(rebuild(&spans, Op::Delete), old);
        assert_eq!(rebuild(&spans, Op::Insert), new);
        let changed: usize = spans.iter().filter(|s| s.op != Op::Equal).map(|s| s.text.chars().count()).sum();
        assert!(changed <= 3, "{}", render(&spans));
    }

    #[test]
    fn a_doubled_word_shows_as_one_insertion() {
        assert_eq!(render(&diff("復旧次第ご連絡します", "復旧次第次第ご連絡します")), "復旧次第[+次第]ご連絡します");
    }

    #[test]
    fn graphemes_are_never_split() {
        // 👍🏽 is two code points, é here is e + U+0301.
        let spans = diff("a👍🏽e\u{301}b", "a👍🏻e\u{301}b");
        assert_eq!(render(&spans), "a[-👍🏽][+👍🏻]e\u{301}b");
    }

    #[test]
    fn edge_cases() {
        assert!(diff("", "").is_empty());
        assert_eq!(render(&diff("", "新規")), "[+新規]");
        assert_eq!(render(&diff("削除", "")), "[-削除]");
        assert_eq!(render(&diff("同じ", "同じ")), "同じ");
        assert_eq!(render(&diff("■原因", "■ 原因")), "■[+ ]原因");
    }

    #[test]
    fn random_pairs_rebuild_both_sides() {
        let alphabet: Vec<char> = "あいう障害ab■ 。".chars().collect();
        let mut seed = 12345u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..300 {
            let old: String = (0..next() % 20).map(|_| alphabet[next() % alphabet.len()]).collect();
            let new: String = (0..next() % 20).map(|_| alphabet[next() % alphabet.len()]).collect();
            let spans = diff(&old, &new);
            assert_eq!(rebuild(&spans, Op::Delete), old);
            assert_eq!(rebuild(&spans, Op::Insert), new);
        }
    }
}
