//! The documented default settings file. It is rendered from [`Settings::default`], so the
//! numbers in the file a user copies can never drift from the ones the code uses; a test parses
//! it back. This module only renders text; writing it anywhere is the caller's business.

use std::fmt::Write;

use super::settings::Settings;

/// The default settings as a commented TOML file, one comment per key saying what it means.
#[must_use]
pub fn defaults_toml() -> String {
    let s = Settings::default();
    let w = &s.weights;
    let c = &s.bands.concentration;
    let a = &s.bands.alignment;
    let mut out = String::from(
        "# fundrisk metric settings. Every key is optional: a missing key takes the default shown.\n\
         # Ratios and weights are numbers from 0 to 1. See docs/methodology.md for the reasoning.\n",
    );
    let mut section = |title: &str, intro: &str, rows: &[(&str, String, &str)]| {
        let _ = write!(out, "\n[{title}]\n# {intro}\n");
        let width = rows
            .iter()
            .map(|(k, v, _)| k.len() + v.len())
            .max()
            .unwrap_or(0);
        for (key, value, meaning) in rows {
            let pad = width - key.len() - value.len();
            let _ = writeln!(out, "{key} = {value}{:pad$}  # {meaning}", "");
        }
    };
    section(
        "weights",
        "w: how much each type of funder usually expects its money to serve its own objectives.",
        &[
            (
                "government",
                num(w.government),
                "grants and contracts buy policy outcomes",
            ),
            (
                "foundation",
                num(w.foundation),
                "programme strategies, theories of change",
            ),
            (
                "corporate",
                num(w.corporate),
                "brand, market and reputation interests",
            ),
            (
                "community",
                num(w.community),
                "members and local donors: the people served",
            ),
            (
                "crowdsourced",
                num(w.crowdsourced),
                "many small online gifts, rarely conditional",
            ),
            (
                "earned",
                num(w.earned),
                "fees and sales: customers shape what is sold",
            ),
            (
                "other",
                num(w.other),
                "sources that fit no category: midpoint",
            ),
            (
                "unclassified",
                num(w.unclassified),
                "category unknown: midpoint, not a guess",
            ),
        ],
    );
    section(
        "alignment",
        "How restriction scales a funder's weight: w × (u + (1 − u) × restricted fraction).",
        &[(
            "unrestricted_multiplier",
            num(s.alignment.unrestricted_multiplier),
            "u: share of the weight unrestricted money carries",
        )],
    );
    section(
        "bands.concentration",
        "First band whose test passes, from severe down; every test is \"more than\".",
        &[
            (
                "severe_top1",
                num(c.severe_top1),
                "severe: largest funder's share above this",
            ),
            (
                "severe_category",
                num(c.severe_category),
                "severe: one category's share above this",
            ),
            (
                "high_top1",
                num(c.high_top1),
                "high: largest funder's share above this",
            ),
            (
                "high_category",
                num(c.high_category),
                "high: one category's share above this",
            ),
            (
                "moderate_top1",
                num(c.moderate_top1),
                "moderate: largest funder's share above this",
            ),
            (
                "moderate_hhi",
                num(c.moderate_hhi),
                "moderate: funder HHI above this (DoJ/FTC 1,500)",
            ),
        ],
    );
    section(
        "bands.alignment",
        "Lowest alignment index of each band (\"at least\"); below the last is \"independent\".",
        &[
            (
                "highly_constrained",
                num(a.highly_constrained),
                "\"highly constrained\" from here",
            ),
            (
                "constrained",
                num(a.constrained),
                "\"constrained\" from here",
            ),
            (
                "some_latitude",
                num(a.some_latitude),
                "\"some latitude\" from here",
            ),
        ],
    );
    let _ = write!(
        out,
        "\n[stress]\n\
         # Runway after losing the largest funder or category. Unset by default; set both to use it.\n\
         # annual_expenditure = \"250000.00\"  # yearly spending the income has to cover\n\
         # reserves = \"60000.00\"             # reserves that can be drawn on, in the same currency\n"
    );
    out
}

/// A TOML float: `0.9`, `1.0` (never `1`, which TOML reads as an integer).
fn num(x: f64) -> String {
    format!("{x:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_toml_parses_back_to_the_defaults() {
        let text = defaults_toml();
        let parsed: Settings = toml::from_str(&text).expect("defaults_toml is valid TOML");
        assert_eq!(parsed, Settings::default());
    }

    #[test]
    fn every_setting_line_has_a_comment() {
        for line in defaults_toml().lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            assert!(line.contains("  # "), "no comment on: {line}");
        }
    }

    #[test]
    fn the_stress_example_parses_when_uncommented() {
        let text: String = defaults_toml()
            .lines()
            .map(|l| {
                l.strip_prefix("# annual_expenditure =")
                    .map_or(l.to_owned(), |r| format!("annual_expenditure ={r}"))
            })
            .map(|l| {
                l.strip_prefix("# reserves =")
                    .map_or(l.clone(), |r| format!("reserves ={r}"))
            })
            .map(|l| l + "\n")
            .collect();
        let parsed: Settings = toml::from_str(&text).expect("valid TOML");
        assert_eq!(
            parsed.stress.annual_expenditure,
            Some("250000.00".parse().expect("dec"))
        );
        assert_eq!(
            parsed.stress.reserves,
            Some("60000.00".parse().expect("dec"))
        );
    }

    #[test]
    fn a_partial_file_keeps_the_other_defaults() {
        let parsed: Settings = toml::from_str("[weights]\ncorporate = 1.0\n").expect("valid");
        let mut want = Settings::default();
        want.weights.corporate = 1.0;
        assert_eq!(parsed, want);
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = toml::from_str::<Settings>("[weights]\ngovernmnet = 0.9\n").unwrap_err();
        assert!(err.to_string().contains("governmnet"), "{err}");
        assert!(toml::from_str::<Settings>("[bands.concentration]\nsevere = 0.5\n").is_err());
    }

    #[test]
    fn amounts_may_be_integers_or_strings() {
        let parsed: Settings =
            toml::from_str("[stress]\nannual_expenditure = 120000\nreserves = \"30000.50\"\n")
                .expect("valid");
        assert_eq!(parsed.stress.annual_expenditure, Some(120_000.into()));
        assert_eq!(
            parsed.stress.reserves,
            Some("30000.50".parse().expect("dec"))
        );
    }

    #[test]
    fn settings_serialise_back_to_toml_that_parses() {
        let mut s = Settings::default();
        s.stress.reserves = Some(5_000.into());
        let text = toml::to_string(&s).expect("serialise");
        assert_eq!(toml::from_str::<Settings>(&text).expect("parse"), s);
    }
}
