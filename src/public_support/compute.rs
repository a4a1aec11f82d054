//! Schedule A Part II arithmetic: lines 1–15, the 2% limit per donor, and the 33⅓% and 10%
//! tests with their margins in money. Pure Decimal; no I/O.

use rust_decimal::Decimal;
use serde::Serialize;

mod margin;

pub use margin::cents;
use margin::shortfall;

use super::{Line, Prepared};

/// A donor's five-year line-1 total (a donor and its related parties, when grouped).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Donor {
    pub name: String,
    pub total: Decimal,
    /// Governmental units and publicly supported organisations are not limited to 2%.
    pub unlimited: bool,
}

/// A donor's excess over the 2% limit (line 5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DonorExcess {
    pub name: String,
    pub total: Decimal,
    pub limit: Decimal,
    pub excess: Decimal,
    pub unlimited: bool,
}

/// Five columns and their total (f).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Years {
    pub columns: [Decimal; 5],
    pub total: Decimal,
}

impl Years {
    fn of(columns: [Decimal; 5]) -> Years {
        Years {
            columns,
            total: columns.iter().copied().sum(),
        }
    }

    fn add(&self, other: &Years) -> Years {
        let mut c = self.columns;
        for (a, b) in c.iter_mut().zip(other.columns) {
            *a += b;
        }
        Years::of(c)
    }
}

/// One percentage test (16a/16b/17a/17b).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupportTest {
    pub line: &'static str,
    /// The threshold as a fraction (1/3 or 1/10).
    pub threshold: &'static str,
    /// `None` when the percentage it needs is unknown (no prior-year percentage given).
    pub pass: Option<bool>,
    /// How far above the threshold public support is, in money (current year only).
    pub surplus: Option<Decimal>,
    /// The further small-donor support that would reach the threshold (current year only).
    pub shortfall: Option<Decimal>,
}

/// The whole schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Schedule {
    pub tax_year: i32,
    /// Column headings (a)–(e): tax year, fiscal-year label, first and last day, rows found.
    pub columns: Vec<ColumnOut>,
    pub line1: Years,
    pub line2: Years,
    pub line3: Years,
    pub line4: Years,
    /// Column (f) only.
    pub line5: Decimal,
    pub line6: Decimal,
    pub line7: Years,
    pub line8: Years,
    pub line9: Years,
    pub line10: Years,
    pub line11: Years,
    pub line12: Years,
    /// 2% of line 11 column (f).
    pub limit: Decimal,
    /// Every donor whose gifts count on line 1, largest first, with their excess.
    pub donors: Vec<DonorExcess>,
    /// Line 14 as a fraction (line 6 / line 11), `None` when line 11 is zero.
    pub line14: Option<Decimal>,
    /// Line 15: the prior year's line 14, as given.
    pub line15: Option<Decimal>,
    pub test_16a: SupportTest,
    pub test_16b: SupportTest,
    pub test_17a: SupportTest,
    pub test_17b: SupportTest,
    /// The box the form has checked, reading 16a, 16b, 17a, 17b in order and stopping at the
    /// first whose percentage passes: `"18"` when none does (the form then asks for a private
    /// foundation determination); `None` when it hangs on an unknown (no line 15 given, or no
    /// total support). 17a and 17b also need the facts-and-circumstances showing.
    pub stop_at: Option<&'static str>,
    /// Line-1 income left out as unusual grants.
    pub unusual_grants: Decimal,
    /// Columns with no ledger rows at all.
    pub years_without_data: Vec<i32>,
}

/// A column heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnOut {
    pub tax_year: i32,
    pub fiscal_year: String,
    pub start: Option<chrono::NaiveDate>,
    pub end: Option<chrono::NaiveDate>,
    pub rows: usize,
}

/// The first test that passes, in the form's order; `"18"` when none does; `None` when an
/// unknown comes first.
fn first_passing(tests: &[&SupportTest], defined: bool) -> Option<&'static str> {
    if !defined {
        return None;
    }
    for t in tests {
        match t.pass {
            Some(true) => return Some(t.line),
            Some(false) => {}
            None => return None,
        }
    }
    Some("18")
}

/// Computes the schedule. `prior` is line 15 as a fraction (0.35 for 35%).
#[must_use]
pub fn schedule(p: &Prepared, prior: Option<Decimal>) -> Schedule {
    let get = |l: Line| Years::of(p.lines.get(&l).copied().unwrap_or([Decimal::ZERO; 5]));
    let (line1, line2, line3) = (get(Line::L1), get(Line::L2), get(Line::L3));
    let line4 = line1.add(&line2).add(&line3);
    let (line8, line9, line10, line12) =
        (get(Line::L8), get(Line::L9), get(Line::L10), get(Line::L12));
    let line11 = line4.add(&line8).add(&line9).add(&line10);
    let limit = line11.total * Decimal::new(2, 2);
    let mut donors: Vec<DonorExcess> = p
        .donors
        .iter()
        .map(|d| DonorExcess {
            name: d.name.clone(),
            total: d.total,
            limit,
            excess: if d.unlimited {
                Decimal::ZERO
            } else {
                (d.total - limit).max(Decimal::ZERO)
            },
            unlimited: d.unlimited,
        })
        .collect();
    donors.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
    let line5: Decimal = donors.iter().map(|d| d.excess).sum();
    let line6 = line4.total - line5;
    let line14 = (!line11.total.is_zero()).then(|| line6 / line11.total);
    let (total4, total11) = (line4.total, line11.total);
    let rest = total11 - total4;
    let third = Decimal::from(3);
    let tenth = Decimal::from(10);
    let current = |n: Decimal, line: &'static str, threshold: &'static str| {
        let pass = line14.map(|_| line6 * n >= total11);
        SupportTest {
            line,
            threshold,
            pass,
            surplus: pass.filter(|p| *p).map(|_| cents(line6 - total11 / n)),
            shortfall: pass
                .filter(|p| !p)
                .map(|_| shortfall(total4, rest, &p.donors, n)),
        }
    };
    let prior_test = |n: Decimal, line: &'static str, threshold: &'static str| SupportTest {
        line,
        threshold,
        pass: prior.map(|q| q * n >= Decimal::ONE),
        surplus: None,
        shortfall: None,
    };
    let test_16a = current(third, "16a", "33 1/3%");
    let test_16b = prior_test(third, "16b", "33 1/3%");
    let test_17a = current(tenth, "17a", "10%");
    let test_17b = prior_test(tenth, "17b", "10%");
    let columns = p.columns.clone();
    let years_without_data = columns
        .iter()
        .filter(|c| c.rows == 0)
        .map(|c| c.tax_year)
        .collect();
    Schedule {
        tax_year: p.tax_year,
        columns,
        line7: line4.clone(),
        line1,
        line2,
        line3,
        line4,
        line5,
        line6,
        line8,
        line9,
        line10,
        line11,
        line12,
        limit,
        donors,
        line14,
        line15: prior,
        stop_at: first_passing(
            &[&test_16a, &test_16b, &test_17a, &test_17b],
            line14.is_some(),
        ),
        test_16a,
        test_16b,
        test_17a,
        test_17b,
        unusual_grants: p.unusual,
        years_without_data,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::margin::with_extra;
    use super::*;

    fn prepared(line1: [i64; 5], line10: [i64; 5], donors: Vec<Donor>) -> Prepared {
        let d = |a: [i64; 5]| a.map(Decimal::from);
        let mut lines = BTreeMap::new();
        lines.insert(Line::L1, d(line1));
        lines.insert(Line::L10, d(line10));
        Prepared {
            tax_year: 2024,
            columns: (0..5)
                .map(|k| ColumnOut {
                    tax_year: 2020 + k,
                    fiscal_year: format!("FY{}", 2020 + k),
                    start: None,
                    end: None,
                    rows: 1,
                })
                .collect(),
            lines,
            donors,
            unusual: Decimal::ZERO,
        }
    }

    #[test]
    fn exactly_one_third_passes_and_a_cent_less_fails_by_a_cent() {
        let s = schedule(
            &prepared([100, 0, 0, 0, 0], [200, 0, 0, 0, 0], vec![]),
            None,
        );
        assert_eq!(s.line14, Some(Decimal::ONE / Decimal::from(3)));
        assert_eq!(s.test_16a.pass, Some(true));
        assert_eq!(s.test_16a.surplus, Some(Decimal::ZERO));
        let mut p = prepared([0; 5], [200, 0, 0, 0, 0], vec![]);
        p.lines.insert(
            Line::L1,
            [
                Decimal::new(9999, 2),
                Decimal::ZERO,
                Decimal::ZERO,
                Decimal::ZERO,
                Decimal::ZERO,
            ],
        );
        let s = schedule(&p, None);
        assert_eq!(s.test_16a.pass, Some(false));
        assert_eq!(
            s.test_16a.shortfall,
            Some(Decimal::new(1, 2)),
            "one more cent reaches 33 1/3%"
        );
        assert_eq!(s.test_17a.pass, Some(true));
    }

    #[test]
    fn the_limit_binds_private_donors_only() {
        let donors = vec![
            Donor {
                name: "Big Foundation".into(),
                total: Decimal::from(600),
                unlimited: false,
            },
            Donor {
                name: "County".into(),
                total: Decimal::from(300),
                unlimited: true,
            },
            Donor {
                name: "At the limit".into(),
                total: Decimal::from(20),
                unlimited: false,
            },
        ];
        let s = schedule(
            &prepared([920, 0, 0, 0, 0], [80, 0, 0, 0, 0], donors),
            Some(Decimal::new(40, 2)),
        );
        assert_eq!(s.limit, Decimal::from(20));
        let excess: Vec<(String, Decimal)> = s
            .donors
            .iter()
            .map(|d| (d.name.clone(), d.excess))
            .collect();
        assert_eq!(
            excess,
            vec![
                ("Big Foundation".into(), Decimal::from(580)),
                ("County".into(), Decimal::ZERO),
                ("At the limit".into(), Decimal::ZERO)
            ]
        );
        assert_eq!(s.line6, Decimal::from(340));
        assert_eq!(s.test_16b.pass, Some(true));
        assert_eq!(s.test_16a.pass, Some(true));
    }

    #[test]
    fn the_shortfall_accounts_for_the_rising_limit() {
        // One private donor gives everything: public support is only the 2% limit.
        let donors = vec![Donor {
            name: "Only".into(),
            total: Decimal::from(1000),
            unlimited: false,
        }];
        let s = schedule(&prepared([1000, 0, 0, 0, 0], [0; 5], donors.clone()), None);
        assert_eq!(s.line6, Decimal::from(20));
        let x = s.test_16a.shortfall.unwrap();
        let (public, total) = with_extra(Decimal::from(1000), Decimal::ZERO, &donors, x);
        assert!(public * Decimal::from(3) >= total);
        let (public, total) = with_extra(
            Decimal::from(1000),
            Decimal::ZERO,
            &donors,
            x - Decimal::new(1, 2),
        );
        assert!(
            public * Decimal::from(3) < total,
            "the smallest such amount, to the cent"
        );
    }
}
