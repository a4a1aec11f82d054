//! Settings: every weight, multiplier and band threshold the metrics use, with the documented
//! defaults, as read from the `[weights]`, `[alignment]`, `[bands.*]` and `[stress]` tables of a
//! settings file. This module only holds and checks values; it never reads files.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ledger::Category;

/// All tunable inputs of the metrics. A missing key takes its default; an unknown key is an error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub weights: Weights,
    pub alignment: AlignmentSettings,
    pub bands: BandSettings,
    pub stress: StressSettings,
}

/// w(category): how much a funder of each type usually expects its money to advance its own
/// objectives, from 0 (not at all) to 1 (entirely).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    pub government: f64,
    pub foundation: f64,
    pub corporate: f64,
    pub community: f64,
    pub crowdsourced: f64,
    pub earned: f64,
    pub other: f64,
    pub unclassified: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            government: 0.9,
            foundation: 0.6,
            corporate: 0.8,
            community: 0.1,
            crowdsourced: 0.05,
            earned: 0.3,
            other: 0.5,
            unclassified: 0.5,
        }
    }
}

impl Weights {
    /// The weight of one category.
    #[must_use]
    pub fn of(&self, category: Category) -> f64 {
        match category {
            Category::Government => self.government,
            Category::Foundation => self.foundation,
            Category::Corporate => self.corporate,
            Category::Community => self.community,
            Category::Crowdsourced => self.crowdsourced,
            Category::Earned => self.earned,
            Category::Other => self.other,
            Category::Unclassified => self.unclassified,
        }
    }
}

/// How restriction scales a funder's weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlignmentSettings {
    /// u: the part of a funder's weight that applies to unrestricted money.
    pub unrestricted_multiplier: f64,
}

impl Default for AlignmentSettings {
    fn default() -> Self {
        AlignmentSettings {
            unrestricted_multiplier: 0.75,
        }
    }
}

/// Band thresholds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BandSettings {
    pub concentration: ConcentrationThresholds,
    pub alignment: AlignmentThresholds,
}

/// Concentration band: the first test that passes wins, from severe down; each is "more than".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConcentrationThresholds {
    pub severe_top1: f64,
    pub severe_category: f64,
    pub high_top1: f64,
    pub high_category: f64,
    pub moderate_top1: f64,
    pub moderate_hhi: f64,
}

impl Default for ConcentrationThresholds {
    fn default() -> Self {
        ConcentrationThresholds {
            severe_top1: 0.5,
            severe_category: 0.7,
            high_top1: 0.25,
            high_category: 0.5,
            moderate_top1: 0.1,
            moderate_hhi: 0.15,
        }
    }
}

/// Alignment band: the lowest index ("at least") of each band above "independent".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlignmentThresholds {
    pub highly_constrained: f64,
    pub constrained: f64,
    pub some_latitude: f64,
}

impl Default for AlignmentThresholds {
    fn default() -> Self {
        AlignmentThresholds {
            highly_constrained: 0.6,
            constrained: 0.4,
            some_latitude: 0.2,
        }
    }
}

/// Inputs of the runway part of the stress test; both unset by default.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StressSettings {
    /// Yearly spending the income has to cover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annual_expenditure: Option<Decimal>,
    /// Reserves that can be drawn on when income falls short.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserves: Option<Decimal>,
}

/// A setting outside the range the metrics are defined for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    #[error("{key} = {value}: must be a number from 0 to 1")]
    NotAFraction { key: String, value: f64 },
    #[error("[bands.{band}] {lower} = {lower_value} must not be above {upper} = {upper_value}")]
    Unordered {
        band: &'static str,
        lower: &'static str,
        lower_value: f64,
        upper: &'static str,
        upper_value: f64,
    },
    #[error("[stress] {key} = {value}: must not be negative")]
    Negative { key: &'static str, value: Decimal },
}

impl Settings {
    /// Checks that weights, `u` and thresholds lie in 0–1, that band thresholds are in order,
    /// and that stress amounts are not negative.
    ///
    /// # Errors
    /// The first [`SettingsError`] found, naming its key.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let w = &self.weights;
        let c = &self.bands.concentration;
        let a = &self.bands.alignment;
        let mut fractions: Vec<(String, f64)> = Category::ALL
            .into_iter()
            .map(|cat| (format!("[weights] {}", cat.as_str()), w.of(cat)))
            .collect();
        fractions.push((
            "[alignment] unrestricted_multiplier".to_owned(),
            self.alignment.unrestricted_multiplier,
        ));
        for (key, value) in [
            ("severe_top1", c.severe_top1),
            ("severe_category", c.severe_category),
            ("high_top1", c.high_top1),
            ("high_category", c.high_category),
            ("moderate_top1", c.moderate_top1),
            ("moderate_hhi", c.moderate_hhi),
        ] {
            fractions.push((format!("[bands.concentration] {key}"), value));
        }
        for (key, value) in [
            ("highly_constrained", a.highly_constrained),
            ("constrained", a.constrained),
            ("some_latitude", a.some_latitude),
        ] {
            fractions.push((format!("[bands.alignment] {key}"), value));
        }
        if let Some((key, value)) = fractions
            .into_iter()
            .find(|(_, v)| !(0.0..=1.0).contains(v))
        {
            return Err(SettingsError::NotAFraction { key, value });
        }
        let ordered = [
            (
                "concentration",
                ("high_top1", c.high_top1),
                ("severe_top1", c.severe_top1),
            ),
            (
                "concentration",
                ("moderate_top1", c.moderate_top1),
                ("high_top1", c.high_top1),
            ),
            (
                "concentration",
                ("high_category", c.high_category),
                ("severe_category", c.severe_category),
            ),
            (
                "alignment",
                ("constrained", a.constrained),
                ("highly_constrained", a.highly_constrained),
            ),
            (
                "alignment",
                ("some_latitude", a.some_latitude),
                ("constrained", a.constrained),
            ),
        ];
        for (band, (lower, lower_value), (upper, upper_value)) in ordered {
            if lower_value > upper_value {
                return Err(SettingsError::Unordered {
                    band,
                    lower,
                    lower_value,
                    upper,
                    upper_value,
                });
            }
        }
        for (key, value) in [
            ("annual_expenditure", self.stress.annual_expenditure),
            ("reserves", self.stress.reserves),
        ] {
            if let Some(value) = value.filter(|v| *v < Decimal::ZERO) {
                return Err(SettingsError::Negative { key, value });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(Settings::default().validate(), Ok(()));
    }

    #[test]
    fn a_weight_above_one_is_rejected_by_name() {
        let mut s = Settings::default();
        s.weights.corporate = 1.5;
        let err = s.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "[weights] corporate = 1.5: must be a number from 0 to 1"
        );
    }

    #[test]
    fn nan_is_not_a_fraction() {
        let mut s = Settings::default();
        s.alignment.unrestricted_multiplier = f64::NAN;
        assert!(matches!(
            s.validate(),
            Err(SettingsError::NotAFraction { .. })
        ));
    }

    #[test]
    fn thresholds_out_of_order_are_rejected() {
        let mut s = Settings::default();
        s.bands.concentration.high_top1 = 0.6;
        let err = s.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "[bands.concentration] high_top1 = 0.6 must not be above severe_top1 = 0.5"
        );
    }

    #[test]
    fn negative_reserves_are_rejected() {
        let mut s = Settings::default();
        s.stress.reserves = Some(Decimal::NEGATIVE_ONE);
        assert!(matches!(
            s.validate(),
            Err(SettingsError::Negative {
                key: "reserves",
                ..
            })
        ));
    }

    #[test]
    fn weights_cover_every_category() {
        let w = Weights::default();
        let got: Vec<f64> = Category::ALL.into_iter().map(|c| w.of(c)).collect();
        assert_eq!(got, [0.9, 0.6, 0.8, 0.1, 0.05, 0.3, 0.5, 0.5]);
    }
}
