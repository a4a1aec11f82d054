//! .xlsx and .xlsb through calamine's streaming cell reader (never `worksheet_range`, which
//! allocates a sheet's claimed size). The package is read through a [`DeadlineReader`] and the
//! clock is checked between cells, so a sheet of millions of empty cells is stopped from
//! inside; every stored cell is counted against the file's limits. Rows go to the sink as
//! soon as they are complete; a sheet whose rows are stored out of order is read again whole
//! and sorted.

use std::io::Cursor;
use std::path::Path;

use calamine::{DataRef, Reader, Xlsb, Xlsx};

use super::cells::{format_currency, from_ref, ref_text, RowBuilder};
use super::limits::{DeadlineReader, SeekLog, Tally};
use super::sink::{RowSink, RowStream};
use super::workbook::{open_error, worksheet_names, SheetFailure};
use super::xml::{Halt, Package, Unsupported};
use super::{fenced, BookInfo, Format, IngestError, Limits, RawRow, SkippedSheet};

type Source<'b> = DeadlineReader<Cursor<&'b [u8]>>;

/// Reads an .xlsx or .xlsb workbook cell by cell into `sink` (.xlsx sheets with the fast
/// reader of [`super::xml`] unless `fast_xlsx` is false).
///
/// # Errors
/// When the workbook cannot be opened, or a limit is passed; a sheet that cannot be read is
/// skipped with its reason.
pub fn read_streaming_workbook(
    path: &Path,
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    fast_xlsx: bool,
    sink: &mut dyn RowSink,
) -> Result<BookInfo, IngestError> {
    fenced(path, || {
        let mut tally = Tally::new(path, limits);
        let source = DeadlineReader::new(Cursor::new(bytes), tally.deadline());
        let skipped = match format {
            Format::Xlsb => {
                let mut wb: Xlsb<_> =
                    opened(path, &tally, calamine::open_workbook_from_rs(source))?;
                let is_1904 = wb.has_1904_epoch();
                each_sheet(
                    &mut wb,
                    is_1904,
                    &mut tally,
                    sink,
                    &mut |wb, name, _, tally, f| xlsb_cells(wb, name, tally, f),
                )?
            }
            _ => {
                let log = SeekLog::default();
                let mut wb: Xlsx<_> = opened(
                    path,
                    &tally,
                    calamine::open_workbook_from_rs(source.logging(log.clone())),
                )?;
                let is_1904 = wb.has_1904_epoch();
                let mut fast = if fast_xlsx {
                    Package::new(
                        DeadlineReader::new(Cursor::new(bytes), tally.deadline()),
                        log,
                    )
                } else {
                    None
                };
                each_sheet(
                    &mut wb,
                    is_1904,
                    &mut tally,
                    sink,
                    &mut |wb, name, try_fast, tally, f| {
                        xlsx_cells(wb, name, fast.as_mut().filter(|_| try_fast), tally, f)
                    },
                )?
            }
        };
        Ok(BookInfo {
            format,
            skipped,
            notes: Vec::new(),
        })
    })
}

/// A format's cell loop over one sheet; the flag allows the fast .xlsx reader.
type CellLoop<'c, W> =
    dyn FnMut(&mut W, &str, bool, &mut Tally<'_>, &mut OnCell<'_>) -> Result<(), SheetFailure> + 'c;

/// Streams every worksheet of an opened workbook through `cells`, its format's cell loop;
/// returns the sheets that were not read, with why.
fn each_sheet<'b, W>(
    wb: &mut W,
    is_1904: bool,
    tally: &mut Tally<'_>,
    sink: &mut dyn RowSink,
    cells: &mut CellLoop<'_, W>,
) -> Result<Vec<SkippedSheet>, IngestError>
where
    W: Reader<Source<'b>>,
{
    let mut skipped = Vec::new();
    let names = worksheet_names(wb.sheets_metadata(), &mut skipped);
    for name in names {
        read_sheet(
            &name,
            is_1904,
            tally,
            sink,
            &mut skipped,
            |tally, fast, f| cells(wb, &name, fast, tally, f),
        )?;
    }
    Ok(skipped)
}

/// What a sheet's cell loop calls for each cell: position, value, and the currency its
/// number format displays.
type OnCell<'f> = dyn FnMut(&mut Tally<'_>, u32, u32, &DataRef<'_>, Option<String>) -> Result<(), SheetFailure>
    + 'f;

/// Streams one sheet into the sink; reads it again whole and sorted when its rows are out of
/// order, and again with calamine when the fast reader leaves it; records it as skipped when
/// the parser fails on it.
fn read_sheet(
    name: &str,
    is_1904: bool,
    tally: &mut Tally<'_>,
    sink: &mut dyn RowSink,
    skipped: &mut Vec<SkippedSheet>,
    mut cells: impl FnMut(&mut Tally<'_>, bool, &mut OnCell<'_>) -> Result<(), SheetFailure>,
) -> Result<(), IngestError> {
    let mark = tally.mark();
    let (mut fast, mut whole) = (true, false);
    let failure = loop {
        tally.reset_to(mark);
        let attempt = if whole {
            whole_sheet(name, is_1904, tally, sink, |tally, f| cells(tally, fast, f))
        } else {
            streamed_sheet(name, is_1904, tally, sink, |tally, f| cells(tally, fast, f))
        };
        match attempt {
            Ok(()) => return Ok(()),
            Err(SheetFailure::Unsupported(_)) if fast => fast = false,
            Err(SheetFailure::OutOfOrder) if !whole => whole = true,
            Err(f) => break f,
        }
    };
    match failure {
        SheetFailure::Stop(e) => Err(e),
        SheetFailure::Parser(e) => {
            skipped.push(SkippedSheet {
                name: name.to_string(),
                reason: format!("could not be read: {e}"),
            });
            Ok(())
        }
        SheetFailure::OutOfOrder => {
            skipped.push(SkippedSheet {
                name: name.to_string(),
                reason: "could not be read: its cells are stored out of order".to_string(),
            });
            Ok(())
        }
        SheetFailure::Unsupported(why) => {
            skipped.push(SkippedSheet {
                name: name.to_string(),
                reason: format!("could not be read: {why}"),
            });
            Ok(())
        }
    }
}

/// Ticks the clock for a cell and refuses text longer than a cell may hold, before it is copied.
fn counted(
    tally: &mut Tally<'_>,
    sheet: &str,
    r: u32,
    c: u32,
    value: &DataRef<'_>,
) -> Result<(), IngestError> {
    tally.tick()?;
    match ref_text(value) {
        Some(text) => tally.text(Some(sheet), r, c, text),
        None => Ok(()),
    }
}

/// Streams the sheet's rows to the sink as they complete.
fn streamed_sheet(
    name: &str,
    is_1904: bool,
    tally: &mut Tally<'_>,
    sink: &mut dyn RowSink,
    mut cells: impl FnMut(&mut Tally<'_>, &mut OnCell<'_>) -> Result<(), SheetFailure>,
) -> Result<(), SheetFailure> {
    if !sink.begin_sheet(Some(name), is_1904, false) {
        return Ok(());
    }
    let mut rows = RowStream::new(Some(name));
    let result = cells(tally, &mut |tally, r, c, value, currency| {
        counted(tally, name, r, c, value)?;
        match rows.value(value) {
            Some(v) => rows
                .push(tally, sink, r, c, v, currency)
                .map_err(SheetFailure::from),
            None => Ok(()),
        }
    });
    match result {
        Ok(()) => {
            rows.flush(sink);
            sink.end_sheet();
            Ok(())
        }
        Err(f) => {
            sink.abort_sheet();
            Err(f)
        }
    }
}

/// Reads the whole sheet, sorts its rows and then gives them to the sink.
fn whole_sheet(
    name: &str,
    is_1904: bool,
    tally: &mut Tally<'_>,
    sink: &mut dyn RowSink,
    mut cells: impl FnMut(&mut Tally<'_>, &mut OnCell<'_>) -> Result<(), SheetFailure>,
) -> Result<(), SheetFailure> {
    let mut rows = RowBuilder::new(Some(name));
    cells(tally, &mut |tally, r, c, value, currency| {
        counted(tally, name, r, c, value)?;
        match from_ref(value) {
            Some(v) => Ok(rows.push(tally, r, c, v, currency)?),
            None => Ok(()),
        }
    })?;
    let rows: Vec<RawRow> = rows.finish();
    if sink.begin_sheet(Some(name), is_1904, false) {
        for row in &rows {
            sink.row(row);
        }
        sink.end_sheet();
    }
    Ok(())
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

fn xlsb_cells(
    wb: &mut Xlsb<Source<'_>>,
    name: &str,
    tally: &mut Tally<'_>,
    on_cell: &mut OnCell<'_>,
) -> Result<(), SheetFailure> {
    let mut reader = wb
        .worksheet_cells_reader(name)
        .map_err(|e| failure(tally, &e))?;
    while let Some(cell) = reader.next_cell().map_err(|e| failure(tally, &e))? {
        let (r, c) = cell.get_position();
        on_cell(tally, r, c, cell.get_value(), None)?;
    }
    Ok(())
}

fn xlsx_cells(
    wb: &mut Xlsx<Source<'_>>,
    name: &str,
    fast: Option<&mut Package<'_>>,
    tally: &mut Tally<'_>,
    on_cell: &mut OnCell<'_>,
) -> Result<(), SheetFailure> {
    if let Some(fast) = &fast {
        fast.watch();
    }
    let is_1904 = wb.has_1904_epoch();
    let mut reader = wb
        .worksheet_cells_reader(name)
        .map_err(|e| failure(tally, &e))?;
    // The currency each style's number format displays, looked up once per style.
    let mut formats: Vec<Option<Option<String>>> = Vec::new();
    let mut currency = |styles: &[calamine::Style], style: usize, value: &DataRef<'_>| {
        // A style id past the styles table (a hostile file) has no format to read.
        if style >= styles.len() || !matches!(value, DataRef::Int(_) | DataRef::Float(_)) {
            return None;
        }
        if formats.len() <= style {
            formats.resize(style + 1, None);
        }
        formats[style]
            .get_or_insert_with(|| {
                styles
                    .get(style)
                    .and_then(|s| s.number_format.as_ref())
                    .filter(|f| !shows_local_currency(f.format_id, &f.format_code))
                    .and_then(|f| format_currency(&f.format_code))
            })
            .clone()
    };
    if let Some(fast) = fast {
        let styles = reader.styles();
        let read = fast.read_sheet(name, styles, is_1904, &mut |r, c, value, style| {
            let currency = currency(styles, style, value);
            on_cell(tally, r, c, value, currency)
        });
        return match read {
            Ok(()) => Ok(()),
            Err(Halt::Cell(f)) => Err(f),
            Err(Halt::Io(_)) if tally.expired() => Err(SheetFailure::Stop(tally.timed_out())),
            Err(Halt::Io(_)) => Err(SheetFailure::Unsupported(
                "the sheet's entry could not be read",
            )),
            Err(Halt::Unsupported(Unsupported(why))) => Err(SheetFailure::Unsupported(why)),
        };
    }
    while let Some((cell, style)) = reader
        .next_cell_with_style_id()
        .map_err(|e| failure(tally, &e))?
    {
        let (r, c) = cell.get_position();
        let value = cell.get_value();
        let currency = currency(reader.styles(), style, value);
        on_cell(tally, r, c, value, currency)?;
    }
    Ok(())
}

/// A built-in currency format the workbook does not spell out (ids 5–8 and 41–44): Excel shows
/// it in the reader's own currency, and calamine fills in the US code, so its `$` names no
/// currency.
fn shows_local_currency(format_id: Option<u32>, code: &str) -> bool {
    format_id.is_some_and(|id| {
        matches!(id, 5..=8 | 41..=44)
            && match super::xml::builtin_code(id) {
                Some(builtin) => code == builtin,
                // Ids 5–8 have no code in the standard: a bare `$` is the placeholder.
                None => !code.contains("[$") && !code.contains(['£', '€', '¥', '₹']),
            }
    })
}

#[cfg(test)]
mod tests {
    use super::shows_local_currency;

    fn format(id: u32, code: &str) -> (Option<u32>, &str) {
        (Some(id), code)
    }

    fn shows_local_currency_of((id, code): (Option<u32>, &str)) -> bool {
        shows_local_currency(id, code)
    }

    #[test]
    fn built_in_currency_formats_name_no_currency() {
        // Excel's Accounting format as calamine fills it in when the workbook leaves it out.
        let us = "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)";
        assert!(shows_local_currency_of(format(44, us)));
        assert!(shows_local_currency_of(format(7, "\"$\"#,##0.00")));
        // A UK workbook that spells id 44 out with its own symbol keeps it.
        let uk = "_-\"£\"* #,##0.00_-;\\-\"£\"* #,##0.00_-;_-\"£\"* \"-\"??_-;_-@_-";
        assert!(!shows_local_currency_of(format(44, uk)));
        assert!(!shows_local_currency_of(format(164, "[$$-409]#,##0.00")));
    }
}
