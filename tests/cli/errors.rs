//! Bad input and bad requests get clear errors with the right exit codes; inputs are never
//! modified and outputs are written whole or not at all.

use std::io::Write;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{assert_clean_error, fundrisk, fundrisk_in, root, shared_data};

fn temp_file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path.display().to_string()
}

#[test]
fn unreadable_files_get_one_clear_error_each() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = std::fs::read(root().join("fixtures/messy-exports.xlsx")).unwrap();
    let cases: Vec<(String, &str)> = vec![
        (temp_file(&dir, "empty.xlsx", b""), "empty"),
        (
            temp_file(&dir, "truncated.xlsx", &xlsx[..xlsx.len() / 2]),
            "damaged or truncated",
        ),
        (
            temp_file(&dir, "picture.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            "binary",
        ),
        (temp_file(&dir, "grants.json", b"{\"grants\": []}"), "JSON"),
        (
            temp_file(
                &dir,
                "page.xls",
                b"<html><table><tr><td>1</td></tr></table></html>",
            ),
            "HTML",
        ),
        (
            shared_data()
                .join("calamine/pass_protected.xlsx")
                .display()
                .to_string(),
            "password",
        ),
        (
            shared_data()
                .join("360giving/bad.xlsx")
                .display()
                .to_string(),
            "empty",
        ),
        (
            dir.path().join("missing.csv").display().to_string(),
            "cannot read",
        ),
    ];
    for (path, words) in cases {
        let run = fundrisk(["analyse", path.as_str()]);
        assert_clean_error(&run, &path);
        assert!(
            run.stderr.contains(words),
            "{path}: expected {words:?} in {}",
            run.stderr
        );
    }
}

#[test]
fn a_file_with_no_income_sheet_says_what_the_header_needs() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "list.csv", b"Funder,Amount\nA,5\n");
    let run = fundrisk(["analyse", path.as_str()]);
    assert_clean_error(&run, &path);
    assert!(run.stderr.contains("no income sheet"), "{}", run.stderr);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

#[test]
fn ambiguous_dates_stop_with_the_cells_and_the_flag() {
    let run = fundrisk(["analyse", "fixtures/hillside-youth-trust.xls"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("--date-order dmy"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Grants!A"),
        "names a cell: {}",
        run.stderr
    );
    let run = fundrisk([
        "analyse",
        "fixtures/hillside-youth-trust.xls",
        "--date-order",
        "mdy",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn two_currencies_are_an_error_naming_a_cell_of_each() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(
        &dir,
        "mixed.csv",
        b"Date,Funder,Amount\n2024-01-01,A,\xc2\xa310\n2024-01-02,B,$20\n",
    );
    let run = fundrisk(["analyse", path.as_str()]);
    assert_clean_error(&run, &path);
    assert!(
        run.stderr.contains("GBP") && run.stderr.contains("USD"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("C2") && run.stderr.contains("C3"),
        "{}",
        run.stderr
    );
}

#[test]
fn strict_fails_with_code_3_on_exclusions_only() {
    let run = fundrisk(["analyse", "fixtures/messy-exports.xlsx", "--strict"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("not a number at fixtures/messy-exports.xlsx: Income!D8"),
        "{}",
        run.stderr
    );
    // Harbor's ledger has nothing excluded and nothing ambiguous.
    let run = fundrisk(["analyse", "fixtures/harbor-legal-aid.xlsx", "--strict"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(fundrisk(["analyse"]).code, Some(2));
    assert_eq!(
        fundrisk(["analyse", "x.csv", "--fiscal-year-start", "13"]).code,
        Some(2)
    );
    assert_eq!(
        fundrisk([
            "analyse",
            "fixtures/harbor-legal-aid.xlsx",
            "--currency",
            "pounds"
        ])
        .code,
        Some(2)
    );
}

#[test]
fn sheets_can_be_chosen() {
    let args = |sheet: &str| {
        vec![
            "analyse".to_string(),
            "fixtures/coast-care-cooperative.ods".into(),
            "--json".into(),
            "-".into(),
            "--sheet".into(),
            sheet.into(),
        ]
    };
    let run = fundrisk(args("Income 2023-24"));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let sheets: Vec<&str> = json["reconciliation"]["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sheet"].as_str().unwrap())
        .collect();
    assert!(sheets.iter().all(|s| *s == "Income 2023-24"), "{sheets:?}");
    let run = fundrisk(args("Income 2030"));
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("no sheet named \"Income 2030\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\"Income 2024-25\""),
        "lists the sheets: {}",
        run.stderr
    );
}

#[test]
fn fundrisk_toml_maps_unknown_headers() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = temp_file(
        &dir,
        "gifts.csv",
        b"When,Giver,Gift value (net)\n2024-01-05,Ann,12.50\n2024-02-05,Bo,7.50\n",
    );
    let run = fundrisk_in(dir.path(), ["analyse", ledger.as_str()]);
    assert_eq!(run.code, Some(1), "no header without the mapping");
    temp_file(&dir, "fundrisk.toml", b"[columns]\n\"When\" = \"date\"\n\"Giver\" = \"funder\"\n\"Gift value (net)\" = \"amount\"\n");
    let run = fundrisk_in(dir.path(), ["analyse", ledger.as_str(), "--json", "-"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["reconciliation"]["total_included"], "20.00");
    temp_file(&dir, "bad.toml", b"[columns]\n\"When\" = \"dat\"\n");
    let run = fundrisk_in(
        dir.path(),
        ["analyse", ledger.as_str(), "--config", "bad.toml"],
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("bad.toml") && run.stderr.contains("not a role"),
        "{}",
        run.stderr
    );
}

#[test]
fn outputs_are_atomic_and_never_overwrite_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = temp_file(&dir, "l.csv", b"Date,Funder,Amount\n2024-01-05,Ann,12.50\n");
    let before = Sha256::digest(std::fs::read(&ledger).unwrap());
    let run = fundrisk(["analyse", ledger.as_str(), "--json", ledger.as_str()]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("one of the input ledgers"),
        "{}",
        run.stderr
    );
    assert_eq!(
        Sha256::digest(std::fs::read(&ledger).unwrap()),
        before,
        "input untouched"
    );
    let missing = dir
        .path()
        .join("no/such/dir/out.json")
        .display()
        .to_string();
    let run = fundrisk(["analyse", ledger.as_str(), "--json", missing.as_str()]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    let out = dir.path().join("out.json");
    let run = fundrisk(["analyse", ledger.as_str(), "--json", out.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["inputs"][0]["sha256"].as_str().unwrap().len(), 64);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".fundrisk-")
        })
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

#[test]
fn fixtures_are_not_modified_by_reading_them() {
    let files = [
        "fixtures/northshire-food-bank.xlsx",
        "fixtures/hillside-youth-trust.xls",
        "fixtures/coast-care-cooperative.ods",
    ];
    let hashes: Vec<_> = files
        .iter()
        .map(|f| Sha256::digest(std::fs::read(root().join(f)).unwrap()))
        .collect();
    let run = fundrisk([
        "inspect",
        files[0],
        files[1],
        files[2],
        "--date-order",
        "dmy",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for (f, h) in files.iter().zip(hashes) {
        assert_eq!(
            Sha256::digest(std::fs::read(root().join(f)).unwrap()),
            h,
            "{f}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_or_device_is_written_to_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let ledger = temp_file(&dir, "l.csv", b"Date,Funder,Amount\n2024-01-05,Ann,12.50\n");
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let reader_path = fifo.clone();
    std::thread::spawn(move || {
        let text = std::fs::read_to_string(&reader_path).unwrap_or_default();
        let _ = tx.send(text);
    });
    let run = fundrisk(["analyse", ledger.as_str(), "--json", fifo.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let received = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the JSON arrives through the pipe");
    let json: Value = serde_json::from_str(&received).unwrap();
    assert_eq!(json["schema_version"], 1);
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(
        kind.is_fifo(),
        "the pipe is still a pipe, not a file renamed over it"
    );
    let folder = fundrisk([
        "analyse",
        ledger.as_str(),
        "--json",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(folder.code, Some(1));
    assert!(folder.stderr.contains("is a folder"), "{}", folder.stderr);
}
