//! Hostile files, each made here in a temporary folder: zip bombs, claimed ranges the size of
//! the grid, millions of empty cells, huge shared-string tables, enormous cells, deep XML,
//! files past the size, row and cell limits. Each ends with a clean error naming the file or a
//! successful run, and every run of the binary is measured: it must stay under 1 GB of
//! resident memory and 30 s (the issue's resource bounds, not a speed benchmark).

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{assert_clean_error, assert_reconciles, root};
use measure::{assert_bounded, assert_refused, measured, Measured};
use workbook::{ledger_rows, sheet, text_cell, xlsx, MAIN_NS};

#[path = "hostile/measure.rs"]
mod measure;
#[path = "hostile/package.rs"]
mod package;
#[path = "hostile/properties.rs"]
mod properties;
#[path = "hostile/workbook.rs"]
mod workbook;

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path.display().to_string()
}

fn analyse_json(path: &str) -> Measured {
    measured(["analyse", path, "--json", "-"])
}

#[test]
fn a_zip_bomb_is_refused_before_it_inflates() {
    let dir = tempfile::tempdir().unwrap();
    // 2.5 GiB of empty cells from a file of about 2.5 MB.
    let chunk = "<c/>".repeat(1 << 18);
    let rows = package::bomb("xl/worksheets/sheet1.xml", chunk.as_bytes(), 2560, None);
    let bytes = xlsx(rows, None);
    assert!(bytes.len() < 4 << 20, "a small file: {}", bytes.len());
    let path = write(&dir, "bomb.xlsx", &bytes);
    let m = analyse_json(&path);
    assert_refused(
        &m,
        &path,
        "zip bomb (2.5 GiB declared)",
        &["\"xl/worksheets/sheet1.xml\"", "zip bomb", "hint:"],
    );
}

#[test]
fn a_zip_bomb_that_lies_about_its_size_is_cut_off_at_the_declared_size() {
    let dir = tempfile::tempdir().unwrap();
    // The directory says 1 MiB; the data inflates to 2.5 GiB of cells.
    let cells = r#"<c r="A1"><v>1</v></c>"#.repeat(1 << 14);
    let bomb = package::bomb(
        "xl/worksheets/sheet1.xml",
        cells.as_bytes(),
        8000,
        Some(1 << 20),
    );
    let path = write(&dir, "liar.xlsx", &xlsx(bomb, None));
    let m = analyse_json(&path);
    assert_bounded(&m, "zip bomb declaring 1 MiB");
    assert_clean_error(&m.run, &path);
}

#[test]
fn a_claimed_range_the_size_of_the_grid_costs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let rows = format!(
        r#"{}<row r="1048576"><c r="XFD1048576"><v>5</v></c></row>"#,
        ledger_rows(20)
    );
    let xml = sheet(r#"<dimension ref="A1:XFD1048576"/>"#, &rows, "");
    let path = write(
        &dir,
        "grid.xlsx",
        &xlsx(package::entry("xl/worksheets/sheet1.xml", &xml), None),
    );
    let m = analyse_json(&path);
    assert_bounded(&m, "dimension A1:XFD1048576 with a cell at XFD1048576");
    assert_eq!(m.run.code, Some(0), "{}", m.run.stderr);
    let json: serde_json::Value = serde_json::from_str(&m.run.stdout).unwrap();
    assert_reconciles(&json, "grid.xlsx");
    assert_eq!(json["reconciliation"]["rows_included"], 20);
}

#[test]
fn rows_stored_out_of_order_are_read_sorted() {
    // Rows 4, 2, 3 and then a row whose cells come right to left: the streamed read meets a
    // row it has already handed on, and the sheet is read again whole and sorted.
    let dir = tempfile::tempdir().unwrap();
    let row = |r: u32, amount: u32| {
        format!(
            r#"<row r="{r}">{}{}<c r="C{r}"><v>{amount}</v></c></row>"#,
            text_cell(&format!("A{r}"), &format!("2024-01-0{r}")),
            text_cell(&format!("B{r}"), &format!("Funder {r}")),
        )
    };
    let backwards = format!(
        r#"<row r="5"><c r="C5"><v>500</v></c>{}{}</row>"#,
        text_cell("B5", "Funder 5"),
        text_cell("A5", "2024-01-05")
    );
    let rows = format!(
        "{}{}{}{}{}",
        ledger_rows(0),
        row(4, 400),
        row(2, 200),
        row(3, 300),
        backwards
    );
    let xml = sheet("", &rows, "");
    let path = write(
        &dir,
        "unordered.xlsx",
        &xlsx(package::entry("xl/worksheets/sheet1.xml", &xml), None),
    );
    let run = crate::support::fundrisk(["analyse", &path, "--json", "-"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_reconciles(&json, "unordered.xlsx");
    assert_eq!(json["reconciliation"]["rows_included"], 4);
    assert_eq!(json["reconciliation"]["rows_excluded"], 0);
    assert_eq!(json["overall"]["total"], "1400.00");
}

#[test]
fn millions_of_empty_cells_are_skipped_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 250,000 rows of 12 empty cells each below a small ledger: 3 million <c/>.
    let mut rows = ledger_rows(10);
    let empty = "<c/>".repeat(12);
    for r in 100..250_100 {
        rows.push_str(&format!(r#"<row r="{r}">{empty}</row>"#));
    }
    let xml = sheet("", &rows, "");
    let path = write(
        &dir,
        "empty-cells.xlsx",
        &xlsx(package::entry("xl/worksheets/sheet1.xml", &xml), None),
    );
    let m = analyse_json(&path);
    assert_bounded(&m, "3 million empty <c/> cells");
    assert_eq!(m.run.code, Some(0), "{}", m.run.stderr);
    let json: serde_json::Value = serde_json::from_str(&m.run.stdout).unwrap();
    assert_eq!(json["reconciliation"]["rows_read"], 10);
}

fn shared_strings(n: u32) -> Vec<u8> {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="{n}" uniqueCount="{n}">"#
    );
    for i in 0..n {
        xml.push_str(&format!("<si><t>Funder number {i:09}</t></si>"));
    }
    xml.push_str("</sst>");
    xml.into_bytes()
}

#[test]
fn a_huge_shared_string_table_is_read_in_bounded_memory_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = ledger_rows(10);
    // A few cells use the table; the rest of it is dead weight.
    rows.push_str(r#"<row r="30"><c r="B30" t="s"><v>1</v></c></row>"#);
    let xml = sheet("", &rows, "");
    // 700,000 strings, 26 MB of XML: under the 32 MiB cap for parts read whole.
    let path = write(
        &dir,
        "strings.xlsx",
        &xlsx(
            package::entry("xl/worksheets/sheet1.xml", &xml),
            Some(package::entry(
                "xl/sharedStrings.xml",
                &shared_strings(700_000),
            )),
        ),
    );
    let m = analyse_json(&path);
    assert_bounded(&m, "700,000 shared strings (26 MB)");
    assert_eq!(m.run.code, Some(0), "{}", m.run.stderr);
    // 1.5 million strings, 56 MB: past the cap, refused naming the part.
    let path = write(
        &dir,
        "more-strings.xlsx",
        &xlsx(
            package::entry("xl/worksheets/sheet1.xml", &xml),
            Some(package::entry(
                "xl/sharedStrings.xml",
                &shared_strings(1_500_000),
            )),
        ),
    );
    let m = analyse_json(&path);
    assert_refused(
        &m,
        &path,
        "1.5 million shared strings (56 MB)",
        &["\"xl/sharedStrings.xml\"", "read whole into memory"],
    );
    // The most strings the cap lets in: 3.5 million empty ones.
    let empty = format!(
        r#"<sst xmlns="{MAIN_NS}">{}</sst>"#,
        "<si></si>".repeat(3_500_000)
    );
    let path = write(
        &dir,
        "empty-strings.xlsx",
        &xlsx(
            package::entry("xl/worksheets/sheet1.xml", &xml),
            Some(package::entry("xl/sharedStrings.xml", empty.as_bytes())),
        ),
    );
    let m = analyse_json(&path);
    assert_bounded(&m, "3.5 million empty shared strings (31 MB)");
}

#[test]
fn a_cell_longer_than_a_spreadsheet_allows_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // 120 MiB of letters (nearly the 128 MiB a sheet part may inflate to) that do not compress
    // well (a repeated 64 KiB block is out of reach of
    // deflate's 32 KiB window), so that only the cell limit can refuse it.
    let mut seed: u32 = 12_345;
    let block: String = (0..65_536)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            char::from(b'a' + u8::try_from((seed >> 16) % 26).unwrap())
        })
        .collect();
    let long = block.repeat(1920);
    let rows = format!(
        r#"{}<row r="40">{}</row>"#,
        ledger_rows(5),
        text_cell("B40", &long)
    );
    let xml = sheet("", &rows, "");
    let path = write(
        &dir,
        "long-cell.xlsx",
        &xlsx(package::entry("xl/worksheets/sheet1.xml", &xml), None),
    );
    let m = analyse_json(&path);
    assert_refused(&m, &path, "a 120 MiB cell (xlsx)", &["Income!B40", "32767"]);
    let csv = format!("Date,Funder,Amount\n2024-01-01,\"{long}\",5\n");
    let path = write(&dir, "long-cell.csv", csv.as_bytes());
    let m = analyse_json(&path);
    assert_refused(&m, &path, "a 120 MiB field (csv)", &["B2", "32767"]);
}

#[test]
fn deeply_nested_xml_is_harmless() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 200_000;
    let nested = format!("{}{}", "<x>".repeat(depth), "</x>".repeat(depth));
    let xml = sheet("", &format!("{}{nested}", ledger_rows(10)), "");
    let path = write(
        &dir,
        "nested.xlsx",
        &xlsx(package::entry("xl/worksheets/sheet1.xml", &xml), None),
    );
    let m = analyse_json(&path);
    assert_bounded(&m, "200,000 nested elements");
    if m.run.code != Some(0) {
        assert_clean_error(&m.run, &path);
    }
}

#[test]
fn wide_and_blank_csv_records_cost_no_memory_and_rows_are_limited() {
    let dir = tempfile::tempdir().unwrap();
    // One record of 10 million empty fields.
    let mut csv = b"Date,Funder,Amount\n2024-01-01,A,5\n".to_vec();
    csv.extend(std::iter::repeat_n(b',', 10_000_000));
    csv.push(b'\n');
    let path = write(&dir, "wide.csv", &csv);
    let m = measured(["inspect", path.as_str()]);
    assert_bounded(&m, "a CSV record of 10 million empty fields");
    assert_eq!(m.run.code, Some(0), "{}", m.run.stderr);
    // Three million blank lines are three million rows: past the default limit.
    let mut csv = b"Date,Funder,Amount\n".to_vec();
    csv.extend(std::iter::repeat_n(b'\n', 3_000_000));
    csv.extend_from_slice(b"2024-01-01,A,5\n");
    let path = write(&dir, "blank-lines.csv", &csv);
    let m = measured(["inspect", path.as_str()]);
    assert_refused(
        &m,
        &path,
        "3 million blank CSV lines",
        &["--max-rows", "line 1048577"],
    );
}

#[test]
fn max_rows_and_max_cells_stop_every_format_with_the_flag_to_raise_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Date,Funder,Amount\n");
    for i in 0..1000 {
        csv.push_str(&format!("2024-01-{:02},F{i},{i}\n", i % 28 + 1));
    }
    let path = write(&dir, "rows.csv", csv.as_bytes());
    let m = measured(["analyse", path.as_str(), "--max-rows", "100"]);
    assert_refused(
        &m,
        &path,
        "--max-rows 100 on a CSV",
        &["--max-rows", "line 101"],
    );
    let run = crate::support::fundrisk(["analyse", path.as_str(), "--max-rows", "1001"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);

    let xml = sheet("", &ledger_rows(400), "");
    let path = write(
        &dir,
        "cells.xlsx",
        &xlsx(package::entry("xl/worksheets/sheet1.xml", &xml), None),
    );
    let m = measured(["analyse", path.as_str(), "--max-cells", "500"]);
    assert_refused(
        &m,
        &path,
        "--max-cells 500 on an xlsx",
        &["--max-cells", "Income!"],
    );

    // .xls and .ods are read in a child process, which is handed the limits.
    for fixture in [
        "fixtures/hillside-youth-trust.xls",
        "fixtures/coast-care-cooperative.ods",
    ] {
        let m = measured(["inspect", fixture, "--max-cells", "10"]);
        assert_refused(&m, fixture, fixture, &["--max-cells"]);
        let m = measured(["inspect", fixture, "--max-rows", "3"]);
        assert_refused(&m, fixture, fixture, &["--max-rows"]);
    }
}

#[test]
fn a_file_larger_than_any_ledger_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.csv");
    // A sparse file: 600 MiB long, nothing written.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(600 << 20)
        .unwrap();
    let shown = path.display().to_string();
    let m = measured(["analyse", shown.as_str()]);
    assert_refused(&m, &shown, "a 600 MiB file", &["600 MiB", "512 MiB"]);
}

#[test]
fn the_deadline_inside_the_reader_stops_a_sheet_of_empty_cells() {
    use fundrisk::ingest::{read_file, Limits, ReadOptions};
    // Limits raised so that only the clock stops this 2.5 GiB sheet of empty cells.
    let chunk = "<c/>".repeat(1 << 18);
    let rows = package::bomb("xl/worksheets/sheet1.xml", chunk.as_bytes(), 2560, None);
    let bytes = xlsx(rows, None);
    let opts = ReadOptions {
        worker_exe: None,
        limits: Limits {
            max_entry_bytes: u64::MAX,
            max_total_bytes: u64::MAX,
            max_ratio: u64::MAX,
            time: Duration::from_secs(2),
            ..Limits::default()
        },
        fast_xlsx: true,
    };
    let started = Instant::now();
    let e = read_file(Path::new("slow.xlsx"), &bytes, &opts)
        .unwrap_err()
        .to_string();
    let took = started.elapsed();
    eprintln!("hostile case deadline of 2 s: stopped after {took:?}");
    assert!(
        e.starts_with("slow.xlsx: ") && e.contains("longer than 2 s"),
        "{e}"
    );
    assert!(took < Duration::from_secs(10), "stopped after {took:?}");
}

#[test]
fn fuzz_finds_and_seed_corpora_never_crash_the_binary() {
    let fuzz = root().join("fuzz");
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for folder in [
        "corpus/csv_ingest",
        "corpus/spreadsheet_ingest",
        "regressions",
    ] {
        for entry in std::fs::read_dir(fuzz.join(folder)).unwrap() {
            let file = entry.unwrap().path();
            if file.extension().is_none_or(|e| e != "md") {
                files.push(file);
            }
        }
    }
    assert!(files.len() > 5, "the corpora are missing: {files:?}");
    for file in files {
        // Copied under a neutral name: the format must come from the content.
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let copy = dir.path().join(format!("{name}.bin"));
        std::fs::copy(&file, &copy).unwrap();
        let shown = copy.display().to_string();
        let m = measured(["inspect", shown.as_str()]);
        assert_bounded(&m, &format!("fuzz input {name}"));
        if m.run.code != Some(0) {
            assert_clean_error(&m.run, &shown);
        }
    }
}

#[test]
fn an_ods_repeating_one_cell_millions_of_times_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let ns = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0""#;
    // 5,000 rows of 10,000 copies of one number: 50 million cells from a few hundred bytes.
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Income"><table:table-row table:number-rows-repeated="5000"><table:table-cell table:number-columns-repeated="10000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let bytes = package::zip(&[
        package::entry("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        package::entry("META-INF/manifest.xml", br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#),
        package::entry("content.xml", content.as_bytes()),
    ]);
    let path = write(&dir, "repeated.ods", &bytes);
    let m = analyse_json(&path);
    assert_bounded(&m, "an .ods repeating one cell 50 million times");
    assert_clean_error(&m.run, &path);
}
