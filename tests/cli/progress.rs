//! The progress line: on a terminal while a big file is read, never with `--quiet`, never
//! into a pipe.

use std::process::Command;

use crate::support::fundrisk;

/// A ledger long enough for several batches of rows.
fn big_ledger(dir: &std::path::Path, rows: u32) -> std::path::PathBuf {
    let mut text = String::from("Date,Funder,Category,Amount\n");
    for i in 0..rows {
        text.push_str(&format!(
            "2024-{:02}-{:02},Funder {},Foundation,{}.50\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 50,
            i % 900 + 1
        ));
    }
    let path = dir.join(format!("big-{rows}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs fundrisk on a pseudo-terminal (util-linux `script`) and returns what the terminal
/// showed.
fn on_a_terminal(args: &str) -> String {
    let command = format!("'{}' {args}", env!("CARGO_BIN_EXE_fundrisk"));
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("FUNDRISK_PROGRESS_AFTER_MS", "0")
        .output()
        .expect("util-linux script runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_shows_on_a_terminal_only_and_not_with_quiet() {
    let dir = tempfile::tempdir().unwrap();
    // Under 1 MiB a file is read on one thread; over it, in parts on every core: both count
    // rows.
    let threaded = big_ledger(dir.path(), 60_000);
    assert!(std::fs::metadata(&threaded).unwrap().len() > 1 << 20);
    let shown = on_a_terminal(&format!(
        "analyse '{}' --json /dev/null",
        threaded.to_str().unwrap()
    ));
    assert!(
        shown.contains("big-60000.csv: ") && shown.contains(" rows"),
        "{shown:?}"
    );
    let ledger = big_ledger(dir.path(), 20_000);
    assert!(std::fs::metadata(&ledger).unwrap().len() < 1 << 20);
    let ledger = ledger.to_str().unwrap();
    let shown = on_a_terminal(&format!("analyse '{ledger}' --json /dev/null"));
    assert!(
        shown.contains("reading") && shown.contains("big-20000.csv") && shown.contains("rows"),
        "{shown:?}"
    );
    let quiet = on_a_terminal(&format!("analyse '{ledger}' --json /dev/null --quiet"));
    assert!(!quiet.contains("reading"), "{quiet:?}");
    let piped = fundrisk(["analyse", ledger, "--json", "/dev/null"]);
    assert_eq!(piped.code, Some(0), "{}", piped.stderr);
    assert!(!piped.stderr.contains("reading"), "{}", piped.stderr);
}
