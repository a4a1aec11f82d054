//! Classification: every precedence level, the register round trip, and real 360Giving files
//! classified by their Funding Org identifiers.

use std::io::Write;

use crate::support::{fundrisk, fundrisk_in, shared_data};

/// `funder category by` for each funder line of `classify` output.
fn table(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("unclassified:"))
        .map(|l| {
            let name: String = l.chars().take(40).collect::<String>().trim().to_string();
            let tail: String = l.chars().skip(40).collect();
            let mut rest = tail.split_whitespace();
            (
                name,
                rest.next().unwrap().to_string(),
                rest.next().unwrap().to_string(),
            )
        })
        .collect()
}

fn row<'a>(t: &'a [(String, String, String)], name: &str) -> &'a (String, String, String) {
    t.iter()
        .find(|r| r.0 == name)
        .unwrap_or_else(|| panic!("{name} not in {t:?}"))
}

#[test]
fn every_precedence_level() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("l.csv");
    let mut f = std::fs::File::create(&ledger).unwrap();
    f.write_all(
        b"Date,Funder,Funder ID,Type,Amount\n\
          2024-01-01,Acme Widgets Ltd,,Trust,100\n\
          2024-01-02,Zeta Holdings,GB-COH-01234567,,200\n\
          2024-01-03,Northshire County Council,,,300\n\
          2024-01-04,Blue Sky Thinking,,,400\n\
          2024-01-05,Acme Trust,,Trust,50\n\
          2024-01-06,Registered Friend,,Corporate,60\n\
          2024-01-07,Anonymous,,,70\n\
          2024-01-08,,,Crowdfunding,80\n\
          2024-01-09,Zeta Trust,GB-COH-07654321,,90\n",
    )
    .unwrap();
    let register = dir.path().join("r.csv");
    std::fs::write(&register, "name,category\nRegistered Friend,community\n").unwrap();
    let run = fundrisk([
        "classify",
        ledger.to_str().unwrap(),
        "--funders",
        register.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let t = table(&run.stdout);
    assert_eq!(
        row(&t, "Registered Friend").1,
        "community",
        "register beats the column"
    );
    assert_eq!(row(&t, "Registered Friend").2, "register");
    assert_eq!(
        row(&t, "Acme Widgets Ltd"),
        &(
            "Acme Widgets Ltd".into(),
            "foundation".into(),
            "column".into()
        ),
        "column beats the name rule"
    );
    assert_eq!(row(&t, "Zeta Holdings").2, "identifier");
    assert_eq!(row(&t, "Zeta Holdings").1, "corporate");
    assert_eq!(
        row(&t, "Zeta Trust"),
        &("Zeta Trust".into(), "corporate".into(), "identifier".into()),
        "a Companies House number outranks the name rule, even for a name that says Trust"
    );
    assert_eq!(row(&t, "Northshire County Council").2, "rule");
    assert_eq!(row(&t, "Northshire County Council").1, "government");
    assert_eq!(row(&t, "Blue Sky Thinking").1, "unclassified");
    assert_eq!(row(&t, "Blue Sky Thinking").2, "unknown");
    assert!(
        run.stdout.contains("many small givers (community)"),
        "Anonymous joins the pool: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("many small givers (crowdsourced)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("unclassified: GBP 400.00")
            || run.stdout.contains("unclassified: 400.00"),
        "{}",
        run.stdout
    );
    let strict = fundrisk(["classify", ledger.to_str().unwrap(), "--strict"]);
    assert_eq!(
        strict.code,
        Some(3),
        "unclassified income fails --strict: {}",
        strict.stderr
    );
    assert!(strict.stderr.contains("unclassified"), "{}", strict.stderr);
}

#[test]
fn one_funder_one_category_by_most_money_and_spellings_merge() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("l.csv");
    std::fs::write(
        &ledger,
        "Date,Funder,Category,Amount\n2024-01-01,The Harbour Foods Ltd,Corporate,500\n2024-02-01,HARBOUR FOODS,Sponsorship,300\n2024-03-01,Harbour Foods Limited,Donations,100\n",
    )
    .unwrap();
    let run = fundrisk(["classify", ledger.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let t = table(&run.stdout);
    assert_eq!(t.len(), 1, "three spellings, one funder: {t:?}");
    assert_eq!(t[0].1, "corporate");
    assert!(
        run.stdout.contains("HARBOUR FOODS | Harbour Foods Limited"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("category_disagreement"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("community (1 row(s)"),
        "names the disagreeing rows: {}",
        run.stdout
    );
    assert!(run.stdout.contains("D4"), "and their cells: {}", run.stdout);
}

#[test]
fn the_register_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("register.csv");
    let ledger = "fixtures/northshire-food-bank.xlsx";
    let first = fundrisk([
        "classify",
        ledger,
        "--fiscal-year-start",
        "4",
        "--write-register",
        out.to_str().unwrap(),
    ]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = table(&first.stdout);
    let second = fundrisk([
        "classify",
        ledger,
        "--fiscal-year-start",
        "4",
        "--funders",
        out.to_str().unwrap(),
    ]);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    let after = table(&second.stdout);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1), "same funder, same category");
        if b.2 != "pool" {
            assert_eq!(a.2, "register", "{a:?}");
        }
    }
    let toml_out = dir.path().join("register.toml");
    let run = fundrisk([
        "classify",
        ledger,
        "--write-register",
        toml_out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let third = fundrisk(["classify", ledger, "--funders", toml_out.to_str().unwrap()]);
    assert_eq!(
        table(&third.stdout)
            .iter()
            .map(|r| (&r.0, &r.1))
            .collect::<Vec<_>>(),
        after.iter().map(|r| (&r.0, &r.1)).collect::<Vec<_>>()
    );
}

#[test]
fn the_bundled_register_classifies_northshire() {
    let run = fundrisk([
        "classify",
        "fixtures/northshire-food-bank.xlsx",
        "--funders",
        "fixtures/funders-northshire.csv",
        "--fiscal-year-start",
        "4",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let t = table(&run.stdout);
    assert_eq!(row(&t, "Northshire County Council").2, "register");
    assert_eq!(row(&t, "Harbour Foods Ltd").1, "corporate");
    let registered =
        std::fs::read_to_string(crate::support::root().join("fixtures/funders-northshire.csv"))
            .unwrap();
    for r in &t {
        if registered
            .lines()
            .any(|l| l.starts_with(&format!("{},", r.0)))
        {
            assert_eq!(r.2, "register", "{r:?}");
        }
    }
    assert_eq!(t.iter().filter(|r| r.2 == "register").count(), 6, "{t:?}");
}

#[test]
fn bad_registers_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("r.csv");
    std::fs::write(&reg, "name,category\nA,charity\n").unwrap();
    let run = fundrisk_in(dir.path(), ["classify", "--funders", "r.csv", "../x.csv"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("r.csv") && run.stderr.contains("line 2"),
        "{}",
        run.stderr
    );
}

#[test]
fn threesixty_giving_funders_are_classified_by_identifier() {
    // Lloyds Bank Foundation (GB-CHC-327114) gives through a sheet of grants.
    let path = shared_data().join("360giving/a002400000OiDBQAA3.xlsx");
    let run = fundrisk(["classify", path.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let t = table(&run.stdout);
    assert!(
        t.iter().any(|r| r.1 == "foundation" && r.2 == "identifier"),
        "{t:?}"
    );
    assert!(
        run.stdout.contains("unclassified: GBP 0.00"),
        "{}",
        run.stdout
    );
    for file in [
        "Arts-Council-England.csv",
        "fundingproviders_grants_2_grants.csv",
        "a001p00000zgyHZAAY.xlsx",
    ] {
        let path = shared_data().join("360giving").join(file);
        let mut run = fundrisk(["classify", path.to_str().unwrap()]);
        if run.code == Some(1) && run.stderr.contains("--date-order") {
            run = fundrisk(["classify", path.to_str().unwrap(), "--date-order", "dmy"]);
        }
        assert_eq!(run.code, Some(0), "{file}: {}", run.stderr);
        assert!(
            run.stdout.contains("unclassified:"),
            "{file}: reports the unclassified share"
        );
        assert!(!table(&run.stdout).is_empty(), "{file}");
    }
}
