//! Metrics: `fundrisk::analysis::analyse` (classification, aggregation, every metric) on a
//! ledger already loaded from the generated 50,000-row CSV. Loading is outside the timing;
//! each iteration gets a fresh clone of the ledger, because `analyse` takes it by value.
//! Throughput is in ledger rows.

// Bench setup panics on a broken temp dir or ledger; there is no caller to report to.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};
use fundrisk::Runtime;

fn analyse(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = common::write_ledger_csv(dir.path());
    let config = common::config_for(dir.path(), &path, &["--fiscal-year-start", "4"]);
    let ledger = fundrisk::load(
        &config,
        &Runtime {
            worker_exe: None,
            progress: false,
            exiting: false,
        },
        true,
    )
    .expect("load");

    let mut group = c.benchmark_group("metrics");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(common::ROWS as u64));
    group.bench_function(BenchmarkId::new("analyse", common::ROWS), |b| {
        b.iter_batched(
            || (ledger.clone(), config.settings.clone()),
            |(ledger, settings)| {
                black_box(
                    fundrisk::analysis::analyse(ledger, &config.classify, settings, false)
                        .expect("analyse"),
                )
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

criterion_group!(benches, analyse);
criterion_main!(benches);
