//! Built-in knowledge for classifying funders: organisation-identifier prefixes and IATI
//! organisation types, and keyword rules on funder names (category-column labels are in
//! [`super::labels`]).

use serde::Deserialize;

use super::super::Category;
use super::labels::{contains_phrase, words_of};

/// IATI organisation type codes: 10, 11, 15 government; 60 foundation; 70 corporate; 21–23 other.
#[must_use]
pub fn iati_type(code: &str) -> Option<Category> {
    match code {
        "10" | "11" | "15" => Some(Category::Government),
        "60" => Some(Category::Foundation),
        "70" => Some(Category::Corporate),
        "21" | "22" | "23" => Some(Category::Other),
        _ => None,
    }
}

/// Classifies a funder by its organisation identifier (org-id.guide prefixes), normalised.
/// `charity_too` says the same funder also carries a charity identifier.
#[must_use]
pub fn category_from_identifier(id: &str, charity_too: bool) -> Option<Category> {
    const GOVERNMENT: &[&str] = &[
        "GB-GOR-",
        "GB-LAE-",
        "GB-LAS-",
        "GB-LAN-",
        "GB-LAW-",
        "GB-PLA-",
        "GB-NHS-",
        "GB-UKPRN-",
        "GB-GOV-",
        "GB-GOVUK-",
        "GB-SHPE-",
        "XM-DAC-",
        "XI-IATI-",
        "US-USAGOV-",
    ];
    const CHARITY: &[&str] = &["GB-CHC-", "GB-SC-", "GB-NIC-"];
    if GOVERNMENT.iter().any(|p| id.starts_with(p)) {
        return Some(Category::Government);
    }
    if CHARITY.iter().any(|p| id.starts_with(p)) {
        return Some(Category::Foundation);
    }
    if let Some(number) = id.strip_prefix("GB-COH-") {
        // Royal Charter bodies (RC…) are registered at Companies House but are not companies.
        if charity_too || number.starts_with("RC") {
            return None;
        }
        return Some(Category::Corporate);
    }
    None
}

/// A keyword rule from `fundrisk.toml`: `[[rules]] contains = "Housing Association"`,
/// `category = "other"`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub contains: String,
    pub category: Category,
}

/// Built-in name rules, tried in order after any from `fundrisk.toml`.
const NAME_RULES: &[(Category, &[&str])] = &[
    (
        Category::Crowdsourced,
        &[
            "crowdfunder",
            "gofundme",
            "justgiving",
            "kickstarter",
            "patreon",
            "open collective",
            "indiegogo",
        ],
    ),
    (
        Category::Government,
        &[
            "council",
            "department for",
            "department of",
            "ministry",
            "agency",
            "nhs",
            "hmrc",
            "government",
            "national lottery",
            "lottery fund",
            "borough",
            "city of",
            "county of",
            "commission",
            "authority",
        ],
    ),
    (
        Category::Foundation,
        &[
            "foundation",
            "trust",
            "fund",
            "charitable",
            "philanthropies",
            "endowment",
            "trustees",
        ],
    ),
    (
        Category::Corporate,
        &[
            "ltd",
            "limited",
            "plc",
            "inc",
            "llc",
            "llp",
            "bank",
            "corporation",
            "corp",
            "gmbh",
            "company",
        ],
    ),
];

/// Classifies a funder by keywords in its name, user rules first.
#[must_use]
pub fn category_from_name(name: &str, user_rules: &[Rule]) -> Option<Category> {
    let words = words_of(name);
    for r in user_rules {
        let phrase = words_of(&r.contains).join(" ");
        if !phrase.is_empty() && contains_phrase(&words, &phrase) {
            return Some(r.category);
        }
    }
    NAME_RULES
        .iter()
        .find(|(_, phrases)| phrases.iter().any(|p| contains_phrase(&words, p)))
        .map(|(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(
            category_from_identifier("GB-LAE-KEN", false),
            Some(Category::Government)
        );
        assert_eq!(
            category_from_identifier("GB-CHC-1000147", false),
            Some(Category::Foundation)
        );
        assert_eq!(
            category_from_identifier("GB-COH-01234567", false),
            Some(Category::Corporate)
        );
        assert_eq!(category_from_identifier("GB-COH-01234567", true), None);
        assert_eq!(category_from_identifier("GB-COH-RC000742", false), None);
        assert_eq!(category_from_identifier("360G-ABCT", false), None);
    }

    #[test]
    fn names() {
        assert_eq!(
            category_from_name("Northshire County Council", &[]),
            Some(Category::Government)
        );
        assert_eq!(
            category_from_name("Department for Education", &[]),
            Some(Category::Government)
        );
        assert_eq!(
            category_from_name("Lloyds Bank Foundation", &[]),
            Some(Category::Foundation)
        );
        assert_eq!(
            category_from_name("National Lottery Community Fund", &[]),
            Some(Category::Government)
        );
        assert_eq!(
            category_from_name("Harbour Foods Ltd", &[]),
            Some(Category::Corporate)
        );
        assert_eq!(
            category_from_name("GoFundMe payout", &[]),
            Some(Category::Crowdsourced)
        );
        assert_eq!(category_from_name("Fundraising dinner", &[]), None);
        let rules = [Rule {
            contains: "Housing Association".into(),
            category: Category::Other,
        }];
        assert_eq!(
            category_from_name("Northshire Housing Association Trust", &rules),
            Some(Category::Other)
        );
    }
}
