//! Ingest: file → [`fundrisk::ledger::Ledger`] through `fundrisk::load`, for a generated
//! 50,000-row CSV ledger and for the checked-in .xlsx fixtures (real LibreOffice files: shared
//! strings, number formats, merged cells, formulas). The fixtures are small, so their figures
//! are mostly per-file cost (zip directory, workbook and styles, header detection), not per-row
//! speed. Throughput is in ledger rows (the fixtures' `rows_read` from `fixtures/expected/`).
//! A real publisher's 360Giving workbook from `../shared/data` (Lloyds Bank Foundation, 4,116
//! grants × 39 columns, CC BY 4.0; read in place, not copied) gives a per-row figure for .xlsx
//! when it is there.

// Bench setup panics on a broken fixture or temp dir; there is no caller to report to.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use fundrisk::Runtime;

/// .xlsx fixtures in the long layout, each read with the flags its expected file names.
const XLSX_FIXTURES: [&str; 2] = ["northshire-food-bank.xlsx", "harbor-legal-aid.xlsx"];

/// A real 360Giving workbook beside the project, and its rows.
const REAL_XLSX: (&str, u64) = ("../shared/data/360giving/a002400000OiDBQAA3.xlsx", 4116);

fn ingest_csv(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = common::write_ledger_csv(dir.path());
    let config = common::config_for(dir.path(), &path, &[]);
    let runtime = Runtime {
        worker_exe: None,
        progress: false,
        exiting: false,
    };

    let mut group = c.benchmark_group("ingest-csv");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(common::ROWS as u64));
    group.bench_function(BenchmarkId::new("generated", common::ROWS), |b| {
        b.iter(|| black_box(fundrisk::load(&config, &runtime, true).expect("load the ledger")));
    });
    group.finish();
}

fn ingest_xlsx(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let runtime = Runtime {
        worker_exe: None,
        progress: false,
        exiting: false,
    };

    let mut group = c.benchmark_group("ingest-xlsx");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for name in XLSX_FIXTURES {
        let expected = std::fs::read_to_string(root.join("expected").join(format!("{name}.json")))
            .expect("read the fixture's expected file");
        let expected: serde_json::Value = serde_json::from_str(&expected).expect("expected JSON");
        let rows = expected["rows_read"].as_u64().expect("rows_read");
        let flags: Vec<&str> = expected["flags"]
            .as_array()
            .expect("flags")
            .iter()
            .map(|f| f.as_str().expect("a flag"))
            .collect();
        let config = common::config_for(dir.path(), &root.join(name), &flags);
        group.throughput(Throughput::Elements(rows));
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                black_box(fundrisk::load(&config, &runtime, true).expect("load the fixture"))
            });
        });
    }
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join(REAL_XLSX.0);
    if real.exists() {
        let config = common::config_for(dir.path(), &real, &[]);
        group.throughput(Throughput::Elements(REAL_XLSX.1));
        group.bench_function(BenchmarkId::new("360giving-real", REAL_XLSX.1), |b| {
            b.iter(|| black_box(fundrisk::load(&config, &runtime, true).expect("load the file")));
        });
    } else {
        eprintln!(
            "ingest-xlsx/360giving-real: {} not found; skipped",
            real.display()
        );
    }
    group.finish();
}

criterion_group!(benches, ingest_csv, ingest_xlsx);
criterion_main!(benches);
