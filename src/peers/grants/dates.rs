//! Award Date and Last Modified from 360Giving cells and text: dates by the day, Last Modified
//! to the second (in UTC when it names an offset), so the latest version of a grant wins.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

use crate::ingest::CellValue;
use crate::ledger::{from_serial, parse_date_text, DateOrder, DateRead};

pub(super) fn date_of(
    v: &CellValue,
    order: Option<DateOrder>,
    is_1904: bool,
) -> Result<NaiveDate, String> {
    match v {
        CellValue::Date(d) => Ok(*d),
        CellValue::Int(_) | CellValue::Float(_) => {
            let serial = match v {
                CellValue::Int(i) => f64::from(i32::try_from(*i).unwrap_or(-1)),
                CellValue::Float(f) => *f,
                _ => -1.0,
            };
            from_serial(serial, is_1904).ok_or_else(|| v.display())
        }
        CellValue::Text(t) | CellValue::IsoDate(t) => {
            match parse_date_text(t, order.or(Some(DateOrder::Dmy))) {
                DateRead::Date(d) => Ok(d),
                _ => Err(t.clone()),
            }
        }
        other => Err(other.display()),
    }
}

/// A Last Modified value to the second, in UTC when it names an offset: 360Giving publishes a
/// date-time, and two versions of a grant are often modified on the same day.
pub(super) fn modified_of(
    v: &CellValue,
    order: Option<DateOrder>,
    is_1904: bool,
) -> Option<NaiveDateTime> {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0);
    match v {
        CellValue::Text(t) | CellValue::IsoDate(t) => date_time_text(t.trim(), order)
            .or_else(|| date_of(v, order, is_1904).ok()?.and_hms_opt(0, 0, 0)),
        CellValue::Float(f) if f.is_finite() => {
            let day = from_serial(*f, is_1904)?;
            #[allow(clippy::cast_possible_truncation)]
            let seconds = ((f - f.floor()) * 86_400.0).round() as i64;
            midnight(day)?.checked_add_signed(chrono::Duration::seconds(seconds))
        }
        other => midnight(date_of(other, order, is_1904).ok()?),
    }
}

/// `2015-04-29T12:10:00+01:00`, `2015-04-29 12:10`, `29/04/2015 12:10` (day and month in
/// `order`, day first by default).
fn date_time_text(t: &str, order: Option<DateOrder>) -> Option<NaiveDateTime> {
    // A date alone (most files) has no time part: nothing to parse here.
    let (date, time) = t.split_once(['T', ' '])?;
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.naive_utc());
    }
    // An offset without a colon (`+0100`) or after a space: the format parsers are slow, so
    // only when the time names one.
    if time.contains(['+', '-']) {
        for f in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
            if let Ok(d) = DateTime::parse_from_str(t, f) {
                return Some(d.naive_utc());
            }
        }
    }
    let time = time.trim().trim_end_matches(['Z', 'z']);
    let time = ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(time, f).ok())?;
    match parse_date_text(date, order.or(Some(DateOrder::Dmy))) {
        DateRead::Date(d) => Some(d.and_time(time)),
        _ => None,
    }
}
