//! Aggregation's sums: any slice size, large amounts, packed keys.

use std::str::FromStr;

use super::by_polars::{pack, unpack};
use super::*;
use crate::ledger::classify::{classify, ClassifyOptions};
use crate::ledger::{CellRef, Entry};

#[test]
fn keys_unpack_to_their_year_and_group() {
    for place in [0u32, 1, 7, 1 << 20] {
        for group in [-8i64, -1, 0, 1, 4_999, (1 << 32) - 1] {
            assert_eq!(unpack(pack(place, group).unwrap()), (place, group));
        }
    }
    assert!(pack(0, 1 << 32).is_err());
}

/// An entry of `amount` in row `row` (zero-based) of fiscal year `fy`.
fn entry(
    row: u32,
    fy: i32,
    amount: Decimal,
    funder: Option<&str>,
    category: &str,
    restricted: Option<bool>,
) -> Entry {
    Entry {
        at: CellRef {
            source: 0,
            sheet: None,
            col: 2,
            row: row + 2,
        },
        date: None,
        fiscal_year: fy,
        amount,
        currency: None,
        funder: funder.map(Into::into),
        funder_id: None,
        category: Some(category.into()),
        restricted,
        description: None,
    }
}

/// The sums of `entries`, handed to polars `slice` rows at a time.
fn sums(entries: &[Entry], slice: usize) -> Aggregates {
    let ledger = Ledger {
        entries: entries.to_vec(),
        ..Ledger::default()
    };
    let classes = classify(&ledger, &ClassifyOptions::default());
    let names: Vec<String> = classes.funders.iter().map(|f| f.name.clone()).collect();
    let sums = aggregate_in_slices(&ledger, &classes, &names, slice).unwrap();
    // The totals made from the exact group sums have the values of the ledger's own.
    let (included, unclassified) = (ledger.total_included(), classes.unclassified_total(&ledger));
    assert_eq!(sums.included, included);
    assert_eq!(sums.unclassified, unclassified);
    sums
}

#[test]
fn large_amounts_are_summed_as_decimals() {
    let amounts = ["999999999999999999.99", "0.01", "-12.50", "123456789012.34"];
    let entries: Vec<Entry> = (0..8u32)
        .map(|i| {
            let amount = Decimal::from_str(amounts[i as usize % amounts.len()]).unwrap();
            let fy = 2023 + i32::try_from(i % 2).unwrap();
            entry(
                i,
                fy,
                amount,
                Some("Kelsall Trust"),
                "foundation",
                Some(i % 3 == 0),
            )
        })
        .collect();
    let whole = sums(&entries, SLICE_ROWS);
    // Slices of one row are summed as 64-bit integers but for the largest amount.
    assert_eq!(sums(&entries, 1), whole);
    let total: Decimal = whole.years.iter().map(|(_, p)| p.total).sum();
    assert_eq!(total, entries.iter().map(|e| e.amount).sum::<Decimal>());
    assert_eq!(whole.overall.total.to_string(), "2000000246913577999.68");
    // Small amounts first: the slice's 64-bit columns are widened at the first large one.
    let mut later = entries.clone();
    later.rotate_left(1);
    assert_eq!(sums(&later, SLICE_ROWS).overall.total, whole.overall.total);
}

#[test]
fn slices_of_any_size_give_the_same_sums() {
    let funders = [
        "Westshire Council",
        "Kelsall Trust",
        "Acme Ltd",
        "Jo Bloggs",
    ];
    let categories = ["government", "foundation", "corporate", "community"];
    let entries: Vec<Entry> = (0..40u32)
        .map(|i| {
            let k = (i as usize * 7) % funders.len();
            let sign = if i % 9 == 0 {
                -Decimal::ONE
            } else {
                Decimal::ONE
            };
            let amount =
                Decimal::from_str(&format!("{}.{:02}", 100 + i * 37, i % 100)).unwrap() * sign;
            let restricted = [None, Some(true), Some(false)][i as usize % 3];
            let funder = (i % 5 != 0).then_some(funders[k]);
            let fy = 2022 + i32::try_from(i % 3).unwrap();
            entry(i, fy, amount, funder, categories[k], restricted)
        })
        .collect();
    let whole = sums(&entries, SLICE_ROWS);
    assert!(!whole.years.is_empty());
    for slice in [1, 3, 7, 39, 40] {
        assert_eq!(sums(&entries, slice), whole, "slices of {slice}");
    }
}

#[test]
fn unclassified_income_is_added_up_in_the_exact_pass() {
    let entries: Vec<Entry> = (0..6u32)
        .map(|i| {
            let amount = Decimal::new(1000 + i64::from(i) * 25, 2 + i % 2);
            let funder = ["Qwerty Xyzzy", "Kelsall Trust"][i as usize % 2];
            let label = ["zzz", "foundation"][i as usize % 2];
            entry(i, 2024, amount, Some(funder), label, None)
        })
        .collect();
    let whole = sums(&entries, SLICE_ROWS);
    assert!(!whole.unclassified.is_zero(), "{}", whole.unclassified);
    assert!(whole.unclassified < whole.included);
}

#[test]
fn the_two_routes_must_agree_to_the_penny() {
    let entries: Vec<Entry> = (0..4u32)
        .map(|i| {
            let funder = ["Westshire Council", "Kelsall Trust"][i as usize % 2];
            let category = ["government", "foundation"][i as usize % 2];
            entry(
                i,
                2024,
                Decimal::new(12_345 + i64::from(i), 2),
                Some(funder),
                category,
                None,
            )
        })
        .collect();
    let ledger = Ledger {
        entries,
        ..Ledger::default()
    };
    let classes = classify(&ledger, &ClassifyOptions::default());
    let names: Vec<String> = classes.funders.iter().map(|f| f.name.clone()).collect();
    let (aggregates, exact) = exact_aggregates(&ledger, &classes, &names).unwrap();
    let by_polars = polars_groups(&ledger, &classes).unwrap();
    assert_eq!(by_polars, exact);
    agree(&exact, &by_polars, aggregates.included).unwrap();
    // A penny more in one group, or in the ledger's total, stops the run.
    let mut off = by_polars.clone();
    let first = off.0.values_mut().next().unwrap();
    first.net += Decimal::new(1, 2);
    let err = agree(&exact, &off, aggregates.included).unwrap_err();
    assert!(err.to_string().contains("totals disagree"), "{err}");
    let err = agree(&exact, &by_polars, aggregates.included + Decimal::new(1, 2)).unwrap_err();
    assert!(err.to_string().contains("totals disagree"), "{err}");
    // A classification that does not cover every entry is refused by both routes.
    let mut short = classes.clone();
    short.entry_funder.pop();
    assert!(exact_aggregates(&ledger, &short, &names).is_err());
    assert!(polars_groups(&ledger, &short).is_err());
}

#[test]
fn a_slice_whose_scale_grows_is_summed_at_its_largest_scale() {
    // Whole pounds, then pence, then tenths of a penny, then an amount that is small only
    // at the scale it came at: the units read so far are scaled up as the scale grows, and
    // widened to 128 bits when they no longer fit 64.
    let amounts = ["120", "-7", "17592186044.5", "15.25", "0.125", "3", "2.5"];
    let entries: Vec<Entry> = amounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let i = u32::try_from(i).unwrap();
            let fy = 2023 + i32::try_from(i % 2).unwrap();
            let funder = ["Kelsall Trust", "Acme Ltd"][i as usize % 2];
            let restricted = [Some(true), Some(false), None][i as usize % 3];
            entry(
                i,
                fy,
                Decimal::from_str(a).unwrap(),
                Some(funder),
                "foundation",
                restricted,
            )
        })
        .collect();
    let whole = sums(&entries, SLICE_ROWS);
    let total: Decimal = entries.iter().map(|e| e.amount).sum();
    assert_eq!(whole.overall.total, total);
    for slice in [1, 2, 3, 4, 6] {
        assert_eq!(sums(&entries, slice), whole, "slices of {slice}");
    }
}

#[test]
fn money_is_scaled_up_exactly_and_widened_when_it_must() {
    use super::by_polars::Money;
    let mut small = Money::Small(vec![5, -3], vec![5, 0]);
    small.rescale(2).unwrap();
    assert!(matches!(&small, Money::Small(a, r) if *a == [500, -300] && *r == [500, 0]));
    // 2^44 is the largest small unit: 2^44 / 10 + 1 times 10 is past it.
    let near = (1i64 << 44) / 10 + 1;
    let mut widened = Money::Small(vec![near, 1], vec![0, 1]);
    widened.rescale(1).unwrap();
    assert!(
        matches!(&widened, Money::Large(a, r) if *a == [i128::from(near) * 10, 10] && *r == [0, 10])
    );
    let mut huge = Money::Large(vec![i128::MAX / 10], vec![0]);
    assert!(huge.rescale(2).is_err());
}
