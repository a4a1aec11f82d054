//! Resource limits for reading one file: bytes on disk, bytes a zip package may inflate to, time,
//! rows, non-empty cells, and the length of one cell's text.
//!
//! Ledgers arrive from strangers, so every reader counts what it stores against these limits
//! while it streams and stops with an error that names the file, says which limit was reached
//! and how to raise it. Empty cells are never stored, so they cost time (bounded by the
//! deadline and the inflation caps) but no memory. This module owns the numbers and the
//! messages; it knows nothing about ledgers.

use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub(crate) use super::deadline::{DeadlineReader, SeekLog};
pub(crate) use super::tally::Tally;
use super::IngestError;

/// Rows holding data per file, by default (`--max-rows`): as many as an Excel sheet can hold.
pub const DEFAULT_MAX_ROWS: u64 = 1_048_576;
/// Non-empty cells per file, by default (`--max-cells`): a full sheet of seven columns and a
/// half.
pub const DEFAULT_MAX_CELLS: u64 = 8_000_000;
/// The most characters one cell may hold: Excel's own limit for a cell.
pub const MAX_CELL_CHARS: usize = 32_767;
const MIB: u64 = 1 << 20;

/// How much one file may cost to read. [`Limits::default`] holds the documented defaults;
/// only `max_rows` and `max_cells` are flags, the rest are fixed here (and lowered by tests
/// and fuzz targets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Rows holding at least one value (CSV: records, blank lines included), per file.
    pub max_rows: u64,
    /// Non-empty cells, per file.
    pub max_cells: u64,
    /// Characters in one cell's text.
    pub max_cell_chars: usize,
    /// Size of the file on disk.
    pub max_file_bytes: u64,
    /// Declared inflated size of one zip entry that is streamed (a worksheet).
    pub max_entry_bytes: u64,
    /// Declared inflated size of one zip entry that calamine parses whole into memory before
    /// any sheet is read (shared strings, styles, the workbook part, relationships).
    pub max_eager_entry_bytes: u64,
    /// Declared inflated size of every entry of a zip package together.
    pub max_total_bytes: u64,
    /// Largest accepted inflated:compressed ratio for an entry of more than
    /// `ratio_floor_bytes` inflated.
    pub max_ratio: u64,
    /// Entries inflating to no more than this are not checked for their ratio.
    pub ratio_floor_bytes: u64,
    /// Wall-clock time to read one file (in the child process, for .xls and .ods).
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: DEFAULT_MAX_ROWS,
            max_cells: DEFAULT_MAX_CELLS,
            max_cell_chars: MAX_CELL_CHARS,
            max_file_bytes: 512 * MIB,
            // A full Excel sheet of a million rows is about 300 MiB of XML; it is streamed, so
            // the row, cell, ratio and time limits bound it, not this.
            max_entry_bytes: 1024 * MIB,
            max_eager_entry_bytes: 32 * MIB,
            max_total_bytes: 1536 * MIB,
            max_ratio: 1000,
            ratio_floor_bytes: 4 * MIB,
            time: Duration::from_secs(25),
        }
    }
}

/// Bytes as a person reads them: `512 MiB`, `2.0 GiB`, `734 KiB`.
#[must_use]
pub fn human_bytes(n: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let f = n as f64;
    if n >= 1 << 30 {
        format!("{:.1} GiB", f / f64::from(1u32 << 30))
    } else if n >= 1 << 20 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// `A`, `Z`, `AA`, … for a zero-based column (a copy of the ledger's, which ingest must not use).
fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap_or(0);
        out.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Reads a whole file, refusing one larger than `limits.max_file_bytes` before reading it.
///
/// # Errors
/// When the file cannot be read or is too large.
pub fn read_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > limits.max_file_bytes {
        return Err(file_too_large(path, len, limits));
    }
    let mut bytes = read_in_halves(&file, len).unwrap_or_default();
    bytes.reserve_exact(
        usize::try_from(len)
            .unwrap_or(0)
            .saturating_sub(bytes.len()),
    );
    // The rest (all of it, unless read in halves) to the end: a file that grows while it is
    // read is still cut off at the limit.
    let read = bytes.len() as u64;
    let mut rest = &file;
    rest.seek(std::io::SeekFrom::Start(read)).map_err(io)?;
    rest.take(limits.max_file_bytes.saturating_add(1).saturating_sub(read))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(file_too_large(path, bytes.len() as u64, limits));
    }
    Ok(bytes)
}

/// Files from this size on are read in two halves at once, one on another thread: copying
/// a big file out of the page cache is much of the time a big CSV takes.
const HALVES_FROM_BYTES: u64 = 8 << 20;

/// The first `len` bytes of a big file, read in two halves at once; `None` when it is small
/// or a half could not be read (the file shrank, say), for a read in order.
fn read_in_halves(file: &std::fs::File, len: u64) -> Option<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        if len < HALVES_FROM_BYTES {
            return None;
        }
        let mut bytes = vec![0u8; usize::try_from(len).ok()?];
        let mid = bytes.len() / 2;
        let (first, second) = bytes.split_at_mut(mid);
        let read = std::thread::scope(|scope| {
            let second = scope.spawn(|| file.read_exact_at(second, mid as u64));
            let first = file.read_exact_at(first, 0);
            first.is_ok() && second.join().is_ok_and(|r| r.is_ok())
        });
        read.then_some(bytes)
    }
    #[cfg(not(unix))]
    {
        let _ = (file, len, HALVES_FROM_BYTES);
        None
    }
}

/// The error for a file larger than `limits.max_file_bytes`.
pub(crate) fn file_too_large(path: &Path, len: u64, limits: &Limits) -> IngestError {
    IngestError::limit(
        path,
        format!(
            "the file is {}, more than the {} fundrisk reads",
            human_bytes(len),
            human_bytes(limits.max_file_bytes)
        ),
        "a ledger is rarely this large; check that this is the right file, or split it by year",
    )
}

/// Where a cell is, for messages: `Income!C14` (sheet) or `C14` (CSV).
pub(crate) fn cell_name(sheet: Option<&str>, row: u32, col: u32) -> String {
    let cell = format!("{}{}", column_letters(col), u64::from(row) + 1);
    match sheet {
        Some(s) => format!("{s}!{cell}"),
        None => cell,
    }
}

pub(super) fn deadline_after(time: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(time)
        .unwrap_or_else(|| now + Duration::from_secs(86_400 * 365))
}

/// The error for a file whose reading took longer than `time`.
pub(crate) fn timed_out(path: &Path, time: Duration) -> IngestError {
    IngestError::limit(
        path,
        format!(
            "reading the file took longer than {} s and was stopped",
            time.as_secs_f64()
        ),
        "the file is probably damaged, or far larger than a ledger (a sheet of millions of empty cells, say); open it in a spreadsheet program, delete what is not the ledger and save it again",
    )
}

impl IngestError {
    pub(crate) fn limit(path: &Path, problem: impl Into<String>, hint: impl Into<String>) -> Self {
        IngestError::Limit {
            path: PathBuf::from(path),
            problem: problem.into(),
            hint: hint.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big_file_read_in_halves_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        let len = usize::try_from(HALVES_FROM_BYTES).unwrap() + 12_345;
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 4099) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert!(read_in_halves(&std::fs::File::open(&path).unwrap(), len as u64).is_some());
        assert!(read_bytes(&path, &Limits::default()).unwrap() == bytes);
        let limits = Limits {
            max_file_bytes: len as u64 - 1,
            ..Limits::default()
        };
        let e = read_bytes(&path, &limits).unwrap_err().to_string();
        assert!(e.contains("more than"), "{e}");
        // A file shorter than it was said to be is read in order.
        assert!(read_in_halves(&std::fs::File::open(&path).unwrap(), len as u64 + 1).is_none());
    }

    #[test]
    fn names_cells_and_sizes() {
        assert_eq!(cell_name(Some("Income"), 13, 2), "Income!C14");
        assert_eq!(cell_name(None, 0, 16_383), "XFD1");
        assert_eq!(cell_name(None, 1_048_575, 26), "AA1048576");
        assert_eq!(human_bytes(512 << 20), "512 MiB");
        assert_eq!(human_bytes(3 << 30), "3.0 GiB");
        assert_eq!(human_bytes(10), "10 bytes");
    }
}
