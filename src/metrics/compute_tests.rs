//! Worked examples for [`super::compute`] and [`super::funder_shares`], each checked by hand.

use rust_decimal::Decimal;

use super::*;
use crate::ledger::Category;

pub(crate) fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

fn funder(name: &str, category: Category, net: &str, restricted: &str) -> FunderNet {
    FunderNet {
        key: name.to_lowercase(),
        name: name.to_owned(),
        category,
        net: dec(net),
        restricted: dec(restricted),
        advocacy_target: false,
    }
}

fn pool(category: Category, net: &str, restricted: &str) -> PoolNet {
    PoolNet {
        category,
        net: dec(net),
        restricted: dec(restricted),
    }
}

fn period(funders: Vec<FunderNet>, pools: Vec<PoolNet>) -> Period {
    let total = funders
        .iter()
        .map(|f| f.net)
        .chain(pools.iter().map(|p| p.net))
        .sum();
    Period {
        funders,
        pools,
        total,
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

/// Every ratio of `m`, by name (category shares included).
pub(crate) fn ratios(m: &Metrics) -> Vec<(String, Option<f64>)> {
    let mut out: Vec<(String, Option<f64>)> = [
        ("community_share", m.community_share),
        ("dispersed_share", m.dispersed_share),
        ("hhi_funders", m.hhi_funders),
        ("effective_funders", m.effective_funders),
        ("top1_share", m.top1_share),
        ("top3_share", m.top3_share),
        ("top5_share", m.top5_share),
        ("gini_funders", m.gini_funders),
        ("largest_funder", m.largest_funder.as_ref().map(|l| l.share)),
        ("hhi_categories", m.hhi_categories),
        ("hhi_categories_normalised", m.hhi_categories_normalised),
        ("effective_categories", m.effective_categories),
        ("entropy_categories_bits", m.entropy_categories_bits),
        ("evenness_categories", m.evenness_categories),
        ("alignment_index", m.alignment_index),
        ("aligned_hhi", m.aligned_hhi),
        ("restricted_share", m.restricted_share),
        ("advocacy_exposure", m.advocacy_exposure),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    out.extend(
        m.category_shares
            .iter()
            .map(|(c, v)| (format!("category_shares.{c}"), *v)),
    );
    out
}

#[test]
fn category_mix_half_quarter_quarter_by_hand() {
    let p = period(
        vec![
            funder("Ministry", Category::Government, "500", "0"),
            funder("Trust", Category::Foundation, "250", "0"),
        ],
        vec![pool(Category::Community, "250", "0")],
    );
    let m = compute(&p, &Settings::default());
    assert_eq!(m.share_base, dec("1000"));
    assert_eq!(m.category_shares[&Category::Government], Some(0.5));
    assert_eq!(m.category_shares[&Category::Foundation], Some(0.25));
    assert_eq!(m.category_shares[&Category::Community], Some(0.25));
    assert_eq!(m.category_shares[&Category::Earned], Some(0.0));
    assert_eq!(m.by_category[&Category::Corporate], Decimal::ZERO);
    assert_eq!(m.hhi_categories, Some(0.375));
    assert!(close(m.hhi_categories_normalised, 0.0625));
    assert_eq!(
        m.effective_categories.map(round_sig),
        Some(2.666_666_666_67)
    );
    assert!(close(m.entropy_categories_bits, 1.5));
    assert!(close(m.evenness_categories, 1.5 / 3f64.log2()));
    assert_eq!(m.community_share, Some(0.25));
    assert_eq!(m.dispersed_share, Some(0.25));
    assert_eq!(m.funder_count, 2);
    // Funder shares 0.5 and 0.25; the pool adds nothing to the funder HHI.
    assert_eq!(m.hhi_funders, Some(0.3125));
    assert_eq!(m.effective_funders, Some(3.2));
}

#[test]
fn funder_shares_seventy_thirty_by_hand() {
    let p = period(
        vec![
            funder("Big", Category::Corporate, "700", "0"),
            funder("Small", Category::Corporate, "300", "0"),
        ],
        vec![],
    );
    let m = compute(&p, &Settings::default());
    assert_eq!(m.hhi_funders, Some(0.58));
    assert!(close(m.effective_funders, 1.0 / 0.58));
    assert_eq!(m.top1_share, Some(0.7));
    assert_eq!(
        m.largest_funder,
        Some(LargestFunder {
            name: "Big".into(),
            share: 0.7
        })
    );
    // (700, 300): Σ|xi − xj| = 800 over ordered pairs, 2·n²·mean = 2·4·500 = 4000 → 0.2.
    assert!(close(m.gini_funders, 0.2));
    assert_eq!(m.concentration_band, Some(ConcentrationBand::Severe));
}

#[test]
fn zero_base_makes_every_ratio_null() {
    let p = period(
        vec![
            funder("Refunded", Category::Government, "0", "0"),
            funder("Clawed back", Category::Corporate, "-100", "0"),
        ],
        vec![pool(Category::Community, "0", "0")],
    );
    let m = compute(&p, &Settings::default());
    assert_eq!(m.share_base, Decimal::ZERO);
    for (name, value) in ratios(&m) {
        assert_eq!(value, None, "{name} should be null");
    }
    assert_eq!(m.largest_funder, None);
    assert_eq!((m.concentration_band, m.alignment_band), (None, None));
    assert_eq!(m.funder_count, 0);
    let json = serde_json::to_value(&m).expect("serialise");
    assert_eq!(json["hhi_categories"], serde_json::Value::Null);
    assert_eq!(
        json["category_shares"]["government"],
        serde_json::Value::Null
    );
    assert_eq!(json["advocacy_exposure"], serde_json::Value::Null);
    let empty = compute(&Period::default(), &Settings::default());
    assert!(ratios(&empty).iter().all(|(_, v)| v.is_none()));
}

#[test]
fn negative_funder_is_left_out_of_the_base_and_listed() {
    let p = period(
        vec![
            funder("Good", Category::Foundation, "800", "0"),
            funder("Refunds", Category::Corporate, "-200", "0"),
            funder("Even", Category::Government, "0", "0"),
        ],
        vec![pool(Category::Crowdsourced, "-5", "0")],
    );
    let m = compute(&p, &Settings::default());
    assert_eq!(m.total, dec("595"));
    assert_eq!(m.share_base, dec("800"));
    assert_eq!(m.top1_share, Some(1.0));
    assert_eq!(m.category_shares[&Category::Corporate], Some(0.0));
    let listed: Vec<(Option<&str>, &str, Decimal)> = m
        .excluded_funders
        .iter()
        .map(|e| (e.key.as_deref(), e.name.as_str(), e.net))
        .collect();
    assert_eq!(
        listed,
        [
            (Some("refunds"), "Refunds", dec("-200")),
            (None, "dispersed crowdsourced givers", dec("-5")),
            (Some("even"), "Even", Decimal::ZERO),
        ]
    );
}

#[test]
fn one_funder_in_one_category() {
    let p = period(
        vec![funder("Only", Category::Government, "1234.56", "0")],
        vec![],
    );
    let m = compute(&p, &Settings::default());
    assert_eq!(m.gini_funders, Some(0.0));
    assert_eq!(m.hhi_funders, Some(1.0));
    assert_eq!(m.effective_funders, Some(1.0));
    assert_eq!(m.hhi_categories_normalised, Some(1.0));
    assert_eq!(m.entropy_categories_bits, Some(0.0));
    assert_eq!(m.evenness_categories, None);
    assert_eq!(m.concentration_band, Some(ConcentrationBand::Severe));
}

#[test]
fn top_k_with_fewer_than_k_funders_counts_them_all() {
    let p = period(
        vec![
            funder("A", Category::Foundation, "40", "0"),
            funder("B", Category::Foundation, "30", "0"),
        ],
        vec![pool(Category::Community, "30", "0")],
    );
    let m = compute(&p, &Settings::default());
    assert_eq!(m.top1_share, Some(0.4));
    assert_eq!(m.top3_share, Some(0.7));
    assert_eq!(m.top5_share, Some(0.7));
}

#[test]
fn only_a_pool_has_no_funder_concentration() {
    let p = period(vec![], vec![pool(Category::Community, "900", "0")]);
    let m = compute(&p, &Settings::default());
    assert_eq!(m.hhi_funders, Some(0.0));
    assert_eq!(m.effective_funders, None);
    assert_eq!(m.top1_share, Some(0.0));
    assert_eq!(m.gini_funders, None);
    assert_eq!(m.largest_funder, None);
    assert_eq!(m.dispersed_share, Some(1.0));
    // One category holds everything: that alone is severe.
    assert_eq!(m.concentration_band, Some(ConcentrationBand::Severe));
}

#[test]
fn alignment_with_known_restricted_fractions_by_hand() {
    // Government 60 (ρ 0.5), foundation 20 (ρ 0), community pool 20 (ρ 1); base 100.
    // index = 0.6·0.9·(0.75 + 0.25·0.5) + 0.2·0.6·0.75 + 0.2·0.1·1 = 0.4725 + 0.09 + 0.02
    // aligned HHI = 0.36·0.9 + 0.04·0.6 = 0.348; restricted share = (30 + 0 + 20)/100.
    let p = period(
        vec![
            funder("Ministry", Category::Government, "60", "30"),
            funder("Trust", Category::Foundation, "20", "0"),
        ],
        vec![pool(Category::Community, "20", "20")],
    );
    let m = compute(&p, &Settings::default());
    assert!(close(m.alignment_index, 0.5825));
    assert!(close(m.aligned_hhi, 0.348));
    assert_eq!(m.restricted_share, Some(0.5));
    assert_eq!(m.alignment_band, Some(AlignmentBand::Constrained));
}

#[test]
fn restricted_beyond_net_is_clamped() {
    // 100 restricted received, 60 unrestricted refunded: net 40, restricted counts as 40.
    let p = period(
        vec![funder("Trust", Category::Foundation, "40", "100")],
        vec![],
    );
    let m = compute(&p, &Settings::default());
    assert_eq!(m.restricted_share, Some(1.0));
    assert!(close(m.alignment_index, 0.6));
    assert_eq!(m.alignment_band, Some(AlignmentBand::HighlyConstrained));
    let shares = funder_shares(&p, &Settings::default());
    assert_eq!(shares[0].restricted_share, Some(1.0));
}

#[test]
fn advocacy_exposure_is_zero_when_nobody_is_flagged() {
    let mut p = period(
        vec![
            funder("Ministry", Category::Government, "75", "0"),
            funder("Firm", Category::Corporate, "25", "0"),
        ],
        vec![],
    );
    assert_eq!(
        compute(&p, &Settings::default()).advocacy_exposure,
        Some(0.0)
    );
    p.funders[1].advocacy_target = true;
    assert_eq!(
        compute(&p, &Settings::default()).advocacy_exposure,
        Some(0.25)
    );
}

#[test]
fn settings_change_weights_and_bands() {
    let p = period(
        vec![funder("Firm", Category::Corporate, "100", "0")],
        vec![],
    );
    let mut s = Settings::default();
    assert!(close(compute(&p, &s).alignment_index, 0.6));
    s.weights.corporate = 0.2;
    s.alignment.unrestricted_multiplier = 1.0;
    let m = compute(&p, &s);
    assert!(close(m.alignment_index, 0.2));
    assert_eq!(m.alignment_band, Some(AlignmentBand::SomeLatitude));
}

#[test]
fn json_has_money_strings_rounded_ratios_and_band_words() {
    let p = period(
        vec![
            funder("A", Category::Foundation, "1", "0"),
            funder("B", Category::Foundation, "1", "0"),
            funder("C", Category::Earned, "1", "0"),
        ],
        vec![],
    );
    let json = serde_json::to_value(compute(&p, &Settings::default())).expect("serialise");
    assert_eq!(json["share_base"], "3");
    assert_eq!(json["by_category"]["foundation"], "2");
    assert_eq!(json["top1_share"], 0.333_333_333_333);
    assert_eq!(json["category_shares"]["foundation"], 0.666_666_666_667);
    assert_eq!(json["largest_funder"]["share"], 0.333_333_333_333);
    assert_eq!(json["largest_funder"]["name"], "A");
    assert_eq!(json["concentration_band"], "high");
    // 2·(1/3·0.6·0.75) + 1/3·0.3·0.75 = 0.375.
    assert_eq!(json["alignment_index"], 0.375);
    assert_eq!(json["alignment_band"], "some latitude");
    assert_eq!(json["excluded_funders"], serde_json::json!([]));
}

#[test]
fn funder_share_table_is_sorted_with_nulls_for_the_excluded() {
    let p = period(
        vec![
            funder("Zed", Category::Corporate, "50", "25"),
            funder("Refund", Category::Corporate, "-10", "0"),
            funder("Abe", Category::Government, "50", "0"),
            funder("Top", Category::Foundation, "100", "0"),
        ],
        vec![],
    );
    let rows = funder_shares(&p, &Settings::default());
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Top", "Abe", "Zed", "Refund"]);
    assert_eq!(rows[0].share, Some(0.5));
    assert_eq!(rows[2].share, Some(0.25));
    assert_eq!(rows[2].restricted_share, Some(0.5));
    assert_eq!(rows[3].total, dec("-10"));
    assert_eq!((rows[3].share, rows[3].restricted_share), (None, None));
}
