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
    assert_eq!(s["stop_at"], "16a", "16a passes: the form stops there");
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

/// A ledger whose funders' rows fall on different lines, a register group with a public
/// charity in it, and a total with cents (so the 2% limit has four decimals).
fn lines_by_row(dir: &std::path::Path) -> (String, String) {
    let ledger = dir.join("ledger.csv");
    std::fs::write(
        &ledger,
        "Date,Funder,Category,Amount,Description\n\
         2024-01-10,Whitcombe Foundation,Foundation,\"50,000.00\",Programme grant\n\
         2024-02-10,Whitcombe Foundation,Fees,\"5,000.00\",Consultancy for the foundation\n\
         2024-03-10,Harbor Properties LLC,Rental income,\"1,000.00\",Office sublet\n\
         2024-03-11,Pacific Crest Bank,Corporate,\"10,000.00\",Sponsorship\n\
         2024-03-12,Pacific Crest Bank,Dividend,\"2,000.00\",Quarterly dividend\n\
         2024-04-01,Hall hirers,Earned,\"4,000.00\",Room rent for events\n\
         2024-04-02,Sundry receipts,Other,300.00,Interested parties lunch\n\
         2023-05-01,Ada Smith,Individual,\"20,000.00\",Major gift\n\
         2022-05-01,Smith Community Fund,Foundation,\"30,000.00\",Grant\n\
         2021-12-15,Individual donors,Donations,\"40,000.55\",Year-end appeal\n",
    )
    .unwrap();
    let register = dir.join("funders.csv");
    std::fs::write(
        &register,
        "name,category,governmental_unit,public_charity,group\n\
         Ada Smith,community,,,smith\n\
         Smith Community Fund,foundation,,yes,smith\n",
    )
    .unwrap();
    (
        ledger.to_str().unwrap().to_string(),
        register.to_str().unwrap().to_string(),
    )
}

#[test]
fn each_row_takes_its_own_line_and_an_exempt_group_member_lifts_no_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, register) = lines_by_row(dir.path());
    let args = [
        "public-support",
        ledger.as_str(),
        "--funders",
        register.as_str(),
        "--year",
        "2024",
    ];
    let mut with_json = args.to_vec();
    with_json.extend(["--json", "-"]);
    let run = fundrisk(&with_json);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let s = &json["public_support"];
    let d = |x: &str| x.parse::<rust_decimal::Decimal>().unwrap();
    // A foundation's consultancy fee is a related-activity receipt, not a gift; a bank's
    // dividend and a rental label are investment income whatever the funder's category; rent
    // named in an earned row's description stays earned; "Interested" is not interest.
    assert_eq!(dec(&s["line1"]["total"]), d("150000.55"));
    assert_eq!(dec(&s["line8"]["total"]), d("3000"));
    assert_eq!(dec(&s["line10"]["total"]), d("300"));
    assert_eq!(dec(&s["line12"]["total"]), d("9000"));
    assert_eq!(dec(&s["line11"]["total"]), d("153300.55"));
    // 2% of 153,300.55 is 3,066.011: kept exact in the arithmetic and the JSON.
    assert_eq!(dec(&s["limit"]), d("3066.011"));
    let excess = |name: &str| {
        s["donors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == name)
            .map(|x| (dec(&x["excess"]), x["unlimited"].as_bool().unwrap()))
            .unwrap_or_else(|| panic!("no donor {name} in {}", s["donors"]))
    };
    assert_eq!(excess("Whitcombe Foundation"), (d("46933.989"), false));
    assert_eq!(excess("Pacific Crest Bank"), (d("6933.989"), false));
    assert_eq!(
        excess("smith (group)"),
        (d("16933.989"), false),
        "a public charity in the group does not lift the limit from Ada Smith"
    );
    assert_eq!(excess("Smith Community Fund"), (d("0"), true));
    assert_eq!(dec(&s["line5"]), d("70801.967"));
    assert_eq!(dec(&s["line6"]), d("79198.583"));

    let text = fundrisk(args);
    assert_eq!(text.code, Some(0), "{}", text.stderr);
    assert!(
        text.stdout.contains("2% limit (3,066.01)"),
        "the limit is shown to the cent: {}",
        text.stdout
    );
    assert!(text.stdout.contains("46,933.99"), "{}", text.stdout);
    assert!(
        text.stdout.contains(
            "Verdict: That meets the 33⅓% public support test (line 16a): the organisation is publicly supported for 2024."
        ),
        "{}",
        text.stdout
    );
}

#[test]
fn the_verdict_stops_at_the_first_test_that_passes_and_says_what_is_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.csv");
    // 1,000 of gifts against 5,000 of other income: 16.66%, under 33⅓% but over 10%.
    std::fs::write(
        &ledger,
        "Date,Funder,Category,Amount\n\
         2024-01-10,Individual donors,Donations,1000.00\n\
         2024-02-10,Sundry receipts,Other,5000.00\n",
    )
    .unwrap();
    let args = ["public-support", ledger.to_str().unwrap(), "--year", "2024"];
    let run = fundrisk(args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("That misses 33⅓% but reaches 10% (line 17a)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("is not known"), "{}", run.stdout);
    let mut with_prior = args.to_vec();
    with_prior.extend(["--prior-percentage", "40"]);
    let run = fundrisk(&with_prior);
    assert!(
        run.stdout
            .contains("last year's percentage met it (line 16b)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("is not known"), "{}", run.stdout);
    let stop_at = |prior: Option<&str>| {
        let mut args = args.to_vec();
        args.extend(["--json", "-"]);
        if let Some(p) = prior {
            args.extend(["--prior-percentage", p]);
        }
        let run = fundrisk(&args);
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        json["public_support"]["stop_at"].clone()
    };
    assert_eq!(stop_at(None), Value::Null, "16b is unknown without line 15");
    assert_eq!(stop_at(Some("40")), "16b");
    assert_eq!(stop_at(Some("20")), "17a");
    // 1,000 of gifts against 100,000 of other income is 0.99%: no test passes.
    std::fs::write(
        &ledger,
        "Date,Funder,Category,Amount\n\
         2024-01-10,Individual donors,Donations,1000.00\n\
         2024-02-10,Sundry receipts,Other,100000.00\n",
    )
    .unwrap();
    assert_eq!(stop_at(Some("5")), "18");
}
