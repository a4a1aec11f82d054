//! The fast reader against calamine's cell reader, cell for cell, on every real .xlsx there is
//! (the fixtures, calamine's quirk files, published 360Giving workbooks) and on generated
//! sheets that exercise each rule.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use calamine::{DataRef, Reader, Xlsx};

use super::{Halt, Package};
use crate::ingest::cells::from_ref;
use crate::ingest::limits::{DeadlineReader, SeekLog};
use crate::ingest::CellValue;

pub(super) type Cells = Vec<(u32, u32, Option<CellValue>, usize)>;
/// A sheet's name, its cells by calamine (or its error), and by the fast reader.
pub(super) type Sheet = (String, Result<Cells, String>, Option<Cells>);

/// Every sheet's cells read by calamine, and by the fast reader (`None` for a sheet it left
/// to calamine). `None` when calamine cannot open the workbook.
pub(super) fn both_ways(bytes: &[u8]) -> Option<Vec<Sheet>> {
    let far = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let log = SeekLog::default();
    let source = DeadlineReader::new(Cursor::new(bytes), far).logging(log.clone());
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(source).ok()?;
    let mut fast = Package::new(DeadlineReader::new(Cursor::new(bytes), far), log)?;
    let names: Vec<String> = wb.sheet_names();
    let mut out = Vec::new();
    for name in names {
        fast.watch();
        let is_1904 = wb.has_1904_epoch();
        let Ok(mut reader) = wb.worksheet_cells_reader(&name) else {
            continue;
        };
        let mut fast_cells = Cells::new();
        let styles = reader.styles();
        let read = fast.read_sheet(&name, styles, is_1904, &mut |r, c, v: &DataRef<'_>, s| {
            fast_cells.push((r, c, from_ref(v), s));
            Ok::<(), ()>(())
        });
        let fast_cells = match read {
            Ok(()) => Some(fast_cells),
            Err(Halt::Unsupported(u)) => {
                eprintln!("left to calamine: {name}: {}", u.0);
                None
            }
            Err(Halt::Io(e)) => {
                eprintln!("left to calamine: {name}: {e}");
                None
            }
            Err(Halt::Cell(())) => unreachable!(),
        };
        let mut slow = Cells::new();
        let slow = loop {
            match reader.next_cell_with_style_id() {
                Ok(Some((cell, s))) => {
                    let (r, c) = cell.get_position();
                    slow.push((r, c, from_ref(cell.get_value()), s));
                }
                Ok(None) => break Ok(slow),
                Err(e) => break Err(e.to_string()),
            }
        };
        out.push((name, slow, fast_cells));
    }
    Some(out)
}

fn xlsx_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            xlsx_files(&p, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "xlsx" | "xlsm"))
        {
            out.push(p);
        }
    }
}

#[test]
fn the_fast_reader_gives_calamines_cells_on_every_real_workbook() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    xlsx_files(&root.join("fixtures"), &mut files);
    xlsx_files(&root.join("../shared/data"), &mut files);
    xlsx_files(&root.join("tests"), &mut files);
    files.sort();
    let (mut fast_sheets, mut all_sheets, mut cells) = (0, 0, 0);
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let Some(sheets) = both_ways(&bytes) else {
            continue;
        };
        for (name, slow, fast) in sheets {
            all_sheets += 1;
            let Some(fast) = fast else { continue };
            fast_sheets += 1;
            let slow = slow.unwrap_or_else(|e| {
                panic!(
                    "{}!{name}: calamine failed ({e}) where the fast reader did not",
                    file.display()
                )
            });
            assert_eq!(fast.len(), slow.len(), "{}!{name}", file.display());
            for (f, s) in fast.iter().zip(&slow) {
                assert_eq!(f, s, "{}!{name}", file.display());
            }
            cells += fast.len();
        }
    }
    eprintln!(
        "{} files, {fast_sheets} of {all_sheets} sheets and {cells} cells read fast",
        files.len()
    );
    // The fixtures alone are read fast; most real files are too.
    assert!(
        fast_sheets * 4 >= all_sheets * 3,
        "{fast_sheets} of {all_sheets}"
    );
}

/// A workbook with one sheet whose `<sheetData>` is `data`, written with the zip crate.
pub(super) fn workbook(data: &str, shared: &[&str]) -> Vec<u8> {
    let items: String = shared.iter().map(|s| format!("<si>{s}</si>")).collect();
    workbook_raw(data.as_bytes(), items.as_bytes())
}

/// A workbook whose sheet data and shared-string items are given as XML bytes (which need not
/// be UTF-8).
fn workbook_raw(data: &[u8], items: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, text: &[u8]| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text).unwrap();
    };
    put(
        "[Content_Types].xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    put(
        "_rels/.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put(
        "xl/_rels/workbook.xml.rels",
        br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    put(
        "xl/workbook.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Income" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    put(
        "xl/styles.xml",
        br#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="&quot;&#163;&quot;#,##0.00"/></numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="46"/></cellXfs></styleSheet>"#,
    );
    put(
        "xl/sharedStrings.xml",
        &[&br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#[..], items, b"</sst>"].concat(),
    );
    put(
        "xl/worksheets/sheet1.xml",
        &[&br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D9"/><sheetData>"#[..], data, b"</sheetData></worksheet>"].concat(),
    );
    zip.finish().unwrap().into_inner()
}

fn check(data: &str, shared: &[&str], fast_expected: bool) {
    let bytes = workbook(data, shared);
    let sheets = both_ways(&bytes).unwrap();
    let (_, slow, fast) = &sheets[0];
    match fast {
        Some(fast) => {
            assert!(fast_expected, "read fast: {data}");
            assert_eq!(Some(fast), slow.as_ref().ok(), "{data}");
        }
        None => assert!(!fast_expected, "left to calamine: {data}"),
    }
}

#[test]
fn each_rule_matches_calamine() {
    let shared = [
        "Funder",
        "<t xml:space=\"preserve\"> Amount </t>",
        "<r><t>Big</t></r><r><rPr><b/></rPr><t>Trust</t></r>",
    ];
    let shared: Vec<String> = shared
        .iter()
        .map(|s| {
            if s.starts_with('<') {
                (*s).to_string()
            } else {
                format!("<t>{s}</t>")
            }
        })
        .collect();
    let shared: Vec<&str> = shared.iter().map(String::as_str).collect();
    for (data, fast) in [
        (
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>"#,
            true,
        ),
        (
            r#"<row r="2" spans="1:4"><c r="A2" s="1"><v>44927</v></c><c r="B2" s="3"><v>1250.5</v></c><c s="2"><v>45000</v></c><c s="4"><v>1.5</v></c></row>"#,
            true,
        ),
        (
            r#"<row><c><v>1</v></c><c/><c><v>2</v></c></row><row/><row r="7"><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c t="str"><f>A1</f><v>a &amp; b</v></c></row>"#,
            true,
        ),
        (
            r#"<row r="3"><c r="C3" t="inlineStr"><is><t> spaced </t></is></c><c r="D3" t="inlineStr"><is/></c><c t="str"><v/></c><c><v>3</v><f>1+2</f></c></row>"#,
            true,
        ),
        (
            r#"<row r="4"><c r="b4"><v>-1.25E-3</v></c><c r="A4"><v>7</v></c></row>"#,
            true,
        ),
        (r#"<row r="5"><c r="A5" t="s"><v>9</v></c></row>"#, false),
        (r#"<row r="5"><c r="A5"><v> 1</v></c></row>"#, false),
        (
            r#"<row r="5"><c r="A5" t="d"><v>2024-01-01</v></c></row>"#,
            false,
        ),
        (
            r#"<!-- note --><row r="5"><c r="A5"><v>1</v></c></row>"#,
            false,
        ),
        (
            r#"<row r="5"><c r="A5" t="inlineStr"><is><t>a_x000D_b</t></is></c><c t="str"><v>x_x0041_&#13;
y</v></c></row>"#,
            true,
        ),
        (
            r#"<x:row r="5"><x:c r="A5"><x:v>1</x:v></x:c></x:row>"#,
            false,
        ),
    ] {
        check(data, &shared, fast);
    }
}

#[test]
fn what_the_fuzzer_found_reads_as_calamine_reads_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut found = 0;
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("xlsx-sheet-") {
            continue;
        }
        // As the xlsx_sheet target builds it: sheet data, then shared strings after 0xFF.
        let data = std::fs::read(entry.path()).unwrap();
        let (sheet, shared) = match data.iter().position(|&b| b == 0xFF) {
            Some(i) => (&data[..i], &data[i + 1..]),
            None => (&data[..], &b""[..]),
        };
        // The target's table starts with one item of its own.
        let shared = [&b"<si><t>Funder</t></si>"[..], shared].concat();
        let bytes = workbook_raw(sheet, &shared);
        let sheets = both_ways(&bytes).unwrap();
        let (_, slow, fast) = &sheets[0];
        if let Some(fast) = fast {
            assert_eq!(Some(fast), slow.as_ref().ok(), "{name}");
        }
        found += 1;
    }
    assert!(found >= 1);
}
