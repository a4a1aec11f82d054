//! Running the binary and reading its JSON.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn shared_data() -> PathBuf {
    root().join("../shared/data")
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub fn fundrisk<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    fundrisk_in(&root(), args)
}

pub fn fundrisk_in<I, S>(dir: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out: Output = Command::new(env!("CARGO_BIN_EXE_fundrisk"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run fundrisk");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("money must be a string: {v}")),
    )
    .unwrap()
}

/// Checks the reconciliation invariant of an `analyse --json` result.
pub fn assert_reconciles(json: &Value, what: &str) {
    let r = &json["reconciliation"];
    let read = r["rows_read"].as_u64().unwrap();
    let included = r["rows_included"].as_u64().unwrap();
    let excluded = r["rows_excluded"].as_u64().unwrap();
    assert_eq!(
        read,
        included + excluded,
        "{what}: rows read = included + excluded"
    );
    assert_eq!(
        r["excluded"].as_array().unwrap().len() as u64,
        excluded,
        "{what}: every exclusion listed"
    );
    assert_eq!(
        dec(&r["total_read"]),
        dec(&r["total_included"]) + dec(&r["total_excluded"]),
        "{what}: totals"
    );
    let listed: Decimal = r["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["amount"].is_null())
        .map(|e| dec(&e["amount"]))
        .sum();
    assert_eq!(
        listed,
        dec(&r["total_excluded"]),
        "{what}: excluded amounts add up"
    );
    for e in r["excluded"].as_array().unwrap() {
        let cell = e["cell"].as_str().unwrap();
        let row = e["row"].as_u64().unwrap();
        assert!(
            cell.ends_with(&row.to_string()),
            "{what}: cell {cell} is on row {row}"
        );
        assert!(!e["reason"].as_str().unwrap().is_empty());
    }
}

/// A clean error: exit 1, one `error: <file>: …` message, no panic text.
pub fn assert_clean_error(run: &Run, file: &str) {
    assert_eq!(
        run.code,
        Some(1),
        "{file}: exit code, stderr: {}",
        run.stderr
    );
    assert!(run.stderr.starts_with("error: "), "{file}: {}", run.stderr);
    assert!(
        run.stderr.contains(file),
        "{file}: error names the file: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{file}: {}", run.stderr);
    assert!(
        !run.stderr.contains("RUST_BACKTRACE"),
        "{file}: {}",
        run.stderr
    );
}
