//! One `<c>` element of a worksheet: its attributes (`r`, `s`, `t`), its value elements
//! (`<v>`, `<f>`, `<is>`; the last wins, `<f>` counting as none) and the value calamine would
//! give it, or [`Unsupported`].

use calamine::{CellErrorType, DataRef, ExcelDateTime, ExcelDateTimeType};

use super::formats::CellFormat;
use super::scan::{attrs, is_space, skip_text, tag, Step, Tag, Unsupported};
use super::sheet::Book;
use super::text::{decode, plain_number, string_item, unescape_excel, value_text};

/// One cell's value, before it is lent to the callback.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Empty,
    Number(f64),
    /// Text held in the loop's text buffer.
    Text,
    Shared(usize),
    Bool(bool),
    Error(CellErrorType),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Shared,
    Bool,
    Error,
    Str,
    Inline,
}

pub(super) struct Cell {
    pub(super) at: Option<(u32, u32)>,
    pub(super) style: Option<usize>,
    pub(super) value: Value,
}

/// A cell's attributes, as read so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct CellAttrs {
    at: Option<(u32, u32)>,
    style: Option<usize>,
    kind: Option<Kind>,
}

impl CellAttrs {
    /// The attributes `a` of a `<c>` start tag.
    pub(super) fn read(a: &[u8]) -> Result<Self, Unsupported> {
        let mut read = CellAttrs::default();
        attrs(a, |k, v| read.take(k, v))?;
        Ok(read)
    }

    /// Takes attribute `k="v"`: `r`, `s` and `t` once each, any other ignored.
    fn take(&mut self, k: &[u8], v: &[u8]) -> Result<(), Unsupported> {
        let slot_taken = match k {
            b"r" => self.at.replace(cell_ref(v)?).is_some(),
            // calamine reads a style it cannot parse (`s=""`) as the default, 0.
            b"s" if v.is_empty() => self.style.replace(0).is_some(),
            b"s" => self.style.replace(digits(v, 9)?).is_some(),
            b"t" => self.kind.replace(kind_of(v)?).is_some(),
            _ => false,
        };
        if slot_taken {
            return Err(Unsupported("a repeated attribute"));
        }
        Ok(())
    }
}

/// The start tag of nearly every cell, read without the general tag loop: `<c` then
/// ` r="…"`, ` s="…"` and ` t="…"` (each at most once, in any order, values of letters and
/// digits), then `>`. Its attributes as [`CellAttrs::read`] reads them and the tag's length;
/// `None` for any other start tag (or one whose attributes are refused), which the general
/// loop reads.
pub(super) fn plain_cell_tag(b: &[u8]) -> Option<(CellAttrs, usize)> {
    if !b.starts_with(b"<c") {
        return None;
    }
    let mut read = CellAttrs::default();
    let mut i = 2;
    loop {
        match b.get(i)? {
            b'>' => return Some((read, i + 1)),
            b' ' => {}
            _ => return None,
        }
        let key = b.get(i + 1..i + 2)?;
        if !matches!(key, b"r" | b"s" | b"t") || b.get(i + 2..i + 4)? != b"=\"" {
            return None;
        }
        let from = i + 4;
        let len = memchr::memchr(b'"', b.get(from..)?)?;
        let v = &b[from..from + len];
        if !v.iter().all(u8::is_ascii_alphanumeric) {
            return None;
        }
        read.take(key, v).ok()?;
        i = from + len + 1;
    }
}

/// Reads one cell: its attributes `a`, then (unless `empty`) its content from `b` up to and
/// including `</c>`.
pub(super) fn cell(
    b: &[u8],
    a: CellAttrs,
    empty: bool,
    book: &Book<'_>,
    text: &mut String,
) -> Step<Cell> {
    let CellAttrs { at, style, kind } = a;
    let kind = kind.unwrap_or(Kind::Number);
    if empty {
        let value = Value::Empty;
        return Ok(Some((Cell { at, style, value }, 0)));
    }
    let content = match plain_content(b, kind, book, text)? {
        Some(plain) => Some(plain),
        None => content(b, kind, book, text)?,
    };
    Ok(content.map(|(value, used)| (Cell { at, style, value }, used)))
}

/// Reads a cell's content (after its start tag) up to and including `</c>`: its value and
/// the bytes used.
fn content(b: &[u8], kind: Kind, book: &Book<'_>, text: &mut String) -> Step<Value> {
    let mut value = Value::Empty;
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
            Tag::Close(b"c") => return Ok(Some((value, i))),
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

/// The content of nearly every cell, read without the general loop: `<v>raw</v></c>`, or
/// `<is><t>raw</t></is></c>` where the text needs no decoding, trimming or unescaping (no
/// `&`, `\r` or `_`, no space at either end). The value and the bytes used are what the
/// general loop ([`content`]) gives; `None` when the content has another shape, or does not
/// end in `b`, and the general loop reads it.
fn plain_content(
    b: &[u8],
    kind: Kind,
    book: &Book<'_>,
    text: &mut String,
) -> Result<Option<(Value, usize)>, Unsupported> {
    if let Some(rest) = b.strip_prefix(b"<v>") {
        let Some(len) = memchr::memchr(b'<', rest) else {
            return Ok(None);
        };
        if !rest[len..].starts_with(b"</v></c>") {
            return Ok(None);
        }
        let value = v_value(kind, &rest[..len], book, text)?;
        return Ok(Some((value, 3 + len + 8)));
    }
    let Some(rest) = b.strip_prefix(b"<is><t>") else {
        return Ok(None);
    };
    let Some(len) = memchr::memchr(b'<', rest) else {
        return Ok(None);
    };
    let raw = &rest[..len];
    let ws = |c: &u8| is_space(*c);
    if raw.first().is_none_or(ws)
        || raw.last().is_none_or(ws)
        || memchr::memchr3(b'&', b'\r', b'_', raw).is_some()
        || !rest[len..].starts_with(b"</t></is></c>")
    {
        return Ok(None);
    }
    let Ok(raw) = std::str::from_utf8(raw) else {
        return Ok(None);
    };
    text.clear();
    text.push_str(raw);
    Ok(Some((Value::Text, 7 + len + 13)))
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
pub(super) fn number(v: f64, style: Option<usize>, book: &Book<'_>) -> DataRef<'static> {
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
pub(super) fn row_number(v: &[u8]) -> Result<u32, Unsupported> {
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
#[path = "cell_tests.rs"]
mod tests;
