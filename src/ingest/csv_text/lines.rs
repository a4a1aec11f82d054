//! Line numbers of byte offsets in delimited text, counted forward as records are read: a
//! row's address is its first line, and a line ends at "\n", "\r\n" or a lone "\r".

/// The zero-based row index of 1-based line `line`.
pub(super) fn line_index(line: u64) -> u32 {
    u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX)
}

/// Line numbers of byte offsets, counted forward as records are read.
#[derive(Default, Clone, Debug)]
pub(super) struct LineCounter {
    /// The byte counted up to.
    pub(super) at: usize,
    line: u64,
}

impl LineCounter {
    /// The 1-based line of byte `pos` (which must not go backwards).
    pub(super) fn line_of(&mut self, bytes: &[u8], pos: usize) -> u64 {
        let pos = pos.min(bytes.len());
        if pos > self.at {
            let slice = &bytes[self.at..pos];
            // A line ends at "\n", "\r\n" or a lone "\r" (classic Mac OS, Excel for Mac's
            // "CSV (Macintosh)"), as csv-core ends records.
            let lone_cr = |i: usize| bytes.get(self.at + i + 1) != Some(&b'\n');
            let crossed = if slice.len() <= 16 {
                // Between two plain lines: their line end, byte by byte.
                slice
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && lone_cr(i)))
                    .count()
            } else {
                let mut crossed = bytecount::count(slice, b'\n');
                if memchr::memchr(b'\r', slice).is_some() {
                    crossed += memchr::memchr_iter(b'\r', slice)
                        .filter(|&i| lone_cr(i))
                        .count();
                }
                crossed
            };
            self.line += u64::try_from(crossed).unwrap_or(0);
            self.at = pos;
        }
        self.line + 1
    }

    /// Moves to byte `pos` of the line counted last: no line end lies before it. Where
    /// [`LineCounter::last_line`] would stop for a record without line ends inside.
    pub(super) fn stay_on_line(&mut self, pos: usize) {
        self.at = self.at.max(pos);
    }

    /// The first line of a record read from byte offset `from`, which may be followed by the
    /// line terminators of blank lines.
    pub(super) fn first_line(&mut self, bytes: &[u8], from: usize) -> u64 {
        let mut start = from.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        self.line_of(bytes, start)
    }

    /// The last line of a record that ends at byte offset `to`, maybe after its terminator.
    pub(super) fn last_line(&mut self, bytes: &[u8], from: usize, to: usize) -> u64 {
        let to = to.min(bytes.len());
        let mut end = to;
        while end > from && matches!(bytes[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
        self.line_of(bytes, end.saturating_sub(1).max(from))
    }
}
