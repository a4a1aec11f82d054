//! The one integration-test crate: every test runs the real `fundrisk` binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "cli/classify.rs"]
mod classify;
#[path = "cli/contract.rs"]
mod contract;
#[path = "cli/edges.rs"]
mod edges;
#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/fixtures.rs"]
mod fixtures;
#[path = "cli/hostile.rs"]
mod hostile;
#[path = "cli/peers.rs"]
mod peers;
#[path = "cli/progress.rs"]
mod progress;
#[path = "cli/public_support.rs"]
mod public_support;
#[path = "cli/report.rs"]
mod report;
#[path = "cli/shared_data.rs"]
mod shared_data;
#[path = "cli/support.rs"]
mod support;
