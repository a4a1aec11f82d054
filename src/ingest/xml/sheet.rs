//! The worksheet loop: `<row>` and `<c>` elements of `<sheetData>` turned into cells with the
//! positions and values calamine's cell reader gives (a cell without `r` follows the one
//! before it; of several value elements the last wins, and `<f>` counts as none; numbers in a
//! date or time format become Excel dates). Anything calamine would read differently or
//! refuse is [`Unsupported`], before or after cells have been handed on.

use std::io::Read;

use calamine::DataRef;

use super::cell::{cell, number, plain_cell_tag, row_number, CellAttrs, Value};
use super::formats::CellFormat;
use super::scan::{attrs, next_lt, skip_text, tag, widen, Buf, Halt, Tag, Unsupported};
use super::strings::SharedStrings;

/// What the sheet loop calls for each cell: row, column, value, style id.
pub(crate) type OnCell<'f, E> = dyn FnMut(u32, u32, &DataRef<'_>, usize) -> Result<(), E> + 'f;

/// What the workbook tells the sheet loop.
pub(crate) struct Book<'s> {
    pub(crate) strings: Option<&'s SharedStrings>,
    /// The number format kind of each cell style, by style id.
    pub(crate) formats: &'s [CellFormat],
    pub(crate) is_1904: bool,
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
        let plain = plain_cell_tag(b);
        let read = match plain {
            // What `tag` gives for it.
            Some((_, n)) => Some((
                Tag::Open {
                    name: b"c",
                    attrs: &b[2..n - 1],
                    empty: false,
                },
                n,
            )),
            None => tag(b)?,
        };
        let Some((t, n)) = read else {
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
                let attrs = match plain {
                    Some((read, _)) => read,
                    None => CellAttrs::read(a)?,
                };
                let Some((cell, used)) = cell(&b[n..], attrs, empty, book, &mut text)? else {
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
