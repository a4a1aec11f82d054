//! The JSON contract: every output validates against `schemas/analyse.schema.json`, the
//! hand-checked values are hit, undefined is null, and row order or file splits change nothing.

use serde_json::Value;

use crate::support::{dec, fundrisk, root};

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas/analyse.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

fn analyse_csv(text: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.csv");
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["analyse", path.to_str().unwrap(), "--json", "-"];
    args.extend_from_slice(extra);
    let run = fundrisk(&args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let errors: Vec<String> = schema()
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema: {errors:?}");
    json
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-9)
}

#[test]
fn every_fixture_validates_against_the_schema() {
    let validator = schema();
    for entry in std::fs::read_dir(root().join("fixtures/expected")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let want: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let file = want["file"].as_str().unwrap();
        let mut args = vec![
            "analyse".to_string(),
            format!("fixtures/{file}"),
            "--json".into(),
            "-".into(),
        ];
        args.extend(
            want["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string()),
        );
        let run = fundrisk(&args);
        assert_eq!(run.code, Some(0), "{file}: {}", run.stderr);
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
        let mut broken = json.clone();
        broken["overall"]["total"] = serde_json::json!(1.5);
        broken["reconciliation"]["excluded"] = serde_json::json!([{"reason": "lost"}]);
        assert!(
            validator.iter_errors(&broken).count() >= 2,
            "the schema rejects a float total and a bad exclusion"
        );
        let shares: f64 = json["overall"]["category_shares"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(Value::as_f64)
            .sum();
        assert!(
            (shares - 1.0).abs() < 1e-9,
            "{file}: category shares sum to 1, got {shares}"
        );
    }
}

#[test]
fn hand_checked_values() {
    // Three funders in three categories: shares 0.5, 0.25, 0.25.
    let json = analyse_csv(
        "Date,Funder,Category,Restricted,Amount\n\
         2024-01-01,Town Council,Government,no,500\n\
         2024-02-01,A Trust,Foundation,no,250\n\
         2024-03-01,B Ltd,Corporate,no,250\n",
        &[],
    );
    let o = &json["overall"];
    assert!(
        close(&o["hhi_categories"], 0.375),
        "{}",
        o["hhi_categories"]
    );
    assert!(close(&o["hhi_categories_normalised"], 0.0625));
    assert!((o["effective_categories"].as_f64().unwrap() - 2.6667).abs() < 1e-4);
    assert!(close(&o["entropy_categories_bits"], 1.5));
    assert!(close(&o["hhi_funders"], 0.375));
    assert!(close(&o["top1_share"], 0.5));
    assert_eq!(o["concentration_band"], "high");
    // Alignment: all unrestricted (u = 0.75): 0.5·0.9·0.75 + 0.25·0.6·0.75 + 0.25·0.8·0.75.
    assert!(close(
        &o["alignment_index"],
        0.5 * 0.9 * 0.75 + 0.25 * 0.6 * 0.75 + 0.25 * 0.8 * 0.75
    ));
    assert_eq!(o["largest_funder"]["name"], "Town Council");
    assert_eq!(json["funders"][0]["classified_by"], "column");

    let json = analyse_csv(
        "Date,Funder,Amount\n2024-01-01,A Trust,70\n2024-01-02,B Trust,30\n",
        &[],
    );
    assert!(close(&json["overall"]["hhi_funders"], 0.58));
    assert!(close(&json["overall"]["gini_funders"], 0.2));
    assert_eq!(json["overall"]["concentration_band"], "severe");
}

#[test]
fn a_zero_base_makes_every_ratio_null() {
    let json = analyse_csv("Date,Funder,Amount\n2024-01-01,A Trust,-70\n", &[]);
    let o = &json["overall"];
    for key in [
        "community_share",
        "hhi_funders",
        "effective_funders",
        "top1_share",
        "hhi_categories",
        "alignment_index",
        "restricted_share",
    ] {
        assert!(o[key].is_null(), "{key} must be null, got {}", o[key]);
    }
    assert_eq!(o["share_base"], "0");
    assert_eq!(o["excluded_funders"][0]["name"], "A Trust");
    assert_eq!(json["funders"][0]["share"], Value::Null);
}

#[test]
fn row_order_and_file_splits_change_no_metric() {
    let rows = [
        "2023-01-05,Town Council,Government,yes,1200.50",
        "2023-03-05,Anonymous,Donations,,20",
        "2024-02-01,A Trust,Foundation,no,800",
        "2024-02-03,B Ltd,Corporate,,300.25",
        "2024-05-01,Town Council,Government,yes,-100",
        "2024-06-01,GoFundMe,Crowdfunding,,455.10",
    ];
    let header = "Date,Funder,Category,Restricted,Amount\n";
    let forward = analyse_csv(&format!("{header}{}\n", rows.join("\n")), &[]);
    let mut reversed = rows.to_vec();
    reversed.reverse();
    let backward = analyse_csv(&format!("{header}{}\n", reversed.join("\n")), &[]);
    assert_eq!(forward["overall"], backward["overall"]);
    assert_eq!(forward["years"], backward["years"]);
    assert_eq!(forward["funders"], backward["funders"]);

    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&a, format!("{header}{}\n", rows[..3].join("\n"))).unwrap();
    std::fs::write(&b, format!("{header}{}\n", rows[3..].join("\n"))).unwrap();
    let run = fundrisk([
        "analyse",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--json",
        "-",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let split: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(forward["overall"], split["overall"]);
    assert_eq!(forward["years"], split["years"]);
    assert_eq!(
        dec(&split["reconciliation"]["total_included"]),
        dec(&forward["reconciliation"]["total_included"])
    );
}

#[test]
fn a_big_file_read_on_two_threads_matches_its_halves_read_on_one() {
    // Over 1 MiB, a file is parsed on one thread while another builds the ledger; each half
    // here is under it and read on one thread. Same rows, same figures.
    let header = "Date,Funder,Category,Restricted,Amount,Description\n";
    let categories = [
        "Government",
        "Foundation",
        "Corporate",
        "Donations",
        "Crowdfunding",
    ];
    let restricted = ["yes", "no", "", "Restricted", "Unrestricted"];
    let rows: Vec<String> = (0..16_000u32)
        .map(|i| {
            if i % 5_000 == 4_999 {
                return ",Total,,,1.00,".to_string();
            }
            let amount = i * 7919 % 100_000;
            let sign = if i % 97 == 0 { "-" } else { "" };
            format!(
                "2024-{:02}-{:02},\"Funder {}, Ltd\",{},{},{sign}{}.{:02},payment number {i} for the year",
                i % 12 + 1,
                i % 28 + 1,
                i * 31 % 400,
                categories[(i % 5) as usize],
                restricted[(i % 7 % 5) as usize],
                amount / 100,
                amount % 100
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.csv");
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&whole, format!("{header}{}\n", rows.join("\n"))).unwrap();
    std::fs::write(&a, format!("{header}{}\n", rows[..8_000].join("\n"))).unwrap();
    std::fs::write(&b, format!("{header}{}\n", rows[8_000..].join("\n"))).unwrap();
    let size = |p: &std::path::Path| std::fs::metadata(p).unwrap().len();
    assert!(size(&whole) > 1 << 20 && size(&a) < 1 << 20 && size(&b) < 1 << 20);
    let json = |files: &[&std::path::Path]| -> Value {
        let mut args = vec!["analyse".to_string()];
        args.extend(files.iter().map(|f| f.to_str().unwrap().to_string()));
        args.extend(["--json".to_string(), "-".to_string()]);
        let run = fundrisk(&args);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let one = json(&[&whole]);
    let two = json(&[&a, &b]);
    for key in ["overall", "years", "funders", "unclassified_total"] {
        assert_eq!(one[key], two[key], "{key}");
    }
    for key in [
        "rows_read",
        "rows_included",
        "rows_excluded",
        "total_included",
    ] {
        assert_eq!(
            one["reconciliation"][key], two["reconciliation"][key],
            "{key}"
        );
    }
    assert_eq!(one["reconciliation"]["rows_excluded"], 3);
    assert_eq!(one["inputs"][0]["sha256"].as_str().map(str::len), Some(64));
}

#[test]
fn several_small_files_read_at_once_give_what_one_at_a_time_gives() {
    // Small files are parsed in parallel and then built in order; FUNDRISK_READ_AHEAD=1 reads
    // them one after another. Every format, a file read twice (its rows out of order is not
    // needed: the order of the files is what matters), a --sheet filter and a broken file.
    let files = [
        "fixtures/northshire-food-bank.xlsx",
        "fixtures/coast-care-cooperative.ods",
        "fixtures/hillside-youth-trust.xls",
        "fixtures/mutual-aid-network.csv",
        "fixtures/messy-exports.xlsx",
        "fixtures/riverside-tenants-union.csv",
        "fixtures/eastbrook-arts-wide.xlsx",
        "fixtures/northshire-food-bank.xlsx",
    ];
    let run = |ahead: &str, extra: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_fundrisk"));
        cmd.current_dir(root())
            .arg("analyse")
            .args(files)
            .args(["--date-order", "dmy", "--json", "-"])
            .args(extra)
            .env("FUNDRISK_READ_AHEAD", ahead);
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let together = run("64", &[]);
    assert_eq!(together.0, Some(0), "{}", together.2);
    assert!(together.1.contains("\"rows_included\""));
    assert_eq!(together, run("1", &[]));
    let only = ["--sheet", "Income"];
    assert_eq!(run("64", &only), run("1", &only));

    // A broken file among them: the same error, naming it, either way.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 not really a workbook").unwrap();
    let with_broken = |ahead: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_fundrisk"))
            .current_dir(root())
            .arg("analyse")
            .args(&files[..3])
            .arg(&broken)
            .args(&files[3..])
            .args(["--date-order", "dmy", "--json", "-"])
            .env("FUNDRISK_READ_AHEAD", ahead)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = with_broken("64");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("broken.xlsx"), "{stderr}");
    assert_eq!((code, stderr), with_broken("1"));
}

#[test]
fn individuals_are_not_named_unless_asked() {
    let text = "Date,Funder,Category,Amount\n2024-01-01,Jane Roe,Donation,50\n2024-01-02,Jane Roe,Donation,50\n2024-01-03,Harbour Foods Ltd,Corporate,100\n";
    let json = analyse_csv(text, &[]);
    let out = json.to_string();
    assert!(!out.contains("Jane") && !out.contains("jane"), "{out}");
    assert!(out.contains("Private individual 1"));
    let shown = analyse_csv(text, &["--show-individuals"]);
    assert!(shown.to_string().contains("Jane Roe"));
}

#[test]
fn the_default_settings_file_reads_back_and_changes_nothing() {
    let run = fundrisk(["config", "--defaults"]);
    assert_eq!(run.code, Some(0));
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("fundrisk.toml");
    std::fs::write(&cfg, &run.stdout).unwrap();
    let plain = fundrisk(["analyse", "fixtures/harbor-legal-aid.xlsx", "--json", "-"]);
    let with = fundrisk([
        "analyse",
        "fixtures/harbor-legal-aid.xlsx",
        "--json",
        "-",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(with.code, Some(0), "{}", with.stderr);
    assert_eq!(plain.stdout, with.stdout);
    std::fs::write(&cfg, "[weights]\ngovernment = 1.0\n[stress]\nannual_expenditure = \"300000\"\nreserves = \"60000\"\n").unwrap();
    let changed = fundrisk([
        "analyse",
        "fixtures/harbor-legal-aid.xlsx",
        "--json",
        "-",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(changed.code, Some(0), "{}", changed.stderr);
    let (a, b): (Value, Value) = (
        serde_json::from_str(&plain.stdout).unwrap(),
        serde_json::from_str(&changed.stdout).unwrap(),
    );
    assert!(b["overall"]["alignment_index"].as_f64() > a["overall"]["alignment_index"].as_f64());
    assert!(
        b["stress"]["largest_funder"]["runway_months"].is_number()
            || b["stress"]["largest_funder"]["covered"] == true
    );
    std::fs::write(&cfg, "[weights]\ngovernment = 2\n").unwrap();
    let bad = fundrisk([
        "analyse",
        "fixtures/harbor-legal-aid.xlsx",
        "--config",
        cfg.to_str().unwrap(),
    ]);
    assert_eq!(bad.code, Some(2), "{}", bad.stderr);
}

#[test]
fn the_funders_csv_is_safe_to_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.csv");
    std::fs::write(&path, "Date,Funder,Category,Amount\n2024-01-01,=HYPERLINK(\"x\"),Corporate,50\n2024-01-02,@SUM(1),Corporate,50\n").unwrap();
    let out = dir.path().join("funders.csv");
    let run = fundrisk([
        "analyse",
        path.to_str().unwrap(),
        "--csv",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("name,category,total,share,restricted_share,classified_by"));
    for line in text.lines().skip(1) {
        assert!(
            !line.starts_with(['=', '+', '-', '@']) && !line.starts_with("\"="),
            "{line}"
        );
    }
    assert!(text.contains("'=HYPERLINK"), "{text}");
}
