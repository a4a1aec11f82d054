//! Which ledger income feeds which line of Schedule A Part II: `[public_support]` in
//! `fundrisk.toml`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ledger::Category;

/// The schedule lines ledger income can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Line {
    /// Gifts, grants, contributions and membership fees.
    L1,
    /// Tax revenues levied for the organisation's benefit.
    L2,
    /// Services or facilities furnished by a governmental unit without charge.
    L3,
    /// Gross investment income.
    L8,
    /// Net unrelated business income.
    L9,
    /// Other income.
    L10,
    /// Gross receipts from related activities (not part of total support).
    L12,
}

impl TryFrom<u8> for Line {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Ok(match n {
            1 => Line::L1,
            2 => Line::L2,
            3 => Line::L3,
            8 => Line::L8,
            9 => Line::L9,
            10 => Line::L10,
            12 => Line::L12,
            _ => {
                return Err(format!(
                    "line {n} cannot take ledger income (use 1, 2, 3, 8, 9, 10 or 12)"
                ))
            }
        })
    }
}

impl From<Line> for u8 {
    fn from(l: Line) -> u8 {
        match l {
            Line::L1 => 1,
            Line::L2 => 2,
            Line::L3 => 3,
            Line::L8 => 8,
            Line::L9 => 9,
            Line::L10 => 10,
            Line::L12 => 12,
        }
    }
}

/// The mapping from ledger income to schedule lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublicSupportSettings {
    /// Line for each income category (categories not given keep their default line).
    #[serde(deserialize_with = "over_default_lines")]
    pub lines: BTreeMap<Category, Line>,
    /// Words in a row's original category label or description that make `other` income
    /// investment income (line 8).
    pub investment_words: Vec<String>,
    /// Phrases in a row's original category label that send it to a line, whatever its
    /// category (e.g. "tax revenue" → 2); added to the defaults.
    #[serde(deserialize_with = "over_default_labels")]
    pub labels: BTreeMap<String, Line>,
    /// A funder classified `government` counts as a governmental unit (not limited to 2%).
    pub government_is_governmental_unit: bool,
}

impl Default for PublicSupportSettings {
    fn default() -> Self {
        let lines = [
            (Category::Government, Line::L1),
            (Category::Foundation, Line::L1),
            (Category::Corporate, Line::L1),
            (Category::Community, Line::L1),
            (Category::Crowdsourced, Line::L1),
            (Category::Earned, Line::L12),
            (Category::Other, Line::L10),
            (Category::Unclassified, Line::L10),
        ]
        .into_iter()
        .collect();
        let labels = [
            ("tax revenue", Line::L2),
            ("tax levy", Line::L2),
            ("services furnished by a governmental unit", Line::L3),
            ("government in-kind", Line::L3),
            ("unrelated business", Line::L9),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        PublicSupportSettings {
            lines,
            investment_words: [
                "interest",
                "dividend",
                "dividends",
                "rent",
                "rents",
                "rental",
                "royalty",
                "royalties",
            ]
            .into_iter()
            .map(str::to_string)
            .collect(),
            labels,
            government_is_governmental_unit: true,
        }
    }
}

fn over_default_lines<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<Category, Line>, D::Error> {
    let mut lines = PublicSupportSettings::default().lines;
    lines.extend(BTreeMap::<Category, Line>::deserialize(d)?);
    Ok(lines)
}

fn over_default_labels<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Line>, D::Error> {
    let mut labels = PublicSupportSettings::default().labels;
    labels.extend(
        BTreeMap::<String, Line>::deserialize(d)?
            .into_iter()
            .map(|(k, v)| (k.to_lowercase(), v)),
    );
    Ok(labels)
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w == word)
}

impl PublicSupportSettings {
    /// The line a row feeds: a label phrase first; then an original category label naming
    /// interest, dividends, rent or royalties goes on line 8 whatever category it was
    /// classified as; then the category's line, with `other` income (line 10) whose
    /// description names investment income moved to line 8.
    #[must_use]
    pub fn line_for(&self, category: Category, label: &str, description: &str) -> Line {
        if let Some((_, line)) = self
            .labels
            .iter()
            .find(|(phrase, _)| label.contains(&phrase.to_lowercase()))
        {
            return *line;
        }
        let names_investment = |text: &str| {
            self.investment_words
                .iter()
                .any(|w| has_word(text, &w.to_lowercase()))
        };
        if names_investment(label) {
            return Line::L8;
        }
        let line = self.lines.get(&category).copied().unwrap_or(Line::L10);
        if line == Line::L10 && names_investment(description) {
            return Line::L8;
        }
        line
    }
}
