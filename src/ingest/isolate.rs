//! Whole-workbook parsers (.xls, .ods) run in a child process of this same executable, under a
//! memory cap and a time limit. calamine's .xls reader can be made to request terabytes by a
//! malformed file, which aborts the process; in a child, that abort only rejects the file.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{read_whole_workbook, IngestError, RawBook};
use crate::ingest::Format;

/// The hidden first argument that turns the executable into a workbook-reading worker.
pub const WORKER_ARG: &str = "__read-workbook";

/// Address-space cap for the worker.
const WORKER_MEMORY_BYTES: u64 = 4 << 30;
/// Wall-clock limit for the worker.
const WORKER_TIME_LIMIT: Duration = Duration::from_secs(120);

/// Reads `path` in a child process running `exe WORKER_ARG FORMAT PATH`.
///
/// # Errors
/// When the child fails, crashes, runs out of memory or time.
pub fn read_in_child(exe: &Path, path: &Path, format: Format) -> Result<RawBook, IngestError> {
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .arg(format.name())
        .arg(path)
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
            Ok(None) if started.elapsed() > WORKER_TIME_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(IngestError::unreadable(
                    path,
                    format!("reading the workbook took longer than {} s and was stopped; the file may be damaged or far larger than a ledger", WORKER_TIME_LIMIT.as_secs()),
                ));
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
        return serde_json::from_slice(&out).map_err(|e| {
            IngestError::unreadable(
                path,
                format!("the workbook reader returned unreadable output: {e}"),
            )
        });
    }
    if status.code() == Some(1) {
        let message = err
            .trim()
            .strip_prefix("error: ")
            .unwrap_or(err.trim())
            .to_string();
        return Err(IngestError::Unreadable {
            path: path.to_path_buf(),
            problem: message
                .strip_prefix(&format!("{}: ", path.display()))
                .unwrap_or(&message)
                .to_string(),
        });
    }
    Err(IngestError::unreadable(
        path,
        "the spreadsheet parser crashed or ran out of memory on this file, so it was rejected; the file is probably corrupt — open it in a spreadsheet program and save it again",
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
    let format = if format == "ods" {
        Format::Ods
    } else {
        Format::Xls
    };
    let path = Path::new(path);
    let result = std::fs::read(path)
        .map_err(|source| IngestError::Io {
            path: path.to_path_buf(),
            source,
        })
        .and_then(|bytes| read_whole_workbook(path, &bytes, format));
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
