//! An exact running sum of money that costs an integer add per amount: the hot loops (a
//! sheet's running sums, classification, aggregation) add a million amounts each.
//!
//! The sum is held as 128-bit units of the largest scale seen. It gives exactly what adding
//! the same amounts with `rust_decimal` in the same order gives, scale and all: while the
//! units fit a decimal's 96-bit mantissa the two agree by construction, and from the first
//! amount that would not fit, the rest is added with `rust_decimal` itself.

use rust_decimal::Decimal;

/// 2⁹⁶: a decimal's mantissa is below this.
const MANTISSA_LIMIT: u128 = 1 << 96;

/// An exact sum of decimals, added in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExactSum(State);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// `units` × 10^-`scale`, with `|units|` below [`MANTISSA_LIMIT`]. `negative` is the
    /// sign a zero sum shows ("-0.00"), as `rust_decimal` keeps it.
    Units {
        units: i128,
        scale: u32,
        negative: bool,
    },
    /// The units would not have fit: added as decimals from there on.
    Decimal(Decimal),
}

impl Default for State {
    fn default() -> Self {
        State::Units {
            units: 0,
            scale: 0,
            negative: false,
        }
    }
}

impl ExactSum {
    /// Adds `amount`, as `rust_decimal` does: adding to zero gives the amount itself (its
    /// scale and sign), adding zero changes nothing, and otherwise the sum has the larger
    /// scale and, when it cancels to zero, the sign the sum had.
    #[inline]
    pub fn add(&mut self, amount: Decimal) {
        match &mut self.0 {
            State::Units {
                units,
                scale,
                negative,
            } => {
                let m = amount.mantissa();
                if amount.scale() == *scale && *units != 0 && m != 0 {
                    if let Some(sum) = units.checked_add(m) {
                        if sum.unsigned_abs() < MANTISSA_LIMIT {
                            *units = sum;
                            *negative = if sum == 0 { *negative } else { sum < 0 };
                            return;
                        }
                    }
                }
                self.add_slowly(amount);
            }
            State::Decimal(d) => *d += amount,
        }
    }

    /// Adds to a zero, a zero, an amount of another scale, or one that leaves the
    /// mantissa's range.
    #[cold]
    fn add_slowly(&mut self, amount: Decimal) {
        let State::Units { units, scale, .. } = self.0 else {
            return;
        };
        let (s, m) = (amount.scale(), amount.mantissa());
        if units == 0 {
            self.0 = State::Units {
                units: m,
                scale: s,
                negative: amount.is_sign_negative(),
            };
            return;
        }
        if m == 0 {
            return;
        }
        let to = scale.max(s);
        let sum = up(units, to - scale)
            .zip(up(m, to - s))
            .and_then(|(a, b)| a.checked_add(b))
            .filter(|sum| sum.unsigned_abs() < MANTISSA_LIMIT);
        self.0 = match sum {
            Some(sum) => State::Units {
                units: sum,
                scale: to,
                negative: if sum == 0 { units < 0 } else { sum < 0 },
            },
            None => State::Decimal(self.value() + amount),
        };
    }

    /// Adds another sum's amounts, as if they had been added here one by one: exactly so
    /// while both fit, which [`ExactSum::add`] of its value then gives.
    pub fn add_sum(&mut self, other: &ExactSum) {
        self.add(other.value());
    }

    /// The sum so far.
    #[must_use]
    pub fn value(&self) -> Decimal {
        match self.0 {
            State::Units {
                units,
                scale,
                negative,
            } => {
                let magnitude = units.unsigned_abs();
                // Below 2⁹⁶: the three words hold it all.
                #[allow(clippy::cast_possible_truncation)]
                let words = (
                    magnitude as u32,
                    (magnitude >> 32) as u32,
                    (magnitude >> 64) as u32,
                );
                Decimal::from_parts(words.0, words.1, words.2, negative, scale)
            }
            State::Decimal(d) => d,
        }
    }
}

/// `m` × 10^`by`, when it fits.
pub(crate) fn up(m: i128, by: u32) -> Option<i128> {
    10i128.checked_pow(by).and_then(|f| m.checked_mul(f))
}

impl FromIterator<Decimal> for ExactSum {
    fn from_iter<I: IntoIterator<Item = Decimal>>(iter: I) -> Self {
        let mut sum = ExactSum::default();
        for d in iter {
            sum.add(d);
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Amounts of every scale and size, with many of one scale (as in a ledger), and some
    /// near the largest a decimal holds.
    fn amount() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            4 => (-1_000_000i64..1_000_000).prop_map(|m| Decimal::new(m, 2)),
            2 => (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            1 => (any::<i128>(), 0u32..=28).prop_map(|(m, s)| {
                let m = m % (1i128 << 96);
                Decimal::from_i128_with_scale(m, s)
            }),
            1 => Just(Decimal::MAX),
            1 => Just(Decimal::MIN),
            1 => (0u32..=4).prop_map(|s| Decimal::from_parts(0, 0, 0, true, s)),
        ]
    }

    fn ledger_amount() -> impl Strategy<Value = Decimal> {
        (
            -999_999_999_999_999_999i64..=999_999_999_999_999_999,
            0u32..=4,
        )
            .prop_map(|(m, s)| Decimal::new(m, s))
    }

    proptest! {
        /// The sum is the one `rust_decimal` gives adding in order: same value, same scale,
        /// same text.
        #[test]
        fn sums_as_rust_decimal_does(amounts in prop::collection::vec(amount(), 0..40)) {
            let mut decimal = Decimal::ZERO;
            let mut exact = ExactSum::default();
            for a in &amounts {
                let Some(d) = decimal.checked_add(*a) else {
                    // rust_decimal panics here: no sum to compare with.
                    return Ok(());
                };
                decimal = d;
                exact.add(*a);
                prop_assert_eq!(exact.value().to_string(), decimal.to_string());
                prop_assert_eq!(exact.value().scale(), decimal.scale());
                prop_assert_eq!(exact.value().is_sign_negative(), decimal.is_sign_negative());
            }
        }

        /// A sum of sums is the sum of all the amounts, for amounts whose sums need no
        /// rounding (any a ledger reads: below 10¹⁸, at most four decimal places).
        #[test]
        fn sums_of_parts_add_up(
            a in prop::collection::vec(ledger_amount(), 0..20),
            b in prop::collection::vec(ledger_amount(), 0..20),
        ) {
            let all: Decimal = a.iter().chain(&b).copied().sum();
            let mut first: ExactSum = a.iter().copied().collect();
            let second: ExactSum = b.iter().copied().collect();
            first.add_sum(&second);
            prop_assert_eq!(first.value(), all);
        }
    }

    #[test]
    fn an_empty_sum_is_a_plain_zero() {
        assert_eq!(ExactSum::default().value().to_string(), "0");
    }
}
