//! Dates from cells: date cells, Excel serial numbers (1900 and 1904 systems), ISO text, and
//! day/month text read in the order the user names; plus fiscal years.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// The order of day, month and year in text dates like `03/04/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    Dmy,
    Mdy,
    Ymd,
}

/// What a date cell's text turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRead {
    Date(NaiveDate),
    /// Day and month could each be the other, and no order was given.
    Ambiguous,
    Invalid,
}

/// Converts an Excel serial day number to a date.
#[must_use]
pub fn from_serial(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Bounded above, so the cast is exact for the whole-day part.
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64;
    if is_1904 {
        return NaiveDate::from_ymd_opt(1904, 1, 1)?
            .checked_add_signed(chrono::Duration::days(days));
    }
    // Excel's 1900 system counts a 29 February 1900 that never was (serial 60).
    let (base, days) = match days {
        60 => return None,
        d if d < 60 => (NaiveDate::from_ymd_opt(1899, 12, 31)?, d),
        d => (NaiveDate::from_ymd_opt(1899, 12, 30)?, d),
    };
    base.checked_add_signed(chrono::Duration::days(days))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_name(word: &str) -> Option<u32> {
    let w = word
        .trim_matches(|c: char| c == '.' || c == ',')
        .to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let w = if w == "sept" { "sep".to_string() } else { w };
    MONTHS
        .iter()
        .position(|m| {
            w.starts_with(m) && {
                let full = [
                    "january",
                    "february",
                    "march",
                    "april",
                    "may",
                    "june",
                    "july",
                    "august",
                    "september",
                    "october",
                    "november",
                    "december",
                ];
                full.iter().any(|f| f.starts_with(w.as_str()))
            }
        })
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn two_digit_year(yy: i32) -> i32 {
    // Excel's rule: 00–29 are 2000–2029, 30–99 are 1930–1999.
    if yy < 30 {
        2000 + yy
    } else {
        1900 + yy
    }
}

fn year_of(text: &str) -> Option<i32> {
    let y: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(y),
        2 => Some(two_digit_year(y)),
        _ => None,
    }
}

/// Reads a text date. `order` resolves day/month text such as `03/04/2024`.
#[must_use]
pub fn parse_date_text(text: &str, order: Option<DateOrder>) -> DateRead {
    let t = text.trim();
    // Drop a time of day: "24/07/2014 00:00", "2024-03-04T10:00:00Z".
    let t = match t.split_once(['T', ' ']) {
        Some((d, rest))
            if rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
                && rest.contains(':') =>
        {
            d
        }
        _ => t,
    };
    // The usual ISO date, read without splitting.
    let b = t.as_bytes();
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    {
        return ymd(&t[..4], &t[5..7], &t[8..]);
    }
    let parts: Vec<&str> = t
        .split(['/', '-', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() == 1 && all_digits(parts[0]) && parts[0].len() == 8 {
        // 20240304
        let p = parts[0];
        return ymd(&p[..4], &p[4..6], &p[6..]);
    }
    if parts.len() == 2 {
        // Month periods: "2024-03", "Mar 2024", "March-24" → the first of the month.
        return month_period(parts[0], parts[1]);
    }
    if parts.len() != 3 {
        return DateRead::Invalid;
    }
    let (a, b, c) = (parts[0], parts[1], parts[2]);
    // Month names make the order plain: "4 March 2024", "04-Mar-2024", "March 4, 2024".
    let a_day = a.trim_end_matches(|ch: char| ch.is_ascii_alphabetic());
    let b_day = b.trim_end_matches(|ch: char| ch.is_ascii_alphabetic());
    if let Some(m) = month_name(b) {
        return build(year_of(c), Some(m), a_day.parse().ok());
    }
    if let Some(m) = month_name(a) {
        return build(year_of(c), Some(m), b_day.parse().ok());
    }
    if !(all_digits(a) && all_digits(b) && all_digits(c)) {
        return DateRead::Invalid;
    }
    if a.len() == 4 {
        return ymd(a, b, c);
    }
    if c.len() != 4 && c.len() != 2 {
        return DateRead::Invalid;
    }
    let (x, y): (u32, u32) = match (a.parse(), b.parse()) {
        (Ok(x), Ok(y)) => (x, y),
        _ => return DateRead::Invalid,
    };
    let year = year_of(c);
    match order {
        Some(DateOrder::Dmy) => build(year, Some(y), Some(x)),
        Some(DateOrder::Mdy) => build(year, Some(x), Some(y)),
        Some(DateOrder::Ymd) if c.len() == 2 && a.len() == 2 => {
            build(year_of(a), Some(y), c.parse().ok())
        }
        Some(DateOrder::Ymd) => DateRead::Invalid,
        None => {
            if x == y && x <= 12 {
                build(year, Some(x), Some(y))
            } else if x > 12 && y <= 12 {
                build(year, Some(y), Some(x))
            } else if y > 12 && x <= 12 {
                build(year, Some(x), Some(y))
            } else if x <= 12 && y <= 12 {
                DateRead::Ambiguous
            } else {
                DateRead::Invalid
            }
        }
    }
}

fn ymd(y: &str, m: &str, d: &str) -> DateRead {
    build(y.parse().ok(), m.parse().ok(), d.parse().ok())
}

fn month_period(a: &str, b: &str) -> DateRead {
    let digits = |p: &str| p.bytes().all(|x| x.is_ascii_digit());
    if a.len() == 4 && digits(a) && digits(b) && (1..=2).contains(&b.len()) {
        return build(a.parse().ok(), b.parse().ok(), Some(1));
    }
    if let Some(m) = month_name(a) {
        if digits(b) {
            return build(year_of(b), Some(m), Some(1));
        }
    }
    DateRead::Invalid
}

fn build(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> DateRead {
    match (year, month, day) {
        (Some(y), Some(m), Some(d)) if (1900..=2200).contains(&y) => {
            NaiveDate::from_ymd_opt(y, m, d).map_or(DateRead::Invalid, DateRead::Date)
        }
        _ => DateRead::Invalid,
    }
}

/// The fiscal year a date falls in, named by the calendar year in which it ends.
#[must_use]
pub fn fiscal_year(date: NaiveDate, start_month: u32) -> i32 {
    if start_month > 1 && date.month() >= start_month {
        date.year() + 1
    } else {
        date.year()
    }
}

/// First and last day of fiscal year `fy` (the calendar year it ends in).
#[must_use]
pub fn fiscal_year_bounds(fy: i32, start_month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let start = if start_month <= 1 {
        NaiveDate::from_ymd_opt(fy, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(fy - 1, start_month, 1)?
    };
    let next = if start_month <= 1 {
        NaiveDate::from_ymd_opt(fy + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(fy, start_month, 1)?
    };
    Some((start, next.pred_opt()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> DateRead {
        DateRead::Date(NaiveDate::from_ymd_opt(y, m, day).unwrap())
    }

    #[test]
    fn serials_in_both_systems() {
        assert_eq!(
            from_serial(45292.0, false),
            NaiveDate::from_ymd_opt(2024, 1, 1)
        );
        assert_eq!(
            from_serial(43830.0, true),
            NaiveDate::from_ymd_opt(2024, 1, 1)
        );
        assert_eq!(from_serial(1.0, false), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(
            from_serial(61.0, false),
            NaiveDate::from_ymd_opt(1900, 3, 1)
        );
        assert_eq!(from_serial(60.0, false), None);
        assert_eq!(
            from_serial(45292.75, false),
            NaiveDate::from_ymd_opt(2024, 1, 1)
        );
        assert_eq!(from_serial(-1.0, false), None);
    }

    #[test]
    fn text_dates() {
        assert_eq!(parse_date_text("2024-03-04", None), d(2024, 3, 4));
        assert_eq!(parse_date_text("2024-03-04T10:00:00Z", None), d(2024, 3, 4));
        assert_eq!(parse_date_text("24/07/2014 00:00", None), d(2014, 7, 24));
        assert_eq!(parse_date_text("07/24/2014", None), d(2014, 7, 24));
        assert_eq!(parse_date_text("03/04/2024", None), DateRead::Ambiguous);
        assert_eq!(
            parse_date_text("03/04/2024", Some(DateOrder::Dmy)),
            d(2024, 4, 3)
        );
        assert_eq!(
            parse_date_text("03/04/2024", Some(DateOrder::Mdy)),
            d(2024, 3, 4)
        );
        assert_eq!(parse_date_text("04/04/2024", None), d(2024, 4, 4));
        assert_eq!(
            parse_date_text("31/02/2024", Some(DateOrder::Dmy)),
            DateRead::Invalid
        );
        assert_eq!(parse_date_text("31/02/2024", None), DateRead::Invalid);
        assert_eq!(parse_date_text("4 March 2024", None), d(2024, 3, 4));
        assert_eq!(parse_date_text("4th March 2024", None), d(2024, 3, 4));
        assert_eq!(parse_date_text("04-Mar-24", None), d(2024, 3, 4));
        assert_eq!(parse_date_text("March 4, 2024", None), d(2024, 3, 4));
        assert_eq!(parse_date_text("Mar 2024", None), d(2024, 3, 1));
        assert_eq!(parse_date_text("2024-03", None), d(2024, 3, 1));
        assert_eq!(parse_date_text("20240304", None), d(2024, 3, 4));
        assert_eq!(parse_date_text("13.04.2024", None), d(2024, 4, 13));
        assert_eq!(parse_date_text("soon", None), DateRead::Invalid);
        assert_eq!(parse_date_text("Marmalade 4 2024", None), DateRead::Invalid);
    }

    #[test]
    fn fiscal_years_end_in_their_label() {
        let date = NaiveDate::from_ymd_opt(2023, 4, 1).unwrap();
        assert_eq!(fiscal_year(date, 4), 2024);
        assert_eq!(
            fiscal_year(NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(), 4),
            2024
        );
        assert_eq!(fiscal_year(date, 1), 2023);
        assert_eq!(
            fiscal_year_bounds(2024, 4),
            Some((
                NaiveDate::from_ymd_opt(2023, 4, 1).unwrap(),
                NaiveDate::from_ymd_opt(2024, 3, 31).unwrap()
            ))
        );
    }

    proptest! {
        #[test]
        fn unambiguous_text_dates_round_trip(days in 0i64..60_000) {
            let date = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assert_eq!(parse_date_text(&date.format("%Y-%m-%d").to_string(), None), DateRead::Date(date));
            prop_assert_eq!(parse_date_text(&date.format("%d/%m/%Y").to_string(), Some(DateOrder::Dmy)), DateRead::Date(date));
            prop_assert_eq!(parse_date_text(&date.format("%m/%d/%Y").to_string(), Some(DateOrder::Mdy)), DateRead::Date(date));
            prop_assert_eq!(parse_date_text(&date.format("%-d %B %Y").to_string(), None), DateRead::Date(date));
            let dmy = parse_date_text(&date.format("%d/%m/%Y").to_string(), None);
            prop_assert!(dmy == DateRead::Date(date) || dmy == DateRead::Ambiguous);
        }

        #[test]
        fn serial_dates_agree_between_systems(serial in 1463u32..2_900_000u32) {
            // The 1904 system's day 0 is the 1900 system's day 1462.
            let s = f64::from(serial);
            prop_assert_eq!(from_serial(s, false), from_serial(s - 1462.0, true));
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,24}") {
            let _ = parse_date_text(&s, None);
            let _ = parse_date_text(&s, Some(DateOrder::Ymd));
        }
    }
}
