//! 360Giving grant data (xlsx, csv or JSON as published) → a peer table: per recipient
//! organisation, fiscal year and currency, its grant income, grant count and funder mix.
//! Grants are deduplicated by Identifier (the latest Last Modified wins); every row is included
//! or excluded with a reason and its cell, as in ledger ingest.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{income_band, PeerRow};
use crate::ingest::{CellValue, RawBook, ReadOptions};
use crate::ledger::classify::{category_from_identifier, category_from_name, normalise_id};
use crate::ledger::{
    fiscal_year, from_float, normalise, parse_date_text, parse_money, DateOrder, DateRead,
};
use crate::metrics::{compute, FunderNet, Period, Settings};

/// Per funder key: (name, identifier, summed amount).
type FunderTotals = BTreeMap<String, (String, Option<String>, Decimal)>;

/// One grant as published.
#[derive(Debug, Clone, PartialEq)]
struct Grant {
    id: String,
    amount: Decimal,
    currency: String,
    date: NaiveDate,
    recipient: String,
    funder_id: Option<String>,
    funder_name: Option<String>,
    modified: Option<NaiveDate>,
    /// Input order, to keep the later of two versions modified the same day.
    order: usize,
}

/// What reading grant files gave.
#[derive(Debug, Clone, Default)]
pub struct GrantsOutcome {
    pub rows: Vec<PeerRow>,
    pub rows_read: usize,
    pub grants_used: usize,
    /// (file, cell, reason, found) for every row not used.
    pub excluded: Vec<(String, String, String, Option<String>)>,
    /// Total grant money used, per currency.
    pub totals: BTreeMap<String, Decimal>,
}

fn cell_text(v: &CellValue) -> Option<String> {
    match v {
        CellValue::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
        other => Some(other.display()),
    }
}

/// Reads grant files and builds the peer table.
///
/// # Errors
/// A message naming the file when it cannot be read or has no 360Giving header.
pub fn read_grants(
    paths: &[std::path::PathBuf],
    opts: &ReadOptions,
    date_order: Option<DateOrder>,
    fiscal_year_start: u32,
    settings: &Settings,
) -> Result<GrantsOutcome, String> {
    let mut out = GrantsOutcome::default();
    let mut grants: Vec<(Grant, String, String)> = Vec::new();
    for path in paths {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("{}: cannot read the file: {e}", path.display()))?;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if first == Some(b'{') || first == Some(b'[') {
            read_json(path, body, date_order, &mut grants, &mut out)?;
        } else {
            let book = crate::ingest::read_file(path, &bytes, opts).map_err(|e| e.to_string())?;
            read_book(path, &book, date_order, &mut grants, &mut out)?;
        }
    }
    // Deduplicate by Identifier: the latest Last Modified wins, then the later row.
    let mut latest: BTreeMap<String, usize> = BTreeMap::new();
    for (i, (g, _, _)) in grants.iter().enumerate() {
        match latest.get(&g.id) {
            Some(&j) if (grants[j].0.modified, grants[j].0.order) > (g.modified, g.order) => {}
            _ => {
                latest.insert(g.id.clone(), i);
            }
        }
    }
    let keep: std::collections::BTreeSet<usize> = latest.values().copied().collect();
    let mut groups: BTreeMap<(String, i32, String), FunderTotals> = BTreeMap::new();
    for (i, (g, file, cell)) in grants.iter().enumerate() {
        if !keep.contains(&i) {
            out.excluded.push((
                file.clone(),
                cell.clone(),
                "duplicate".into(),
                Some(format!("{} (a later version is used)", g.id)),
            ));
            continue;
        }
        out.grants_used += 1;
        *out.totals.entry(g.currency.clone()).or_default() += g.amount;
        let fy = fiscal_year(g.date, fiscal_year_start);
        let funder_key = g
            .funder_id
            .clone()
            .or_else(|| g.funder_name.as_ref().map(|n| n.to_lowercase()))
            .unwrap_or_default();
        let slot = groups
            .entry((g.recipient.clone(), fy, g.currency.clone()))
            .or_default()
            .entry(funder_key)
            .or_insert((
                g.funder_name.clone().unwrap_or_default(),
                g.funder_id.clone(),
                Decimal::ZERO,
            ));
        slot.2 += g.amount;
    }
    for ((recipient, fy, currency), funders) in groups {
        let period = Period {
            total: funders.values().map(|f| f.2).sum(),
            pools: Vec::new(),
            funders: funders
                .iter()
                .map(|(key, (name, id, net))| {
                    let category = id
                        .as_deref()
                        .and_then(|i| category_from_identifier(i, false))
                        .or_else(|| category_from_name(name, &[]))
                        .unwrap_or(crate::ledger::Category::Unclassified);
                    FunderNet {
                        key: key.clone(),
                        name: name.clone(),
                        category,
                        net: *net,
                        restricted: *net,
                        advocacy_target: false,
                    }
                })
                .collect(),
        };
        let m = compute(&period, settings);
        let share = |c| super::coarse(m.category_shares.get(&c).copied().flatten(), 4);
        out.rows.push(PeerRow {
            peer: recipient,
            year: format!("FY{fy}"),
            currency,
            income_band: income_band(m.share_base).to_string(),
            funder_count: Some(m.funder_count),
            community_share: None,
            hhi_funders: super::coarse(m.hhi_funders, 4),
            top1_share: super::coarse(m.top1_share, 4),
            alignment_index: super::coarse(m.alignment_index, 4),
            government_share: share(crate::ledger::Category::Government),
            foundation_share: share(crate::ledger::Category::Foundation),
            corporate_share: share(crate::ledger::Category::Corporate),
            source: "360giving".into(),
        });
    }
    Ok(out)
}

/// Column roles of a 360Giving sheet.
#[derive(Default)]
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

fn read_book(
    path: &Path,
    book: &RawBook,
    order: Option<DateOrder>,
    grants: &mut Vec<(Grant, String, String)>,
    out: &mut GrantsOutcome,
) -> Result<(), String> {
    let mut found = false;
    for sheet in &book.sheets {
        let Some((hi, cols)) = sheet.rows.iter().take(30).enumerate().find_map(|(i, r)| {
            let mut c = Cols::default();
            for cell in &r.cells {
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
                    "lastmodified" => &mut c.modified,
                    _ => continue,
                };
                slot.get_or_insert(cell.col);
            }
            (c.id.is_some() && c.amount.is_some()).then_some((i, c))
        }) else {
            continue;
        };
        found = true;
        let place = |col: u32, row: u32| {
            let a1 = format!("{}{}", crate::ledger::column_letters(col), row + 1);
            sheet
                .name
                .as_ref()
                .map_or(a1.clone(), |s| format!("{s}!{a1}"))
        };
        for row in sheet
            .rows
            .iter()
            .skip(hi + 1)
            .filter(|r| !r.cells.is_empty())
        {
            out.rows_read += 1;
            let get = |c: Option<u32>| c.and_then(|c| row.get(c)).and_then(cell_text);
            let file = path.display().to_string();
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
                .map(|v| date_of(v, order, sheet.is_1904));
            let recipient = get(cols.recipient_id)
                .map(|r| normalise_id(&r))
                .or_else(|| get(cols.recipient_name));
            let (reason, col, text) = match (&id, &amount, &date, &recipient) {
                (None, ..) => ("no identifier", cols.id.unwrap_or(0), None),
                (_, None, ..) => ("no amount", amount_col, None),
                (_, Some(Err(t)), ..) => ("not a number", amount_col, Some(t.clone())),
                (_, _, None, _) => ("no date", cols.date.unwrap_or(0), None),
                (_, _, Some(Err(t)), _) => ("bad date", cols.date.unwrap_or(0), Some(t.clone())),
                (_, _, _, None) => (
                    "no recipient",
                    cols.recipient_name.or(cols.recipient_id).unwrap_or(0),
                    None,
                ),
                (Some(id), Some(Ok(amount)), Some(Ok(date)), Some(recipient)) => {
                    let g = Grant {
                        id: id.clone(),
                        amount: *amount,
                        currency: get(cols.currency).map_or_else(String::new, |c| c.to_uppercase()),
                        date: *date,
                        recipient: recipient.clone(),
                        funder_id: get(cols.funder_id).map(|i| normalise_id(&i)),
                        funder_name: get(cols.funder_name),
                        modified: cols
                            .modified
                            .and_then(|c| row.get(c))
                            .and_then(|v| date_of(v, order, sheet.is_1904).ok()),
                        order: grants.len(),
                    };
                    grants.push((g, file, place(amount_col, row.index)));
                    continue;
                }
            };
            out.excluded
                .push((file, place(col, row.index), reason.to_string(), text));
        }
    }
    if found {
        Ok(())
    } else {
        Err(format!(
            "{}: no 360Giving header (Identifier and Amount Awarded columns) in the first 30 rows of any sheet",
            path.display()
        ))
    }
}

fn date_of(v: &CellValue, order: Option<DateOrder>, is_1904: bool) -> Result<NaiveDate, String> {
    match v {
        CellValue::Date(d) => Ok(*d),
        CellValue::Int(_) | CellValue::Float(_) => {
            let serial = match v {
                CellValue::Int(i) => f64::from(i32::try_from(*i).unwrap_or(-1)),
                CellValue::Float(f) => *f,
                _ => -1.0,
            };
            crate::ledger::from_serial(serial, is_1904).ok_or_else(|| v.display())
        }
        CellValue::Text(t) | CellValue::IsoDate(t) => {
            match parse_date_text(t, order.or(Some(DateOrder::Dmy))) {
                DateRead::Date(d) => Ok(d),
                _ => Err(t.clone()),
            }
        }
        other => Err(other.display()),
    }
}

fn read_json(
    path: &Path,
    body: &[u8],
    order: Option<DateOrder>,
    grants: &mut Vec<(Grant, String, String)>,
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
    let file = path.display().to_string();
    for (i, g) in list.iter().enumerate() {
        out.rows_read += 1;
        let at = format!("grants[{i}]");
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
        let reason = match (&id, &amount, &date, &recipient) {
            (None, ..) => ("no identifier", None),
            (_, None, ..) => ("no amount", None),
            (_, Some(Err(t)), ..) => ("not a number", Some(t.clone())),
            (_, _, None, _) => ("no date", None),
            (_, _, Some(Err(t)), _) => ("bad date", Some(t.clone())),
            (_, _, _, None) => ("no recipient", None),
            (Some(id), Some(Ok(amount)), Some(Ok(date)), Some(recipient)) => {
                grants.push((
                    Grant {
                        id: id.clone(),
                        amount: *amount,
                        currency: s(g.get("currency"))
                            .map_or_else(String::new, |c| c.to_uppercase()),
                        date: *date,
                        recipient: recipient.clone(),
                        funder_id: first("fundingOrganization", "id").map(|i| normalise_id(&i)),
                        funder_name: first("fundingOrganization", "name"),
                        modified: s(g.get("dateModified"))
                            .and_then(|t| date_of(&CellValue::Text(t), order, false).ok()),
                        order: grants.len(),
                    },
                    file.clone(),
                    at,
                ));
                continue;
            }
        };
        out.excluded
            .push((file.clone(), at, reason.0.to_string(), reason.1));
    }
    Ok(())
}
