//! What a delimited text file is before its records are read: its encoding (UTF-8 with or
//! without BOM, UTF-16 with a BOM, Windows-1252 fallback) and its delimiter.

use std::borrow::Cow;

use csv_core::{ReadFieldResult, ReaderBuilder};

/// Decodes `bytes` to text, noting when the Windows-1252 fallback was used. UTF-16 with a
/// byte-order mark (Excel's "Unicode Text", a tab-separated .txt) is decoded too.
pub(super) fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding != encoding_rs::UTF_8 {
            let (text, _, malformed) = encoding.decode(bytes);
            let note = format!(
                "the file is {} (Excel's \"Unicode Text\"){}",
                encoding.name(),
                if malformed {
                    "; some bytes were not valid and read as \u{fffd}"
                } else {
                    ""
                }
            );
            return (Cow::Owned(text.into_owned()), Some(note));
        }
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Checked with SIMD first (a big file is mostly ASCII); where it fails, std says where.
    if let Ok(s) = simdutf8::basic::from_utf8(body) {
        return (Cow::Borrowed(s), None);
    }
    match std::str::from_utf8(body) {
        Ok(s) => (Cow::Borrowed(s), None),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(body);
            let note = format!(
                "the file is not valid UTF-8 (first invalid byte at offset {}); it was read as Windows-1252",
                e.valid_up_to()
            );
            (Cow::Owned(text.into_owned()), Some(note))
        }
    }
}

/// How many fields each of the first records has when split on `delimiter`.
fn field_counts(text: &[u8], delimiter: u8, records: usize) -> Vec<usize> {
    let mut rdr = ReaderBuilder::new().delimiter(delimiter).build();
    let mut out = [0u8; 4096];
    let mut counts = Vec::new();
    let (mut pos, mut fields) = (0usize, 0usize);
    while counts.len() < records {
        let (res, nin, _) = rdr.read_field(text.get(pos..).unwrap_or_default(), &mut out);
        pos += nin;
        match res {
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
            ReadFieldResult::Field { record_end } => {
                fields += 1;
                if record_end {
                    counts.push(fields);
                    fields = 0;
                }
            }
            ReadFieldResult::End => break,
        }
    }
    counts
}

/// Picks the delimiter that splits the first lines most consistently into more than one field.
pub(super) fn detect_delimiter(text: &str) -> u8 {
    // The first 64 KiB are enough to decide; a cut-off last record is left out.
    let sample = &text.as_bytes()[..text.len().min(64 << 10)];
    let cut = sample.len() < text.len();
    let candidates = [b',', b';', b'\t'];
    let mut best = (b',', 0usize);
    for &d in &candidates {
        let mut counts = field_counts(sample, d, 31);
        if cut || counts.len() > 30 {
            counts.pop();
        }
        // The most common number of fields, and how many rows have it (ties: more fields).
        let mut freq: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for n in counts.into_iter().filter(|&n| n > 1) {
            *freq.entry(n).or_default() += 1;
        }
        let Some((fields, rows)) = freq.into_iter().max_by_key(|&(n, f)| (f, n)) else {
            continue;
        };
        // Rows that split the same way, weighted by how many fields they split into.
        let score = rows * fields;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}
