//! Whole-workbook parsers (.xls, .ods) run in a child process of this same executable, under a
//! memory cap and a time limit. calamine's .xls reader can be made to request terabytes by a
//! malformed file, which aborts the process; in a child, that abort only rejects the file.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::limits::{read_bytes, timed_out, Limits, Tally};
use super::{read_whole_workbook, IngestError, RawBook};
use crate::ingest::Format;

/// The hidden first argument that turns the executable into a workbook-reading worker.
pub const WORKER_ARG: &str = "__read-workbook";

/// Address-space cap for the worker: 1 GiB, so that a hostile file (an .ods repeating one cell
/// fifty million times, a malformed .xls asking for terabytes) kills the worker well before it
/// could use a gigabyte; the largest .xls possible (65,536 × 256 cells) still fits.
const WORKER_MEMORY_BYTES: u64 = 1 << 30;

/// Reads `path` in a child process running `exe WORKER_ARG FORMAT PATH MAX_ROWS MAX_CELLS`,
/// stopped after `limits.time`.
///
/// # Errors
/// When the child fails, crashes, runs out of memory or time, or returns more rows or cells
/// than the limits allow.
pub fn read_in_child(
    exe: &Path,
    path: &Path,
    format: Format,
    limits: &Limits,
) -> Result<RawBook, IngestError> {
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .arg(format.name())
        .arg(path)
        .arg(limits.max_rows.to_string())
        .arg(limits.max_cells.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            IngestError::unreadable(path, format!("could not start the workbook reader: {e}"))
        })?;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_string(&mut buf);
        }
        buf
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > limits.time => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(timed_out(path, limits.time));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                return Err(IngestError::unreadable(
                    path,
                    format!("the workbook reader failed: {e}"),
                ))
            }
        }
    };
    let out = out_thread.join().unwrap_or_default();
    let err = err_thread.join().unwrap_or_default();
    if status.success() {
        let book: RawBook = serde_json::from_slice(&out).map_err(|e| {
            IngestError::unreadable(
                path,
                format!("the workbook reader returned unreadable output: {e}"),
            )
        })?;
        check_counts(path, &book, limits)?;
        return Ok(book);
    }
    if status.code() == Some(1) {
        let message = err
            .trim()
            .strip_prefix("error: ")
            .unwrap_or(err.trim())
            .to_string();
        let message = message
            .strip_prefix(&format!("{}: ", path.display()))
            .unwrap_or(&message);
        return Err(match message.split_once("\n  hint: ") {
            Some((problem, hint)) => IngestError::limit(path, problem, hint),
            None => IngestError::unreadable(path, message),
        });
    }
    Err(IngestError::unreadable(
        path,
        format!(
            "the spreadsheet parser crashed, or needed more than the {} of memory it may use, on this file, so it was rejected; the file is probably corrupt or built to exhaust memory — open it in a spreadsheet program and save it again (as .xlsx, which is read cell by cell)",
            super::human_bytes(WORKER_MEMORY_BYTES)
        ),
    ))
}

/// Entry point of the worker process: `args` are the arguments after [`WORKER_ARG`].
/// Returns the process exit code.
#[must_use]
pub fn worker_main(args: &[String]) -> i32 {
    let _ = rlimit::setrlimit(
        rlimit::Resource::AS,
        WORKER_MEMORY_BYTES,
        WORKER_MEMORY_BYTES,
    );
    let (Some(format), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!("error: the workbook reader needs a format and a path");
        return 2;
    };
    let defaults = Limits::default();
    let number =
        |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let limits = Limits {
        max_rows: number(2, defaults.max_rows),
        max_cells: number(3, defaults.max_cells),
        ..defaults
    };
    let format = if format == "ods" {
        Format::Ods
    } else {
        Format::Xls
    };
    let path = Path::new(path);
    let result = read_bytes(path, &limits)
        .and_then(|bytes| read_whole_workbook(path, &bytes, format, &limits));
    match result {
        Ok(book) => {
            let mut stdout = std::io::stdout().lock();
            match serde_json::to_writer(&mut stdout, &book)
                .and_then(|()| stdout.flush().map_err(serde_json::Error::io))
            {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!(
                        "error: {}: could not hand the workbook back: {e}",
                        path.display()
                    );
                    1
                }
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// Counts the rows and cells a child returned against the limits, in case the child was run
/// with other limits than the parent's.
fn check_counts(path: &Path, book: &RawBook, limits: &Limits) -> Result<(), IngestError> {
    let mut tally = Tally::new(path, limits);
    for sheet in &book.sheets {
        let name = sheet.name.as_deref();
        for row in &sheet.rows {
            tally.row(name, row.index)?;
            for cell in &row.cells {
                tally.cell(name, row.index, cell.col)?;
            }
        }
    }
    Ok(())
}
