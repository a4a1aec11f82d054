//! Crafted one-sheet .xlsx packages: the parts a workbook needs around a sheet.

use super::package;

pub const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
pub const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts of a one-sheet workbook other than the sheet (and shared strings, when given).
fn workbook_parts(shared_strings: bool) -> Vec<package::Entry> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
    );
    let mut rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>"#
    );
    if shared_strings {
        types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
        rels.push_str(&format!(
            r#"<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>"#
        ));
    }
    types.push_str("</Types>");
    rels.push_str("</Relationships>");
    vec![
        package::entry("[Content_Types].xml", types.as_bytes()),
        package::entry(
            "_rels/.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).as_bytes(),
        ),
        package::entry(
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets><sheet name="Income" sheetId="1" r:id="rId1"/></sheets></workbook>"#).as_bytes(),
        ),
        package::entry("xl/_rels/workbook.xml.rels", rels.as_bytes()),
    ]
}

pub fn text_cell(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A small ledger's rows: a header and `n` gifts, as sheet XML rows.
pub fn ledger_rows(n: u32) -> String {
    let mut xml = format!(
        r#"<row r="1">{}{}{}</row>"#,
        text_cell("A1", "Date"),
        text_cell("B1", "Funder"),
        text_cell("C1", "Amount")
    );
    for i in 0..n {
        let r = i + 2;
        xml.push_str(&format!(
            r#"<row r="{r}">{}{}<c r="C{r}"><v>{}</v></c></row>"#,
            text_cell(&format!("A{r}"), &format!("2024-01-{:02}", i % 28 + 1)),
            text_cell(&format!("B{r}"), &format!("Funder {}", i % 7)),
            100 + i
        ));
    }
    xml
}

pub fn sheet(head: &str, rows: &str, tail: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{head}<sheetData>{rows}</sheetData>{tail}</worksheet>"#
    )
    .into_bytes()
}

pub fn xlsx(sheet_entry: package::Entry, shared: Option<package::Entry>) -> Vec<u8> {
    let mut entries = workbook_parts(shared.is_some());
    entries.push(sheet_entry);
    entries.extend(shared);
    package::zip(&entries)
}
