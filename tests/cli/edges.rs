//! Ledgers as real exports make them at the edges: classic-Mac line ends, absurd amounts, the
//! same file twice, sheet names in another case, funders who share a name, punctuation in
//! names, category labels read from one word.

use serde_json::Value;

use crate::support::{assert_reconciles, dec, fundrisk};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

fn analyse(args: &[&str]) -> Value {
    let mut all = vec!["analyse"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "-"]);
    let run = fundrisk(&all);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_reconciles(&json, &args.join(" "));
    json
}

fn notes_with(json: &Value, code: &str) -> Vec<String> {
    json["data_quality"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["code"] == code)
        .map(|n| n["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn carriage_returns_alone_end_records() {
    // Excel for Mac's "CSV (Macintosh)" ends lines with CR only.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "mac.csv",
        b"Date,Funder,Amount\r2024-01-05,A,100\r2024-01-06,B,TBC\r\r2024-01-07,C,50\r",
    );
    let json = analyse(&[&path, "--currency", "GBP"]);
    let r = &json["reconciliation"];
    assert_eq!(r["rows_read"], 3);
    assert_eq!(r["rows_included"], 2);
    assert_eq!(dec(&r["total_included"]).to_string(), "150.00");
    assert_eq!(r["excluded"][0]["cell"], "C3");
    assert_eq!(r["excluded"][0]["row"], 3);
}

#[test]
fn an_amount_too_large_for_any_ledger_is_set_aside_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "huge.csv",
        b"Date,Funder,Amount\n2024-01-05,A,50000000000000000000000000000\n2024-01-06,B,50000000000000000000000000000\n2024-01-07,C,10\n",
    );
    let json = analyse(&[&path, "--currency", "GBP"]);
    let r = &json["reconciliation"];
    assert_eq!(r["rows_included"], 1);
    assert_eq!(r["excluded"][0]["reason"], "not a number");
    assert_eq!(r["excluded"][1]["cell"], "C3");
}

#[test]
fn the_same_file_twice_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text = b"Date,Funder,Amount\n2024-01-05,A,100\n";
    let a = write(&dir, "a.csv", text);
    let copy = write(&dir, "copy of a.csv", text);
    let json = analyse(&[&a, &copy, "--currency", "GBP"]);
    let notes = notes_with(&json, "same_file_twice");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("copy of a.csv"), "{notes:?}");
    let run = fundrisk(["analyse", &a, &copy, "--currency", "GBP", "--strict"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
}

#[test]
fn sheet_names_are_not_case_sensitive() {
    let json = analyse(&[
        "fixtures/northshire-food-bank.xlsx",
        "--sheet",
        "INCOME",
        "--fiscal-year-start",
        "4",
    ]);
    assert_eq!(json["reconciliation"]["rows_included"], 44);
}

#[test]
fn retention_follows_funders_not_names() {
    // Two different trusts share a name; only the first gives again.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "same-name.csv",
        b"Date,Funder,Funder ID,Amount\n\
          2022-03-01,Acme Trust,GB-CHC-1,100\n\
          2022-04-01,Acme Trust,GB-CHC-2,100\n\
          2023-03-01,Acme Trust,GB-CHC-1,100\n",
    );
    let json = analyse(&[&path, "--currency", "GBP"]);
    let t = &json["trends"];
    assert_eq!(t["funder_retention"].as_f64(), Some(0.5), "{t}");
    assert_eq!(t["lost_funders"]["count"], 1, "{t}");
}

#[test]
fn punctuation_is_dropped_from_funder_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "names.csv",
        b"Date,Funder,Category,Amount\n\
          2024-01-05,Smith-Jones Trust,Trust,100\n\
          2024-01-06,SmithJones Trust,Trust,100\n\
          2024-01-07,Marks & Spencer,Corporate,100\n\
          2024-01-08,Marks Spencer,Corporate,100\n",
    );
    let json = analyse(&[&path, "--currency", "GBP"]);
    assert_eq!(json["overall"]["funder_count"], 2, "{}", json["funders"]);
}

#[test]
fn labels_read_from_one_word_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "labels.csv",
        b"Date,Funder,Category,Amount\n\
          2024-01-05,Acme,Membership fees,100\n\
          2024-01-06,Bee,Trusts & foundations,100\n",
    );
    let json = analyse(&[&path, "--currency", "GBP"]);
    let notes = notes_with(&json, "category_label_read_by_word");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("\"Membership fees\" as community"),
        "{notes:?}"
    );
    assert!(!notes[0].contains("Trusts"), "{notes:?}");
}

#[test]
fn year_columns_beside_an_award_date_are_still_one_row_per_funder() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "wide.csv",
        b"Funder,Award date,2023/24,2024/25\nA,2023-05-01,100,200\nB,2023-06-01,50,\n",
    );
    let json = analyse(&[&path, "--currency", "GBP", "--fiscal-year-start", "4"]);
    let years: Vec<(String, String)> = json["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| {
            (
                y["label"].as_str().unwrap().into(),
                y["total"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        years,
        vec![
            ("FY2024".into(), "150.00".into()),
            ("FY2025".into(), "200.00".into())
        ]
    );
}

#[test]
fn a_funder_named_total_is_a_gift_and_a_dated_total_row_still_a_total() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "total.csv",
        b"Date,Funder,Amount\n\
          2024-01-05,Ellerby Trust,100.00\n\
          2024-01-06,Total Energies UK,250.00\n\
          2024-01-07,Moorcroft Foundation,50.00\n\
          2024-01-31,Total for January,400.00\n\
          2024-02-02,TOTAL S.A.,75.00\n\
          ,Total,475.00\n",
    );
    let json = analyse(&[&path, "--currency", "GBP"]);
    let r = &json["reconciliation"];
    assert_eq!(r["rows_included"], 4, "{r}");
    assert_eq!(dec(&r["total_included"]).to_string(), "475.00");
    let excluded: Vec<(&str, &str)> = r["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["cell"].as_str().unwrap(), e["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(excluded, [("C5", "total"), ("C7", "total")]);
}

#[test]
fn unicode_text_exports_are_read() {
    // UTF-16LE with a byte-order mark, tab-separated, written by LibreOffice's Text CSV filter
    // with the Unicode character set (as Excel's "Unicode Text (*.txt)" saves).
    let json = analyse(&["fixtures/unicode-text.txt"]);
    let r = &json["reconciliation"];
    assert_eq!(r["rows_included"], 4, "{r}");
    assert_eq!(dec(&r["total_included"]).to_string(), "4412.50");
    assert_eq!(json["currency"], "GBP");
    let names: Vec<&str> = json["funders"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(names.contains(&"Café Trust"), "{names:?}");
    assert!(names.contains(&"Total Energies UK"), "{names:?}");
}

#[test]
fn overlapping_exports_are_warned_and_still_counted() {
    let dir = tempfile::tempdir().unwrap();
    // Two exports of one ledger: January–April and March–June. March and April are in both.
    let first = write(
        &dir,
        "jan-apr.csv",
        b"Date,Funder,Amount\n2024-01-10,Ellerby Trust,100.00\n2024-03-05,Moorcroft Foundation,50.00\n2024-04-02,ellerby trust,20.00\n",
    );
    let second = write(
        &dir,
        "mar-jun.csv",
        b"Date,Funder,Amount\n2024-03-05,Moorcroft Foundation,50.00\n2024-04-02,Ellerby Trust,20.00\n2024-06-30,Town Council,300.00\n",
    );
    let json = analyse(&[&first, &second, "--currency", "GBP"]);
    assert_eq!(
        dec(&json["reconciliation"]["total_included"]).to_string(),
        "540.00",
        "nothing is dropped"
    );
    let notes = notes_with(&json, "overlapping_inputs");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with(&format!(
            "2 row(s) of {second} are identical to rows of {first} (same date, funder, amount and description; 2024-03-05 to 2024-04-02)"
        )),
        "{notes:?}"
    );
    // One export alone, or two that do not overlap, says nothing.
    let json = analyse(&[&first, "--currency", "GBP"]);
    assert!(notes_with(&json, "overlapping_inputs").is_empty());
}
