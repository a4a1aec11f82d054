//! The US public support test: IRS Form 990 Schedule A, Part II (organisations described in
//! section 170(b)(1)(A)(vi)), computed from the ledger for a tax year and the four before it.
//!
//! [`prepare`] maps ledger entries onto the schedule's lines (a documented, overridable
//! mapping); [`schedule`] is pure Decimal arithmetic over the prepared amounts.

mod compute;
mod settings;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use compute::{cents, schedule, ColumnOut, Donor, DonorExcess, Schedule, SupportTest, Years};
pub use settings::{Line, PublicSupportSettings};

use crate::ledger::classify::Classification;
use crate::ledger::{fiscal_year_bounds, Category, Ledger};

/// The ledger's amounts by schedule line and column, and each donor's line-1 gifts.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The tax year the schedule is for (its column (e)).
    pub tax_year: i32,
    /// Column (a)–(e): (tax year, fiscal-year label, first day, last day, rows found).
    pub columns: Vec<ColumnOut>,
    /// Line → five column amounts.
    pub lines: BTreeMap<Line, [Decimal; 5]>,
    /// Donors whose line-1 gifts count toward line 5.
    pub donors: Vec<Donor>,
    /// Line-1 income left out as unusual grants.
    pub unusual: Decimal,
}

/// The fiscal year (named by the year it ends) of the tax year that begins in `tax_year`.
#[must_use]
pub fn fiscal_year_of_tax_year(tax_year: i32, fiscal_year_start: u32) -> i32 {
    if fiscal_year_start <= 1 {
        tax_year
    } else {
        tax_year + 1
    }
}

/// Maps the ledger onto the schedule's lines for `tax_year` and the four years before it.
#[must_use]
pub fn prepare(
    ledger: &Ledger,
    classes: &Classification,
    names: &[String],
    settings: &PublicSupportSettings,
    tax_year: i32,
) -> Prepared {
    let start = ledger.fiscal_year_start;
    let fiscal: Vec<i32> = (0..5)
        .map(|k| fiscal_year_of_tax_year(tax_year - 4 + k, start))
        .collect();
    let mut columns: Vec<ColumnOut> = fiscal
        .iter()
        .enumerate()
        .map(|(k, fy)| {
            let bounds = fiscal_year_bounds(*fy, start);
            let tax = tax_year - 4 + i32::try_from(k).unwrap_or(0);
            ColumnOut {
                tax_year: tax,
                fiscal_year: format!("FY{fy}"),
                start: bounds.map(|b| b.0),
                end: bounds.map(|b| b.1),
                rows: 0,
            }
        })
        .collect();
    let mut lines: BTreeMap<Line, [Decimal; 5]> = BTreeMap::new();
    let mut donors: BTreeMap<String, Donor> = BTreeMap::new();
    let mut unusual = Decimal::ZERO;
    for (((e, funder), category), row_category) in ledger
        .entries
        .iter()
        .zip(&classes.entry_funder)
        .zip(&classes.entry_category)
        .zip(&classes.entry_row_category)
    {
        let Some(col) = fiscal.iter().position(|fy| *fy == e.fiscal_year) else {
            continue;
        };
        columns[col].rows += 1;
        let f = funder.and_then(|i| classes.funders.get(i).map(|f| (i, f)));
        let register = f.and_then(|(_, f)| f.register.as_ref());
        let text = |s: &Option<crate::ledger::Text>| s.as_deref().unwrap_or("").to_lowercase();
        let (label, description) = (text(&e.category), text(&e.description));
        // Each row goes on the line its own category gives (a bank's sponsorship is a gift,
        // its interest is not); a row that said nothing of itself takes its funder's.
        let row_category = if *row_category == Category::Unclassified {
            *category
        } else {
            *row_category
        };
        let line = settings.line_for(row_category, &label, &description);
        let flagged_unusual = register.is_some_and(|r| r.unusual_grant)
            || label.contains("unusual grant")
            || description.contains("unusual grant");
        if line == Line::L1 && flagged_unusual {
            unusual += e.amount;
            continue;
        }
        lines.entry(line).or_insert([Decimal::ZERO; 5])[col] += e.amount;
        if line != Line::L1 {
            continue;
        }
        let Some((index, funder)) = f else {
            // The dispersed pool: many small gifts, none over the limit.
            continue;
        };
        let unlimited = register.is_some_and(|r| r.governmental_unit || r.public_charity)
            || (funder.category == Category::Government
                && settings.government_is_governmental_unit);
        // Related parties are grouped so their gifts share one limit; a governmental unit or
        // public charity in a group stays a donor of its own, unlimited, and does not lift
        // the limit from the rest of the group.
        let group = register
            .and_then(|r| r.group.clone())
            .filter(|_| !unlimited);
        let (key, name) = match group {
            Some(g) => (format!("group:{g}"), format!("{g} (group)")),
            None => (
                funder.key.clone(),
                names
                    .get(index)
                    .cloned()
                    .unwrap_or_else(|| funder.name.clone()),
            ),
        };
        let donor = donors.entry(key).or_insert_with(|| Donor {
            name,
            total: Decimal::ZERO,
            unlimited,
        });
        donor.total += e.amount;
    }
    Prepared {
        tax_year,
        columns,
        lines,
        donors: donors.into_values().collect(),
        unusual,
    }
}
