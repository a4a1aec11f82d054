//! Funder names as identities: normalisation and pool names (private individuals are in
//! [`super::people`]).

use unicode_normalization::UnicodeNormalization;

/// Legal-form words dropped from the end of a name: "Harbour Foods Ltd" = "Harbour Foods".
const LEGAL_SUFFIXES: &[&str] = &[
    "ltd",
    "limited",
    "plc",
    "inc",
    "incorporated",
    "llc",
    "cic",
    "cio",
];

/// Normalises a funder name for matching: NFKC, case-folded, trimmed, inner whitespace
/// collapsed, punctuation dropped, a leading "The" and trailing legal forms removed.
#[must_use]
pub fn normalise_name(name: &str) -> String {
    // Dropping punctuation can leave combining marks next to each other in a new order, and
    // lower-casing can undo a composition: repeat until the name no longer changes (in practice
    // one pass, rarely two), so the same funder always gets the same key.
    let mut current = normalise_once(name);
    for _ in 0..4 {
        let next = normalise_once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

fn normalise_once(name: &str) -> String {
    if name.is_ascii() {
        return normalise_ascii(name);
    }
    without_the_and_legal_form(words(name)).join(" ")
}

/// `words` without trailing legal forms, then without a leading "the", keeping at least one
/// word: "The Ltd" is "the", as "The" is.
fn without_the_and_legal_form(mut words: Vec<String>) -> Vec<String> {
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| LEGAL_SUFFIXES.contains(&w.as_str()))
    {
        words.pop();
    }
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words
}

/// The words of `name`, NFKC, case-folded, without punctuation. Punctuation is dropped, not
/// read as a space: "Smith-Jones" = "SmithJones", "Marks & Spencer" = "Marks Spencer".
fn words(name: &str) -> Vec<String> {
    let folded: String = name.nfkc().flat_map(char::to_lowercase).collect();
    folded
        .split(char::is_whitespace)
        .map(|raw| {
            raw.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// [`normalise_once`] of ASCII text, which is its own NFKC form and lower-cases letter by
/// letter: the words are cut from one buffer rather than each copied (a name is normalised
/// for every distinct funder of a ledger).
fn normalise_ascii(name: &str) -> String {
    let mut letters = String::with_capacity(name.len());
    let mut words: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for b in name.bytes() {
        // The ASCII characters `char::is_whitespace` is true of.
        if matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
            if letters.len() > start {
                words.push(start..letters.len());
            }
            start = letters.len();
        } else if b.is_ascii_alphanumeric() {
            letters.push(char::from(b.to_ascii_lowercase()));
        }
    }
    if letters.len() > start {
        words.push(start..letters.len());
    }
    let word = |r: &std::ops::Range<usize>| &letters[r.clone()];
    let mut kept = &words[..];
    while let [rest @ .., last] = kept {
        if rest.is_empty() || !LEGAL_SUFFIXES.contains(&word(last)) {
            break;
        }
        kept = rest;
    }
    if kept.len() > 1 && word(&kept[0]) == "the" {
        kept = &kept[1..];
    }
    let mut out = String::with_capacity(letters.len() + kept.len());
    for (i, r) in kept.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word(r));
    }
    out
}

/// Normalises an organisation identifier: trimmed, upper-case, inner spaces removed.
#[must_use]
pub fn normalise_id(id: &str) -> String {
    id.split_whitespace().collect::<String>().to_uppercase()
}

/// Names that mean many small givers rather than one funder (already normalised).
const POOL_NAMES: &[&str] = &[
    "anonymous",
    "anon",
    "various",
    "various donors",
    "individual donors",
    "individual donations",
    "individuals",
    "individual",
    "public donations",
    "public",
    "general public",
    "donations",
    "donors",
    "cash collections",
    "cash collection",
    "collections",
    "collection",
    "bucket collection",
    "bucket collections",
    "crowdfunding payout",
    "crowdfunding",
    "online donations",
    "members",
    "membership",
    "membership dues",
    "member dues",
    "dues",
    "supporters",
    "small donations",
    "gift aid",
    "hmrc gift aid",
    "friends",
    "friends scheme",
];

/// Crowdfunding platforms, whose payouts pass on many small gifts.
const PLATFORMS: &[&str] = &[
    "gofundme",
    "crowdfunder",
    "justgiving",
    "kickstarter",
    "patreon",
    "open collective",
    "opencollective",
    "indiegogo",
    "chuffed",
    "givealittle",
];

/// True when `normalised` names many small givers, or a crowdfunding platform's payout.
#[must_use]
pub fn is_pool_name(normalised: &str) -> bool {
    if POOL_NAMES.contains(&normalised) {
        return true;
    }
    // "Members (dues)" and "Donations - online" name the same many givers with a qualifier.
    // The first word, and the first two: up to the first and the second space.
    let mut spaces = normalised.match_indices(' ').map(|(i, _)| i);
    let first = &normalised[..spaces.next().unwrap_or(normalised.len())];
    let first_two = &normalised[..spaces.next().unwrap_or(normalised.len())];
    if [
        "members",
        "membership",
        "donations",
        "anonymous",
        "individual donors",
        "supporters",
        "collections",
        "cash collections",
    ]
    .iter()
    .any(|p| *p == first || *p == first_two)
    {
        return true;
    }
    PLATFORMS.iter().any(|p| {
        normalised
            .strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_normalise_to_one_identity() {
        assert_eq!(normalise_name("The Harbour Foods Ltd."), "harbour foods");
        assert_eq!(
            normalise_name("  HARBOUR   FOODS  LIMITED "),
            "harbour foods"
        );
        assert_eq!(normalise_name("Harbour Foods, plc"), "harbour foods");
        assert_eq!(normalise_name("Smith-Jones Trust"), "smithjones trust");
        assert_eq!(normalise_name("Marks & Spencer"), "marks spencer");
        assert_eq!(normalise_name("O'Neill Fund"), "oneill fund");
        assert_eq!(
            normalise_name("Northshire County Council"),
            "northshire county council"
        );
        assert_eq!(normalise_name("The"), "the");
        assert_eq!(normalise_name("The Ltd"), "the");
        assert_eq!(normalise_name("The Foundation Ltd"), "foundation");
        assert_eq!(normalise_name("Ｆｕｌｌ Width Trust"), "full width trust");
        assert_eq!(normalise_id(" gb-chc-1000147 "), "GB-CHC-1000147");
    }

    #[test]
    fn pools() {
        assert!(is_pool_name("anonymous"));
        assert!(is_pool_name("gofundme"));
        assert!(is_pool_name("crowdfunder payout"));
        assert!(!is_pool_name("northshire county council"));
        assert!(is_pool_name(&normalise_name("Members (dues)")));
    }

    proptest! {
        #[test]
        fn ascii_names_normalise_as_any_name(s in "[ -~\t\n\x0b\x0c\r]{0,40}|((the|The|THE|ltd|Ltd|plc|inc|[ -~]{0,6}) ?){0,6}") {
            prop_assert_eq!(normalise_ascii(&s), without_the_and_legal_form(words(&s)).join(" "));
        }

        #[test]
        fn pool_names_are_read_by_their_words(s in "((members|membership|donations|anonymous|individual|donors|cash|collections|gofundme|open|collective|x)[ ]?){0,4}") {
            let words: Vec<&str> = s.split(' ').collect();
            let first = words[0];
            let first_two = words.iter().take(2).copied().collect::<Vec<_>>().join(" ");
            let expected = POOL_NAMES.contains(&s.as_str())
                || ["members", "membership", "donations", "anonymous", "individual donors", "supporters", "collections", "cash collections"]
                    .iter()
                    .any(|p| *p == first || *p == first_two)
                || PLATFORMS.iter().any(|p| s == *p || s.starts_with(&format!("{p} ")));
            prop_assert_eq!(is_pool_name(&s), expected);
        }

        #[test]
        fn normalising_is_idempotent(s in "\\PC{0,30}") {
            let once = normalise_name(&s);
            prop_assert_eq!(normalise_name(&once), once.clone());
        }

        #[test]
        fn case_spacing_and_legal_form_do_not_change_identity(words in proptest::collection::vec("[A-Za-z]{1,8}", 1..4)) {
            let name = words.join(" ");
            let base = normalise_name(&name);
            prop_assert_eq!(normalise_name(&format!("  {}  ", name.to_uppercase())), base.clone());
            prop_assert_eq!(normalise_name(&words.join("   ")), base.clone());
            if !LEGAL_SUFFIXES.contains(&base.rsplit(' ').next().unwrap_or("")) {
                prop_assert_eq!(normalise_name(&format!("{name} Ltd")), base.clone());
                if base.split(' ').next() != Some("the") {
                    prop_assert_eq!(normalise_name(&format!("The {name}")), base);
                }
            }
        }
    }
}
