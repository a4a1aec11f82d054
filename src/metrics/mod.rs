//! Metrics: pure functions from funder and category totals to shares, concentration and
//! alignment indices, bands, year-on-year trends and loss scenarios. No I/O, no files, no
//! polars here: callers aggregate ledger entries into a [`Period`] of net totals and hand it in.
//! Money stays [`Decimal`] (shares are divided in `Decimal` and converted to `f64` last); an
//! undefined ratio is `None` (JSON `null`), never 0 or NaN. The definitions are written out in
//! `docs/methodology.md`; change both together.

mod bands;
mod base;
mod compute;
mod concentration;
mod settings;
mod settings_toml;
mod stress;
mod trends;

#[cfg(test)]
mod compute_tests;
#[cfg(test)]
mod proptests;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serializer;

use crate::ledger::Category;

pub use bands::{AlignmentBand, ConcentrationBand};
pub use base::ExcludedFunder;
pub use compute::{compute, funder_shares, FunderShare, LargestFunder, Metrics};
pub use settings::{
    AlignmentSettings, AlignmentThresholds, BandSettings, ConcentrationThresholds, Settings,
    SettingsError, StressSettings, Weights,
};
pub use settings_toml::defaults_toml;
pub use stress::{stress, LossScenario, Stress};
pub use trends::{trends, Trends, Turnover, YearChange};

/// One identified funder's totals over the period (the whole ledger or one fiscal year).
#[derive(Debug, Clone, PartialEq)]
pub struct FunderNet {
    /// Identity key.
    pub key: String,
    /// Display name.
    pub name: String,
    /// The funder's one category.
    pub category: Category,
    /// Net income (refunds subtract); may be zero or negative.
    pub net: Decimal,
    /// The part of `net` that is restricted or of unknown restriction.
    pub restricted: Decimal,
    /// The organisation's advocacy targets this funder.
    pub advocacy_target: bool,
}

/// The dispersed pool (many small givers) of one category, usually community or crowdsourced.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolNet {
    pub category: Category,
    pub net: Decimal,
    /// The part of `net` that is restricted or of unknown restriction.
    pub restricted: Decimal,
}

/// Everything the metrics need about one period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Period {
    pub funders: Vec<FunderNet>,
    pub pools: Vec<PoolNet>,
    /// Net of all included rows.
    pub total: Decimal,
}

/// Rounds to 12 significant digits, the precision of every ratio in the output.
///
/// Non-finite values come back unchanged (the metrics never produce them) and `-0.0` becomes `0.0`.
#[must_use]
pub fn round_sig(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return if x == 0.0 { 0.0 } else { x };
    }
    // The formatter rounds the decimal expansion correctly; parsing picks the nearest f64.
    format!("{x:.11e}").parse::<f64>().unwrap_or(x)
}

/// `num / den` as a ratio, divided in `Decimal`; `None` when `den <= 0` or on overflow.
pub(crate) fn ratio(num: Decimal, den: Decimal) -> Option<f64> {
    if den <= Decimal::ZERO {
        return None;
    }
    // A part that is the whole (a funder's gifts all restricted, say): 1, as the division
    // gives, without dividing.
    if num == den {
        return Some(1.0);
    }
    num.checked_div(den)?.to_f64().filter(|r| r.is_finite())
}

/// `Some(x)` when `x` is finite.
pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Serialises an optional ratio rounded by [`round_sig`]; `None` is `null`.
#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<f64>`
pub(crate) fn ser_ratio<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(v) => s.serialize_f64(round_sig(*v)),
        None => s.serialize_none(),
    }
}

/// Serialises a ratio rounded by [`round_sig`].
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `serialize_with` passes `&f64`
pub(crate) fn ser_f64<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round_sig(*x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_sig_keeps_twelve_significant_digits() {
        assert_eq!(round_sig(0.580_000_000_000_000_1), 0.58);
        assert_eq!(round_sig(2.666_666_666_666_666_5), 2.666_666_666_67);
        assert_eq!(round_sig(123_456.789_012_345_6), 123_456.789_012);
        assert_eq!(round_sig(1.234_567_890_123_4e-7), 1.234_567_890_12e-7);
        assert_eq!(round_sig(-0.0), 0.0);
        assert!(round_sig(-0.0).is_sign_positive());
        assert_eq!(round_sig(-0.333_333_333_333_333), -0.333_333_333_333);
    }

    #[test]
    fn ratio_is_none_for_a_zero_or_negative_denominator() {
        assert_eq!(ratio(Decimal::ONE, Decimal::ZERO), None);
        assert_eq!(ratio(Decimal::ONE, Decimal::NEGATIVE_ONE), None);
        assert_eq!(ratio(Decimal::ONE, Decimal::TWO), Some(0.5));
    }
}
