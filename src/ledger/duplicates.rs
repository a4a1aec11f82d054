//! Identical rows: included (they may be separate payments) but noted, so a finance lead
//! can check a double entry.

use std::collections::HashMap;

use super::{Ledger, Note, Severity};

mod buckets;

/// Notes every group of identical rows (same file, sheet, date, fiscal year, amount,
/// funder in any case, and description).
pub(crate) fn duplicate_notes(ledger: &Ledger) -> Vec<Note> {
    // Identical rows are found without copying a string per row: funder names compare
    // case-blind through a rank given once to each distinct name, and rows are compared only
    // within buckets of equal hashes.
    let entries = &ledger.entries;
    // Each distinct shared name once (keyed by its address), then ranked by lower case.
    let mut by_id: HashMap<usize, u32, foldhash::fast::RandomState> = HashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let ids: Vec<u32> = entries
        .iter()
        .map(|e| match &e.funder {
            None => u32::MAX,
            Some(f) => *by_id.entry(f.id()).or_insert_with(|| {
                names.push(f);
                u32::try_from(names.len() - 1).unwrap_or(u32::MAX)
            }),
        })
        .collect();
    let mut lower: Vec<(String, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_lowercase(), i))
        .collect();
    lower.sort_unstable();
    let mut rank_of_name = vec![0u32; names.len()];
    let mut rank = 0u32;
    for (k, (text, i)) in lower.iter().enumerate() {
        if k == 0 || lower[k - 1].0 != *text {
            rank += 1;
        }
        rank_of_name[*i] = rank;
    }
    // 0 for no funder, which sorts first as an empty name did.
    let ranks: Vec<u32> = ids
        .iter()
        .map(|&i| rank_of_name.get(i as usize).copied().unwrap_or(0))
        .collect();
    let identity = |i: usize, j: usize| {
        let (a, b) = (&entries[i], &entries[j]);
        a.at.source
            .cmp(&b.at.source)
            .then_with(|| a.at.sheet.cmp(&b.at.sheet))
            .then_with(|| a.date.cmp(&b.date))
            .then_with(|| a.fiscal_year.cmp(&b.fiscal_year))
            .then_with(|| a.amount.cmp(&b.amount))
            .then_with(|| ranks[i].cmp(&ranks[j]))
            .then_with(|| {
                a.description
                    .as_deref()
                    .unwrap_or("")
                    .cmp(b.description.as_deref().unwrap_or(""))
            })
    };
    // Rows are bucketed by a hash of their identity; only rows in one bucket are compared.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for mut bucket in
        buckets::equal_hashes(entries.len(), |i| content_hash(&entries[i], ranks[i], true))
    {
        bucket.sort_by(|&i, &j| identity(i, j).then(i.cmp(&j)));
        let mut from = 0;
        while from < bucket.len() {
            let mut to = from + 1;
            while to < bucket.len() && identity(bucket[from], bucket[to]).is_eq() {
                to += 1;
            }
            if to - from > 1 {
                groups.push(bucket[from..to].to_vec());
            }
            from = to;
        }
    }
    // In the order of the rows' identities, as a reader would list them.
    groups.sort_by(|a, b| identity(a[0], b[0]));
    let mut notes = same_file_twice(ledger);
    notes.extend(overlapping_places(ledger, &ranks));
    notes.reserve(groups.len());
    for rows in groups {
        let first = &ledger.entries[rows[0]];
        let (source, sheet, date, fy, amount) = (
            first.at.source,
            first.at.sheet.clone(),
            first.date,
            first.fiscal_year,
            first.amount.normalize(),
        );
        let path = ledger.inputs.get(source).map_or("?", |i| i.path.as_str());
        let place = sheet.map_or(String::new(), |s| format!("sheet {s:?} "));
        let when = date.map_or(format!("FY{fy}"), |d| d.to_string());
        let who = first
            .funder
            .as_ref()
            .map_or("no funder".to_string(), |f| format!("{f:?}"));
        let row_list: Vec<String> = rows
            .iter()
            .map(|&i| ledger.entries[i].at.row.to_string())
            .collect();
        notes.push(Note {
            code: "duplicate_rows",
            severity: Severity::Info,
            message: format!(
                "{} identical rows ({when}, {who}, {}) were all included; check they are separate payments",
                rows.len(),
                crate::report::money(amount)
            ),
            location: Some(format!("{path}: {place}rows {}", row_list.join(", "))),
        });
    }
    notes
}

/// A hash of what makes two rows identical: date, fiscal year, amount, funder (by its
/// case-blind `rank`) and description, and with `with_place` also the file and sheet.
fn content_hash(e: &super::Entry, rank: u32, with_place: bool) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut h = foldhash::fast::FixedState::with_seed(0).build_hasher();
    if with_place {
        e.at.source.hash(&mut h);
        e.at.sheet.as_deref().hash(&mut h);
    }
    e.date.hash(&mut h);
    e.fiscal_year.hash(&mut h);
    let (mantissa, scale) = canonical(e.amount);
    mantissa.hash(&mut h);
    scale.hash(&mut h);
    rank.hash(&mut h);
    e.description.as_deref().unwrap_or("").hash(&mut h);
    h.finish()
}

/// An amount's mantissa and scale without trailing zeros, the same for every way of writing
/// one number (1.5, 1.50, 1.500; 0 and -0.00), as `Decimal::normalize` gives it.
fn canonical(amount: rust_decimal::Decimal) -> (i128, u32) {
    let (m, mut scale) = (amount.mantissa(), amount.scale());
    // Ledger amounts fit 64 bits, whose remainders are cheap.
    let Ok(mut units) = u64::try_from(m.unsigned_abs()) else {
        let n = amount.normalize();
        return (n.mantissa(), n.scale());
    };
    while scale > 0 && units % 10 == 0 {
        units /= 10;
        scale -= 1;
    }
    let units = i128::from(units);
    (if m < 0 { -units } else { units }, scale)
}

/// Where a row was read: its file and sheet.
type Place = (usize, Option<super::Text>);

/// Rows of one file or sheet identical (date, fiscal year, amount, funder in any case and
/// description) to rows of another: two exports that overlap in time count the overlap twice.
/// All the rows stay included (two branches can take the same collection on one day); one
/// warning per pair of places says how many and over which dates.
fn overlapping_places(ledger: &Ledger, ranks: &[u32]) -> Vec<Note> {
    use std::collections::BTreeMap;
    let entries = &ledger.entries;
    let place = |i: usize| -> Place { (entries[i].at.source, entries[i].at.sheet.clone()) };
    let Some(first) = entries.first() else {
        return Vec::new();
    };
    if entries
        .iter()
        .all(|e| e.at.source == first.at.source && e.at.sheet == first.at.sheet)
    {
        return Vec::new();
    }
    let same = |i: usize, j: usize| {
        let (a, b) = (&entries[i], &entries[j]);
        a.date == b.date
            && a.fiscal_year == b.fiscal_year
            && a.amount == b.amount
            && ranks[i] == ranks[j]
            && a.description.as_deref().unwrap_or("") == b.description.as_deref().unwrap_or("")
    };
    // (earlier place, later place) → (rows of the later place, first and last date or year).
    let mut pairs: BTreeMap<(Place, Place), (usize, String, String)> = BTreeMap::new();
    for mut left in buckets::equal_hashes(entries.len(), |i| {
        content_hash(&entries[i], ranks[i], false)
    }) {
        while left.len() > 1 {
            let head = left[0];
            let (group, rest): (Vec<usize>, Vec<usize>) =
                left.iter().partition(|&&j| same(head, j));
            left = rest;
            let home = group.iter().map(|&i| place(i)).min();
            let Some(home) = home else { continue };
            for &i in &group {
                let p = place(i);
                if p == home || ledger_same_bytes(ledger, home.0, p.0) {
                    continue;
                }
                let e = &entries[i];
                let when = e
                    .date
                    .map_or(format!("FY{}", e.fiscal_year), |d| d.to_string());
                let slot = pairs
                    .entry((home.clone(), p))
                    .or_insert_with(|| (0, when.clone(), when.clone()));
                slot.0 += 1;
                if when < slot.1 {
                    slot.1.clone_from(&when);
                }
                if when > slot.2 {
                    slot.2 = when;
                }
            }
        }
    }
    let shown = |p: &Place| {
        let path = ledger.inputs.get(p.0).map_or("?", |i| i.path.as_str());
        match &p.1 {
            Some(sheet) => format!("{path} sheet {sheet:?}"),
            None => path.to_string(),
        }
    };
    pairs
        .into_iter()
        .map(|((a, b), (rows, from, to))| {
            let span = if from == to {
                from
            } else {
                format!("{from} to {to}")
            };
            Note {
                code: "overlapping_inputs",
                severity: Severity::Warning,
                message: format!(
                    "{rows} row(s) of {} are identical to rows of {} (same date, funder, amount and description; {span}); all were included: if the two exports overlap, those rows are counted twice",
                    shown(&b),
                    shown(&a)
                ),
                location: Some(shown(&b)),
            }
        })
        .collect()
}

/// Two inputs with the same bytes (already warned as the same file twice).
fn ledger_same_bytes(ledger: &Ledger, a: usize, b: usize) -> bool {
    match (ledger.inputs.get(a), ledger.inputs.get(b)) {
        (Some(x), Some(y)) => a == b || (!x.sha256.is_empty() && x.sha256 == y.sha256),
        _ => false,
    }
}

/// A file given twice (or two copies of one file, under other names): the same bytes, so
/// every row of it is counted twice. A warning, as `--strict` should stop on it.
fn same_file_twice(ledger: &Ledger) -> Vec<Note> {
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut notes = Vec::new();
    for input in &ledger.inputs {
        if input.sha256.is_empty() {
            continue;
        }
        match first.get(input.sha256.as_str()) {
            Some(earlier) => notes.push(Note {
                code: "same_file_twice",
                severity: Severity::Warning,
                message: format!(
                    "{} has the same content as {earlier} (SHA-256 {}): its rows are counted twice; give each ledger once",
                    input.path, input.sha256
                ),
                location: Some(input.path.clone()),
            }),
            None => {
                first.insert(&input.sha256, &input.path);
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::canonical;

    proptest! {
        #[test]
        fn canonical_amounts_are_normalised_ones(
            m in prop_oneof![any::<i64>().prop_map(i128::from), -(1i128 << 95)..(1i128 << 95)],
            scale in 0u32..=28,
        ) {
            let d = Decimal::from_i128_with_scale(m, scale);
            let n = d.normalize();
            prop_assert_eq!(canonical(d), (n.mantissa(), n.scale()));
        }
    }
}
