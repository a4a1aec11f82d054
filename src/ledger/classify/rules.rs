//! Built-in knowledge for classifying funders: category-column labels, organisation-identifier
//! prefixes and IATI organisation types, and keyword rules on funder names.

use serde::Deserialize;

use super::super::Category;

/// Words (whole, normalised) in a category label, strongest first within each category; the
/// categories are tried in this order so "Corporate donations" is corporate, not community.
const LABEL_WORDS: &[(Category, &[&str])] = &[
    (
        Category::Crowdsourced,
        &[
            "crowdfunding",
            "crowdfunded",
            "crowdsourced",
            "crowdfunder",
            "gofundme",
            "justgiving",
            "kickstarter",
            "patreon",
            "open collective",
            "opencollective",
            "indiegogo",
            "chuffed",
        ],
    ),
    (
        Category::Government,
        &[
            "government",
            "govt",
            "gov",
            "statutory",
            "local authority",
            "local government",
            "council",
            "federal",
            "state",
            "public sector",
            "lottery distributor",
            "lottery",
            "nhs",
            "public body",
            "municipal",
            "county",
            "city",
            "central government",
        ],
    ),
    (
        Category::Foundation,
        &[
            "foundation",
            "foundations",
            "trust",
            "trusts",
            "charitable trust",
            "philanthropy",
            "philanthropic",
            "grant maker",
            "grantmaker",
            "grant making",
            "grantmaking",
        ],
    ),
    (
        Category::Corporate,
        &[
            "corporate",
            "corporates",
            "business",
            "businesses",
            "company",
            "companies",
            "sponsorship",
            "sponsor",
            "corporate philanthropy",
            "private sector",
        ],
    ),
    (
        Category::Community,
        &[
            "individual",
            "individuals",
            "donation",
            "donations",
            "donor",
            "donors",
            "member",
            "members",
            "membership",
            "dues",
            "gift aid",
            "legacy",
            "legacies",
            "community",
            "events",
            "event",
            "fundraising",
            "supporters",
            "giving",
            "public",
            "collection",
            "collections",
            "bucket",
        ],
    ),
    (
        Category::Earned,
        &[
            "earned",
            "trading",
            "fees",
            "fee",
            "sales",
            "tickets",
            "ticket",
            "box office",
            "commercial",
            "merchandise",
            "shop",
        ],
    ),
    (
        Category::Other,
        &[
            "investment",
            "investments",
            "interest",
            "dividends",
            "dividend",
            "rent",
            "royalties",
            "other",
            "misc",
            "miscellaneous",
            "sundry",
        ],
    ),
];

fn words_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn contains_phrase(words: &[String], phrase: &str) -> bool {
    let p: Vec<&str> = phrase.split(' ').collect();
    words
        .windows(p.len())
        .any(|w| w.iter().zip(&p).all(|(a, b)| a == b))
}

/// Reads a category label from a ledger's category column ("Trusts & foundations", "Govt",
/// "Individual donations", or an IATI organisation type code such as "10").
#[must_use]
pub fn category_from_label(label: &str) -> Option<Category> {
    if let Some(c) = Category::from_name(label) {
        return Some(c);
    }
    if let Some(c) = iati_type(label.trim()) {
        return Some(c);
    }
    let words = words_of(label);
    // The longest matching phrase wins ("corporate philanthropy" over "philanthropy"); on equal
    // length, the category listed first.
    let mut best: Option<(usize, Category)> = None;
    for (category, phrases) in LABEL_WORDS {
        for p in *phrases {
            let len = p.split(' ').count();
            if contains_phrase(&words, p) && best.is_none_or(|(l, _)| len > l) {
                best = Some((len, *category));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// Labels that say how money came but not from whom ("Grant", "Contract"): they carry no
/// category, and the funder's identifier or name decides.
#[must_use]
pub fn is_generic_label(label: &str) -> bool {
    let words = words_of(label).join(" ");
    [
        "grant",
        "grants",
        "contract",
        "contracts",
        "service contract",
        "sla",
        "income",
        "payment",
        "payments",
        "receipt",
        "receipts",
        "funding",
        "award",
        "awards",
        "grant income",
        "contract income",
        "restricted grant",
        "unrestricted grant",
    ]
    .contains(&words.as_str())
}

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
            "co",
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
    fn labels() {
        let cases = [
            ("Govt", Category::Government),
            ("Statutory", Category::Government),
            ("Local authority", Category::Government),
            ("Lottery distributor", Category::Government),
            ("Trusts & foundations", Category::Foundation),
            ("Charitable trust", Category::Foundation),
            ("Grant-maker", Category::Foundation),
            ("Corporate philanthropy", Category::Corporate),
            ("Sponsorship", Category::Corporate),
            ("Individual donations", Category::Community),
            ("Membership", Category::Community),
            ("Gift Aid", Category::Community),
            ("Legacies", Category::Community),
            ("GoFundMe", Category::Crowdsourced),
            ("Open Collective", Category::Crowdsourced),
            ("Trading", Category::Earned),
            ("Tickets", Category::Earned),
            ("Interest", Category::Other),
            ("Investment", Category::Other),
            ("60", Category::Foundation),
            ("10", Category::Government),
            ("70", Category::Corporate),
            ("22", Category::Other),
            ("earned", Category::Earned),
        ];
        for (label, want) in cases {
            assert_eq!(category_from_label(label), Some(want), "{label}");
        }
        assert_eq!(category_from_label("Grant"), None);
        assert_eq!(category_from_label("Misc stuff xyz"), Some(Category::Other));
        assert_eq!(category_from_label("Widgets"), None);
    }

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
