//! Risk bands: the words a report puts next to the indices. Thresholds come from
//! [`super::Settings`]; this module only compares. Values are compared after [`round_sig`], so
//! a band always agrees with the number printed beside it (0.6 shown is 0.6 compared).

use serde::Serialize;

use super::round_sig;
use super::settings::{AlignmentThresholds, ConcentrationThresholds};

/// How exposed income is to one funder or one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConcentrationBand {
    Low,
    Moderate,
    High,
    Severe,
}

impl ConcentrationBand {
    /// Severe when `top1 > severe_top1` or any category `> severe_category`; high when
    /// `top1 > high_top1` or any category `> high_category`; moderate when
    /// `top1 > moderate_top1` or `hhi > moderate_hhi`; otherwise low.
    #[must_use]
    pub fn classify(
        top1: f64,
        largest_category: f64,
        hhi: f64,
        t: &ConcentrationThresholds,
    ) -> ConcentrationBand {
        let (top1, cat, hhi) = (round_sig(top1), round_sig(largest_category), round_sig(hhi));
        if top1 > t.severe_top1 || cat > t.severe_category {
            ConcentrationBand::Severe
        } else if top1 > t.high_top1 || cat > t.high_category {
            ConcentrationBand::High
        } else if top1 > t.moderate_top1 || hhi > t.moderate_hhi {
            ConcentrationBand::Moderate
        } else {
            ConcentrationBand::Low
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ConcentrationBand::Low => "low",
            ConcentrationBand::Moderate => "moderate",
            ConcentrationBand::High => "high",
            ConcentrationBand::Severe => "severe",
        }
    }
}

/// How much of the income comes with expectations attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum AlignmentBand {
    #[serde(rename = "independent")]
    Independent,
    #[serde(rename = "some latitude")]
    SomeLatitude,
    #[serde(rename = "constrained")]
    Constrained,
    #[serde(rename = "highly constrained")]
    HighlyConstrained,
}

impl AlignmentBand {
    /// The highest band whose threshold the index reaches (`>=`); below all is independent.
    #[must_use]
    pub fn classify(index: f64, t: &AlignmentThresholds) -> AlignmentBand {
        let index = round_sig(index);
        if index >= t.highly_constrained {
            AlignmentBand::HighlyConstrained
        } else if index >= t.constrained {
            AlignmentBand::Constrained
        } else if index >= t.some_latitude {
            AlignmentBand::SomeLatitude
        } else {
            AlignmentBand::Independent
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            AlignmentBand::Independent => "independent",
            AlignmentBand::SomeLatitude => "some latitude",
            AlignmentBand::Constrained => "constrained",
            AlignmentBand::HighlyConstrained => "highly constrained",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABOVE: f64 = 1e-9;

    fn conc(top1: f64, cat: f64, hhi: f64) -> ConcentrationBand {
        ConcentrationBand::classify(top1, cat, hhi, &ConcentrationThresholds::default())
    }

    fn align(x: f64) -> AlignmentBand {
        AlignmentBand::classify(x, &AlignmentThresholds::default())
    }

    #[test]
    fn concentration_top1_at_and_just_above_each_threshold() {
        assert_eq!(conc(0.5, 0.0, 0.0), ConcentrationBand::High);
        assert_eq!(conc(0.5 + ABOVE, 0.0, 0.0), ConcentrationBand::Severe);
        assert_eq!(conc(0.25, 0.0, 0.0), ConcentrationBand::Moderate);
        assert_eq!(conc(0.25 + ABOVE, 0.0, 0.0), ConcentrationBand::High);
        assert_eq!(conc(0.1, 0.0, 0.0), ConcentrationBand::Low);
        assert_eq!(conc(0.1 + ABOVE, 0.0, 0.0), ConcentrationBand::Moderate);
    }

    #[test]
    fn concentration_category_at_and_just_above_each_threshold() {
        assert_eq!(conc(0.0, 0.7, 0.0), ConcentrationBand::High);
        assert_eq!(conc(0.0, 0.7 + ABOVE, 0.0), ConcentrationBand::Severe);
        assert_eq!(conc(0.0, 0.5, 0.0), ConcentrationBand::Low);
        assert_eq!(conc(0.0, 0.5 + ABOVE, 0.0), ConcentrationBand::High);
    }

    #[test]
    fn concentration_hhi_at_and_just_above_the_threshold() {
        assert_eq!(conc(0.0, 0.0, 0.15), ConcentrationBand::Low);
        assert_eq!(conc(0.0, 0.0, 0.15 + ABOVE), ConcentrationBand::Moderate);
    }

    #[test]
    fn float_noise_below_the_printed_precision_does_not_change_the_band() {
        assert_eq!(
            conc(0.500_000_000_000_000_1, 0.0, 0.0),
            ConcentrationBand::High
        );
        assert_eq!(
            align(0.599_999_999_999_999_9),
            AlignmentBand::HighlyConstrained
        );
    }

    #[test]
    fn alignment_at_just_below_and_just_above_each_threshold() {
        assert_eq!(align(0.6), AlignmentBand::HighlyConstrained);
        assert_eq!(align(0.6 + ABOVE), AlignmentBand::HighlyConstrained);
        assert_eq!(align(0.6 - ABOVE), AlignmentBand::Constrained);
        assert_eq!(align(0.4), AlignmentBand::Constrained);
        assert_eq!(align(0.4 + ABOVE), AlignmentBand::Constrained);
        assert_eq!(align(0.4 - ABOVE), AlignmentBand::SomeLatitude);
        assert_eq!(align(0.2), AlignmentBand::SomeLatitude);
        assert_eq!(align(0.2 + ABOVE), AlignmentBand::SomeLatitude);
        assert_eq!(align(0.2 - ABOVE), AlignmentBand::Independent);
        assert_eq!(align(0.0), AlignmentBand::Independent);
    }

    #[test]
    fn bands_serialise_as_lowercase_words() {
        let json = serde_json::to_string(&[ConcentrationBand::Severe, ConcentrationBand::Low])
            .expect("serialise");
        assert_eq!(json, r#"["severe","low"]"#);
        let json = serde_json::to_string(&[
            AlignmentBand::HighlyConstrained,
            AlignmentBand::SomeLatitude,
            AlignmentBand::Constrained,
            AlignmentBand::Independent,
        ])
        .expect("serialise");
        assert_eq!(
            json,
            r#"["highly constrained","some latitude","constrained","independent"]"#
        );
        for b in [
            AlignmentBand::HighlyConstrained,
            AlignmentBand::SomeLatitude,
        ] {
            assert_eq!(
                serde_json::to_string(&b).expect("ser"),
                format!("\"{}\"", b.as_str())
            );
        }
    }
}
