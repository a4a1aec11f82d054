//! Category-column labels: the words a ledger's category column uses for each income
//! source ("Trusts & foundations", "Govt", "Individual donations"), and the generic labels
//! that name no source ("Grant", "Contract").

use super::super::Category;
use super::rules::iati_type;

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

pub(super) fn words_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

pub(super) fn contains_phrase(words: &[String], phrase: &str) -> bool {
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

/// Words a label may carry beside its source without changing it ("Grants from trusts",
/// "Trusts & foundations", "Corporate donations", "Member contribution").
const FILLER_WORDS: &[&str] = &[
    "and",
    "of",
    "the",
    "from",
    "income",
    "grant",
    "grants",
    "funding",
    "other",
    "donation",
    "donations",
    "contribution",
    "contributions",
    "gift",
    "gifts",
];

/// Whether `label` names `category` as a whole: a category name or IATI code, or only that
/// category's words and fillers ("Trusts & foundations"), not a word of it among others
/// ("Membership fees", "Council tax rebate").
#[must_use]
pub fn label_names_whole(label: &str, category: Category) -> bool {
    if Category::from_name(label).is_some() || iati_type(label.trim()).is_some() {
        return true;
    }
    let Some((_, phrases)) = LABEL_WORDS.iter().find(|(c, _)| *c == category) else {
        return false;
    };
    let mut words = words_of(label);
    // Longest phrases first, so "charitable trust" goes as one.
    let mut sorted: Vec<&str> = phrases.to_vec();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.split(' ').count()));
    for p in sorted {
        let parts: Vec<&str> = p.split(' ').collect();
        let mut i = 0;
        while i + parts.len() <= words.len() {
            if words[i..i + parts.len()]
                .iter()
                .zip(&parts)
                .all(|(a, b)| a == b)
            {
                words.drain(i..i + parts.len());
            } else {
                i += 1;
            }
        }
    }
    let left = words
        .iter()
        .filter(|w| !FILLER_WORDS.contains(&w.as_str()))
        .count();
    left == 0 && !words_of(label).is_empty()
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
        for (label, want) in cases {
            assert!(label_names_whole(label, want), "{label}");
        }
        assert!(label_names_whole(
            "Corporate donations",
            Category::Corporate
        ));
        for label in ["Membership fees", "Council tax rebate", "Misc stuff xyz"] {
            let c = category_from_label(label).unwrap();
            assert!(!label_names_whole(label, c), "{label}");
        }
        assert!(label_names_whole(
            "Grants from trusts",
            Category::Foundation
        ));
        assert_eq!(category_from_label("Grant"), None);
        assert_eq!(category_from_label("Misc stuff xyz"), Some(Category::Other));
        assert_eq!(category_from_label("Widgets"), None);
    }
}
