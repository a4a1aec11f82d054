//! Text inside sheet XML, read as calamine reads it: character data with the five predefined
//! entities and character references decoded; rich-text runs joined, phonetic runs left out;
//! `<t>` trimmed of ASCII whitespace unless `xml:space="preserve"`; line ends normalised as XML
//! 1.0 requires; Excel's `_xHHHH_` escapes decoded. `unescape_xml` is ported from calamine 0.38
//! (`src/utils.rs`, MIT licence, copyright 2016-2026 Johann Tuffe). What this module cannot
//! read exactly as calamine does is [`Unsupported`], so the two readers never disagree.

use super::scan::{attrs, next_lt, refs_closed, skip_text, tag, Step, Tag, Unsupported};

/// Appends the character data `raw` (no tags in it) to `out`, decoding entities.
pub(crate) fn decode(raw: &[u8], out: &mut String) -> Result<(), Unsupported> {
    let text = std::str::from_utf8(raw).map_err(|_| Unsupported("text that is not UTF-8"))?;
    let mut rest = text;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        push_eols(&rest[..amp], out);
        let after = &rest[amp + 1..];
        let semi = after
            .bytes()
            .take(12)
            .position(|b| b == b';')
            .ok_or(Unsupported("an unterminated entity"))?;
        match &after[..semi] {
            "amp" => out.push('&'),
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "quot" => out.push('"'),
            "apos" => out.push('\''),
            name => out.push(char_ref(name)?),
        }
        rest = &after[semi + 1..];
    }
    push_eols(rest, out);
    Ok(())
}

/// Appends literal text with its line ends normalised (XML 1.0: `\r\n` and a lone `\r` become
/// `\n`), as the XML reader does for each run of text between references.
fn push_eols(run: &str, out: &mut String) {
    if memchr::memchr(b'\r', run.as_bytes()).is_none() {
        out.push_str(run);
        return;
    }
    let mut parts = run.split('\r');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for part in parts {
        out.push('\n');
        out.push_str(part.strip_prefix('\n').unwrap_or(part));
    }
}

/// Appends `s` with Excel's `_xHHHH_` escapes decoded (UTF-16 code units; a lone surrogate
/// becomes U+FFFD), as calamine's `unescape_xml` does.
pub(crate) fn unescape_excel(s: &str, out: &mut String) {
    if memchr::memchr(b'_', s.as_bytes()).is_none() {
        out.push_str(s);
        return;
    }
    let mut copied = 0;
    let mut start = 0;
    while let Some((index, unit)) = find_escape(s, start) {
        out.push_str(&s[copied..index]);
        let mut next = index + ESCAPE_LEN;
        match unit {
            0xD800..=0xDBFF => match parse_escape(s, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                    next += ESCAPE_LEN;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = next;
        start = next;
    }
    out.push_str(&s[copied..]);
}

const ESCAPE_LEN: usize = 7;

fn find_escape(s: &str, mut start: usize) -> Option<(usize, u16)> {
    while let Some(offset) = s.get(start..)?.find('_') {
        let index = start + offset;
        if let Some(unit) = parse_escape(s, index) {
            return Some((index, unit));
        }
        start = index + 1;
    }
    None
}

fn parse_escape(s: &str, index: usize) -> Option<u16> {
    let b = s.as_bytes().get(index..index + ESCAPE_LEN)?;
    if b[0] != b'_' || b[1] != b'x' || b[6] != b'_' || !b[2..6].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
}

/// `#65` or `#x41`: a character any XML reader decodes the same way.
fn char_ref(name: &str) -> Result<char, Unsupported> {
    const BAD: Unsupported = Unsupported("an entity other than the predefined five");
    let digits = name.strip_prefix('#').ok_or(BAD)?;
    let (digits, radix) = match digits.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (digits, 10),
    };
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(BAD);
    }
    let code = u32::from_str_radix(digits, radix).map_err(|_| BAD)?;
    if code < 0x20 && !matches!(code, 0x9 | 0xA | 0xD) {
        return Err(BAD);
    }
    char::from_u32(code).ok_or(BAD)
}

/// A number as spreadsheet producers write it in `<v>`: `-12`, `0.5`, `1.25E-3`. Anything
/// else (spaces, a leading `+` or `.`, `inf`) is left to calamine.
pub(crate) fn plain_number(v: &[u8]) -> Option<f64> {
    let mut i = usize::from(v.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while v.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > from
    };
    if !digits(&mut i) {
        return None;
    }
    if v.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    if matches!(v.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(v.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != v.len() {
        return None;
    }
    std::str::from_utf8(v).ok()?.parse().ok()
}

/// Reads a string element's content (`<is>` or `<si>`, after its start tag) into `out`, up to
/// and including the end tag `closing`; returns the bytes consumed.
pub(crate) fn string_item(b: &[u8], closing: &[u8], out: &mut String) -> Step<()> {
    let mut at = 0;
    let mut phonetic = false;
    // Elements open inside the item: runs, their formatting, phonetic runs. They must close
    // in order here (the XML reader only counts them; a mismatch goes to calamine).
    let mut open: Vec<&[u8]> = Vec::new();
    loop {
        let Some(lt) = skip_text(&b[at..])? else {
            return Ok(None);
        };
        at += lt;
        let Some((t, n)) = tag(&b[at..])? else {
            return Ok(None);
        };
        at += n;
        match t {
            Tag::Close(name) if name == closing && open.is_empty() => return Ok(Some(((), at))),
            Tag::Open {
                name: b"t",
                attrs: a,
                empty,
            } => {
                let mut preserve = false;
                attrs(a, |k, v| {
                    if k == b"xml:space" {
                        preserve = v == b"preserve";
                    }
                    Ok(())
                })?;
                if empty {
                    continue;
                }
                let Some(len) = next_lt(&b[at..]) else {
                    return Ok(None);
                };
                let raw = &b[at..at + len];
                at += len;
                let Some((end, n)) = tag(&b[at..])? else {
                    return Ok(None);
                };
                if end != Tag::Close(b"t") {
                    return Err(Unsupported("markup inside <t>"));
                }
                at += n;
                if phonetic {
                    refs_closed(raw)?;
                    continue;
                }
                // Decoded straight onto `out`, then trimmed there; rewritten through a second
                // string only when it holds an Excel escape.
                let start = out.len();
                decode(raw, out)?;
                if !preserve {
                    let ws = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
                    let kept_end = start + out[start..].trim_end_matches(ws).len();
                    out.truncate(kept_end);
                    let lead = out[start..].len() - out[start..].trim_start_matches(ws).len();
                    out.drain(start..start + lead);
                }
                if memchr::memchr(b'_', &out.as_bytes()[start..]).is_some() {
                    let piece = out.split_off(start);
                    unescape_excel(&piece, out);
                }
            }
            // Runs and their formatting carry no text of their own.
            Tag::Open { empty: true, .. } => {}
            Tag::Open { name, .. } => {
                phonetic |= name == b"rPh";
                open.push(name);
            }
            Tag::Close(name) => {
                if open.pop() != Some(name) {
                    return Err(Unsupported("elements that do not nest in a string"));
                }
                if name == b"rPh" {
                    phonetic = false;
                }
            }
        }
    }
}

/// Reads the value text of `<v>` (after its start tag) up to and including `</v>`.
pub(crate) fn value_text(b: &[u8]) -> Step<&[u8]> {
    let Some(len) = next_lt(b) else {
        return Ok(None);
    };
    let Some((end, n)) = tag(&b[len..])? else {
        return Ok(None);
    };
    if end != Tag::Close(b"v") {
        return Err(Unsupported("markup inside <v>"));
    }
    Ok(Some((&b[..len], len + n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(xml: &str) -> Result<Option<String>, Unsupported> {
        let mut out = String::new();
        Ok(
            string_item(xml.as_bytes(), b"is", &mut out)?.map(|((), n)| {
                assert_eq!(n, xml.len());
                out
            }),
        )
    }

    #[test]
    fn strings_as_calamine_reads_them() {
        assert_eq!(
            item("<t>  Council &amp; Co </t></is>").unwrap().unwrap(),
            "Council & Co"
        );
        assert_eq!(
            item("<t xml:space=\"preserve\"> a </t></is>")
                .unwrap()
                .unwrap(),
            " a "
        );
        assert_eq!(
            item("<r><rPr><b/><sz val=\"11\"/></rPr><t>Big</t></r><r><t xml:space=\"preserve\"> Trust</t></r><rPh sb=\"0\" eb=\"1\"><t>ビッグ</t></rPh><phoneticPr fontId=\"1\"/></is>")
                .unwrap()
                .unwrap(),
            "Big Trust"
        );
        assert_eq!(item("</is>").unwrap().unwrap(), "");
        assert_eq!(item("<t/></is>").unwrap().unwrap(), "");
        assert_eq!(
            item("<t>&#163;5 &#x20AC;</t></is>").unwrap().unwrap(),
            "£5 €"
        );
        assert_eq!(item("<t>cut").unwrap(), None);
        assert_eq!(
            item("<t>a_x000D_b_x005F_x0041_</t></is>").unwrap().unwrap(),
            "a\rb_x0041_"
        );
        assert_eq!(
            item("<t>_xD83D__xDCF7_ _xD800_</t></is>").unwrap().unwrap(),
            "\u{1F4F7} \u{FFFD}"
        );
        assert_eq!(
            item("<t>a\r\nb\rc&amp;\r</t></is>").unwrap().unwrap(),
            "a\nb\nc&"
        );
        assert!(item("<t>&nbsp;</t></is>").is_err());
        assert!(item("<t><![CDATA[x]]></t></is>").is_err());
    }

    #[test]
    fn plain_numbers_only() {
        assert_eq!(plain_number(b"-12.5"), Some(-12.5));
        assert_eq!(plain_number(b"1.25E-3"), Some(0.00125));
        assert_eq!(plain_number(b"44927"), Some(44927.0));
        for odd in [
            &b""[..],
            b" 1",
            b"+1",
            b".5",
            b"1.",
            b"1e",
            b"inf",
            b"NaN",
            b"1,5",
            b"--1",
        ] {
            assert_eq!(
                plain_number(odd),
                None,
                "{:?}",
                String::from_utf8_lossy(odd)
            );
        }
    }
}
