//! .xlsx and .xlsb through calamine's streaming cell reader (never `worksheet_range`, which
//! allocates a sheet's claimed size). The package is read through a [`DeadlineReader`] and the
//! clock is checked between cells, so a sheet of millions of empty cells is stopped from
//! inside; every stored cell is counted against the file's limits.

use std::io::Cursor;
use std::path::Path;

use calamine::{Reader, Xlsb, Xlsx};

use super::cells::{format_currency, from_ref, ref_text, RowBuilder};
use super::limits::{DeadlineReader, Tally};
use super::workbook::{open_error, push_sheet, worksheet_names, SheetFailure};
use super::{fenced, CellValue, Format, IngestError, Limits, RawBook, RawRow};

type Source<'b> = DeadlineReader<Cursor<&'b [u8]>>;

/// Reads an .xlsx or .xlsb workbook cell by cell.
///
/// # Errors
/// When the workbook cannot be opened, or a limit is passed; a sheet that cannot be read is
/// skipped with its reason.
pub fn read_streaming_workbook(
    path: &Path,
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<RawBook, IngestError> {
    fenced(path, || {
        let mut tally = Tally::new(path, limits);
        let source = DeadlineReader::new(Cursor::new(bytes), tally.deadline());
        match format {
            Format::Xlsb => read_xlsb(path, source, &mut tally),
            _ => read_xlsx(path, source, &mut tally),
        }
    })
}

/// A calamine error, or the deadline passing inside calamine's reads.
fn failure(tally: &Tally<'_>, e: &dyn std::fmt::Display) -> SheetFailure {
    if tally.expired() {
        SheetFailure::Stop(tally.timed_out())
    } else {
        SheetFailure::Parser(e.to_string())
    }
}

fn opened<T, E: std::fmt::Display>(
    path: &Path,
    tally: &Tally<'_>,
    wb: Result<T, E>,
) -> Result<T, IngestError> {
    wb.map_err(|e| {
        if tally.expired() {
            tally.timed_out()
        } else {
            open_error(path, &e)
        }
    })
}

fn read_xlsb(
    path: &Path,
    source: Source<'_>,
    tally: &mut Tally<'_>,
) -> Result<RawBook, IngestError> {
    let mut wb: Xlsb<_> = opened(path, tally, calamine::open_workbook_from_rs(source))?;
    let is_1904 = wb.has_1904_epoch();
    let mut skipped = Vec::new();
    let names = worksheet_names(wb.sheets_metadata(), &mut skipped);
    let mut sheets = Vec::new();
    for name in names {
        let mut read = || -> Result<Vec<RawRow>, SheetFailure> {
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| failure(tally, &e))?;
            let mut rows = RowBuilder::new(Some(&name));
            while let Some(cell) = reader.next_cell().map_err(|e| failure(tally, &e))? {
                let (r, c) = cell.get_position();
                tally.tick()?;
                if let Some(text) = ref_text(cell.get_value()) {
                    tally.text(Some(&name), r, c, text)?;
                }
                if let Some(v) = from_ref(cell.get_value()) {
                    rows.push(tally, r, c, v, None)?;
                }
            }
            Ok(rows.finish())
        };
        let read = read();
        push_sheet(&mut sheets, &mut skipped, name, is_1904, read)?;
    }
    Ok(RawBook {
        format: Format::Xlsb,
        sheets,
        skipped,
        notes: Vec::new(),
    })
}

fn read_xlsx(
    path: &Path,
    source: Source<'_>,
    tally: &mut Tally<'_>,
) -> Result<RawBook, IngestError> {
    let mut wb: Xlsx<_> = opened(path, tally, calamine::open_workbook_from_rs(source))?;
    let is_1904 = wb.has_1904_epoch();
    let mut skipped = Vec::new();
    let names = worksheet_names(wb.sheets_metadata(), &mut skipped);
    let mut sheets = Vec::new();
    for name in names {
        let mut read = || -> Result<Vec<RawRow>, SheetFailure> {
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| failure(tally, &e))?;
            let mut rows = RowBuilder::new(Some(&name));
            // The currency each style's number format displays, looked up once per style.
            let mut formats: Vec<Option<Option<String>>> = Vec::new();
            while let Some((cell, style)) = reader
                .next_cell_with_style_id()
                .map_err(|e| failure(tally, &e))?
            {
                let (r, c) = cell.get_position();
                tally.tick()?;
                if let Some(text) = ref_text(cell.get_value()) {
                    tally.text(Some(&name), r, c, text)?;
                }
                let Some(v) = from_ref(cell.get_value()) else {
                    continue;
                };
                // A style id past the styles table (a hostile file) has no format to read.
                let known = style < reader.styles().len();
                let currency = if known && matches!(v, CellValue::Int(_) | CellValue::Float(_)) {
                    if formats.len() <= style {
                        formats.resize(style + 1, None);
                    }
                    formats[style]
                        .get_or_insert_with(|| {
                            reader
                                .styles()
                                .get(style)
                                .and_then(|s| s.number_format.as_ref())
                                .and_then(|f| format_currency(&f.format_code))
                        })
                        .clone()
                } else {
                    None
                };
                rows.push(tally, r, c, v, currency)?;
            }
            Ok(rows.finish())
        };
        let read = read();
        push_sheet(&mut sheets, &mut skipped, name, is_1904, read)?;
    }
    Ok(RawBook {
        format: Format::Xlsx,
        sheets,
        skipped,
        notes: Vec::new(),
    })
}
