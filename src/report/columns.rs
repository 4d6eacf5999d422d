//! UTF-16 columns for SARIF. Findings count columns in Unicode scalar
//! values (as the JSON output documents); SARIF's default `columnKind`, and
//! what GitHub and CodeQL use, is UTF-16 code units. The two differ only by
//! one per astral character (an emoji, say) before the column on its line,
//! so this keeps just that correction, for the lines that need one.
//!
//! The files are read again after the scan, only those with findings and
//! only when a SARIF log is written; one forward pass per file.

use crate::finding::Location;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

/// Per path, per byte offset: astral characters between the start of the
/// offset's line and the offset. Offsets without an entry need none.
#[derive(Debug, Clone, Default)]
pub struct Utf16Columns {
    extra: BTreeMap<String, BTreeMap<usize, usize>>,
}

impl Utf16Columns {
    /// Start and end column of `loc` in UTF-16 code units.
    pub fn utf16(&self, loc: &Location) -> (usize, usize) {
        let Some(file) = self.extra.get(&*loc.path) else {
            return (loc.column, loc.end_column);
        };
        let at = |col: usize, byte: usize| {
            if col == 0 {
                0
            } else {
                col + file.get(&byte).copied().unwrap_or(0)
            }
        };
        (
            at(loc.column, loc.start_byte),
            at(loc.end_column, loc.end_byte),
        )
    }

    /// Reads the files of `locations` under `root` (regular files no larger
    /// than `max_bytes`; anything else keeps code-point columns).
    pub fn read<'a>(
        root: &Path,
        locations: impl Iterator<Item = &'a Location>,
        max_bytes: u64,
    ) -> Utf16Columns {
        let mut wanted: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for loc in locations {
            let offsets = wanted.entry(&loc.path).or_default();
            offsets.insert(loc.start_byte);
            offsets.insert(loc.end_byte);
        }
        let mut out = Utf16Columns::default();
        for (path, offsets) in wanted {
            let full = root.join(path);
            let regular = std::fs::symlink_metadata(&full)
                .is_ok_and(|m| m.file_type().is_file() && m.len() <= max_bytes);
            if !regular {
                continue;
            }
            let mut text = Vec::new();
            let read =
                std::fs::File::open(&full).and_then(|f| f.take(max_bytes).read_to_end(&mut text));
            if read.is_ok() {
                out.add(path, &text, &offsets);
            }
        }
        out
    }

    /// Records the corrections of `offsets` (sorted) in `text`.
    pub fn add(&mut self, path: &str, text: &[u8], offsets: &BTreeSet<usize>) {
        let mut found = BTreeMap::new();
        let (mut pos, mut astral) = (0usize, 0usize);
        for &off in offsets {
            let off = off.min(text.len());
            for &b in &text[pos.min(off)..off] {
                if b == b'\n' {
                    astral = 0;
                } else if (0xf0..=0xf4).contains(&b) {
                    // The lead byte of a four-byte sequence: one character
                    // outside the BMP, two UTF-16 code units.
                    astral += 1;
                }
            }
            pos = pos.max(off);
            if astral > 0 {
                found.insert(off, astral);
            }
        }
        if !found.is_empty() {
            self.extra.insert(path.to_string(), found);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::finding::Location;

    #[test]
    fn astral_characters_add_one_column_each_on_their_line_only() {
        let text = "a😀b😀 x\n😀 y\nz".as_bytes();
        let x = text.iter().position(|&b| b == b'x').unwrap();
        let y = text.iter().position(|&b| b == b'y').unwrap();
        let z = text.len() - 1;
        let loc = |start: usize, end: usize| Location::from_bytes("f", text, start, end);
        let mut c = Utf16Columns::default();
        let locs = [loc(x, x + 1), loc(y, y + 1), loc(z, z + 1)];
        let offsets = locs
            .iter()
            .flat_map(|l| [l.start_byte, l.end_byte])
            .collect();
        c.add("f", text, &offsets);
        // `x` is code point 6 and UTF-16 unit 8; `y` 3 and 4; `z` unchanged.
        assert_eq!((locs[0].column, c.utf16(&locs[0])), (6, (8, 9)));
        assert_eq!((locs[1].column, c.utf16(&locs[1])), (3, (4, 5)));
        assert_eq!(c.utf16(&locs[2]), (1, 2));
    }

    #[test]
    fn unknown_files_and_empty_spans_keep_their_columns() {
        let c = Utf16Columns::default();
        let loc = Location {
            path: "g".into(),
            line: 2,
            column: 4,
            end_line: 2,
            end_column: 7,
            ..Default::default()
        };
        assert_eq!(c.utf16(&loc), (4, 7));
    }
}
