//! Header cell text: the normalised form synonyms are matched in, and the fiscal years that
//! name the year columns of the wide layout.

use crate::ingest::CellValue;

/// Normalises header text for matching: case-folded, with whitespace, punctuation, a
/// parenthesised part and currency marks removed ("Amount (£)" → "amount").
#[must_use]
pub fn normalise(text: &str) -> String {
    let mut out: String = normalised_chars(text).collect();
    for code in ["gbp", "usd", "eur"] {
        if out.len() > code.len() {
            if let Some(stripped) = out.strip_suffix(code) {
                out = stripped.to_string();
                break;
            }
        }
    }
    out
}

/// The characters [`normalise`] keeps, before it strips a currency code: alphanumerics
/// outside brackets, lower-cased.
pub fn normalised_chars(text: &str) -> NormalisedChars<'_> {
    NormalisedChars {
        chars: text.chars(),
        depth: 0,
        lower: None,
    }
}

/// The iterator of [`normalised_chars`]. Every data cell is checked against the header, so
/// ASCII, the usual case, is lower-cased without Unicode's multi-character machinery.
pub struct NormalisedChars<'a> {
    chars: std::str::Chars<'a>,
    depth: u32,
    /// The rest of a non-ASCII character's lower case.
    lower: Option<std::char::ToLowercase>,
}

impl Iterator for NormalisedChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.lower.as_mut().and_then(Iterator::next) {
            return Some(c);
        }
        self.lower = None;
        for ch in self.chars.by_ref() {
            match ch {
                '(' | '[' => self.depth += 1,
                ')' | ']' => self.depth = self.depth.saturating_sub(1),
                _ if self.depth > 0 => {}
                c if c.is_ascii_alphanumeric() => return Some(c.to_ascii_lowercase()),
                c if c.is_alphanumeric() => {
                    let mut lower = c.to_lowercase();
                    let first = lower.next();
                    self.lower = Some(lower);
                    return first;
                }
                _ => {}
            }
        }
        None
    }
}

/// Whether `normalise(text) == norm`, found without building the normalised text: every
/// data row is checked for a repeated header, and the answer is nearly always no.
#[must_use]
pub fn normalises_to(text: &str, norm: &str) -> bool {
    const CODES: [&str; 3] = ["gbp", "usd", "eur"];
    let mut want = norm.chars();
    let mut matched = 0usize;
    let mut extra: [char; 3] = ['\0'; 3];
    let mut extras = 0usize;
    for l in normalised_chars(text) {
        if extras == 0 {
            if let Some(w) = want.next() {
                if w != l {
                    return false;
                }
                matched += l.len_utf8();
                continue;
            }
        }
        if extras == extra.len() {
            return false;
        }
        extra[extras] = l;
        extras += 1;
    }
    if matched != norm.len() {
        return false;
    }
    let ends_with_code = |s: &str| s.len() > 3 && CODES.iter().any(|c| s.ends_with(c));
    match extras {
        0 => !ends_with_code(norm),
        3 => !norm.is_empty() && CODES.iter().any(|c| c.chars().eq(extra.iter().copied())),
        _ => false,
    }
}

/// A fiscal year named by a wide-layout column header ("2023", "FY2024", "2023/24", "2023-24").
#[must_use]
pub fn year_header(value: &CellValue) -> Option<i32> {
    match value {
        CellValue::Int(i) if (1900..=2200).contains(i) => i32::try_from(*i).ok(),
        CellValue::Float(f) if f.fract() == 0.0 && (1900.0..=2200.0).contains(f) => {
            // The range check makes the cast exact.
            #[allow(clippy::cast_possible_truncation)]
            Some(*f as i32)
        }
        CellValue::Text(t) => year_header_text(t),
        _ => None,
    }
}

pub(super) fn year_header_text(text: &str) -> Option<i32> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_prefix("fy").unwrap_or(&t).trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(t) && t.len() == 4 {
        return t.parse().ok().filter(|y| (1900..=2200).contains(y));
    }
    if digits(t) && t.len() == 2 && text.trim().to_ascii_lowercase().starts_with("fy") {
        return t.parse::<i32>().ok().map(|y| 2000 + y);
    }
    let (a, b) = t.split_once(['/', '-', '–'])?;
    let (a, b) = (a.trim(), b.trim());
    if !(digits(a) && a.len() == 4 && digits(b) && (b.len() == 2 || b.len() == 4)) {
        return None;
    }
    let start: i32 = a.parse().ok()?;
    let end: i32 = if b.len() == 2 {
        let yy: i32 = b.parse().ok()?;
        start - start.rem_euclid(100) + yy + if yy < start.rem_euclid(100) { 100 } else { 0 }
    } else {
        b.parse().ok()?
    };
    (end == start + 1 && (1900..=2200).contains(&end)).then_some(end)
}
