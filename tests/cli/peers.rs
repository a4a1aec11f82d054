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
    let table = std::fs::read_to_string(&out).unwrap();
    assert!(table.lines().count() > 100);
    assert!(table.lines().skip(1).all(|l| l.ends_with(",360giving")));

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
    }
    // Empty and corrupt files get clear errors.
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
