//! The margin in money: how far public support is above a threshold, or the smallest further
//! small-donor support that would reach it (new support lifts the 2% limit too).

use rust_decimal::Decimal;

use super::Donor;

/// Money to the cent, half away from zero: how the form shows an amount.
#[must_use]
pub fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Public support and total support if `extra` more small-donor gifts (each under the limit)
/// arrived: the limit rises with total support, so the donors' excess shrinks.
pub(super) fn with_extra(
    line4: Decimal,
    rest: Decimal,
    donors: &[Donor],
    extra: Decimal,
) -> (Decimal, Decimal) {
    let total = line4 + rest + extra;
    let limit = total * Decimal::new(2, 2);
    let excess: Decimal = donors
        .iter()
        .filter(|d| !d.unlimited)
        .map(|d| (d.total - limit).max(Decimal::ZERO))
        .sum();
    (line4 + extra - excess, total)
}

/// The smallest extra small-donor support, in cents, that makes public ≥ total / `n`.
pub(super) fn shortfall(line4: Decimal, rest: Decimal, donors: &[Donor], n: Decimal) -> Decimal {
    let meets = |x: Decimal| {
        let (public, total) = with_extra(line4, rest, donors, x);
        public * n >= total
    };
    if meets(Decimal::ZERO) {
        return Decimal::ZERO;
    }
    // Public support grows at least as fast as the extra, so this is enough.
    let (public, total) = with_extra(line4, rest, donors, Decimal::ZERO);
    let mut hi = ((total - public * n) / (n - Decimal::ONE))
        .max(Decimal::ZERO)
        .ceil()
        + Decimal::ONE;
    while !meets(hi) {
        hi *= Decimal::TWO;
    }
    let (mut lo_c, mut hi_c) = (0i128, (hi * Decimal::ONE_HUNDRED).ceil().mantissa());
    while hi_c - lo_c > 1 {
        let mid = lo_c + (hi_c - lo_c) / 2;
        if meets(Decimal::from_i128_with_scale(mid, 2)) {
            hi_c = mid;
        } else {
            lo_c = mid;
        }
    }
    Decimal::from_i128_with_scale(hi_c, 2)
}
