//! 360Giving grant data (xlsx, csv or JSON as published) → a peer table: per recipient
//! organisation, fiscal year and currency, its grant income, grant count and funder mix.
//! Grants are deduplicated by Identifier (the latest Last Modified wins); every row is included
//! or excluded with a reason and its cell, as in ledger ingest. Sheets stream row by row
//! ([`read`]), so a national register costs memory for its grants, not for its cells.

mod dates;
mod read;

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use rust_decimal::Decimal;

use super::{income_band, PeerRow};
use crate::ingest::ReadOptions;
use crate::ledger::classify::{category_from_identifier, category_from_name};
use crate::ledger::{fiscal_year, DateOrder, Text};
use crate::metrics::{compute, FunderNet, Period, Settings};

/// Per funder key: (name, identifier, summed amount).
type FunderTotals = BTreeMap<Text, (Text, Option<Text>, Decimal)>;

/// One grant as published.
#[derive(Debug, Clone, PartialEq)]
struct Grant {
    id: String,
    amount: Decimal,
    currency: Text,
    date: NaiveDate,
    recipient: Text,
    funder_id: Option<Text>,
    funder_name: Option<Text>,
    /// Last Modified, to the second.
    modified: Option<NaiveDateTime>,
    /// Input order, to keep the later of two versions modified at the same time.
    order: usize,
    /// The input file (an index into the paths read) and the grant's place in it.
    file: usize,
    at: read::Place,
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
    /// Rows excluded as duplicates that share their Identifier and Last Modified with the
    /// version used but not its amount, recipient or date: probably distinct grants that the
    /// publisher gave one identifier.
    pub clashing_duplicates: usize,
    /// Excluded rows that name a grant and its Last Modified: a later version than any usable
    /// one supersedes it, so a stale version is not used in its place.
    unusable: Vec<Unusable>,
}

/// An excluded row's grant Identifier, Last Modified and cell.
#[derive(Debug, Clone)]
struct Unusable {
    id: String,
    /// The input file (an index into the paths read).
    file: usize,
    modified: NaiveDateTime,
    cell: String,
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
    let mut grants: Vec<Grant> = Vec::new();
    // Files are read in parallel, each with its own strings, and joined in the order given.
    let parts: Vec<Result<(Vec<Grant>, GrantsOutcome), String>> = paths
        .par_iter()
        .enumerate()
        .map(|(file, path)| {
            let mut texts = crate::ledger::Interner::default();
            let mut part = GrantsOutcome::default();
            let mut read = Vec::new();
            read::read_file(
                file, path, opts, date_order, &mut texts, &mut read, &mut part,
            )?;
            Ok((read, part))
        })
        .collect();
    for part in parts {
        let (mut read, part) = part?;
        let offset = grants.len();
        for g in &mut read {
            g.order += offset;
        }
        grants.append(&mut read);
        out.rows_read += part.rows_read;
        out.excluded.extend(part.excluded);
        out.unusable.extend(part.unusable);
    }
    let files: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    // Deduplicate by Identifier: the latest Last Modified wins, then the later row.
    let mut latest: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
    for (i, g) in grants.iter().enumerate() {
        match latest.get(g.id.as_str()) {
            Some(&j) if (grants[j].modified, grants[j].order) > (g.modified, g.order) => {}
            _ => {
                latest.insert(&g.id, i);
            }
        }
    }
    // A version excluded as unusable but modified later than every usable one is the
    // publisher's latest word: the grant is left out rather than read from a stale version.
    let mut superseded: HashMap<usize, String, foldhash::fast::RandomState> = HashMap::default();
    for u in std::mem::take(&mut out.unusable) {
        if let Some(&i) = latest.get(u.id.as_str()) {
            if grants[i].modified.is_none_or(|m| m < u.modified) {
                let file = files.get(u.file).map_or("", String::as_str);
                superseded.insert(i, format!("{file}: {}", u.cell));
            }
        }
    }
    let mut keep = vec![false; grants.len()];
    for &i in latest.values() {
        keep[i] = !superseded.contains_key(&i);
    }
    // Per (recipient, fiscal year, currency): grants used, and each funder's total.
    let mut groups: BTreeMap<(Text, i32, Text), (usize, FunderTotals)> = BTreeMap::new();
    // A funder without an identifier is keyed by its name in lower case, made once per name.
    let mut lower: HashMap<usize, Text, foldhash::fast::RandomState> = HashMap::default();
    let mut totals: HashMap<Text, Decimal, foldhash::fast::RandomState> = HashMap::default();
    for (i, (g, kept)) in grants.iter().zip(&keep).enumerate() {
        if let Some(cell) = superseded.get(&i) {
            out.excluded.push((
                files.get(g.file).cloned().unwrap_or_default(),
                g.at.to_string(),
                "superseded".into(),
                Some(format!(
                    "{} (its latest version, at {cell}, is excluded)",
                    g.id
                )),
            ));
            continue;
        }
        if !kept {
            if let Some(&j) = latest.get(g.id.as_str()) {
                let used = &grants[j];
                if used.modified == g.modified
                    && (used.amount != g.amount
                        || used.recipient != g.recipient
                        || used.date != g.date)
                {
                    out.clashing_duplicates += 1;
                }
            }
            out.excluded.push((
                files.get(g.file).cloned().unwrap_or_default(),
                g.at.to_string(),
                "duplicate".into(),
                Some(format!("{} (a later version is used)", g.id)),
            ));
            continue;
        }
        out.grants_used += 1;
        *totals.entry(g.currency.clone()).or_default() += g.amount;
        let fy = fiscal_year(g.date, fiscal_year_start);
        let funder_key = match (&g.funder_id, &g.funder_name) {
            (Some(id), _) => id.clone(),
            (None, Some(name)) => lower
                .entry(name.id())
                .or_insert_with(|| Text::from(name.to_lowercase()))
                .clone(),
            (None, None) => Text::from(""),
        };
        let group = groups
            .entry((g.recipient.clone(), fy, g.currency.clone()))
            .or_default();
        group.0 += 1;
        let slot = group.1.entry(funder_key).or_insert_with(|| {
            (
                g.funder_name.clone().unwrap_or_else(|| Text::from("")),
                g.funder_id.clone(),
                Decimal::ZERO,
            )
        });
        slot.2 += g.amount;
    }
    drop(latest);
    out.totals = totals
        .into_iter()
        .map(|(c, t)| (c.to_string(), t))
        .collect();
    drop(grants);
    for ((recipient, fy, currency), (grant_count, funders)) in groups {
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
                        key: key.to_string(),
                        name: name.to_string(),
                        category,
                        net: *net,
                        restricted: *net,
                        advocacy_target: false,
                    }
                })
                .collect(),
        };
        let m = compute(&period, settings);
        let share = |c| {
            super::coarse(
                m.category_shares.get(&c).copied().flatten(),
                super::GRANTS_DP,
            )
        };
        out.rows.push(PeerRow {
            peer: recipient.to_string(),
            year: format!("FY{fy}"),
            currency: currency.to_string(),
            income_band: income_band(m.share_base).to_string(),
            funder_count: Some(m.funder_count),
            community_share: None,
            hhi_funders: super::coarse(m.hhi_funders, super::GRANTS_DP),
            top1_share: super::coarse(m.top1_share, super::GRANTS_DP),
            alignment_index: super::coarse(m.alignment_index, super::GRANTS_DP),
            government_share: share(crate::ledger::Category::Government),
            foundation_share: share(crate::ledger::Category::Foundation),
            corporate_share: share(crate::ledger::Category::Corporate),
            source: "360giving".into(),
            grant_income: Some(period.total),
            grant_count: Some(grant_count),
            year_start: Some(fiscal_year_start.max(1)),
        });
    }
    Ok(out)
}
