//! The byte level of the sheet scanner: a refillable buffer over the inflating zip entry, and
//! tags and attributes read straight from its bytes. Anything outside the plain subset of XML
//! that spreadsheet producers write (comments, CDATA, DOCTYPEs, namespace prefixes on element
//! names, malformed attributes) is [`Unsupported`], and the sheet goes to calamine instead.

use std::io::Read;

/// The sheet holds something the scanner does not read exactly as calamine does; calamine
/// reads it instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unsupported(pub(crate) &'static str);

/// Why a scan stopped before its end.
#[derive(Debug)]
pub(crate) enum Halt<E> {
    Unsupported(Unsupported),
    /// Reading the package failed (a deadline, a damaged entry).
    Io(std::io::Error),
    /// The cell callback refused the cell (a limit, rows out of order).
    Cell(E),
}

impl<E> From<Unsupported> for Halt<E> {
    fn from(u: Unsupported) -> Self {
        Halt::Unsupported(u)
    }
}

/// One step of parsing: done with this many bytes, or the buffer ends first.
pub(crate) type Step<T> = Result<Option<(T, usize)>, Unsupported>;

/// A window on a stream of bytes that is refilled as it is consumed. The unit being parsed
/// (a tag, a cell) must fit in the window: it grows to `cap`, beyond which the unit is
/// unsupported (calamine then reads the sheet under its own limits).
pub(crate) struct Buf<R> {
    src: R,
    data: Vec<u8>,
    pub(crate) pos: usize,
    end: usize,
    eof: bool,
    cap: usize,
}

const START: usize = 256 * 1024;

impl<R: Read> Buf<R> {
    pub(crate) fn new(src: R, cap: usize) -> Self {
        Buf {
            src,
            data: vec![0; START.min(cap.max(64))],
            pos: 0,
            end: 0,
            eof: false,
            cap,
        }
    }

    /// The bytes not yet consumed.
    pub(crate) fn rest(&self) -> &[u8] {
        &self.data[self.pos..self.end]
    }

    /// Reads more bytes after the unconsumed ones. `Ok(false)`: the stream has ended.
    pub(crate) fn more(&mut self) -> Result<bool, Halt<std::convert::Infallible>> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.data.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.end == self.data.len() {
            if self.data.len() >= self.cap {
                return Err(Halt::Unsupported(Unsupported(
                    "an element too long to scan",
                )));
            }
            let len = (self.data.len() * 2).min(self.cap);
            self.data.resize(len, 0);
        }
        loop {
            match self.src.read(&mut self.data[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Halt::Io(e)),
            }
        }
    }
}

/// Widens a buffer error to any callback error type.
pub(crate) fn widen<E>(h: Halt<std::convert::Infallible>) -> Halt<E> {
    match h {
        Halt::Unsupported(u) => Halt::Unsupported(u),
        Halt::Io(e) => Halt::Io(e),
        Halt::Cell(never) => match never {},
    }
}

/// A start tag (`empty` for `<x/>`) or an end tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag<'a> {
    Open {
        name: &'a [u8],
        attrs: &'a [u8],
        empty: bool,
    },
    Close(&'a [u8]),
}

pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// An element name without a namespace prefix.
fn plain_name(name: &[u8]) -> Result<&[u8], Unsupported> {
    if !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        Ok(name)
    } else {
        Err(Unsupported(
            "an element name with a prefix or odd characters",
        ))
    }
}

/// Reads the tag at the start of `b` (which starts with `<`).
pub(crate) fn tag(b: &[u8]) -> Step<Tag<'_>> {
    let Some(&first) = b.get(1) else {
        return Ok(None);
    };
    match first {
        b'/' => {
            let Some(gt) = b[2..].iter().position(|&c| c == b'>') else {
                return Ok(None);
            };
            let mut name = &b[2..2 + gt];
            while let Some((&last, init)) = name.split_last() {
                if !is_space(last) {
                    break;
                }
                name = init;
            }
            Ok(Some((Tag::Close(plain_name(name)?), 2 + gt + 1)))
        }
        b'?' | b'!' => Err(Unsupported(
            "a comment, CDATA section or processing instruction",
        )),
        _ => {
            let Some(name_len) = b[1..]
                .iter()
                .position(|&c| is_space(c) || c == b'/' || c == b'>')
            else {
                return Ok(None);
            };
            let name = plain_name(&b[1..1 + name_len])?;
            let from = 1 + name_len;
            // `<c/="b">` is no element c to an XML reader: a name ends at space, `>` or `/>`.
            if b[from] == b'/' {
                match b.get(from + 1) {
                    None => return Ok(None),
                    Some(b'>') => {}
                    Some(_) => return Err(Unsupported("a '/' inside a start tag")),
                }
            }
            // Tags are short: a plain loop beats a vectorised search here.
            let mut quote = 0u8;
            for (at, &c) in b.iter().enumerate().skip(from) {
                if c == b'<' {
                    return Err(Unsupported("a '<' inside a tag"));
                }
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    }
                } else if c == b'"' || c == b'\'' {
                    quote = c;
                } else if c == b'>' {
                    let empty = at > from && b[at - 1] == b'/';
                    let attrs = &b[from..if empty { at - 1 } else { at }];
                    return Ok(Some((Tag::Open { name, attrs, empty }, at + 1)));
                }
            }
            Ok(None)
        }
    }
}

/// Calls `each` with every `key="value"` of a start tag's attributes (values raw, not
/// unescaped).
pub(crate) fn attrs<'a>(
    mut a: &'a [u8],
    mut each: impl FnMut(&'a [u8], &'a [u8]) -> Result<(), Unsupported>,
) -> Result<(), Unsupported> {
    const BAD: Unsupported = Unsupported("a malformed attribute");
    loop {
        while a.first().is_some_and(|&b| is_space(b)) {
            a = &a[1..];
        }
        if a.is_empty() {
            return Ok(());
        }
        let key_len = a
            .iter()
            .position(|&b| b == b'=' || is_space(b))
            .ok_or(BAD)?;
        let key = &a[..key_len];
        if !key
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        {
            return Err(BAD);
        }
        a = &a[key_len..];
        while a.first().is_some_and(|&b| is_space(b)) {
            a = &a[1..];
        }
        if a.first() != Some(&b'=') || key.is_empty() {
            return Err(BAD);
        }
        a = &a[1..];
        while a.first().is_some_and(|&b| is_space(b)) {
            a = &a[1..];
        }
        let quote = *a.first().ok_or(BAD)?;
        if quote != b'"' && quote != b'\'' {
            return Err(BAD);
        }
        let len = memchr::memchr(quote, &a[1..]).ok_or(BAD)?;
        each(key, &a[1..1 + len])?;
        a = &a[1 + len + 1..];
        if a.first().is_some_and(|&b| !is_space(b)) {
            return Err(BAD);
        }
    }
}

/// Where the next tag starts in `b`, skipping text that is not read but must still be what
/// an XML reader accepts: every `&` closed by a `;` before the next `&` or `<`.
pub(crate) fn skip_text(b: &[u8]) -> Result<Option<usize>, Unsupported> {
    // Usually no text at all, or a little whitespace: one plain loop for both questions.
    const NEAR: usize = 24;
    let mut amp = false;
    for (i, &c) in b.iter().take(NEAR).enumerate() {
        if c == b'<' {
            if amp {
                refs_closed(&b[..i])?;
            }
            return Ok(Some(i));
        }
        amp |= c == b'&';
    }
    let Some(lt) = next_lt(b) else {
        return Ok(None);
    };
    refs_closed(&b[..lt])?;
    Ok(Some(lt))
}

/// Every `&` in `text` (a run of text up to a `<`) is closed by a `;` before another `&`: an
/// XML reader refuses the text otherwise, even where it skips it.
pub(crate) fn refs_closed(text: &[u8]) -> Result<(), Unsupported> {
    let mut rest = text;
    while let Some(i) = memchr::memchr(b'&', rest) {
        let after = &rest[i + 1..];
        match memchr::memchr2(b';', b'&', after) {
            Some(j) if after[j] == b';' => rest = &after[j + 1..],
            _ => return Err(Unsupported("an unclosed entity reference")),
        }
    }
    Ok(())
}

/// Where the next tag starts in `b`.
pub(crate) fn next_lt(b: &[u8]) -> Option<usize> {
    // Usually within a few bytes (between tags, or after a short value).
    const NEAR: usize = 24;
    if let Some(i) = b.iter().take(NEAR).position(|&c| c == b'<') {
        return Some(i);
    }
    if b.len() <= NEAR {
        return None;
    }
    memchr::memchr(b'<', &b[NEAR..]).map(|i| i + NEAR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attributes() {
        let b = br#"<c r="A1" s='2' t="s">"#;
        let (t, n) = tag(b).unwrap().unwrap();
        assert_eq!(n, b.len());
        let Tag::Open {
            name,
            attrs: a,
            empty,
        } = t
        else {
            panic!("not a start tag")
        };
        assert_eq!((name, empty), (&b"c"[..], false));
        let mut seen = Vec::new();
        attrs(a, |k, v| {
            seen.push((k.to_vec(), v.to_vec()));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[1], (b"s".to_vec(), b"2".to_vec()));

        let (t, n) = tag(b"<row r=\"3\" x14ac:dyDescent=\"0.25\"/>rest")
            .unwrap()
            .unwrap();
        assert!(matches!(t, Tag::Open { empty: true, .. }));
        assert_eq!(n, 35);
        assert_eq!(tag(b"</c >").unwrap(), Some((Tag::Close(b"c"), 5)));
        // A quoted '>' does not end the tag.
        let (_, n) = tag(b"<numFmt formatCode=\"a>b\"/>").unwrap().unwrap();
        assert_eq!(n, 26);
        // Cut off: more bytes are needed.
        assert_eq!(tag(b"<c r=\"A1").unwrap(), None);
        assert_eq!(tag(b"<").unwrap(), None);
        assert!(tag(b"<!-- x -->").is_err());
        assert!(tag(b"<x:c r=\"A1\">").is_err());
        // Found by fuzzing: to an XML reader this is an element named `c/="b"`, not `c`.
        assert!(tag(b"<c/=\"b\">").is_err());
        assert!(tag(b"<c r=\"<\">").is_err());
        assert!(attrs(b" a/=\"b\"", |_, _| Ok(())).is_err());
        assert!(attrs(b" r=A1", |_, _| Ok(())).is_err());
        // Found by fuzzing: calamine's reader refuses an unclosed `&` even in skipped text.
        assert_eq!(skip_text(b"  &amp; x <row>"), Ok(Some(10)));
        assert!(skip_text(b"&= <row>").is_err());
        assert!(skip_text(b"&a&b; <row>").is_err());
        assert!(attrs(b" r=\"A1\"s=\"1\"", |_, _| Ok(())).is_err());
    }

    #[test]
    fn the_window_refills_and_grows_to_its_cap() {
        let text = vec![b'x'; 300_000];
        let mut buf = Buf::new(&text[..], 1 << 20);
        assert!(buf.more().unwrap());
        while buf.more().unwrap() {}
        assert_eq!(buf.rest().len(), 300_000);
        let mut small = Buf::new(&text[..], 1000);
        assert!(small.more().unwrap());
        assert!(matches!(small.more(), Err(Halt::Unsupported(_))));
    }
}
