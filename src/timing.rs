//! How long each step of a run took, on standard error when `FUNDRISK_TIMINGS` is set: for
//! profiling (docs/performance.md), never for tests.

use std::sync::OnceLock;
use std::time::Instant;

fn wanted() -> bool {
    static WANTED: OnceLock<bool> = OnceLock::new();
    *WANTED.get_or_init(|| std::env::var_os("FUNDRISK_TIMINGS").is_some_and(|v| !v.is_empty()))
}

/// A step that is timed from now until it is dropped.
pub struct Step {
    name: &'static str,
    start: Option<Instant>,
}

/// Starts timing `name`; the time is printed when the returned step is dropped.
#[must_use]
pub fn step(name: &'static str) -> Step {
    Step {
        name,
        start: wanted().then(Instant::now),
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        if let Some(start) = self.start {
            eprintln!(
                "fundrisk timing: {:<12} {:>8.1} ms",
                self.name,
                start.elapsed().as_secs_f64() * 1e3
            );
        }
    }
}
