//! Every real third-party file in `../shared/data` either reads with the reconciliation
//! invariant holding or fails with a clear error: never a panic, a crash or a hang.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{assert_clean_error, assert_reconciles, fundrisk, shared_data};

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = shared_data().join(dir);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{} must exist next to the project: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            !(name.starts_with("LICENSE")
                || ["ATTRIBUTION.md", "MANIFEST.tsv", "README.md", "SOURCE.md"]
                    .contains(&name.as_str()))
        })
        .collect();
    out.sort();
    out
}

/// Runs `analyse` on one file; returns "ok" or "error".
fn check(path: &Path) -> &'static str {
    let shown = path.display().to_string();
    let mut run = fundrisk(["analyse", shown.as_str(), "--json", "-"]);
    if run.code == Some(1) && run.stderr.contains("--date-order") {
        // UK publishers write day/month; the error must say so, and the flag must work.
        run = fundrisk([
            "analyse",
            shown.as_str(),
            "--json",
            "-",
            "--date-order",
            "dmy",
        ]);
    }
    match run.code {
        Some(0) => {
            let json: Value = serde_json::from_str(&run.stdout).unwrap();
            assert_reconciles(&json, &shown);
            "ok"
        }
        _ => {
            assert_clean_error(&run, &shown);
            "error"
        }
    }
}

#[test]
fn calamine_quirk_files_read_or_fail_cleanly() {
    let files = files("calamine");
    assert!(files.len() > 100, "calamine's test files are missing");
    let errors = files.iter().filter(|p| check(p) == "error").count();
    // Most quirk files are not ledgers; what matters is that none crashes.
    assert!(errors < files.len());
}

#[test]
fn threesixty_giving_files_read_or_fail_cleanly() {
    let files = files("360giving");
    assert!(files.len() > 15, "the 360Giving files are missing");
    let mut ok = 0;
    for p in &files {
        if check(p) == "ok" {
            ok += 1;
        }
    }
    assert!(
        ok >= 8,
        "most 360Giving grant files are ledgers fundrisk can read (read {ok})"
    );
}

#[test]
fn every_fixture_file_reads_or_fails_cleanly() {
    let dir = crate::support::root().join("fixtures");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && !path.extension().is_some_and(|e| e == "md" || e == "sh") {
            check(&path);
            n += 1;
        }
    }
    assert!(n >= 9, "fixtures are missing ({n})");
}

#[test]
fn irs990_metadata_files_read_or_fail_cleanly() {
    for p in files("irs990") {
        check(&p);
    }
}

#[test]
fn a_real_grant_file_reconciles_with_its_rows() {
    // Indigo Trust's CSV: 360Giving columns, DD/MM/YYYY HH:MM dates, CRLF, multi-line fields.
    let path = shared_data().join("360giving/a002400000G4KGJAA3.csv");
    let run = fundrisk([
        "analyse",
        path.to_str().unwrap(),
        "--json",
        "-",
        "--date-order",
        "dmy",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_reconciles(&json, "Indigo Trust");
    let mut rdr = csv::ReaderBuilder::new().from_path(&path).unwrap();
    let records = rdr
        .records()
        .filter(|r| {
            r.as_ref()
                .is_ok_and(|r| r.iter().any(|f| !f.trim().is_empty()))
        })
        .count();
    assert_eq!(
        json["reconciliation"]["rows_read"].as_u64().unwrap() as usize,
        records
    );
    assert_eq!(json["currency"], "GBP");
}
