//! A reader with a deadline, for parsers that only ever ask for more bytes (calamine skipping
//! millions of empty cells is stopped from inside), which can also note where it was told to
//! seek: the zip entries a parser opened.

use std::io::{Read, Seek, SeekFrom};
use std::time::Instant;

/// A reader that fails once its deadline passes, so that a parser which only ever asks for
/// more bytes (calamine skipping millions of empty cells) is stopped from inside.
pub(crate) struct DeadlineReader<R> {
    inner: R,
    deadline: Instant,
    log: Option<SeekLog>,
}

/// Where a reader was told to seek to (from the start), most recent last: which zip entries a
/// parser opened. At most [`SEEK_LOG_LEN`] are kept until it is cleared (opening a workbook
/// takes a few dozen: the central directory, then two per part read).
pub(crate) type SeekLog = std::sync::Arc<std::sync::Mutex<Vec<u64>>>;
const SEEK_LOG_LEN: usize = 4096;

impl<R> DeadlineReader<R> {
    pub(crate) fn new(inner: R, deadline: Instant) -> Self {
        DeadlineReader {
            inner,
            deadline,
            log: None,
        }
    }

    /// Records every seek from the start in `log`.
    pub(crate) fn logging(mut self, log: SeekLog) -> Self {
        self.log = Some(log);
        self
    }
}

impl<R: Read> Read for DeadlineReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if Instant::now() >= self.deadline {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the time limit for reading this file has passed",
            ));
        }
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for DeadlineReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        if let (Some(log), SeekFrom::Start(at)) = (&self.log, pos) {
            if let Ok(mut log) = log.lock() {
                if log.len() < SEEK_LOG_LEN {
                    log.push(at);
                }
            }
        }
        self.inner.seek(pos)
    }
}
