//! The board's HTML report (`fundrisk report`): the committed `reports/` match a fresh run of
//! every fixture, input text is escaped, private individuals stay unnamed, the file is
//! byte-stable with a date only from `SOURCE_DATE_EPOCH`, and the command's paths, summary and
//! `--template` behave as documented.
//!
//! After an intended change to the report: `UPDATE_REPORTS=1 cargo test --test cli report`,
//! then review `git diff reports/` like code.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{fundrisk, fundrisk_in, root, Run};

/// Each fixture with the flags its expected JSON records (plus the funders register that goes
/// with Northshire, so the committed report shows a register-classified ledger).
fn fixtures() -> Vec<(String, Vec<String>)> {
    let dir = root().join("fixtures/expected");
    let mut out: Vec<(String, Vec<String>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let file = v["file"].as_str().unwrap().to_string();
            let mut flags: Vec<String> = v["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .collect();
            if file == "northshire-food-bank.xlsx" {
                flags.extend(["--funders".into(), "fixtures/funders-northshire.csv".into()]);
            }
            (file, flags)
        })
        .collect();
    out.sort();
    assert!(out.len() >= 6, "the fixtures' expected results are missing");
    // The optional sections: the public support test and the peer comparison.
    out.push((
        "public-support-example.csv".into(),
        [
            "--year",
            "2024",
            "--prior-percentage",
            "30",
            "--peers",
            "fixtures/peers-example.csv",
        ]
        .map(String::from)
        .to_vec(),
    ));
    out
}

fn stem(file: &str) -> &str {
    Path::new(file).file_stem().unwrap().to_str().unwrap()
}

/// Runs the binary in `dir` with extra environment.
fn fundrisk_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fundrisk"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run fundrisk");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn report_of(file: &str, flags: &[String], out: &Path) -> String {
    let mut args = vec!["report".to_string(), format!("fixtures/{file}")];
    args.extend(flags.iter().cloned());
    args.extend(["--no-date".into(), "-o".into(), out.display().to_string()]);
    let run = fundrisk(&args);
    assert_eq!(run.code, Some(0), "{file}: {}", run.stderr);
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn committed_reports_match_a_fresh_run() {
    let tmp = tempfile::tempdir().unwrap();
    let update = std::env::var_os("UPDATE_REPORTS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (file, flags) in fixtures() {
        let html = report_of(
            &file,
            &flags,
            &tmp.path().join(format!("{}.html", stem(&file))),
        );
        let committed: PathBuf = root().join("reports").join(format!("{}.html", stem(&file)));
        if update {
            std::fs::write(&committed, &html).unwrap();
        } else if std::fs::read_to_string(&committed).ok().as_deref() != Some(html.as_str()) {
            stale.push(committed.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "reports differ from a fresh run: {stale:?}\n  run `UPDATE_REPORTS=1 cargo test --test cli report` and review `git diff reports/`"
    );
}

#[test]
fn reports_have_no_script_and_request_nothing() {
    for (file, _) in fixtures() {
        let path = root().join("reports").join(format!("{}.html", stem(&file)));
        let Ok(html) = std::fs::read_to_string(&path) else {
            continue; // reported by committed_reports_match_a_fresh_run
        };
        let lower = html.to_lowercase();
        assert!(!lower.contains("<script"), "{file}: script element");
        for bad in [
            "src=",
            "<link",
            "@import",
            "url(http",
            "href=\"http",
            "<iframe",
            "<img",
        ] {
            assert!(!lower.contains(bad), "{file}: {bad}");
        }
        let without_ns = lower.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(
            !without_ns.contains("http://") && !without_ns.contains("https://"),
            "{file}: a URL"
        );
        assert!(
            !lower.contains(" nan") && !lower.contains(">nan"),
            "{file}: NaN shown"
        );
    }
}

#[test]
fn hostile_funder_names_appear_as_text() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("hostile.csv"),
        "Date,Funder,Category,Amount\n\
         2024-01-05,<script>alert(1)</script>,government,100\n\
         2024-02-05,\"\"\"><img src=x onerror=alert(1)>\",corporate,50\n",
    )
    .unwrap();
    let run = fundrisk_in(
        tmp.path(),
        ["report", "hostile.csv", "--no-date", "-o", "out.html"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = std::fs::read_to_string(tmp.path().join("out.html")).unwrap();
    assert!(!html.contains("<script"), "a script element got through");
    assert!(!html.contains("<img"), "an img element got through");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // The command line summary names the funder as it is: it is plain text, not HTML.
    assert!(
        run.stdout.contains("<script>alert(1)</script>"),
        "{}",
        run.stdout
    );
}

#[test]
fn private_individuals_are_named_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("m.html");
    let flags = ["--decimal-comma".to_string()];
    let html = report_of("mutual-aid-network.csv", &flags, &out);
    for name in [
        "Zoë", "Hartley", "Seán", "Briain", "Renée", "Dubois", "Chloé", "Martin",
    ] {
        assert!(!html.contains(name), "{name} is named");
    }
    assert!(html.contains("Private individual 1"));
    let shown = report_of(
        "mutual-aid-network.csv",
        &[flags[0].clone(), "--show-individuals".into()],
        &out,
    );
    assert!(shown.contains("Zoë Hartley"));
}

#[test]
fn the_date_comes_from_source_date_epoch_or_is_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let ledger = root().join("fixtures/riverside-tenants-union.csv");
    let ledger = ledger.to_str().unwrap();
    let run = |out: &str, extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["report", ledger, "-o", out];
        args.extend(extra);
        let r = fundrisk_env(tmp.path(), &args, env);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        std::fs::read(tmp.path().join(out)).unwrap()
    };
    let a = run("a.html", &[], &[("SOURCE_DATE_EPOCH", "86400")]);
    let b = run("b.html", &[], &[("SOURCE_DATE_EPOCH", "86400")]);
    assert_eq!(a, b, "same inputs, same bytes");
    assert!(String::from_utf8_lossy(&a).contains("Generated 1970-01-02."));
    let c = run("c.html", &["--no-date"], &[("SOURCE_DATE_EPOCH", "86400")]);
    assert!(!String::from_utf8_lossy(&c).contains("Generated"));
    let bad = fundrisk_env(
        tmp.path(),
        &["report", ledger, "-o", "d.html"],
        &[("SOURCE_DATE_EPOCH", "soon")],
    );
    assert_eq!(bad.code, Some(2), "{}", bad.stderr);
    assert!(bad.stderr.contains("SOURCE_DATE_EPOCH"), "{}", bad.stderr);
}

#[test]
fn default_path_and_two_sentence_summary() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("fixtures/riverside-tenants-union.csv"),
        tmp.path().join("riverside-tenants-union.csv"),
    )
    .unwrap();
    let run = fundrisk_in(tmp.path(), ["report", "riverside-tenants-union.csv"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(tmp
        .path()
        .join("reports/riverside-tenants-union.html")
        .is_file());
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "wrote reports/riverside-tenants-union.html");
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(
        lines[1],
        "One funder \u{2014} Riverside Borough Council \u{2014} provides 14% of income. \
         14% of income comes from sources that usually expect alignment with their objectives \
         (government, foundations and companies)."
    );
}

#[test]
fn analyse_html_writes_the_same_report() {
    let tmp = tempfile::tempdir().unwrap();
    let ledger = root().join("fixtures/hillside-youth-trust.xls");
    let ledger = ledger.to_str().unwrap();
    let flags = [
        "--date-order",
        "dmy",
        "--fiscal-year-start",
        "4",
        "--currency",
        "GBP",
    ];
    let env = [("SOURCE_DATE_EPOCH", "1700000000")];
    let mut a = vec!["analyse", ledger, "--html", "a.html"];
    a.extend(flags);
    let mut r = vec!["report", ledger, "-o", "r.html"];
    r.extend(flags);
    assert_eq!(fundrisk_env(tmp.path(), &a, &env).code, Some(0));
    assert_eq!(fundrisk_env(tmp.path(), &r, &env).code, Some(0));
    let a = std::fs::read(tmp.path().join("a.html")).unwrap();
    assert_eq!(a, std::fs::read(tmp.path().join("r.html")).unwrap());
    assert!(String::from_utf8_lossy(&a).contains("Generated 2023-11-14."));
}

#[test]
fn report_to_standard_output_keeps_the_summary_on_stderr() {
    let run = fundrisk([
        "report",
        "fixtures/riverside-tenants-union.csv",
        "--no-date",
        "-o",
        "-",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with("<!DOCTYPE html>"));
    assert!(run.stderr.contains("of income"), "{}", run.stderr);
}

#[test]
fn templates_can_be_replaced_and_undefined_values_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tpl");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("report.html"), "<p>{{ headline.summary }}</p>\n").unwrap();
    let ledger = root().join("fixtures/riverside-tenants-union.csv");
    let ledger = ledger.to_str().unwrap();
    let run = fundrisk_in(
        tmp.path(),
        [
            "report",
            ledger,
            "--no-date",
            "--template",
            "tpl",
            "-o",
            "out.html",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = std::fs::read_to_string(tmp.path().join("out.html")).unwrap();
    assert!(
        html.starts_with("<p>One funder \u{2014} Riverside Borough Council"),
        "{html}"
    );

    std::fs::write(dir.join("report.html"), "<p>{{ no_such_value }}</p>\n").unwrap();
    let run = fundrisk_in(
        tmp.path(),
        [
            "report",
            ledger,
            "--no-date",
            "--template",
            "tpl",
            "-o",
            "out2.html",
        ],
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: report template report.html"),
        "{}",
        run.stderr
    );
    assert!(!tmp.path().join("out2.html").exists());
}

#[test]
fn the_report_never_overwrites_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("ledger.csv");
    std::fs::copy(root().join("fixtures/riverside-tenants-union.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let run = fundrisk_in(tmp.path(), ["report", "ledger.csv", "-o", "ledger.csv"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("input"), "{}", run.stderr);
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn peer_and_public_support_sections_show_what_compare_and_public_support_compute() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r.html");
    let html = report_of(
        "public-support-example.csv",
        &["--year", "2024", "--peers", "fixtures/peers-example.csv"].map(String::from),
        &out,
    );
    // The same figures as the commands of their own.
    let support = fundrisk([
        "public-support",
        "fixtures/public-support-example.csv",
        "--year",
        "2024",
    ]);
    assert!(support.stdout.contains(": 48.00%"), "{}", support.stdout);
    assert!(
        html.contains("Public support for tax year 2024 is 48.00% of total support"),
        "{html}"
    );
    assert!(html.contains("id=\"public-support\""));
    let compare = fundrisk([
        "compare",
        "fixtures/public-support-example.csv",
        "--peers",
        "fixtures/peers-example.csv",
        "--json",
        "-",
    ]);
    assert_eq!(compare.code, Some(0), "{}", compare.stderr);
    let json: Value = serde_json::from_str(&compare.stdout).unwrap();
    let peers = json["peers"]["peers"].as_u64().unwrap();
    assert_eq!(peers, 11, "the FY2024 rows only");
    assert!(
        html.contains(&format!("Compared with {peers} peers in FY2024")),
        "{html}"
    );
    // One dot per peer with the figure, for each of the four measures; no peer is named.
    assert_eq!(html.matches("class=\"peerdot\"").count(), 4 * 11);
    assert_eq!(html.matches("class=\"you\"").count(), 4);
    // Without the flags, neither section.
    let plain = report_of(
        "public-support-example.csv",
        &[],
        &tmp.path().join("p.html"),
    );
    assert!(!plain.contains("id=\"peers\"") && !plain.contains("id=\"public-support\""));
    // Too few peers is the same clear refusal as in compare.
    let few = fundrisk([
        "report",
        "fixtures/public-support-example.csv",
        "--peers",
        "fixtures/peers-example.csv",
        "--filter",
        "year=FY2023",
        "-o",
        tmp.path().join("f.html").to_str().unwrap(),
    ]);
    assert_eq!(few.code, Some(1), "{}", few.stderr);
    assert!(few.stderr.contains("at least 5"), "{}", few.stderr);
}
