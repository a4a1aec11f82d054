//! .xls and .ods through calamine's whole-sheet reader, the only route calamine offers for
//! those formats (run in a child process by [`super::isolate`]), and what every workbook
//! reader shares: which sheets are worksheets, and how a sheet that fails is recorded.

use std::io::Cursor;
use std::path::Path;

use calamine::{Ods, Reader, SheetType, Xls};

use super::cells::{data_text, from_data, RowBuilder};
use super::limits::{DeadlineReader, Tally};
use super::{fenced, Format, IngestError, Limits, RawBook, RawRow, RawSheet, SkippedSheet};

/// Why a sheet was not read: the parser failed on it (the sheet is skipped and the rest of the
/// file read), or a limit was passed (the whole file is refused).
pub(crate) enum SheetFailure {
    Parser(String),
    Stop(IngestError),
    /// Cells arrived for a row already handed on (see [`super::sink::Refused`]).
    OutOfOrder,
    /// The fast .xlsx reader met XML it leaves to calamine (see [`super::xml`]).
    Unsupported(&'static str),
}

impl From<super::sink::Refused> for SheetFailure {
    fn from(e: super::sink::Refused) -> Self {
        match e {
            super::sink::Refused::Limit(e) => SheetFailure::Stop(e),
            super::sink::Refused::OutOfOrder => SheetFailure::OutOfOrder,
        }
    }
}

impl From<IngestError> for SheetFailure {
    fn from(e: IngestError) -> Self {
        SheetFailure::Stop(e)
    }
}

pub(crate) fn worksheet_names(
    sheets: &[calamine::Sheet],
    skipped: &mut Vec<SkippedSheet>,
) -> Vec<String> {
    let mut names = Vec::new();
    for s in sheets {
        if s.typ == SheetType::WorkSheet {
            names.push(s.name.clone());
        } else {
            skipped.push(SkippedSheet {
                name: s.name.clone(),
                reason: match s.typ {
                    SheetType::ChartSheet => "a chart sheet, not a worksheet",
                    SheetType::DialogSheet => "a dialog sheet, not a worksheet",
                    SheetType::MacroSheet => "a macro sheet, not a worksheet",
                    SheetType::Vba | SheetType::WorkSheet => "a VBA module, not a worksheet",
                }
                .to_string(),
            });
        }
    }
    names
}

/// Records a sheet's rows, or the reason it was skipped; a passed limit refuses the file.
pub(crate) fn push_sheet(
    sheets: &mut Vec<RawSheet>,
    skipped: &mut Vec<SkippedSheet>,
    name: String,
    is_1904: bool,
    read: Result<Vec<RawRow>, SheetFailure>,
) -> Result<(), IngestError> {
    match read {
        Ok(rows) => sheets.push(RawSheet {
            name: Some(name),
            is_1904,
            explicit_blanks: false,
            rows,
        }),
        Err(SheetFailure::Parser(e)) => skipped.push(SkippedSheet {
            name,
            reason: format!("could not be read: {e}"),
        }),
        Err(SheetFailure::Stop(e)) => return Err(e),
        Err(SheetFailure::OutOfOrder) => skipped.push(SkippedSheet {
            name,
            reason: "could not be read: its cells are stored out of order".into(),
        }),
        Err(SheetFailure::Unsupported(why)) => skipped.push(SkippedSheet {
            name,
            reason: format!("could not be read: {why}"),
        }),
    }
    Ok(())
}

pub(crate) fn open_error(path: &Path, e: &dyn std::fmt::Display) -> IngestError {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    let hint = if lower.contains("password") || lower.contains("encrypt") {
        "the workbook is password-protected (encrypted); remove the password in the spreadsheet program and save a copy".to_string()
    } else {
        format!("the spreadsheet cannot be opened ({text}); it may be damaged or truncated — open it in a spreadsheet program and save it again")
    };
    IngestError::unreadable(path, hint)
}

/// Reads an .xls or .ods workbook, whose parsers only offer whole sheets.
///
/// # Errors
/// When the workbook cannot be opened, or a limit is passed; a sheet that cannot be read is
/// skipped with its reason.
pub fn read_whole_workbook(
    path: &Path,
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<RawBook, IngestError> {
    fenced(path, || {
        let mut tally = Tally::new(path, limits);
        let source = DeadlineReader::new(Cursor::new(bytes), tally.deadline());
        let opened = |e: &dyn std::fmt::Display, tally: &Tally<'_>| {
            if tally.expired() {
                tally.timed_out()
            } else {
                open_error(path, e)
            }
        };
        let (sheets, skipped) = if format == Format::Ods {
            let mut wb: Ods<_> =
                calamine::open_workbook_from_rs(source).map_err(|e| opened(&e, &tally))?;
            read_sheets(&mut wb, false, &mut tally)?
        } else {
            let mut wb: Xls<_> =
                calamine::open_workbook_from_rs(source).map_err(|e| opened(&e, &tally))?;
            let is_1904 = wb.has_1904_epoch();
            read_sheets(&mut wb, is_1904, &mut tally)?
        };
        Ok(RawBook {
            format,
            sheets,
            skipped,
            notes: Vec::new(),
        })
    })
}

/// Every worksheet of an opened whole-sheet workbook, one range at a time.
fn read_sheets<RS, W>(
    wb: &mut W,
    is_1904: bool,
    tally: &mut Tally<'_>,
) -> Result<(Vec<RawSheet>, Vec<SkippedSheet>), IngestError>
where
    RS: std::io::Read + std::io::Seek,
    W: Reader<RS>,
    W::Error: std::fmt::Display,
{
    let mut skipped = Vec::new();
    let names = worksheet_names(wb.sheets_metadata(), &mut skipped);
    let mut sheets = Vec::new();
    for name in names {
        let read = match wb.worksheet_range(&name) {
            Err(e) => Err(SheetFailure::Parser(e.to_string())),
            Ok(range) => (|| {
                let mut rows = RowBuilder::new(Some(&name));
                let (r0, c0) = range.start().unwrap_or((0, 0));
                for (r, c, v) in range.used_cells() {
                    let (row, col) = (
                        r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX)),
                        c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX)),
                    );
                    tally.tick()?;
                    if let Some(text) = data_text(v) {
                        tally.text(Some(&name), row, col, text)?;
                    }
                    if let Some(v) = from_data(v) {
                        rows.push(tally, row, col, v, None)?;
                    }
                }
                Ok(rows.finish())
            })(),
        };
        push_sheet(&mut sheets, &mut skipped, name, is_1904, read)?;
    }
    Ok((sheets, skipped))
}
