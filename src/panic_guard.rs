//! Keeps third-party parser panics from reaching the user as a stack trace.
//!
//! [`install`] sets a panic hook that stays silent while [`quietly`] runs a closure on this
//! thread (the panic is caught and turned into an error by the caller), and otherwise prints a
//! one-line `error: internal error` message instead of Rust's default report.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Installs the process-wide panic hook. Call once from `main`.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        if QUIET.with(Cell::get) {
            return;
        }
        eprintln!(
            "error: internal error: {} (this is a bug in fundrisk; please report it with the input that caused it)",
            payload_text(info.payload())
        );
    }));
}

/// Runs `f`, returning `Err(message)` if it panicked.
///
/// # Errors
/// The panic message when `f` panicked.
pub fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let was = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| payload_text(payload.as_ref()))
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}
