//! Reading 360Giving files into grants: spreadsheet and CSV sheets stream row by row through a
//! [`RowSink`] (the header is the first row, among the first 30, naming Identifier and Amount
//! Awarded), and JSON is read whole. Every row becomes a grant or an exclusion with its cell.

use std::fmt;
use std::path::Path;

use rust_decimal::Decimal;

use super::{Grant, GrantsOutcome, Unusable};
use crate::ingest::{CellValue, RawRow, ReadOptions, RowSink};
use crate::ledger::classify::normalise_id;
use crate::ledger::{
    column_letters, from_float, normalise, parse_money, DateOrder, Interner, Text,
};

use super::dates::{date_of, modified_of};

/// Rows searched for the header.
const HEADER_ROWS: usize = 30;

/// Where a grant was read: a sheet's cell, or an entry of a JSON list.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Place {
    Cell {
        sheet: Option<Text>,
        col: u32,
        row: u32,
    },
    Json(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Cell { sheet, col, row } => {
                if let Some(s) = sheet {
                    write!(f, "{s}!")?;
                }
                write!(f, "{}{}", column_letters(*col), u64::from(*row) + 1)
            }
            Place::Json(i) => write!(f, "grants[{i}]"),
        }
    }
}

/// Reads one grant file into `grants` and `out`.
pub(super) fn read_file(
    file: usize,
    path: &Path,
    opts: &ReadOptions,
    order: Option<DateOrder>,
    texts: &mut Interner,
    grants: &mut Vec<Grant>,
    out: &mut GrantsOutcome,
) -> Result<(), String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{}: cannot read the file: {e}", path.display()))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'{') || first == Some(b'[') {
        return read_json(file, path, body, order, texts, grants, out);
    }
    let mut sink = GrantRows {
        file,
        path: path.display().to_string(),
        order,
        texts,
        grants,
        out,
        found: false,
        sheet: State::Skip,
        mark: (0, 0, 0, 0),
    };
    crate::ingest::stream_file(path, &bytes, opts, &mut sink).map_err(|e| e.to_string())?;
    if sink.found {
        Ok(())
    } else {
        Err(format!(
            "{}: no 360Giving header (Identifier and Amount Awarded columns) in the first 30 rows of any sheet",
            path.display()
        ))
    }
}

fn cell_text(v: &CellValue) -> Option<String> {
    match v {
        CellValue::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
        other => Some(other.display()),
    }
}

/// Column roles of a 360Giving sheet.
#[derive(Default, Clone, Copy)]
struct Cols {
    id: Option<u32>,
    amount: Option<u32>,
    currency: Option<u32>,
    date: Option<u32>,
    recipient_id: Option<u32>,
    recipient_name: Option<u32>,
    funder_id: Option<u32>,
    funder_name: Option<u32>,
    modified: Option<u32>,
}

impl Cols {
    /// The roles a row names, when it names the two a grant needs.
    fn of_header(row: &RawRow) -> Option<Cols> {
        let mut c = Cols::default();
        for cell in &row.cells {
            let Some(t) = cell_text(&cell.value) else {
                continue;
            };
            let slot = match normalise(&t).as_str() {
                "identifier" => &mut c.id,
                "amountawarded" => &mut c.amount,
                "currency" => &mut c.currency,
                "awarddate" => &mut c.date,
                "recipientorgidentifier" => &mut c.recipient_id,
                "recipientorgname" => &mut c.recipient_name,
                "fundingorgidentifier" => &mut c.funder_id,
                "fundingorgname" => &mut c.funder_name,
                "lastmodified" | "datemodified" => &mut c.modified,
                _ => continue,
            };
            slot.get_or_insert(cell.col);
        }
        (c.id.is_some() && c.amount.is_some()).then_some(c)
    }
}

enum State {
    /// Looking for the header; rows seen so far.
    Searching {
        sheet: Option<Text>,
        is_1904: bool,
        seen: usize,
    },
    Reading {
        sheet: Option<Text>,
        is_1904: bool,
        cols: Cols,
    },
    /// Not a grant sheet, or no sheet begun.
    Skip,
}

/// The sink a grant file's sheets stream into.
struct GrantRows<'a> {
    file: usize,
    path: String,
    order: Option<DateOrder>,
    texts: &'a mut Interner,
    grants: &'a mut Vec<Grant>,
    out: &'a mut GrantsOutcome,
    found: bool,
    sheet: State,
    /// Grants, exclusions and rows read when the sheet began, to undo a sheet that fails.
    mark: (usize, usize, usize, usize),
}

impl RowSink for GrantRows<'_> {
    fn begin_sheet(&mut self, name: Option<&str>, is_1904: bool, _explicit_blanks: bool) -> bool {
        self.sheet = State::Searching {
            sheet: name.map(Text::from),
            is_1904,
            seen: 0,
        };
        self.mark = (
            self.grants.len(),
            self.out.excluded.len(),
            self.out.rows_read,
            self.out.unusable.len(),
        );
        true
    }

    fn row(&mut self, row: &RawRow) {
        match &mut self.sheet {
            State::Skip => {}
            State::Searching {
                sheet,
                is_1904,
                seen,
            } => {
                *seen += 1;
                if let Some(cols) = Cols::of_header(row) {
                    self.found = true;
                    self.sheet = State::Reading {
                        sheet: sheet.take(),
                        is_1904: *is_1904,
                        cols,
                    };
                } else if *seen >= HEADER_ROWS {
                    self.sheet = State::Skip;
                }
            }
            State::Reading {
                sheet,
                is_1904,
                cols,
            } => {
                if !row.cells.is_empty() {
                    let (sheet, is_1904, cols) = (sheet.clone(), *is_1904, *cols);
                    self.grant_row(row, sheet, is_1904, cols);
                }
            }
        }
    }

    fn end_sheet(&mut self) {
        self.sheet = State::Skip;
    }

    fn abort_sheet(&mut self) {
        let (grants, excluded, rows, unusable) = self.mark;
        self.out.unusable.truncate(unusable);
        self.grants.truncate(grants);
        self.out.excluded.truncate(excluded);
        self.out.rows_read = rows;
        self.sheet = State::Skip;
    }
}

impl GrantRows<'_> {
    fn grant_row(&mut self, row: &RawRow, sheet: Option<Text>, is_1904: bool, cols: Cols) {
        self.out.rows_read += 1;
        let get = |c: Option<u32>| c.and_then(|c| row.get(c)).and_then(cell_text);
        let place = |col: u32| Place::Cell {
            sheet: sheet.clone(),
            col,
            row: row.index,
        };
        let amount_col = cols.amount.unwrap_or(0);
        let id = get(cols.id);
        let amount = cols
            .amount
            .and_then(|c| row.cell(c))
            .map(|c| match &c.value {
                CellValue::Int(i) => Ok(Decimal::from(*i)),
                CellValue::Float(f) => from_float(*f).ok_or_else(|| f.to_string()),
                CellValue::Text(t) => parse_money(t, false, "USD")
                    .map(|m| m.amount)
                    .ok_or_else(|| t.clone()),
                other => Err(other.display()),
            });
        let date = cols
            .date
            .and_then(|c| row.get(c))
            .map(|v| date_of(v, self.order, is_1904));
        let recipient = get(cols.recipient_id)
            .map(|r| normalise_id(&r))
            .or_else(|| get(cols.recipient_name));
        let modified = cols
            .modified
            .and_then(|c| row.get(c))
            .and_then(|v| modified_of(v, self.order, is_1904));
        let version = id.clone().zip(modified);
        let (reason, col, text) = match (id, amount, date, recipient) {
            (None, ..) => ("no identifier", cols.id.unwrap_or(0), None),
            (_, None, ..) => ("no amount", amount_col, None),
            (_, Some(Err(t)), ..) => ("not a number", amount_col, Some(t)),
            (_, _, None, _) => ("no date", cols.date.unwrap_or(0), None),
            (_, _, Some(Err(t)), _) => ("bad date", cols.date.unwrap_or(0), Some(t)),
            (_, _, _, None) => (
                "no recipient",
                cols.recipient_name.or(cols.recipient_id).unwrap_or(0),
                None,
            ),
            (Some(id), Some(Ok(amount)), Some(Ok(date)), Some(recipient)) => {
                let texts = &mut *self.texts;
                let currency = get(cols.currency).map_or_else(String::new, |c| c.to_uppercase());
                let g = Grant {
                    id,
                    amount,
                    currency: texts.get(&currency),
                    date,
                    recipient: texts.get(&recipient),
                    funder_id: get(cols.funder_id).map(|i| texts.get(&normalise_id(&i))),
                    funder_name: get(cols.funder_name).map(|n| texts.get(&n)),
                    modified,
                    order: self.grants.len(),
                    file: self.file,
                    at: place(amount_col),
                };
                self.grants.push(g);
                return;
            }
        };
        if let Some((id, modified)) = version {
            self.out.unusable.push(Unusable {
                id,
                file: self.file,
                modified,
                cell: place(col).to_string(),
            });
        }
        self.out.excluded.push((
            self.path.clone(),
            place(col).to_string(),
            reason.to_string(),
            text,
        ));
    }
}

fn read_json(
    file: usize,
    path: &Path,
    body: &[u8],
    order: Option<DateOrder>,
    texts: &mut Interner,
    grants: &mut Vec<Grant>,
    out: &mut GrantsOutcome,
) -> Result<(), String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "{}: not valid JSON ({e}); a 360Giving JSON file holds {{\"grants\": [...]}}",
            path.display()
        )
    })?;
    let list = value
        .get("grants")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| {
            format!(
                "{}: no \"grants\" list; this is not 360Giving JSON",
                path.display()
            )
        })?;
    let shown = path.display().to_string();
    for (i, g) in list.iter().enumerate() {
        out.rows_read += 1;
        let at = Place::Json(i);
        let s = |v: Option<&serde_json::Value>| -> Option<String> {
            v.and_then(|x| match x {
                serde_json::Value::String(s) => {
                    Some(s.trim().to_string()).filter(|s| !s.is_empty())
                }
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        let first = |k: &str, f: &str| s(g.get(k).and_then(|a| a.get(0)).and_then(|o| o.get(f)));
        let id = s(g.get("id"));
        let amount = s(g.get("amountAwarded"))
            .map(|t| parse_money(&t, false, "USD").map(|m| m.amount).ok_or(t));
        let date = s(g.get("awardDate")).map(|t| date_of(&CellValue::Text(t), order, false));
        let recipient = first("recipientOrganization", "id")
            .map(|r| normalise_id(&r))
            .or_else(|| first("recipientOrganization", "name"));
        let modified =
            s(g.get("dateModified")).and_then(|t| modified_of(&CellValue::Text(t), order, false));
        let reason = match (&id, &amount, &date, &recipient) {
            (None, ..) => ("no identifier", None),
            (_, None, ..) => ("no amount", None),
            (_, Some(Err(t)), ..) => ("not a number", Some(t.clone())),
            (_, _, None, _) => ("no date", None),
            (_, _, Some(Err(t)), _) => ("bad date", Some(t.clone())),
            (_, _, _, None) => ("no recipient", None),
            (Some(id), Some(Ok(amount)), Some(Ok(date)), Some(recipient)) => {
                let currency = s(g.get("currency")).map_or_else(String::new, |c| c.to_uppercase());
                grants.push(Grant {
                    id: id.clone(),
                    amount: *amount,
                    currency: texts.get(&currency),
                    date: *date,
                    recipient: texts.get(recipient),
                    funder_id: first("fundingOrganization", "id")
                        .map(|i| texts.get(&normalise_id(&i))),
                    funder_name: first("fundingOrganization", "name").map(|n| texts.get(&n)),
                    modified,
                    order: grants.len(),
                    file,
                    at,
                });
                continue;
            }
        };
        if let Some((id, modified)) = id.zip(modified) {
            out.unusable.push(Unusable {
                id,
                file,
                modified,
                cell: at.to_string(),
            });
        }
        out.excluded.push((
            shown.clone(),
            at.to_string(),
            reason.0.to_string(),
            reason.1,
        ));
    }
    Ok(())
}
