//! Reading one cell's value for a row: the amount and its currency, the date, whether the
//! money is restricted, and the row's currency.

use rust_decimal::Decimal;

use super::super::date::{from_serial, parse_date_text, DateRead};
use super::super::money::{currency_code, from_float, parse_money};
use super::super::{Role, Severity, Text};
use super::row::{Cell, Row};
use super::text::{cell_str, restriction};
use super::Reader;
use crate::ingest::{CellValue, RawCell};

/// Whether `|d|` is 10^18 or more, from its mantissa: `|m| ≥ 10^(18 + scale)`, which no
/// 96-bit mantissa reaches past scale 10.
fn too_large(d: Decimal) -> bool {
    const LIMIT: u128 = 10u128.pow(18);
    let m = d.mantissa().unsigned_abs();
    // 10^(18 + scale) is at least 10^18: nearly every amount is ruled out by one comparison.
    m >= LIMIT && d.scale() <= 10 && m >= 10u128.pow(18 + d.scale())
}

impl Reader<'_> {
    /// Reads an amount cell: the amount and any currency its text or number format named.
    /// An amount of 10^18 or more is no ledger's (a trillion times the largest charity's
    /// income) and could not be added up exactly with the rest: it is set aside as not a
    /// number, like any other text that is no amount.
    pub(super) fn money(&self, cell: Cell<'_>) -> Result<(Decimal, Option<String>), String> {
        match self.money_exact(cell) {
            Ok((d, _)) if too_large(d) => Err(cell.display()),
            Ok((mut d, c)) => {
                if d.scale() < 2 {
                    d.rescale(2);
                }
                Ok((d, c))
            }
            Err(e) => Err(e),
        }
    }

    fn money_exact(&self, cell: Cell<'_>) -> Result<(Decimal, Option<String>), String> {
        let cell = match cell.text() {
            Ok(t) => {
                return parse_money(t, self.opts.decimal_comma, &self.dollar)
                    .map(|m| (m.amount, m.currency))
                    .ok_or_else(|| t.trim().to_string())
            }
            Err(cell) => cell,
        };
        match &cell.value {
            CellValue::Int(i) => Ok((Decimal::from(*i), cell.currency.clone())),
            CellValue::Float(f) => from_float(*f)
                .map(|d| (d, cell.currency.clone()))
                .ok_or_else(|| f.to_string()),
            other => Err(other.display()),
        }
    }

    /// Reads a date cell. Ledgers are mostly in date order, so a date text is first compared
    /// with the last one read.
    pub(super) fn date(&mut self, cell: Cell<'_>) -> DateRead {
        let text = match cell.text() {
            Ok(t) => t,
            Err(RawCell {
                value: CellValue::IsoDate(t),
                ..
            }) => t,
            Err(cell) => return self.date_of(&cell.value),
        };
        #[cfg(test)]
        if super::facts::tests::WITHOUT_MEMO.with(std::cell::Cell::get) {
            return self.date_of_text(text);
        }
        if let Some(read) = self.last_date.filter(|_| self.last_date_text == text) {
            return read;
        }
        let read = self.date_of_text(text);
        self.last_date_text.clear();
        self.last_date_text.push_str(text);
        self.last_date = Some(read);
        read
    }

    /// A date text's date: a serial number exported as text, or a date written out.
    fn date_of_text(&self, text: &str) -> DateRead {
        let trimmed = text.trim();
        // A serial number exported as text.
        if trimmed.len() == 5 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return trimmed
                .parse::<f64>()
                .ok()
                .and_then(|s| from_serial(s, self.is_1904))
                .map_or(DateRead::Invalid, DateRead::Date);
        }
        parse_date_text(trimmed, self.opts.date_order)
    }

    fn date_of(&self, value: &CellValue) -> DateRead {
        match value {
            CellValue::Date(d) => DateRead::Date(*d),
            CellValue::Int(i) => i32::try_from(*i)
                .ok()
                .and_then(|i| from_serial(f64::from(i), self.is_1904))
                .map_or(DateRead::Invalid, DateRead::Date),
            CellValue::Float(f) => {
                from_serial(*f, self.is_1904).map_or(DateRead::Invalid, DateRead::Date)
            }
            CellValue::Text(t) | CellValue::IsoDate(t) => self.date_of_text(t),
            CellValue::Bool(_) | CellValue::BadDate(_) | CellValue::Error(_) => DateRead::Invalid,
        }
    }

    pub(super) fn restricted(&mut self, row: &impl Row) -> Option<bool> {
        let col = self.col(Role::Restricted)?;
        let value = row.get(col)?;
        if let Cell::Raw(RawCell {
            value: CellValue::Bool(b),
            ..
        }) = value
        {
            return Some(*b);
        }
        let text = cell_str(value)?;
        let answer = restriction(&text);
        if answer.is_none() {
            let at = self.at(col, row).qualified();
            self.note(
                "unknown_restriction",
                Severity::Warning,
                format!("restriction {text:?} is not restricted/unrestricted, yes/no, true/false, R/U or Y/N; counted as unknown"),
                Some(at),
            );
        }
        answer
    }

    pub(super) fn currency(&mut self, row: &impl Row, from_amount: Option<String>) -> Option<Text> {
        let column = self
            .col(Role::Currency)
            .and_then(|c| row.get(c))
            .and_then(cell_str);
        if let Some(t) = column {
            let t = self.texts.get(&t);
            if let Some(code) = self.currencies.get(&t) {
                return code.clone();
            }
            let code = currency_code(&t, &self.dollar)
                .or(Some(t.to_uppercase()))
                .map(|c| self.texts.get(&c));
            self.currencies.insert(t, code.clone());
            return code;
        }
        match from_amount {
            Some(c) => Some(self.texts.get(&c)),
            None => self.header_currency.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::too_large;

    proptest! {
        #[test]
        fn too_large_is_ten_to_the_eighteen_or_more(
            m in prop_oneof![any::<i64>().prop_map(i128::from), -(1i128 << 95)..(1i128 << 95)],
            scale in 0u32..=28,
            edge in any::<bool>(),
            k in -2i128..2,
        ) {
            // Either any mantissa, or one next to 10^18 at this scale.
            let m = if edge && scale <= 10 { 10i128.pow(18 + scale) + k } else { m };
            const LIMIT: Decimal = Decimal::from_parts(0xA764_0000, 0x0DE0_B6B3, 0, false, 0);
            let d = Decimal::from_i128_with_scale(m, scale);
            prop_assert_eq!(too_large(d), d.abs() >= LIMIT);
        }
    }
}
