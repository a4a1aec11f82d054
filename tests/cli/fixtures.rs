//! Every bundled fixture against the oracle computed independently by
//! `fixtures/expected/compute.py`, plus `inspect` snapshots.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::support::{assert_reconciles, dec, fundrisk, root};

fn expected() -> Vec<(String, Value)> {
    let dir = root().join("fixtures/expected");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (v["file"].as_str().unwrap().to_string(), v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 6, "the fixtures' expected results are missing");
    out
}

fn flags(v: &Value) -> Vec<String> {
    v["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fixtures_match_the_independent_oracle() {
    for (file, want) in expected() {
        let path = format!("fixtures/{file}");
        let mut args = vec![
            "analyse".to_string(),
            path.clone(),
            "--json".into(),
            "-".into(),
        ];
        args.extend(flags(&want));
        let run = fundrisk(&args);
        assert_eq!(run.code, Some(0), "{file}: {}", run.stderr);
        let got: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_reconciles(&got, &file);
        let r = &got["reconciliation"];
        for key in ["rows_read", "rows_included", "rows_excluded", "blank_rows"] {
            assert_eq!(r[key], want[key], "{file}: {key}");
        }
        for key in ["total_included", "total_excluded"] {
            assert_eq!(dec(&r[key]), dec(&want[key]), "{file}: {key}");
        }
        assert_eq!(got["currency"], want["currency"], "{file}: currency");
        let got_excl: Vec<(Value, Value, Value, Value)> = r["excluded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["sheet"].clone(),
                    e["cell"].clone(),
                    e["row"].clone(),
                    e["reason"].clone(),
                )
            })
            .collect();
        let want_excl: Vec<(Value, Value, Value, Value)> = want["excluded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["sheet"].clone(),
                    e["cell"].clone(),
                    e["row"].clone(),
                    e["reason"].clone(),
                )
            })
            .collect();
        assert_eq!(got_excl, want_excl, "{file}: exclusions");
    }
}

#[test]
fn fiscal_year_totals_match_the_oracle() {
    for (file, want) in expected() {
        let mut args = vec![
            "analyse".to_string(),
            format!("fixtures/{file}"),
            "--json".into(),
            "-".into(),
        ];
        args.extend(flags(&want));
        let run = fundrisk(&args);
        assert_eq!(run.code, Some(0), "{file}: {}", run.stderr);
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        let got: BTreeMap<String, Decimal> = json["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| (y["label"].as_str().unwrap().to_string(), dec(&y["total"])))
            .collect();
        let want: BTreeMap<String, Decimal> = want["by_fiscal_year"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), dec(v)))
            .collect();
        assert_eq!(got, want, "{file}: income by fiscal year");
        let years_total: Decimal = got.values().sum();
        assert_eq!(
            years_total,
            dec(&json["overall"]["total"]),
            "{file}: years add up to the whole"
        );
    }
}

#[test]
fn inspect_snapshots() {
    for (file, want) in expected() {
        let mut args = vec!["inspect".to_string(), format!("fixtures/{file}")];
        args.extend(flags(&want));
        let run = fundrisk(&args);
        assert_eq!(run.code, Some(0), "{file}: {}", run.stderr);
        insta::assert_snapshot!(format!("inspect-{file}"), run.stdout);
    }
}

#[test]
fn several_ledgers_combine() {
    let one = |f: &str| -> Value {
        let run = fundrisk(["analyse", f, "--json", "-", "--fiscal-year-start", "4"]);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let a = one("fixtures/northshire-food-bank.xlsx");
    let b = one("fixtures/coast-care-cooperative.ods");
    let run = fundrisk([
        "analyse",
        "fixtures/northshire-food-bank.xlsx",
        "fixtures/coast-care-cooperative.ods",
        "--json",
        "-",
        "--fiscal-year-start",
        "4",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let both: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_reconciles(&both, "combined");
    let rows = |v: &Value| v["reconciliation"]["rows_read"].as_u64().unwrap();
    let total = |v: &Value| dec(&v["reconciliation"]["total_included"]);
    assert_eq!(rows(&both), rows(&a) + rows(&b));
    assert_eq!(total(&both), total(&a) + total(&b));
    assert_eq!(both["inputs"].as_array().unwrap().len(), 2);
}
