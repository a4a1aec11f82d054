//! The fast .xlsx reader against calamine's: the input is the content of one sheet's
//! `<sheetData>` (and, after a 0xFF byte, the items of the shared-strings table), put in a
//! small workbook and read twice, with the fast reader and with calamine's cell reader alone.
//! Whatever the bytes, the two readings must be the same (the fast reader gives calamine's
//! cells or leaves the sheet to calamine), and neither may panic.
#![no_main]

use std::io::Write;
use std::sync::Once;
use std::time::Duration;

use fundrisk::ingest::{read_file, Limits, ReadOptions};
use libfuzzer_sys::fuzz_target;

static GUARD: Once = Once::new();

fn workbook(sheet_data: &[u8], shared: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let mut put = |name: &str, parts: &[&[u8]]| {
        zip.start_file(name, opts).unwrap();
        for p in parts {
            zip.write_all(p).unwrap();
        }
    };
    put("[Content_Types].xml", &[br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#]);
    put("_rels/.rels", &[br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#]);
    put("xl/_rels/workbook.xml.rels", &[br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#]);
    put("xl/workbook.xml", &[br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Income" sheetId="1" r:id="rId1"/></sheets></workbook>"#]);
    put("xl/styles.xml", &[br#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="&quot;&#163;&quot;#,##0.00"/></numFmts><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="46"/></cellXfs></styleSheet>"#]);
    put("xl/sharedStrings.xml", &[br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Funder</t></si>"#, shared, b"</sst>"]);
    put("xl/worksheets/sheet1.xml", &[br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#, sheet_data, b"</sheetData></worksheet>"]);
    zip.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    GUARD.call_once(fundrisk::panic_guard::install);
    let (sheet_data, shared) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let bytes = workbook(sheet_data, shared);
    let read = |fast_xlsx| {
        let opts = ReadOptions {
            worker_exe: None,
            limits: Limits {
                max_rows: 10_000,
                max_cells: 100_000,
                time: Duration::from_secs(20),
                ..Limits::default()
            },
            fast_xlsx,
        };
        format!("{:?}", read_file(std::path::Path::new("fuzz.xlsx"), &bytes, &opts))
    };
    assert_eq!(read(true), read(false));
});
