//! Order statistics for peer comparisons.

use serde::Serialize;

use crate::metrics::round_sig;

/// Percent of `values` below `x`, counting ties as half (the mid-rank percentile), 0–100.
#[must_use]
pub fn percentile_rank(values: &[f64], x: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let below = values.iter().filter(|v| **v < x).count();
    let equal = values.iter().filter(|v| **v == x).count();
    #[allow(clippy::cast_precision_loss)]
    let n = values.len() as f64;
    #[allow(clippy::cast_precision_loss)]
    let rank = below as f64 + 0.5 * equal as f64;
    100.0 * rank / n
}

/// [`percentile_rank`] over peers whose values carry different precisions: each peer's value
/// and `x` are both rounded to that peer's decimals before they are compared, so a peer card's
/// 0.30 ties with 0.3049 while a four-decimal 0.3010 from grant data stays below it.
#[must_use]
pub fn percentile_rank_at(values: &[(f64, i32)], x: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let (mut below, mut equal) = (0usize, 0usize);
    for &(v, dp) in values {
        let f = 10f64.powi(dp);
        let (v, ours) = ((v * f).round(), (x * f).round());
        if v < ours {
            below += 1;
        } else if v == ours {
            equal += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let rank = below as f64 + 0.5 * equal as f64;
    #[allow(clippy::cast_precision_loss)]
    let n = values.len() as f64;
    100.0 * rank / n
}

/// The `q` quantile (0–1) by linear interpolation between order statistics (Hyndman–Fan type 7,
/// as spreadsheets' PERCENTILE.INC and numpy's default).
#[must_use]
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let h = (sorted.len() - 1) as f64 * q;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let frac = h - h.floor();
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * frac)
}

/// Quartiles and extremes of a peer group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spread {
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
}

impl Spread {
    /// The spread of `values` (unsorted), `None` when empty.
    #[must_use]
    pub fn of(values: &[f64]) -> Option<Spread> {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        // Interpolation leaves float noise (0.22500000000000003): keep 12 significant digits,
        // as every ratio in the JSON output does.
        Some(Spread {
            min: *v.first()?,
            q1: round_sig(quantile(&v, 0.25)?),
            median: round_sig(quantile(&v, 0.5)?),
            q3: round_sig(quantile(&v, 0.75)?),
            max: *v.last()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_percentile_by_hand() {
        // Peers' community shares 0.10, 0.20, 0.30, 0.40, 0.50, 0.60; ours 0.30.
        // Below: 2; equal: 1 → (2 + 0.5) / 6 = 41.67th percentile.
        let peers = [0.5, 0.1, 0.3, 0.6, 0.2, 0.4];
        assert!((percentile_rank(&peers, 0.3) - 250.0 / 6.0).abs() < 1e-12);
        assert_eq!(percentile_rank(&peers, 0.05), 0.0);
        assert_eq!(percentile_rank(&peers, 0.9), 100.0);
        // Type 7: median of six = (0.3 + 0.4) / 2; q1 at h = 1.25 → 0.2 + 0.25 × 0.1.
        let s = Spread::of(&peers).unwrap();
        assert!((s.median - 0.35).abs() < 1e-12);
        assert!((s.q1 - 0.225).abs() < 1e-12);
        assert!((s.q3 - 0.475).abs() < 1e-12);
        assert_eq!((s.min, s.max), (0.1, 0.6));
    }
}
