//! Ingest: file bytes → sheets of sparse rows, each cell with its address.
//!
//! This module owns format detection and the calls into calamine and the `csv` crate. It knows
//! nothing about ledgers: it never decides what a header, an amount or a date is. Every parser
//! call is fenced (`catch_unwind`, and a child process for the formats calamine can only read
//! whole) so that a hostile file becomes an [`IngestError`] naming the file, never a crash; and
//! every file is read within [`Limits`]: zip packages are checked before they are opened, the
//! readers run against a deadline, and rows, cells and cell text are counted as they stream.

mod cells;
mod csv_text;
mod deadline;
mod detect;
mod isolate;
mod limits;
mod package;
mod sink;
mod streaming;
mod tally;
mod workbook;
mod xml;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use cells::format_currency;
pub use csv_text::{read_csv, read_delimited, stream_delimited, Boundary, Delimited, Ended, Stop};
pub use detect::{detect_format, starts_as_text, Format};
pub use isolate::{worker_main, WORKER_ARG};
pub(crate) use limits::Tally;
pub use limits::{
    human_bytes, read_bytes, Limits, DEFAULT_MAX_CELLS, DEFAULT_MAX_ROWS, MAX_CELL_CHARS,
};
pub use sink::{replay, Collect, RowSink};
pub use streaming::read_streaming_workbook;
pub use workbook::read_whole_workbook;

/// One cell's value as the file stores it, before any ledger meaning is given to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CellValue {
    /// Text, trimmed of nothing: the ledger layer decides what whitespace means.
    Text(String),
    /// An integer number cell.
    Int(i64),
    /// A floating-point number cell (not formatted as a date).
    Float(f64),
    /// A boolean cell.
    Bool(bool),
    /// A cell formatted as a date (already converted with the workbook's epoch).
    Date(chrono::NaiveDate),
    /// A date-formatted cell whose serial number is no valid date.
    BadDate(f64),
    /// An ISO 8601 date or date-time stored as such (ODS).
    IsoDate(String),
    /// An error value such as `#N/A`.
    Error(String),
}

impl CellValue {
    /// True for a value that carries nothing a reader would see (empty or whitespace-only text).
    #[must_use]
    pub fn is_blank(&self) -> bool {
        matches!(self, CellValue::Text(t) if is_blank_text(t))
    }

    /// The value as a person would read it in the cell, for messages.
    #[must_use]
    pub fn display(&self) -> String {
        match self {
            CellValue::Text(t) | CellValue::IsoDate(t) | CellValue::Error(t) => t.clone(),
            CellValue::Int(i) => i.to_string(),
            CellValue::Float(f) => f.to_string(),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            CellValue::Date(d) => d.to_string(),
            CellValue::BadDate(f) => format!("date serial {f}"),
        }
    }
}

/// Whether text is empty or whitespace only. Most cells start with a visible ASCII character,
/// which answers at once.
pub(crate) fn is_blank_text(t: &str) -> bool {
    match t.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => false,
        _ => t.trim().is_empty(),
    }
}

/// A non-blank cell and its zero-based column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawCell {
    pub col: u32,
    pub value: CellValue,
    /// The currency a number cell's format displays (`£#,##0.00` → GBP), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A row holding at least one non-blank cell; `index` is zero-based (row 1 in the sheet is 0;
/// for CSV, the line on which the record starts, minus one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawRow {
    pub index: u32,
    pub cells: Vec<RawCell>,
}

impl RawRow {
    /// The cell in column `col`, if the row has a non-blank one there.
    #[must_use]
    pub fn get(&self, col: u32) -> Option<&CellValue> {
        self.cell(col).map(|c| &c.value)
    }

    /// The whole cell in column `col`, with its format's currency.
    #[must_use]
    pub fn cell(&self, col: u32) -> Option<&RawCell> {
        self.cells
            .binary_search_by_key(&col, |c| c.col)
            .ok()
            .and_then(|i| self.cells.get(i))
    }
}

/// One sheet (or the single table of a CSV file) as sparse rows in sheet order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawSheet {
    /// `None` for CSV, which has no sheets.
    pub name: Option<String>,
    /// The workbook counts date serials from 1904-01-01 rather than 1900-01-00.
    pub is_1904: bool,
    /// Every blank row is present as a row without cells (CSV); otherwise blank rows are the
    /// row numbers missing between rows (spreadsheets, which store only filled rows).
    #[serde(default)]
    pub explicit_blanks: bool,
    pub rows: Vec<RawRow>,
}

/// A sheet that could not be read, kept so the reader can say why it was skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedSheet {
    pub name: String,
    pub reason: String,
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawBook {
    pub format: Format,
    pub sheets: Vec<RawSheet>,
    pub skipped: Vec<SkippedSheet>,
    /// Notes about how the file was decoded (e.g. a CSV read as Windows-1252).
    pub notes: Vec<String>,
}

/// What a file held besides its rows: its format, the sheets not read, decoding notes.
#[derive(Debug, Clone, PartialEq)]
pub struct BookInfo {
    pub format: Format,
    pub skipped: Vec<SkippedSheet>,
    pub notes: Vec<String>,
}

impl RawBook {
    /// The book from what a reader said and the rows it handed on.
    #[must_use]
    pub fn from_parts(info: BookInfo, sheets: Vec<RawSheet>) -> Self {
        RawBook {
            format: info.format,
            sheets,
            skipped: info.skipped,
            notes: info.notes,
        }
    }

    /// What the book says besides its rows.
    #[must_use]
    pub fn info(&self) -> BookInfo {
        BookInfo {
            format: self.format,
            skipped: self.skipped.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {problem}")]
    Unreadable { path: PathBuf, problem: String },
    /// A resource limit was passed: size, inflation, time, rows, cells or cell text.
    #[error("{path}: {problem}\n  hint: {hint}")]
    Limit {
        path: PathBuf,
        problem: String,
        hint: String,
    },
}

impl IngestError {
    /// The message without the file name in front.
    #[must_use]
    pub fn problem(&self) -> String {
        match self {
            IngestError::Io { source, .. } => format!("cannot read the file: {source}"),
            IngestError::Unreadable { problem, .. } => problem.clone(),
            IngestError::Limit { problem, hint, .. } => format!("{problem}\n  hint: {hint}"),
        }
    }

    pub(crate) fn unreadable(path: &Path, problem: impl Into<String>) -> Self {
        IngestError::Unreadable {
            path: path.to_path_buf(),
            problem: problem.into(),
        }
    }
}

/// How to read files: the options that change what bytes mean, and what one file may cost.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Run the parsers for whole-workbook formats (.xls, .ods) in this executable as a child
    /// process, so that an allocation failure rejects the file instead of ending the run.
    pub worker_exe: Option<PathBuf>,
    /// Size, time, row and cell limits for each file.
    pub limits: Limits,
    /// Read .xlsx sheets with fundrisk's own scanner where it gives calamine's cells exactly
    /// (the default, and much faster); `false` reads every sheet with calamine's cell reader.
    pub fast_xlsx: bool,
}

/// Reads one file into sheets of sparse rows; the format comes from the content.
///
/// # Errors
/// An [`IngestError`] naming the file when it cannot be read or is no spreadsheet or CSV.
pub fn read_file(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<RawBook, IngestError> {
    let mut rows = Collect::default();
    let info = stream_file(path, bytes, opts, &mut rows)?;
    Ok(RawBook::from_parts(info, rows.sheets))
}

/// Reads one file, handing its rows to `sink` as they are read; the format comes from the
/// content. .xlsx, .xlsb and delimited text stream; .xls and .ods are read whole (in a child
/// process when `opts` names one) and then handed on.
///
/// # Errors
/// An [`IngestError`] naming the file when it cannot be read or is no spreadsheet or CSV.
pub fn stream_file(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
    sink: &mut dyn RowSink,
) -> Result<BookInfo, IngestError> {
    let limits = &opts.limits;
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(limits::file_too_large(path, bytes.len() as u64, limits));
    }
    let format = detect_format(path, bytes)?;
    if matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
        package::check_package(path, bytes, limits)?;
    }
    match format {
        Format::Csv => stream_delimited(path, bytes, b'\0', limits, sink),
        Format::Tsv => stream_delimited(path, bytes, b'\t', limits, sink),
        Format::Xlsx | Format::Xlsb => {
            read_streaming_workbook(path, bytes, format, limits, opts.fast_xlsx, sink)
        }
        Format::Xls | Format::Ods => {
            let book = match &opts.worker_exe {
                Some(exe) => isolate::read_in_child(exe, path, format, limits)?,
                None => read_whole_workbook(path, bytes, format, limits)?,
            };
            replay(&book, sink);
            Ok(book.info())
        }
    }
}

/// Runs a parser, turning a panic inside it into an error naming the file.
pub(crate) fn fenced<T>(
    path: &Path,
    f: impl FnOnce() -> Result<T, IngestError>,
) -> Result<T, IngestError> {
    crate::panic_guard::quietly(f).unwrap_or_else(|msg| {
        Err(IngestError::unreadable(
            path,
            format!("the spreadsheet parser failed on this file ({msg}); the file is probably corrupt — open it in a spreadsheet program and save it again"),
        ))
    })
}
