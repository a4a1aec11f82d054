//! The worksheet loop: `<row>` and `<c>` elements of `<sheetData>` turned into cells with the
//! positions and values calamine's cell reader gives (a cell without `r` follows the one
//! before it; of several value elements the last wins, and `<f>` counts as none; numbers in a
//! date or time format become Excel dates). Anything calamine would read differently or
//! refuse is [`Unsupported`], before or after cells have been handed on.

use std::io::Read;

use calamine::{CellErrorType, DataRef, ExcelDateTime, ExcelDateTimeType};

use super::formats::CellFormat;
use super::scan::next_lt;
use super::scan::{attrs, skip_text, tag, widen, Buf, Halt, Step, Tag, Unsupported};
use super::strings::SharedStrings;
use super::text::{decode, plain_number, string_item, unescape_excel, value_text};

/// What the sheet loop calls for each cell: row, column, value, style id.
pub(crate) type OnCell<'f, E> = dyn FnMut(u32, u32, &DataRef<'_>, usize) -> Result<(), E> + 'f;

/// What the workbook tells the sheet loop.
pub(crate) struct Book<'s> {
    pub(crate) strings: Option<&'s SharedStrings>,
    /// The number format kind of each cell style, by style id.
    pub(crate) formats: &'s [CellFormat],
    pub(crate) is_1904: bool,
}

/// One cell's value, before it is lent to the callback.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Number(f64),
    /// Text held in the loop's text buffer.
    Text,
    Shared(usize),
    Bool(bool),
    Error(CellErrorType),
}

#[derive(Clone, Copy)]
enum Kind {
    Number,
    Shared,
    Bool,
    Error,
    Str,
    Inline,
}

/// Reads the worksheet XML in `src` and calls `on_cell(row, column, value, style id)` for
/// every cell of `<sheetData>`, in file order.
///
/// # Errors
/// [`Halt::Unsupported`] for XML this loop does not read exactly as calamine does,
/// [`Halt::Io`] when the entry cannot be read, [`Halt::Cell`] when `on_cell` refuses.
pub(crate) fn scan_sheet<R: Read, E>(
    src: R,
    book: &Book<'_>,
    cap: usize,
    on_cell: &mut OnCell<'_, E>,
) -> Result<(), Halt<E>> {
    let mut buf = Buf::new(src, cap);
    // Elements open: the XML reader refuses an end tag when none is (cells and their
    // content are read strictly nested, so only rows change this).
    let Some(mut depth) = prelude(&mut buf, b"sheetData").map_err(widen)? else {
        return Ok(());
    };
    let (mut row, mut col) = (0u32, 0u32);
    let mut text = String::new();
    loop {
        let rest = buf.rest();
        let Some(lt) = skip_text(rest)? else {
            // Text between rows is short; it stays until its end is seen.
            if !buf.more().map_err(widen)? {
                return Err(Unsupported("the sheet ends inside <sheetData>").into());
            }
            continue;
        };
        let b = &rest[lt..];
        let Some((t, n)) = tag(b)? else {
            buf.pos += lt;
            if !buf.more().map_err(widen)? {
                return Err(Unsupported("the sheet ends inside a tag").into());
            }
            continue;
        };
        match t {
            Tag::Open {
                name: b"c",
                attrs: a,
                empty,
            } => {
                let Some((cell, used)) = cell(&b[n..], a, empty, book, &mut text)? else {
                    buf.pos += lt;
                    if !buf.more().map_err(widen)? {
                        return Err(Unsupported("the sheet ends inside a cell").into());
                    }
                    continue;
                };
                buf.pos += lt + n + used;
                let (r, c) = cell.at.unwrap_or((row, col));
                col = c.wrapping_add(1);
                let value = match cell.value {
                    Value::Empty => DataRef::Empty,
                    Value::Number(v) => number(v, cell.style, book),
                    Value::Text => DataRef::SharedString(&text),
                    Value::Shared(i) => match book.strings.and_then(|s| s.get(i)) {
                        Some(s) => DataRef::SharedString(s),
                        None => return Err(Unsupported("a shared string out of range").into()),
                    },
                    Value::Bool(v) => DataRef::Bool(v),
                    Value::Error(e) => DataRef::Error(e),
                };
                on_cell(r, c, &value, cell.style.unwrap_or(0)).map_err(Halt::Cell)?;
            }
            Tag::Open {
                name: b"row",
                attrs: a,
                empty,
            } => {
                let mut at = None;
                attrs(a, |k, v| {
                    if k == b"r" {
                        if at.is_some() {
                            return Err(Unsupported("a repeated attribute"));
                        }
                        at = Some(row_number(v)?);
                    }
                    Ok(())
                })?;
                if let Some(r) = at {
                    row = r;
                }
                if empty {
                    row = row.wrapping_add(1);
                    col = 0;
                } else {
                    depth += 1;
                }
                buf.pos += lt + n;
            }
            Tag::Close(b"row") => {
                depth = depth
                    .checked_sub(1)
                    .ok_or(Unsupported("an end tag with no element open"))?;
                row = row.wrapping_add(1);
                col = 0;
                buf.pos += lt + n;
            }
            Tag::Close(b"sheetData") if depth > 0 => return Ok(()),
            _ => {
                return Err(
                    Unsupported("an element other than a row or cell in <sheetData>").into(),
                )
            }
        }
    }
}

/// Skips the part's start to the element `until`: the number of elements open after its
/// start tag (it included), or `None` when it is empty (`<sheetData/>`). The XML reader keeps
/// that count too, and refuses an end tag when it is zero.
pub(crate) fn prelude<R: Read>(
    buf: &mut Buf<R>,
    until: &[u8],
) -> Result<Option<usize>, Halt<std::convert::Infallible>> {
    let mut depth = 0usize;
    loop {
        let rest = buf.rest();
        let Some(lt) = next_lt(rest) else {
            buf.pos += rest.len();
            if !buf.more()? {
                return Err(Unsupported("the part ends before its data").into());
            }
            continue;
        };
        let b = &rest[lt..];
        if b.starts_with(b"<?") {
            if let Some(end) = memchr::memmem::find(b, b"?>") {
                buf.pos += lt + end + 2;
            } else if !buf.more()? {
                return Err(Unsupported("the part ends inside a declaration").into());
            }
            continue;
        }
        match tag(b)? {
            None => {
                buf.pos += lt;
                if !buf.more()? {
                    return Err(Unsupported("the part ends inside a tag").into());
                }
            }
            Some((Tag::Open { name, empty, .. }, n)) if name == until => {
                buf.pos += lt + n;
                return Ok((!empty).then_some(depth + 1));
            }
            Some((Tag::Open { empty, .. }, n)) => {
                depth += usize::from(!empty);
                buf.pos += lt + n;
            }
            Some((Tag::Close(_), n)) => {
                depth = depth
                    .checked_sub(1)
                    .ok_or(Unsupported("an end tag with no element open"))?;
                buf.pos += lt + n;
            }
        }
    }
}

struct Cell {
    at: Option<(u32, u32)>,
    style: Option<usize>,
    value: Value,
}

/// Reads one cell: its attributes `a`, then (unless `empty`) its content from `b` up to and
/// including `</c>`.
fn cell(b: &[u8], a: &[u8], empty: bool, book: &Book<'_>, text: &mut String) -> Step<Cell> {
    let (mut at, mut style, mut kind) = (None, None, None);
    attrs(a, |k, v| {
        let slot_taken = match k {
            b"r" => at.replace(cell_ref(v)?).is_some(),
            // calamine reads a style it cannot parse (`s=""`) as the default, 0.
            b"s" if v.is_empty() => style.replace(0).is_some(),
            b"s" => style.replace(digits(v, 9)?).is_some(),
            b"t" => kind.replace(kind_of(v)?).is_some(),
            _ => false,
        };
        if slot_taken {
            return Err(Unsupported("a repeated attribute"));
        }
        Ok(())
    })?;
    let kind = kind.unwrap_or(Kind::Number);
    let mut value = Value::Empty;
    if empty {
        return Ok(Some((Cell { at, style, value }, 0)));
    }
    let mut i = 0;
    loop {
        let Some(lt) = skip_text(&b[i..])? else {
            return Ok(None);
        };
        i += lt;
        let Some((t, n)) = tag(&b[i..])? else {
            return Ok(None);
        };
        i += n;
        match t {
            Tag::Close(b"c") => return Ok(Some((Cell { at, style, value }, i))),
            Tag::Open {
                name: b"v",
                empty: true,
                ..
            } => {
                value = if matches!(kind, Kind::Str) {
                    text.clear();
                    Value::Text
                } else {
                    Value::Empty
                };
            }
            Tag::Open { name: b"v", .. } => {
                let Some((raw, used)) = value_text(&b[i..])? else {
                    return Ok(None);
                };
                i += used;
                value = v_value(kind, raw, book, text)?;
            }
            Tag::Open {
                name: b"f", empty, ..
            } => {
                if !empty {
                    let Some(len) = skip_text(&b[i..])? else {
                        return Ok(None);
                    };
                    let Some((end, used)) = tag(&b[i + len..])? else {
                        return Ok(None);
                    };
                    if end != Tag::Close(b"f") {
                        return Err(Unsupported("markup inside <f>"));
                    }
                    i += len + used;
                }
                value = Value::Empty;
            }
            Tag::Open {
                name: b"is", empty, ..
            } => {
                text.clear();
                if !empty {
                    let Some(((), used)) = string_item(&b[i..], b"is", text)? else {
                        return Ok(None);
                    };
                    i += used;
                }
                value = Value::Text;
            }
            _ => return Err(Unsupported("an element other than v, f or is in a cell")),
        }
    }
}

/// The value of `<v>raw</v>` in a cell of type `kind`.
fn v_value(
    kind: Kind,
    raw: &[u8],
    book: &Book<'_>,
    text: &mut String,
) -> Result<Value, Unsupported> {
    if raw.is_empty() && !matches!(kind, Kind::Str) {
        return Ok(Value::Empty);
    }
    Ok(match kind {
        Kind::Number => {
            Value::Number(plain_number(raw).ok_or(Unsupported("a number written oddly"))?)
        }
        Kind::Shared => {
            let i = digits(raw, 12)?;
            if book.strings.is_none_or(|s| i >= s.len()) {
                return Err(Unsupported("a shared string out of range"));
            }
            Value::Shared(i)
        }
        Kind::Bool => match raw {
            b"0" => Value::Bool(false),
            b"1" => Value::Bool(true),
            _ => return Err(Unsupported("a boolean written oddly")),
        },
        Kind::Error => Value::Error(
            std::str::from_utf8(raw)
                .ok()
                .filter(|s| !s.contains('&'))
                .and_then(|s| s.parse().ok())
                .ok_or(Unsupported("an unknown error value"))?,
        ),
        Kind::Str => {
            let mut decoded = String::new();
            decode(raw, &mut decoded)?;
            text.clear();
            unescape_excel(&decoded, text);
            Value::Text
        }
        Kind::Inline => {
            // calamine ignores <v> in an inline-string cell.
            if memchr::memchr(b'&', raw).is_some() {
                return Err(Unsupported("an entity in an ignored value"));
            }
            Value::Empty
        }
    })
}

/// A number, or an Excel date when its style's number format shows a date or time.
fn number(v: f64, style: Option<usize>, book: &Book<'_>) -> DataRef<'static> {
    let format = match style {
        None => Some(CellFormat::Other),
        Some(id) => book.formats.get(id).copied(),
    };
    match format {
        Some(CellFormat::DateTime) => DataRef::DateTime(ExcelDateTime::new(
            v,
            ExcelDateTimeType::DateTime,
            book.is_1904,
        )),
        Some(CellFormat::TimeDelta) => DataRef::DateTime(ExcelDateTime::new(
            v,
            ExcelDateTimeType::TimeDelta,
            book.is_1904,
        )),
        _ => DataRef::Float(v),
    }
}

fn kind_of(t: &[u8]) -> Result<Kind, Unsupported> {
    Ok(match t {
        b"n" => Kind::Number,
        b"s" => Kind::Shared,
        b"b" => Kind::Bool,
        b"e" => Kind::Error,
        b"str" => Kind::Str,
        b"inlineStr" | b"is" => Kind::Inline,
        _ => {
            return Err(Unsupported(
                "a cell type other than n, s, b, e, str or inlineStr",
            ))
        }
    })
}

/// Up to `max` ASCII digits.
fn digits(v: &[u8], max: usize) -> Result<usize, Unsupported> {
    if v.is_empty() || v.len() > max || !v.iter().all(u8::is_ascii_digit) {
        return Err(Unsupported("a number attribute written oddly"));
    }
    Ok(v.iter()
        .fold(0usize, |n, &d| n * 10 + usize::from(d - b'0')))
}

/// A row number (`r` of `<row>`, 1-based) as a zero-based index.
fn row_number(v: &[u8]) -> Result<u32, Unsupported> {
    let n = digits(v, 9)?;
    u32::try_from(n)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .ok_or(Unsupported("row number 0"))
}

/// `B12` as zero-based (row, column); at most three letters and nine digits.
fn cell_ref(v: &[u8]) -> Result<(u32, u32), Unsupported> {
    let letters = v.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return Err(Unsupported("a cell reference written oddly"));
    }
    let col = v[..letters].iter().fold(0u32, |n, &c| {
        n * 26 + u32::from(c.to_ascii_uppercase() - b'A') + 1
    });
    Ok((row_number(&v[letters..])?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_numbers() {
        assert_eq!(cell_ref(b"A1"), Ok((0, 0)));
        assert_eq!(cell_ref(b"xfd1048576"), Ok((1_048_575, 16_383)));
        assert!(cell_ref(b"A0").is_err());
        assert!(cell_ref(b"A").is_err());
        assert!(cell_ref(b"1").is_err());
        assert!(cell_ref(b"AAAA1").is_err());
        assert!(cell_ref(b"A1B").is_err());
        assert_eq!(row_number(b"7"), Ok(6));
        assert!(digits(b"12a", 9).is_err());
    }
}
