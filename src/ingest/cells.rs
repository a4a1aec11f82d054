//! Cells from calamine into sparse rows: value conversion, the row builder that counts what it
//! stores against the file's limits, and the currency a number format displays.

use calamine::{Data, DataRef};

use super::limits::Tally;
use super::{CellValue, IngestError, RawCell, RawRow};

/// Collects non-blank cells, in the order a reader yields them, into sparse rows.
///
/// Readers yield cells in sheet order, so rows are built as cells arrive; a malformed file
/// whose cells are out of order is sorted once at the end.
pub(crate) struct RowBuilder<'s> {
    sheet: Option<&'s str>,
    rows: Vec<RawRow>,
    sorted: bool,
}

impl<'s> RowBuilder<'s> {
    pub(crate) fn new(sheet: Option<&'s str>) -> Self {
        RowBuilder {
            sheet,
            rows: Vec::new(),
            sorted: true,
        }
    }

    /// Adds a cell (a blank one is dropped), counting it against the limits.
    pub(crate) fn push(
        &mut self,
        tally: &mut Tally<'_>,
        row: u32,
        col: u32,
        value: CellValue,
        currency: Option<String>,
    ) -> Result<(), IngestError> {
        if value.is_blank() {
            return Ok(());
        }
        tally.cell(self.sheet, row, col)?;
        let cell = RawCell {
            col,
            value,
            currency,
        };
        match self.rows.last_mut() {
            Some(last) if last.index == row => match last.cells.last_mut() {
                // A duplicated cell in a malformed file: the later value wins, as in Excel.
                Some(prev) if prev.col == col => *prev = cell,
                Some(prev) if prev.col > col => {
                    self.sorted = false;
                    last.cells.push(cell);
                }
                _ => last.cells.push(cell),
            },
            last => {
                if let Some(l) = last {
                    if l.index > row {
                        self.sorted = false;
                    }
                    // The row is complete: drop its spare capacity.
                    l.cells.shrink_to_fit();
                }
                tally.row(self.sheet, row)?;
                self.rows.push(RawRow {
                    index: row,
                    cells: vec![cell],
                });
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> Vec<RawRow> {
        if self.sorted {
            return self.rows;
        }
        let mut cells: Vec<(u32, RawCell)> = self
            .rows
            .into_iter()
            .flat_map(|r| r.cells.into_iter().map(move |c| (r.index, c)))
            .collect();
        // Stable, so that of two cells at one address the later one wins below.
        cells.sort_by_key(|(r, c)| (*r, c.col));
        let mut rows: Vec<RawRow> = Vec::new();
        for (r, cell) in cells {
            match rows.last_mut() {
                Some(last) if last.index == r => match last.cells.last_mut() {
                    Some(prev) if prev.col == cell.col => *prev = cell,
                    _ => last.cells.push(cell),
                },
                _ => rows.push(RawRow {
                    index: r,
                    cells: vec![cell],
                }),
            }
        }
        rows
    }
}

/// The text a streamed value holds, to be measured before it is copied.
pub(crate) fn ref_text<'a>(value: &'a DataRef<'_>) -> Option<&'a str> {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(s),
        DataRef::SharedString(s) => Some(s),
        _ => None,
    }
}

/// The text a whole-sheet value holds.
pub(crate) fn data_text(value: &Data) -> Option<&str> {
    match value {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s),
        _ => None,
    }
}

pub(crate) fn from_ref(value: &DataRef<'_>) -> Option<CellValue> {
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

pub(crate) fn from_data(value: &Data) -> Option<CellValue> {
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

pub(crate) fn excel_date(dt: &calamine::ExcelDateTime) -> CellValue {
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ingest::Limits;

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

    #[test]
    fn out_of_order_and_duplicate_cells_are_sorted_and_the_later_wins() {
        let limits = Limits::default();
        let mut tally = Tally::new(Path::new("x.xlsx"), &limits);
        let mut rows = RowBuilder::new(Some("S"));
        let t = |s: &str| CellValue::Text(s.into());
        for (r, c, v) in [
            (3, 1, "d"),
            (1, 2, "b"),
            (1, 0, "a"),
            (3, 1, "e"),
            (2, 0, " "),
        ] {
            rows.push(&mut tally, r, c, t(v), None).unwrap();
        }
        let got: Vec<(u32, Vec<(u32, String)>)> = rows
            .finish()
            .into_iter()
            .map(|r| {
                (
                    r.index,
                    r.cells
                        .into_iter()
                        .map(|c| (c.col, c.value.display()))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, vec![(0, "a".into()), (2, "b".into())]),
                (3, vec![(1, "e".into())])
            ]
        );
    }
}
