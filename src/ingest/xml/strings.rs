//! The shared-strings table (`sharedStrings.xml`) read into one arena: each `<si>` is one
//! string, read like an inline string (see [`super::text::string_item`]).

use std::io::Read;

use super::scan::{next_lt, tag, Buf, Halt, Tag, Unsupported};
use super::sheet::prelude;
use super::text::string_item;

/// Every shared string, end to end in one `String`.
#[derive(Debug, Default)]
pub(crate) struct SharedStrings {
    text: String,
    ends: Vec<usize>,
}

impl SharedStrings {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    /// Reads the table from the part's XML.
    ///
    /// # Errors
    /// [`Halt::Unsupported`] for XML read differently from calamine; [`Halt::Io`] when the
    /// entry cannot be read.
    pub(crate) fn read<R: Read>(
        src: R,
        cap: usize,
    ) -> Result<Self, Halt<std::convert::Infallible>> {
        let mut buf = Buf::new(src, cap);
        let mut table = SharedStrings::default();
        if prelude(&mut buf, b"sst")?.is_none() {
            return Ok(table);
        }
        loop {
            let rest = buf.rest();
            let Some(lt) = next_lt(rest) else {
                buf.pos += rest.len();
                if !buf.more()? {
                    return Err(Unsupported("the table ends inside <sst>").into());
                }
                continue;
            };
            let b = &rest[lt..];
            let step = match tag(b)? {
                Some((Tag::Close(b"sst"), _)) => return Ok(table),
                Some((
                    Tag::Open {
                        name: b"si",
                        empty: true,
                        ..
                    },
                    n,
                )) => Some(n),
                Some((Tag::Open { name: b"si", .. }, n)) => {
                    let mark = table.text.len();
                    match string_item(&b[n..], b"si", &mut table.text)? {
                        Some(((), used)) => Some(n + used),
                        None => {
                            table.text.truncate(mark);
                            None
                        }
                    }
                }
                Some(_) => return Err(Unsupported("an element other than <si> in <sst>").into()),
                None => None,
            };
            match step {
                Some(n) => {
                    buf.pos += lt + n;
                    table.ends.push(table.text.len());
                }
                None => {
                    buf.pos += lt;
                    if !buf.more()? {
                        return Err(Unsupported("the table ends inside a string").into());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_rich_and_empty_items() {
        let xml = concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"4\" uniqueCount=\"4\">",
            "<si><t>Funder</t></si><si/><si><r><t>Big </t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">Trust </t></r></si>",
            "<si><t>A &amp; B</t></si></sst>"
        );
        // A tiny window forces every refill path.
        let table = SharedStrings::read(xml.as_bytes(), 1 << 20).unwrap();
        assert_eq!(table.len(), 4);
        let all: Vec<_> = (0..4).map(|i| table.get(i).unwrap()).collect();
        assert_eq!(all, ["Funder", "", "BigTrust ", "A & B"]);
        assert_eq!(table.get(4), None);
    }
}
