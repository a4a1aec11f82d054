//! Private individuals among funders: a name that looks like a person's, with or without a
//! title or an initial. Guesses only; the register can say otherwise.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Words that mark an organisation rather than a person.
const ORGANISATION_WORDS: &[&str] = &[
    "trust",
    "foundation",
    "fund",
    "council",
    "ltd",
    "limited",
    "plc",
    "inc",
    "llc",
    "cic",
    "cio",
    "church",
    "society",
    "club",
    "association",
    "group",
    "union",
    "company",
    "co",
    "bank",
    "school",
    "college",
    "university",
    "committee",
    "network",
    "centre",
    "center",
    "partnership",
    "charity",
    "charitable",
    "lottery",
    "department",
    "ministry",
    "agency",
    "nhs",
    "services",
    "collective",
    "cooperative",
    "co-op",
    "coop",
    "federation",
    "institute",
    "community",
    "estate",
    "residents",
    "tenants",
    "friends",
    "appeal",
    "corporation",
    "corp",
    "authority",
    "board",
    "government",
    "office",
    "scheme",
    "programme",
    "program",
    "project",
    "and",
    "&",
    "of",
    "for",
    "the",
    "gift",
    "aid",
    "donations",
    "donors",
    "events",
    "sales",
    "interest",
    "mosque",
    "temple",
    "synagogue",
    "gurdwara",
    "parish",
    "chapel",
    "mission",
    "ministries",
    "pta",
    "cafe",
    "café",
    "shop",
    "pub",
    "restaurant",
    "market",
    "stall",
    "bakery",
    "store",
    "members",
    "member",
    "collection",
    "collections",
    "payout",
    "solicitors",
    "architects",
    "surgery",
    "practice",
    "hospital",
    "clinic",
    "library",
    "museum",
    "theatre",
    "gallery",
    "house",
    "hall",
    "lodge",
    "rotary",
    "lions",
    "guild",
    "women's",
    "institute",
    "league",
];

/// Whether `lower` is one of [`ORGANISATION_WORDS`], looked up in a set: every word of every
/// distinct funder name is.
fn is_organisation_word(lower: &str) -> bool {
    static SET: LazyLock<HashSet<&'static str>> =
        LazyLock::new(|| ORGANISATION_WORDS.iter().copied().collect());
    SET.contains(lower)
}

const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "lady", "lord",
];

/// A guess that a funder name is a private person's ("Jane Roe", "Mr J. Smith"): two to four
/// words, letters only, each capitalised, none of them an organisation word.
#[must_use]
pub fn looks_like_person(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    let mut named = 0;
    for w in &words {
        let bare: String = w
            .chars()
            .filter(|c| c.is_alphabetic() || *c == '\'' || *c == '-')
            .collect();
        if bare.is_empty() || bare.chars().count() + 1 < w.chars().count() {
            return false;
        }
        let lower = bare.to_lowercase();
        if is_organisation_word(&lower) {
            return false;
        }
        if TITLES.contains(&lower.trim_end_matches('.')) {
            continue;
        }
        if !bare.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        if bare.chars().skip(1).all(char::is_uppercase) && bare.chars().count() > 2 {
            // ALL-CAPS words are usually acronyms of organisations.
            return false;
        }
        named += 1;
    }
    named >= 2
        || (named == 1
            && words.len() >= 2
            && words
                .iter()
                .any(|w| TITLES.contains(&w.to_lowercase().trim_end_matches('.'))))
}

/// A stricter guess for funders outside community giving (clients paying fees, say): a
/// personal name that also carries a title or an initial ("Mr D. Arkwright", "J. Smith"), so
/// "Blue Sky Thinking" stays an organisation.
#[must_use]
pub fn looks_like_titled_person(name: &str) -> bool {
    looks_like_person(name)
        && name.split_whitespace().any(|w| {
            let bare = w.trim_end_matches('.').to_lowercase();
            TITLES.contains(&bare.as_str())
                || (bare.chars().count() == 1 && bare.chars().all(char::is_alphabetic))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people() {
        assert!(looks_like_person("Jane Roe"));
        assert!(looks_like_person("Mr J. Smith"));
        assert!(looks_like_person("Seán Ó Briain"));
        assert!(!looks_like_person("Harbour Foods Ltd"));
        assert!(!looks_like_person("Riverside Tenants Union"));
        assert!(!looks_like_person("NHS Trust"));
        assert!(!looks_like_person("Anonymous"));
        assert!(!looks_like_person("Tesco"));
        assert!(!looks_like_person("Mosque Al-Noor"));
        assert!(looks_like_titled_person("Mr D. Arkwright"));
        assert!(looks_like_titled_person("J Smith"));
        assert!(!looks_like_titled_person("Blue Sky Thinking"));
    }
}
