//! Line and column positions of byte offsets.

use serde::Serialize;

/// A 1-based line and column. The column counts Unicode scalar values, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl LineCol {
    /// Where a source starts.
    pub const START: LineCol = LineCol { line: 1, column: 1 };

    /// The position after reading UTF-8 `bytes` from this one.
    pub fn after(self, bytes: &[u8]) -> LineCol {
        match bytes.iter().rposition(|b| *b == b'\n') {
            Some(last) => LineCol {
                line: self.line + 1 + bytes[..last].iter().filter(|b| **b == b'\n').count(),
                column: 1 + characters(&bytes[last + 1..]),
            },
            None => LineCol {
                line: self.line,
                column: self.column + characters(bytes),
            },
        }
    }
}

/// Line starts of a source, to turn byte offsets into [`LineCol`]s in `O(log lines)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Indexes `source`. Lines end at `\n`; a `\r` before it belongs to the line.
    pub fn new(source: &[u8]) -> Self {
        let mut starts = vec![0];
        // Eight bytes at a time, skipping words without a newline (SWAR: a zero byte of
        // `word ^ 0x0a0a...` is a `\n`).
        const LOW: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let mut words = source.chunks_exact(8);
        let mut base = 0;
        for chunk in &mut words {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let x = u64::from_le_bytes(word) ^ (LOW * u64::from(b'\n'));
            if x.wrapping_sub(LOW) & !x & HIGH != 0 {
                starts.extend(
                    chunk
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| base + i + 1),
                );
            }
            base += 8;
        }
        starts.extend(
            words
                .remainder()
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| base + i + 1),
        );
        LineIndex {
            starts,
            len: source.len(),
        }
    }

    /// Line and column of byte `offset` in `source` (the same bytes given to [`LineIndex::new`]).
    /// Offsets past the end are clamped to the end; an offset inside a
    /// character is that character's.
    pub fn line_col(&self, source: &[u8], offset: usize) -> LineCol {
        let offset = char_start(source, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let line_start = LineCol {
            line: line + 1,
            column: 1,
        };
        line_start.after(source.get(start..offset).unwrap_or_default())
    }

    /// The byte offset where 1-based `line` starts; the length of the
    /// source past the last line.
    pub fn line_start(&self, line: usize) -> usize {
        line.checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
            .unwrap_or(self.len)
    }

    /// How many lines the source has (an empty source has one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.line_of(offset.min(self.len)) + 1
    }

    fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

/// 1-based line and column of byte `offset` in `source`, for a single
/// look-up; [`LineIndex`] answers many. Offsets past the end are clamped
/// to the end; an offset inside a character is that character's.
pub fn line_col(source: &str, offset: usize) -> LineCol {
    let bytes = source.as_bytes();
    LineCol::START.after(&bytes[..char_start(bytes, offset)])
}

/// `offset`, clamped to the source, moved back to the first byte of the
/// character it falls in.
fn char_start(source: &[u8], offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while source.get(offset).is_some_and(|b| is_continuation(*b)) {
        offset -= 1;
    }
    offset
}

/// How many characters UTF-8 `bytes` hold.
fn characters(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| !is_continuation(**b)).count()
}

const fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_first_column() {
        let src = b"abc";
        let index = LineIndex::new(src);
        assert_eq!(index.line_col(src, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(src, 2), LineCol { line: 1, column: 3 });
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "a\né€x".as_bytes();
        let index = LineIndex::new(src);
        let x = src.iter().position(|b| *b == b'x').unwrap_or(0);
        assert_eq!(index.line_col(src, x), LineCol { line: 2, column: 3 });
    }

    #[test]
    fn offset_at_newline_is_on_its_line() {
        let src = b"ab\ncd\n";
        let index = LineIndex::new(src);
        assert_eq!(index.line_col(src, 2), LineCol { line: 1, column: 3 });
        assert_eq!(index.line_col(src, 3), LineCol { line: 2, column: 1 });
        assert_eq!(index.line(6), 3);
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let src = b"ab";
        let index = LineIndex::new(src);
        assert_eq!(index.line_col(src, 99), LineCol { line: 1, column: 3 });
    }

    #[test]
    fn line_starts_match_a_byte_by_byte_scan() {
        let src: Vec<u8> = (0..1000u32)
            .map(|i| {
                if i % 7 == 0 || i % 13 == 0 {
                    b'\n'
                } else {
                    b'a' + (i % 26) as u8
                }
            })
            .collect();
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 999, 1000] {
            let bytes = &src[..len];
            let expected: Vec<usize> = std::iter::once(0)
                .chain(
                    bytes
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect();
            assert_eq!(LineIndex::new(bytes).starts, expected, "{len} bytes");
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let src = "ab\ncd；ef";
        let at = |offset| {
            let LineCol { line, column } = line_col(src, offset);
            (line, column)
        };
        assert_eq!(at(0), (1, 1));
        assert_eq!(at(3), (2, 1));
        assert_eq!(at(src.len()), (2, 6));
        // An offset inside a multi-byte character snaps back to its start.
        assert_eq!(at(6), (2, 3));
        assert_eq!(at(999), (2, 6));
        // Reading on from a known position counts as reading from the start.
        let middle = line_col(src, 1);
        assert_eq!(middle.after(&src.as_bytes()[1..]), line_col(src, src.len()));
        let index = LineIndex::new(src.as_bytes());
        for offset in [0, 3, 6, src.len(), 999] {
            assert_eq!(
                index.line_col(src.as_bytes(), offset),
                line_col(src, offset)
            );
        }
    }
}
