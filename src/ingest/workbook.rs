//! Workbooks through calamine: a streaming cell reader for .xlsx/.xlsb (never `worksheet_range`,
//! which trusts a sheet's claimed size), and the whole-sheet reader for .xls/.ods, the only route
//! calamine offers for those formats.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, SheetType, Xls, Xlsb, Xlsx};

use super::{
    fenced, CellValue, Format, IngestError, RawBook, RawCell, RawRow, RawSheet, SkippedSheet,
};

/// Collects cells in the order a reader yields them into sparse rows.
#[derive(Default)]
struct RowBuilder {
    cells: Vec<(u32, u32, CellValue, Option<String>)>,
    sorted: bool,
}

impl RowBuilder {
    fn new() -> Self {
        RowBuilder {
            cells: Vec::new(),
            sorted: true,
        }
    }

    fn push(&mut self, row: u32, col: u32, value: CellValue) {
        self.push_with_currency(row, col, value, None);
    }

    fn push_with_currency(
        &mut self,
        row: u32,
        col: u32,
        value: CellValue,
        currency: Option<String>,
    ) {
        if value.is_blank() {
            return;
        }
        if let Some(&(r, c, _, _)) = self.cells.last() {
            if (row, col) < (r, c) {
                self.sorted = false;
            }
        }
        self.cells.push((row, col, value, currency));
    }

    fn finish(mut self) -> Vec<RawRow> {
        if !self.sorted {
            self.cells.sort_by_key(|&(r, c, _, _)| (r, c));
        }
        let mut rows: Vec<RawRow> = Vec::new();
        for (r, c, value, currency) in self.cells {
            match rows.last_mut() {
                Some(last) if last.index == r => {
                    if last.cells.last().is_some_and(|x| x.col == c) {
                        // A duplicated cell in a malformed file: the later value wins, as in Excel.
                        if let Some(x) = last.cells.last_mut() {
                            x.value = value;
                            x.currency = currency;
                        }
                    } else {
                        last.cells.push(RawCell {
                            col: c,
                            value,
                            currency,
                        });
                    }
                }
                _ => rows.push(RawRow {
                    index: r,
                    cells: vec![RawCell {
                        col: c,
                        value,
                        currency,
                    }],
                }),
            }
        }
        rows
    }
}

fn from_ref(value: &DataRef<'_>) -> Option<CellValue> {
    Some(match value {
        DataRef::Empty => return None,
        DataRef::Int(i) => CellValue::Int(*i),
        DataRef::Float(f) => CellValue::Float(*f),
        DataRef::String(s) => CellValue::Text(s.clone()),
        DataRef::SharedString(s) => CellValue::Text((*s).to_string()),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(dt) => excel_date(dt),
        DataRef::DateTimeIso(s) => CellValue::IsoDate(s.clone()),
        DataRef::DurationIso(s) => CellValue::Text(s.clone()),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
    })
}

fn from_data(value: &Data) -> Option<CellValue> {
    Some(match value {
        Data::Empty => return None,
        Data::Int(i) => CellValue::Int(*i),
        Data::Float(f) => CellValue::Float(*f),
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => excel_date(dt),
        Data::DateTimeIso(s) => CellValue::IsoDate(s.clone()),
        Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
    })
}

fn excel_date(dt: &calamine::ExcelDateTime) -> CellValue {
    if dt.is_duration() {
        return CellValue::Float(dt.as_f64());
    }
    match dt.as_datetime() {
        Some(d) => CellValue::Date(d.date()),
        None => CellValue::BadDate(dt.as_f64()),
    }
}

/// The currency a number format displays: `[$£-809]#,##0.00`, `"£"#,##0`, `€#,##0.00`,
/// `[$$-409]#,##0.00` (the locale tells which dollar), `#,##0.00 [$EUR]`.
#[must_use]
pub fn format_currency(code: &str) -> Option<String> {
    // Bracketed currency: [$SYMBOL-LCID] or [$CODE].
    let mut rest = code;
    while let Some(start) = rest.find("[$") {
        let inner = &rest[start + 2..];
        let end = inner.find(']')?;
        let body = &inner[..end];
        let (symbol, lcid) = body.split_once('-').unwrap_or((body, ""));
        if !symbol.is_empty() {
            let dollar = match lcid.to_ascii_uppercase().as_str() {
                "1009" | "C0C" => "CAD",
                "C09" => "AUD",
                "1409" => "NZD",
                "1004" => "SGD",
                "C04" => "HKD",
                _ => "USD",
            };
            return crate::ledger::currency_code(symbol, dollar);
        }
        rest = &inner[end..];
    }
    // Literal symbols, quoted or bare, outside other brackets.
    let mut depth = 0;
    for ch in code.chars() {
        match ch {
            '[' => depth += 1,
            ']' => depth -= 1,
            '£' | '€' | '¥' | '₹' | '$' if depth == 0 => {
                return crate::ledger::currency_code(&ch.to_string(), "USD");
            }
            _ => {}
        }
    }
    None
}

fn worksheet_names(sheets: &[calamine::Sheet], skipped: &mut Vec<SkippedSheet>) -> Vec<String> {
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

/// Reads an .xlsx or .xlsb workbook cell by cell.
///
/// # Errors
/// When the workbook cannot be opened; a sheet that cannot be read is skipped with its reason.
pub fn read_streaming_workbook(
    path: &Path,
    bytes: &[u8],
    format: Format,
) -> Result<RawBook, IngestError> {
    fenced(path, || match format {
        Format::Xlsb => {
            let mut wb: Xlsb<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| open_error(path, &e))?;
            let is_1904 = wb.has_1904_epoch();
            let mut skipped = Vec::new();
            let names = worksheet_names(wb.sheets_metadata(), &mut skipped);
            let mut sheets = Vec::new();
            for name in names {
                let read = (|| -> Result<Vec<RawRow>, calamine::XlsbError> {
                    let mut reader = wb.worksheet_cells_reader(&name)?;
                    let mut rows = RowBuilder::new();
                    while let Some(cell) = reader.next_cell()? {
                        let (r, c) = cell.get_position();
                        if let Some(v) = from_ref(cell.get_value()) {
                            rows.push(r, c, v);
                        }
                    }
                    Ok(rows.finish())
                })();
                push_sheet(&mut sheets, &mut skipped, name, is_1904, read);
            }
            Ok(RawBook {
                format,
                sheets,
                skipped,
                notes: Vec::new(),
            })
        }
        _ => {
            let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| open_error(path, &e))?;
            let is_1904 = wb.has_1904_epoch();
            let mut skipped = Vec::new();
            let names = worksheet_names(wb.sheets_metadata(), &mut skipped);
            let mut sheets = Vec::new();
            for name in names {
                let read = (|| -> Result<Vec<RawRow>, calamine::XlsxError> {
                    let mut reader = wb.worksheet_cells_reader(&name)?;
                    let mut rows = RowBuilder::new();
                    let mut formats: Vec<Option<Option<String>>> = Vec::new();
                    while let Some((cell, style)) = reader.next_cell_with_style_id()? {
                        let (r, c) = cell.get_position();
                        if let Some(v) = from_ref(cell.get_value()) {
                            let currency = if matches!(v, CellValue::Int(_) | CellValue::Float(_)) {
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
                            rows.push_with_currency(r, c, v, currency);
                        }
                    }
                    Ok(rows.finish())
                })();
                push_sheet(&mut sheets, &mut skipped, name, is_1904, read);
            }
            Ok(RawBook {
                format,
                sheets,
                skipped,
                notes: Vec::new(),
            })
        }
    })
}

fn push_sheet<E: std::fmt::Display>(
    sheets: &mut Vec<RawSheet>,
    skipped: &mut Vec<SkippedSheet>,
    name: String,
    is_1904: bool,
    read: Result<Vec<RawRow>, E>,
) {
    match read {
        Ok(rows) => sheets.push(RawSheet {
            name: Some(name),
            is_1904,
            explicit_blanks: false,
            rows,
        }),
        Err(e) => skipped.push(SkippedSheet {
            name,
            reason: format!("could not be read: {e}"),
        }),
    }
}

fn open_error(path: &Path, e: &dyn std::fmt::Display) -> IngestError {
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
/// When the workbook cannot be opened; a sheet that cannot be read is skipped with its reason.
pub fn read_whole_workbook(
    path: &Path,
    bytes: &[u8],
    format: Format,
) -> Result<RawBook, IngestError> {
    fenced(path, || {
        let (is_1904, names, mut skipped, ranges) = if format == Format::Ods {
            let mut wb: Ods<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| open_error(path, &e))?;
            let mut skipped = Vec::new();
            let names = worksheet_names(wb.sheets_metadata(), &mut skipped);
            let ranges: Vec<_> = names
                .iter()
                .map(|n| wb.worksheet_range(n).map_err(|e| e.to_string()))
                .collect();
            (false, names, skipped, ranges)
        } else {
            let mut wb: Xls<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| open_error(path, &e))?;
            let mut skipped = Vec::new();
            let names = worksheet_names(wb.sheets_metadata(), &mut skipped);
            let ranges: Vec<_> = names
                .iter()
                .map(|n| wb.worksheet_range(n).map_err(|e| e.to_string()))
                .collect();
            (wb.has_1904_epoch(), names, skipped, ranges)
        };
        let mut sheets = Vec::new();
        for (name, range) in names.into_iter().zip(ranges) {
            let read = range.map(|range| {
                let mut rows = RowBuilder::new();
                for (r, c, v) in range.used_cells() {
                    if let Some(v) = from_data(v) {
                        let (r0, c0) = range.start().unwrap_or((0, 0));
                        let (row, col) = (
                            r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX)),
                            c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX)),
                        );
                        rows.push(row, col, v);
                    }
                }
                rows.finish()
            });
            push_sheet(&mut sheets, &mut skipped, name, is_1904, read);
        }
        Ok(RawBook {
            format,
            sheets,
            skipped,
            notes: Vec::new(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::format_currency;

    #[test]
    fn currencies_from_number_formats() {
        assert_eq!(
            format_currency("[$£-809]#,##0.00;\\-[$£-809]#,##0.00").as_deref(),
            Some("GBP")
        );
        assert_eq!(format_currency("[$$-409]#,##0.00").as_deref(), Some("USD"));
        assert_eq!(format_currency("[$$-1009]#,##0.00").as_deref(), Some("CAD"));
        assert_eq!(format_currency("\"£\"#,##0").as_deref(), Some("GBP"));
        assert_eq!(format_currency("#,##0.00 [$EUR]").as_deref(), Some("EUR"));
        assert_eq!(format_currency("€#,##0.00").as_deref(), Some("EUR"));
        assert_eq!(format_currency("#,##0.00;[Red]-#,##0.00"), None);
        assert_eq!(format_currency("General"), None);
    }
}
