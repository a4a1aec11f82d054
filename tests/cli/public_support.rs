//! The public support test reproduces the hand-worked example in docs/public-support.md to
//! the cent.

use serde_json::Value;

use crate::support::{dec, fundrisk};

#[test]
fn the_worked_example_to_the_cent() {
    let run = fundrisk([
        "public-support",
        "fixtures/public-support-example.csv",
        "--year",
        "2024",
        "--prior-percentage",
        "30",
        "--json",
        "-",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let s = &json["public_support"];
    let cols = |line: &str| -> Vec<rust_decimal::Decimal> {
        s[line]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(dec)
            .collect()
    };
    let d = |x: &str| x.parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(
        cols("line1"),
        ["101000", "36000", "101000", "42500", "40000"].map(d)
    );
    assert_eq!(dec(&s["line1"]["total"]), d("320500"));
    assert_eq!(dec(&s["line4"]["total"]), d("320500"));
    assert_eq!(dec(&s["line8"]["total"]), d("3500"));
    assert_eq!(dec(&s["line10"]["total"]), d("1000"));
    assert_eq!(dec(&s["line11"]["total"]), d("325000"));
    assert_eq!(dec(&s["line12"]["total"]), d("100000"));
    assert_eq!(dec(&s["limit"]), d("6500"));
    let excess: Vec<(String, rust_decimal::Decimal, bool)> = s["donors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap().to_string(),
                dec(&x["excess"]),
                x["unlimited"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        excess,
        vec![
            ("Whitcombe Family Foundation".to_string(), d("143500"), false),
            ("Bay County Board of Supervisors".to_string(), d("0"), true),
            ("Pacific Crest Bank".to_string(), d("13500"), false),
            ("Private individual 1".to_string(), d("7500"), false),
            ("Harbor Rotary Club".to_string(), d("0"), false),
        ],
        "a governmental unit above the limit is not limited; a donor exactly at the limit has no excess"
    );
    assert_eq!(dec(&s["line5"]), d("164500"));
    assert_eq!(dec(&s["line6"]), d("156000"));
    assert_eq!(dec(&s["line14"]), d("0.48"));
    assert_eq!(s["test_16a"]["pass"], true);
    assert_eq!(dec(&s["test_16a"]["surplus"]), d("47666.67"));
    assert_eq!(
        s["test_16b"]["pass"], false,
        "30% last year is below 33 1/3%"
    );
    assert_eq!(s["test_17b"]["pass"], true);
    assert!(s["years_without_data"].as_array().unwrap().is_empty());

    let text = fundrisk([
        "public-support",
        "fixtures/public-support-example.csv",
        "--year",
        "2024",
    ]);
    assert!(
        text.stdout
            .contains("14 Public support percentage for 2024 (line 6(f) / line 11(f)): 48.00%"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("not given (use --prior-percentage)"));
}

#[test]
fn a_failing_test_names_the_support_needed_and_missing_years() {
    // Tax year 2026 looks back to 2022: 2025 and 2026 have no rows.
    let run = fundrisk([
        "public-support",
        "fixtures/public-support-example.csv",
        "--year",
        "2026",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("Fewer than five years of data"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("2025, 2026"), "{}", run.stdout);
    // Harbor Legal Aid leans on one county grant and one foundation.
    let run = fundrisk([
        "public-support",
        "fixtures/harbor-legal-aid.xlsx",
        "--year",
        "2024",
        "--json",
        "-",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let t = &json["public_support"]["test_16a"];
    if t["pass"] == false {
        assert!(dec(&t["shortfall"]) > rust_decimal::Decimal::ZERO);
    } else {
        assert!(dec(&t["surplus"]) >= rust_decimal::Decimal::ZERO);
    }
}

#[test]
fn the_default_mapping_file_changes_nothing_and_can_move_income() {
    let defaults = fundrisk(["config", "--defaults"]).stdout;
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("fundrisk.toml");
    std::fs::write(&cfg, &defaults).unwrap();
    let args = [
        "public-support",
        "fixtures/public-support-example.csv",
        "--year",
        "2024",
    ];
    let plain = fundrisk(args);
    let mut with: Vec<&str> = args.to_vec();
    with.extend(["--config", cfg.to_str().unwrap()]);
    assert_eq!(fundrisk(&with).stdout, plain.stdout);
    // Moving earned income into line 10 makes it total support that is not public support.
    std::fs::write(&cfg, "[public_support]\nlines = { earned = 10 }\n").unwrap();
    let moved = fundrisk(&with);
    assert_eq!(moved.code, Some(0), "{}", moved.stderr);
    assert!(
        moved
            .stdout
            .contains("14 Public support percentage for 2024 (line 6(f) / line 11(f)): 38.11%"),
        "{}",
        moved.stdout
    );
}
