//! Peers: peer cards, 360Giving peer tables, and comparisons that never name a peer.

use serde_json::Value;

use crate::support::{fundrisk, shared_data};

const HEADER: &str = "peer,year,currency,income_band,funder_count,community_share,hhi_funders,top1_share,alignment_index,government_share,foundation_share,corporate_share,source\n";

fn ledger(dir: &std::path::Path) -> std::path::PathBuf {
    // FY2024 (calendar): community 300 of 1000 = 0.30; one council gives 700.
    let path = dir.join("ours.csv");
    std::fs::write(&path, "Date,Funder,Category,Amount\n2024-01-01,Town Council,Government,700\n2024-02-01,Members,Membership,300\n").unwrap();
    path
}

fn peer_table(dir: &std::path::Path, shares: &[&str]) -> std::path::PathBuf {
    let mut text = HEADER.to_string();
    for (i, s) in shares.iter().enumerate() {
        text.push_str(&format!(
            ",FY2024,GBP,<10k,3,{s},0.4,0.5,0.5,0.5,0.2,0.1,card\n"
        ));
        let _ = i;
    }
    text.push_str(",FY2023,GBP,<10k,3,0.99,0.4,0.5,0.5,0.5,0.2,0.1,card\n");
    let path = dir.join("peers.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// A 360Giving CSV: the standard's columns (with a Last Modified column titled `modified`, if
/// given) and `rows` after the header.
fn grants_csv(dir: &std::path::Path, modified: Option<&str>, rows: &str) -> std::path::PathBuf {
    let path = dir.join("grants.csv");
    let mut text = String::from(
        "Identifier,Amount Awarded,Currency,Award Date,Recipient Org:Identifier,Funding Org:Identifier",
    );
    if let Some(m) = modified {
        text.push(',');
        text.push_str(m);
    }
    text.push('\n');
    text.push_str(rows);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_percentile_computed_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let ours = ledger(dir.path());
    // Peers' community shares: 0.10 0.20 0.30 0.40 0.50 0.60. Ours is 0.30: 2 below, 1 equal →
    // (2 + 0.5) / 6 = 41.67th percentile; median 0.35, quartiles 0.225 and 0.475 (type 7).
    let peers = peer_table(dir.path(), &["0.5", "0.1", "0.3", "0.6", "0.2", "0.4"]);
    let run = fundrisk([
        "compare",
        ours.to_str().unwrap(),
        "--peers",
        peers.to_str().unwrap(),
        "--json",
        "-",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::root().join("schemas/analyse.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let c = &json["peers"]["community_share"];
    assert!((c["value"].as_f64().unwrap() - 0.3).abs() < 1e-12);
    assert!(
        (c["percentile"].as_f64().unwrap() - 250.0 / 6.0).abs() < 1e-9,
        "{c}"
    );
    assert!((c["spread"]["median"].as_f64().unwrap() - 0.35).abs() < 1e-12);
    assert!((c["spread"]["q1"].as_f64().unwrap() - 0.225).abs() < 1e-12);
    assert_eq!(json["peers"]["peers"], 6, "the FY2023 row is another year");
    assert_eq!(json["peers"]["year"], "FY2024");
    let text = fundrisk([
        "compare",
        ours.to_str().unwrap(),
        "--peers",
        peers.to_str().unwrap(),
    ]);
    assert!(
        text.stdout.contains("42nd percentile of 6 peers"),
        "{}",
        text.stdout
    );
}

#[test]
fn fewer_than_five_peers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ours = ledger(dir.path());
    let peers = peer_table(dir.path(), &["0.5", "0.1", "0.3", "0.6"]);
    let run = fundrisk([
        "compare",
        ours.to_str().unwrap(),
        "--peers",
        peers.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("only 4 peer(s) match (FY2024)") && run.stderr.contains("at least 5"),
        "{}",
        run.stderr
    );
    let run = fundrisk([
        "compare",
        ours.to_str().unwrap(),
        "--peers",
        peers.to_str().unwrap(),
        "--filter",
        "size=1m-10m",
    ]);
    assert!(run.stderr.contains("only 0 peer(s)"), "{}", run.stderr);
    let run = fundrisk([
        "compare",
        ours.to_str().unwrap(),
        "--peers",
        peers.to_str().unwrap(),
        "--filter",
        "colour=red",
    ]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("--filter colour=red"), "{}", run.stderr);
}

#[test]
fn peer_cards_are_anonymous_and_pool_into_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("card.csv");
    let run = fundrisk([
        "analyse",
        "fixtures/harbor-legal-aid.xlsx",
        "--peer-card",
        card.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = std::fs::read_to_string(&card).unwrap();
    assert!(text.starts_with("peer,year,currency,income_band"), "{text}");
    assert_eq!(
        text.lines().count(),
        6,
        "a header and one row per fiscal year: {text}"
    );
    for word in ["Bay County", "Whitcombe", "Pacific", "1045185", "650000"] {
        assert!(
            !text.contains(word),
            "{word} must not appear in a peer card: {text}"
        );
    }
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[0], "", "peer cards name no one");
        for ratio in &fields[5..12] {
            if !ratio.is_empty() {
                let decimals = ratio.split('.').nth(1).map_or(0, str::len);
                assert!(decimals <= 2, "ratios are coarse: {line}");
            }
        }
    }
    // A directory of ledgers is a peer group too: five copies of Harbor plus the card.
    let group = tempfile::tempdir().unwrap();
    for i in 0..5 {
        std::fs::copy(
            "fixtures/harbor-legal-aid.xlsx",
            group.path().join(format!("org{i}.xlsx")),
        )
        .unwrap();
    }
    let run = fundrisk([
        "compare",
        "fixtures/harbor-legal-aid.xlsx",
        "--peers",
        group.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("compared with 5 peers in FY2024"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("50th percentile"),
        "equal to every peer: {}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("org0") && !run.stdout.contains("Harbor"),
        "{}",
        run.stdout
    );
}

#[test]
fn grants_build_a_peer_table_from_real_360giving_files() {
    let dir = tempfile::tempdir().unwrap();
    // Arts Council of Wales: 4,020 rows, multi-line fields, superseded versions of grants.
    let out = dir.path().join("acw.csv");
    let acw = shared_data().join("360giving/Arts-Council-of-Wales.csv");
    let run = fundrisk([
        "grants",
        acw.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--date-order",
        "dmy",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let first = run.stdout.lines().next().unwrap();
    let n = |word: &str| -> usize {
        let i = first.find(word).unwrap();
        first[..i]
            .split_whitespace()
            .last()
            .unwrap()
            .trim_end_matches(':')
            .parse()
            .unwrap()
    };
    let (read, used, excluded) = (n(": "), n(" used"), n(" excluded"));
    assert_eq!(read, used + excluded, "{first}");
    assert!(
        run.stdout.contains("duplicate"),
        "superseded versions are excluded as duplicates: {}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("warning: 242 row(s) share an Identifier and Last Modified"),
        "distinct grants published under one identifier are warned about: {}",
        run.stdout
    );
    let table = std::fs::read_to_string(&out).unwrap();
    assert!(table.lines().count() > 100);
    assert!(table.lines().skip(1).all(|l| l.contains(",360giving,")));

    // JSON with two currencies keeps them apart; Windows-1252 and BOM CSVs read.
    let json = shared_data().join("360giving/a002400000KeYdsAAF-currency.json");
    let run = fundrisk([
        "grants",
        json.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--date-order",
        "dmy",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("GBP") && run.stdout.contains("USD"),
        "{}",
        run.stdout
    );
    let table = std::fs::read_to_string(&out).unwrap();
    assert!(table.contains(",GBP,") && table.contains(",USD,"));
    let mut tables = Vec::new();
    for file in [
        "fundingproviders-grants_2_grants_cp1252.csv",
        "fundingproviders_grants_2_grants.csv",
    ] {
        let path = shared_data().join("360giving").join(file);
        let run = fundrisk([
            "grants",
            path.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, Some(0), "{file}: {}", run.stderr);
        tables.push(std::fs::read_to_string(&out).unwrap());
    }
    assert!(tables[0].lines().count() > 1, "{}", tables[0]);
    assert_eq!(
        tables[0], tables[1],
        "the Windows-1252 file gives the same table as its UTF-8 twin"
    );
    // Empty and corrupt files get clear errors.
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, b"").unwrap();
    let run = fundrisk(["grants", empty.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with("error: ") && run.stderr.contains("empty.csv"),
        "{}",
        run.stderr
    );
    for file in ["bad.xlsx", "bom.csv"] {
        let path = shared_data().join("360giving").join(file);
        let run = fundrisk(["grants", path.to_str().unwrap()]);
        assert_eq!(run.code, Some(1), "{file}");
        assert!(
            run.stderr.starts_with("error: ") && run.stderr.contains(file),
            "{file}: {}",
            run.stderr
        );
    }
}

/// A peer table as `fundrisk grants` writes it: four-decimal ratios, `360giving` rows.
fn grant_table(dir: &std::path::Path, rows: &[(&str, &str, &str)]) -> std::path::PathBuf {
    let mut text = HEADER.to_string();
    for (i, (currency, hhi, top1)) in rows.iter().enumerate() {
        text.push_str(&format!(
            "GB-CHC-{i},FY2024,{currency},10k-100k,2,,{hhi},{top1},0.7,0.5,0.5,0.0,360giving\n"
        ));
    }
    let path = dir.join("grant-peers.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn four_decimal_grant_rows_are_ranked_at_their_own_precision() {
    let dir = tempfile::tempdir().unwrap();
    // Ours: council 7049 of 10000, so top-funder share 0.7049 and HHI 0.7049² = 0.49688401.
    let ours = dir.path().join("ours.csv");
    std::fs::write(
        &ours,
        "Date,Funder,Category,Amount\n2024-01-01,Town Council,Government,7049\n2024-02-01,Members,Membership,2951\n",
    )
    .unwrap();
    // Every peer's share is below 0.7049 at four decimals (so ours is at the 100th percentile),
    // and every peer's HHI (0.5000) is above 0.4969 (the 0th). Rounding ours to two decimals
    // alone would put it at 0.70 below all the shares and level with the HHIs.
    let peers = grant_table(
        dir.path(),
        &[
            ("", "0.5", "0.701"),
            ("", "0.5", "0.702"),
            ("", "0.5", "0.703"),
            ("", "0.5", "0.704"),
            ("", "0.5", "0.7045"),
        ],
    );
    let run = fundrisk([
        "compare",
        ours.to_str().unwrap(),
        "--peers",
        peers.to_str().unwrap(),
        "--json",
        "-",
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let p = &json["peers"];
    assert_eq!(p["top1_share"]["percentile"], 100.0, "{p}");
    assert_eq!(p["hhi_funders"]["percentile"], 0.0, "{p}");
    // Ratios keep 12 significant digits, without float noise (0.6639200000000001).
    assert_eq!(p["alignment_index"]["value"], 0.66392, "{p}");
    assert_eq!(p["top1_share"]["spread"]["median"], 0.703, "{p}");
}

#[test]
fn peers_in_another_currency_are_not_compared() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("gbp.csv");
    std::fs::write(
        &ours,
        "Date,Funder,Category,Amount\n2024-01-01,Town Council,Government,\"£7,000\"\n2024-02-01,Members,Membership,\"£3,000\"\n",
    )
    .unwrap();
    let usd = grant_table(dir.path(), &[("USD", "0.5", "0.6"); 5]);
    let run = fundrisk([
        "compare",
        ours.to_str().unwrap(),
        "--peers",
        usd.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(
        run.stderr.contains("only 0 peer(s) match (FY2024, GBP)"),
        "{}",
        run.stderr
    );
    // Five GBP rows and three USD rows: the USD ones are left out; a row with no currency stays.
    let mut rows = vec![("GBP", "0.5", "0.6"); 4];
    rows.push(("", "0.5", "0.6"));
    rows.extend([("USD", "0.5", "0.6"); 3]);
    let mixed = grant_table(dir.path(), &rows);
    let run = fundrisk([
        "compare",
        ours.to_str().unwrap(),
        "--peers",
        mixed.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("compared with 5 peers in FY2024"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_latest_last_modified_wins_to_the_second() {
    let dir = tempfile::tempdir().unwrap();
    // Two versions modified on the same day: the afternoon one (row 2) is the latest, though
    // it comes first. With offsets, 10:00+02:00 (08:00 UTC, row 4) is before 09:30Z (row 5).
    let file = grants_csv(
        dir.path(),
        Some("Last Modified"),
        "G5,900,GBP,2020-05-01,GB-CHC-5,GB-CHC-1,2020-04-01T15:00:00Z\n\
         G5,1000,GBP,2020-05-01,GB-CHC-5,GB-CHC-1,2020-04-01T09:00:00Z\n\
         G7,70,GBP,2020-05-01,GB-CHC-7,GB-CHC-1,2020-06-01T10:00:00+02:00\n\
         G7,71,GBP,2020-05-01,GB-CHC-7,GB-CHC-1,2020-06-01T09:30:00+00:00\n\
         G8,80,GBP,2020-05-01,GB-CHC-8,GB-CHC-1,29/04/2015 12:10\n\
         G8,81,GBP,2020-05-01,GB-CHC-8,GB-CHC-1,29/04/2015 09:05\n",
    );
    let run = fundrisk([
        "grants",
        file.to_str().unwrap(),
        "-o",
        dir.path().join("out.csv").to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("GBP 1,051.00"),
        "900 + 71 + 80 are used: {}",
        run.stdout
    );
    for cell in ["B3 ", "B4 ", "B7 "] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.contains(cell) && l.contains("duplicate")),
            "{cell} is the superseded version: {}",
            run.stdout
        );
    }
}

#[test]
fn grant_tables_carry_total_income_and_grant_count() {
    let dir = tempfile::tempdir().unwrap();
    // Org A in 2020: 600 + 300 + 100 from three funders, and a refund of 50 to the trust
    // (4 grants, net 950: shares of the positive base 550/950, 300/950, 100/950).
    let file = grants_csv(
        dir.path(),
        None,
        "A1,600,GBP,2020-05-01,GB-CHC-A,GB-CHC-1\n\
         A2,300,GBP,2020-06-01,GB-CHC-A,GB-LAE-KEN\n\
         A3,100,GBP,2020-07-01,GB-CHC-A,GB-COH-123\n\
         A4,-50,GBP,2020-08-01,GB-CHC-A,GB-CHC-1\n\
         A5,500,GBP,2021-07-01,GB-CHC-A,GB-CHC-1\n",
    );
    let out = dir.path().join("out.csv");
    let run = fundrisk([
        "grants",
        file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let table = std::fs::read_to_string(&out).unwrap();
    let mut lines = table.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",source,grant_income,grant_count,year_start"),
        "{table}"
    );
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(row[..2], ["GB-CHC-A", "FY2020"], "{table}");
    assert_eq!(row[13..], ["950", "4", "1"], "{table}");
    let hhi: f64 = row[6].parse().unwrap();
    let expected = (550f64.powi(2) + 300f64.powi(2) + 100f64.powi(2)) / 950f64.powi(2);
    assert!((hhi - expected).abs() < 5e-5, "{hhi} vs {expected}");
    assert_eq!(
        lines.next().unwrap(),
        "GB-CHC-A,FY2021,GBP,<10k,1,,1.0,1.0,0.6,0.0,1.0,0.0,360giving,500,1,1"
    );
    // Peer cards keep income as a band only: the two columns stay empty.
    let card = dir.path().join("card.csv");
    let run = fundrisk([
        "analyse",
        "fixtures/harbor-legal-aid.xlsx",
        "--peer-card",
        card.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = std::fs::read_to_string(&card).unwrap();
    assert!(
        text.lines().skip(1).all(|l| l.ends_with(",card,,,1")),
        "{text}"
    );
}

#[test]
fn an_unusable_latest_version_is_not_replaced_by_a_stale_one() {
    let dir = tempfile::tempdir().unwrap();
    // G6's latest version (row 3) has no usable amount: the grant is left out, not read from
    // the superseded row 2. G9's unusable row is older than its usable one, which stays.
    let file = grants_csv(
        dir.path(),
        Some("Last Modified"),
        "G6,50,GBP,2020-05-01,GB-CHC-6,GB-CHC-1,2020-01-01\n\
         G6,n/a,GBP,2020-05-01,GB-CHC-6,GB-CHC-1,2020-06-01\n\
         G9,n/a,GBP,2020-05-01,GB-CHC-9,GB-CHC-1,2020-01-01\n\
         G9,90,GBP,2020-05-01,GB-CHC-9,GB-CHC-1,2020-06-01\n",
    );
    let run = fundrisk([
        "grants",
        file.to_str().unwrap(),
        "-o",
        dir.path().join("out.csv").to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("grant rows read 4: 1 used, 3 excluded"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("GBP 90.00"), "{}", run.stdout);
    assert!(
        run.stdout.lines().any(|l| l.contains("B2 ")
            && l.contains("superseded")
            && l.contains("B3, is excluded")),
        "{}",
        run.stdout
    );
}

#[test]
fn the_table_on_standard_output_is_clean_csv_and_clashing_identifiers_are_warned() {
    let dir = tempfile::tempdir().unwrap();
    // G1 twice with one Date modified (ACNI's header) and different amounts: distinct grants
    // the publisher gave one identifier. G2 is an exact re-publication: no warning for it.
    let file = grants_csv(
        dir.path(),
        Some("Date modified"),
        "G1,100,GBP,2020-05-01,GB-CHC-6,GB-CHC-1,2020-01-01\n\
         G1,250,GBP,2020-05-01,GB-CHC-6,GB-CHC-1,2020-01-01\n\
         G2,40,GBP,2020-05-01,GB-CHC-7,GB-CHC-1,2020-01-01\n\
         G2,40,GBP,2020-05-01,GB-CHC-7,GB-CHC-1,2020-01-01\n\
         G3,70,GBP,2020-05-01,GB-CHC-7,GB-CHC-1,2020-01-01\n\
         G3,75,GBP,2020-05-01,GB-CHC-7,GB-CHC-1,2021-03-01\n",
    );
    for args in [
        vec!["grants", file.to_str().unwrap()],
        vec!["grants", file.to_str().unwrap(), "-o", "-"],
    ] {
        let run = fundrisk(&args);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let mut rdr = csv::Reader::from_reader(run.stdout.as_bytes());
        let headers = rdr.headers().unwrap().clone();
        assert_eq!(&headers[0], "peer");
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2, "{}", run.stdout);
        for r in &rows {
            assert_eq!(r.len(), headers.len(), "{}", run.stdout);
        }
        assert!(
            run.stderr
                .starts_with("grant rows read 6: 3 used, 3 excluded"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("warning: 1 row(s) share an Identifier and Last Modified"),
            "G1's clash is warned, G2's exact copy and G3's older version are not: {}",
            run.stderr
        );
        let income: Vec<&str> = rows.iter().map(|r| &r[13]).collect();
        assert_eq!(
            income,
            ["250", "115"],
            "the later G1 row and G3's latest version are used"
        );
    }
}

#[test]
fn only_fiscal_years_that_start_in_the_same_month_compare() {
    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("april.csv");
    // April years: 2024-02-01 is in FY2024 (April 2023 – March 2024).
    std::fs::write(
        &ours,
        "Date,Funder,Category,Amount\n2023-06-01,Town Council,Government,700\n2024-02-01,Members,Membership,300\n",
    )
    .unwrap();
    let table = |start: u32| {
        let mut text = String::from("peer,year,currency,income_band,funder_count,community_share,hhi_funders,top1_share,alignment_index,government_share,foundation_share,corporate_share,source,grant_income,grant_count,year_start\n");
        for share in ["0.1", "0.2", "0.3", "0.4", "0.5"] {
            text.push_str(&format!(
                ",FY2024,GBP,<10k,3,{share},0.4,0.5,0.5,0.5,0.2,0.1,card,,,{start}\n"
            ));
        }
        let path = dir.path().join(format!("peers-{start}.csv"));
        std::fs::write(&path, text).unwrap();
        path
    };
    let compare = |peers: &std::path::Path| {
        fundrisk([
            "compare",
            ours.to_str().unwrap(),
            "--fiscal-year-start",
            "4",
            "--peers",
            peers.to_str().unwrap(),
        ])
    };
    let calendar = compare(&table(1));
    assert_eq!(calendar.code, Some(1), "{}", calendar.stdout);
    assert!(
        calendar.stderr.contains(
            "only 0 peer(s) match (FY2024 of years starting in month 4; 5 row(s) of FY2024 are for fiscal years starting in another month"
        ),
        "{}",
        calendar.stderr
    );
    let april = compare(&table(4));
    assert_eq!(april.code, Some(0), "{}", april.stderr);
    assert!(april.stdout.contains("of 5 peers"), "{}", april.stdout);
    // A card records the month its years start in.
    let card = dir.path().join("card.csv");
    let run = fundrisk([
        "analyse",
        ours.to_str().unwrap(),
        "--fiscal-year-start",
        "4",
        "--peer-card",
        card.to_str().unwrap(),
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let text = std::fs::read_to_string(&card).unwrap();
    assert!(
        text.lines().next().unwrap().ends_with(",year_start"),
        "{text}"
    );
    assert!(
        text.lines().nth(1).unwrap().ends_with(",card,,,4"),
        "{text}"
    );
}
