//! Width normalisation (full-width ASCII and the ideographic space to their
//! ASCII forms: the part of NFKC that matters for announcements), done one
//! character for one character so that offsets carry over to the original.

/// The ASCII form of a full-width character; other characters unchanged.
pub fn width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => c,
    }
}

/// `text` with every character passed through [`width`]: the same number of
/// characters, in the same order.
pub fn normalize_width(text: &str) -> String {
    text.chars().map(width).collect()
}

/// Maps byte offsets of a width-normalised text back to the original.
pub(crate) struct OffsetMap {
    /// Byte offset in the original of each character, and the end.
    orig: Vec<usize>,
    /// Byte offset in the normalised text of each character, and the end.
    norm: Vec<usize>,
}

impl OffsetMap {
    pub fn new(original: &str, normalised: &str) -> OffsetMap {
        let mut orig: Vec<usize> = original.char_indices().map(|(i, _)| i).collect();
        orig.push(original.len());
        let mut norm: Vec<usize> = normalised.char_indices().map(|(i, _)| i).collect();
        norm.push(normalised.len());
        OffsetMap { orig, norm }
    }

    /// The original's byte offset for a normalised byte offset.
    pub fn to_original(&self, norm_byte: usize) -> usize {
        let k = self.norm.partition_point(|&b| b < norm_byte);
        self.orig.get(k).copied().unwrap_or(*self.orig.last().unwrap_or(&0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_becomes_ascii_one_for_one() {
        assert_eq!(normalize_width("ＡＢＣ　１００％（約）"), "ABC 100%(約)");
        let orig = "約１００件";
        let norm = normalize_width(orig);
        let map = OffsetMap::new(orig, &norm);
        assert_eq!(&orig[map.to_original(norm.find('1').unwrap())..], "１００件");
        assert_eq!(map.to_original(norm.len()), orig.len());
    }
}
