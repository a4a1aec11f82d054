//! One big delimited file read in parts, one thread per core: the top is read here until
//! the header is known, the rest is cut at line ends into parts read at once on their own,
//! and the parts are merged here in order, so that the ledger is the one a read in order
//! gives (a third thread hashes the file meanwhile).
//!
//! A part is read again here, in order, when it could not be read alone: a quoted field
//! spans its end, a row's meaning depended on the rows above it (an unlabelled total), or a
//! limit was passed (to say where). From a part whose end is in doubt on, the rest of the
//! file is read in order.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Mutex;

use sha2::{Digest, Sha256};

use super::hex;
use crate::ingest::{self, Boundary, Delimited, Ended, Format, IngestError, RowSink, Stop, Tally};
use crate::ledger::{LedgerBuilder, PartTexts, SheetPart};
use crate::progress::Progress;
use crate::Error;

/// Rows and bytes read in order at the top of the file, enough for the header to be found.
const HEAD_ROWS: u64 = 64;
const HEAD_BYTES: usize = 64 << 10;

/// A part is at least this long; each thread takes this many parts, so that one slow part
/// does not keep the others waiting, and the parts read ahead of the merge hold little
/// memory (16 rather than 8: the 1M CSV's peak RSS fell from 193 to 184 MB, the median of 15
/// interleaved runs, in the same time).
const MIN_PART_BYTES: usize = 1 << 20;
const PARTS_PER_THREAD: usize = 16;

/// Reads a delimited file of `format` in parts into `builder`.
pub(super) fn read_in_parts(
    path: &Path,
    bytes: &[u8],
    format: Format,
    limits: &ingest::Limits,
    builder: &mut LedgerBuilder<'_>,
    progress: &mut Progress,
) -> Result<ingest::BookInfo, Error> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let split = Split {
        threads,
        // This thread reads parts too.
        helpers: threads.saturating_sub(1),
        min_part_bytes: MIN_PART_BYTES,
    };
    read_split(path, bytes, format, limits, split, builder, progress)
}

/// How a file is cut into parts.
#[derive(Clone, Copy)]
struct Split {
    /// Cores: parts are cut for this many readers.
    threads: usize,
    /// Threads that read parts besides this one.
    helpers: usize,
    min_part_bytes: usize,
}

fn read_split(
    path: &Path,
    bytes: &[u8],
    format: Format,
    limits: &ingest::Limits,
    split: Split,
    builder: &mut LedgerBuilder<'_>,
    progress: &mut Progress,
) -> Result<ingest::BookInfo, Error> {
    let delimiter = if format == Format::Tsv { b'\t' } else { 0 };
    let (read, sha256) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| hex(&Sha256::digest(bytes)));
        let step = crate::timing::step("read.prepare");
        let text = Delimited::prepare(bytes, delimiter);
        drop(step);
        let mut tally = Tally::new(path, limits);
        let read = if builder.begin_sheet(None, false, true) {
            let mut merge = Merge {
                split,
                text: &text,
                file: path.display().to_string(),
                progress,
            };
            match merge.sheet(&mut tally, builder) {
                Ok(()) => {
                    let _step = crate::timing::step("read.end");
                    builder.end_sheet();
                    Ok(text.info())
                }
                Err(e) => {
                    builder.abort_sheet();
                    Err(e)
                }
            }
        } else {
            Ok(text.info())
        };
        let _step = crate::timing::step("read.hash");
        (read, hashing.join())
    });
    let sha256 = sha256
        .map_err(|_| Error::Internal(format!("{}: hashing the file failed", path.display())))?;
    builder.set_sha256(sha256);
    Ok(read?)
}

/// Reads one part on its own, from `start` to `end`, into `part` (about `size` entries),
/// with `texts` the reading thread's copies of texts and `own` the part's counts.
fn read_part<'o>(
    text: &Delimited<'_>,
    start: &Boundary,
    end: usize,
    mut part: SheetPart<'o>,
    mut own: Tally<'_>,
    texts: &PartTexts,
    size: usize,
) -> Result<Read<'o>, IngestError> {
    part.share_texts(texts);
    part.reserve(size);
    text.read(start, Stop::At(end), &mut own, &mut part)
        .map(|ended| Read {
            part,
            ended,
            counts: own.mark(),
        })
}

/// Where part `k` of those starting at `starts` ends, in a text of `len` bytes: where the
/// next starts, or at the end.
fn part_end(starts: &[Boundary], k: usize, len: usize) -> usize {
    starts.get(k + 1).map_or(len, Boundary::pos)
}

/// The parts to read, in order, each with its reader and its counts.
type Queue<'o, 't> = std::iter::Peekable<std::vec::IntoIter<(usize, SheetPart<'o>, Tally<'t>)>>;

/// What a thread made of one part.
struct Read<'o> {
    part: SheetPart<'o>,
    ended: Ended,
    counts: (u64, u64),
}

struct Merge<'t, 'p> {
    split: Split,
    text: &'t Delimited<'t>,
    file: String,
    progress: &'p mut Progress,
}

impl Merge<'_, '_> {
    /// Reads the sheet: the head here, the rest in parts.
    fn sheet(
        &mut self,
        tally: &mut Tally<'_>,
        builder: &mut LedgerBuilder<'_>,
    ) -> Result<(), IngestError> {
        let text = self.text;
        let head = text.read(
            &text.start(),
            Stop::After {
                rows: HEAD_ROWS,
                bytes: HEAD_BYTES,
            },
            tally,
            builder,
        )?;
        if head.at_end {
            return Ok(());
        }
        let threads = self.split.threads;
        let rest = text.bytes().len() - head.boundary.pos();
        let wanted = (rest / self.split.min_part_bytes.max(1)).clamp(1, threads * PARTS_PER_THREAD);
        let starts = if threads > 1 && builder.part().is_some() {
            text.split(&head.boundary, wanted)
        } else {
            Vec::new()
        };
        // The rows to come, as many per byte as in the head: room for their entries is made
        // once (pages not written to cost no memory), not grown and copied part by part.
        let per_byte =
            |n: usize| n as u128 * u128::from(tally.mark().0) / head.boundary.pos().max(1) as u128;
        let expected = |n: usize| {
            let rows = (per_byte(n) * 17 / 16).min(u128::from(tally.max_rows()));
            usize::try_from(rows).unwrap_or(0)
        };
        builder.reserve(expected(rest));
        if starts.len() < 2 {
            text.read(&head.boundary, Stop::End, tally, builder)?;
            return Ok(());
        }
        let sizes: Vec<usize> = starts
            .iter()
            .enumerate()
            .map(|(k, s)| expected(part_end(&starts, k, text.bytes().len()) - s.pos()))
            .collect();
        self.parts(&starts, &sizes, tally, builder)
    }

    /// Reads the parts starting at `starts` (of about `sizes` rows) here and on the helper
    /// threads, merging them in order.
    fn parts<'o>(
        &mut self,
        starts: &[Boundary],
        sizes: &[usize],
        tally: &mut Tally<'_>,
        builder: &mut LedgerBuilder<'o>,
    ) -> Result<(), IngestError> {
        let _step = crate::timing::step("read.parts");
        let text = self.text;
        let end_of = |k: usize| part_end(starts, k, text.bytes().len());
        let work: Vec<(usize, SheetPart<'o>, Tally<'_>)> = (0..starts.len())
            .filter_map(|k| Some((k, builder.part()?, tally.part())))
            .collect();
        // Parts are taken in order, by the threads and by this one.
        let queue = Mutex::new(work.into_iter().peekable());
        let stop = AtomicBool::new(false);
        let (tx, rx) = channel::<(usize, Result<Read<'o>, IngestError>)>();
        std::thread::scope(|scope| {
            for _ in 0..self.split.helpers {
                let tx = tx.clone();
                let (queue, stop) = (&queue, &stop);
                scope.spawn(move || {
                    let texts = PartTexts::default();
                    loop {
                        let next = queue.lock().ok().and_then(|mut q| q.next());
                        let Some((k, part, own)) = next else {
                            break;
                        };
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let size = sizes.get(k).copied().unwrap_or(0);
                        let read = read_part(text, &starts[k], end_of(k), part, own, &texts, size);
                        if tx.send((k, read)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let read = self.in_order(starts, sizes, &queue, &rx, tally, builder);
            // The threads stop at their next part.
            stop.store(true, Ordering::Relaxed);
            read
        })
    }

    /// Reads the parts in order: the next one here, straight into the ledger, when no thread
    /// has taken it (its entries are then made where they stay, not copied there), else
    /// merged once its thread has read it. From a part whose end is in doubt, the rest is read
    /// here in order.
    fn in_order<'o>(
        &mut self,
        starts: &[Boundary],
        sizes: &[usize],
        queue: &Mutex<Queue<'o, '_>>,
        rx: &Receiver<(usize, Result<Read<'o>, IngestError>)>,
        tally: &mut Tally<'_>,
        builder: &mut LedgerBuilder<'o>,
    ) -> Result<(), IngestError> {
        let text = self.text;
        let end_of = |k: usize| part_end(starts, k, text.bytes().len());
        // Parts the threads read arrive in any order.
        let mut waiting: BTreeMap<usize, Result<Read<'o>, IngestError>> = BTreeMap::new();
        let texts = PartTexts::default();
        let mut next = 0;
        while next < starts.len() {
            let mine = queue
                .lock()
                .ok()
                .and_then(|mut q| q.next_if(|(k, ..)| *k == next));
            if mine.is_some() {
                let end = end_of(next);
                // To the first record end at the part's end: just before the "\n" of a
                // "\r\n" there, or after it.
                let ended = text.read(
                    &starts[next],
                    Stop::After {
                        rows: 0,
                        bytes: end.saturating_sub(1),
                    },
                    tally,
                    builder,
                )?;
                self.progress.update(&self.file, None, tally.mark().0);
                let at = ended.boundary.pos();
                let clean = at == end || (at + 1 == end && text.bytes().get(at) == Some(&b'\n'));
                if !ended.at_end && !clean {
                    // A quoted field crossed the part's end: the next part did not start
                    // between records.
                    #[cfg(test)]
                    tests::FELL_BACK.with(|n| n.set(n.get() + 1));
                    text.read(&ended.boundary, Stop::End, tally, builder)?;
                    return Ok(());
                }
                next += 1;
                continue;
            }
            let Some(read) = waiting.remove(&next) else {
                if let Ok((k, read)) = rx.try_recv() {
                    waiting.insert(k, read);
                    continue;
                }
                // While a thread reads the next part, a later one is read here on its own.
                let later = queue.lock().ok().and_then(|mut q| q.next());
                if let Some((k, part, own)) = later {
                    let size = sizes.get(k).copied().unwrap_or(0);
                    let read = read_part(text, &starts[k], end_of(k), part, own, &texts, size);
                    waiting.insert(k, read);
                    continue;
                }
                match rx.recv() {
                    Ok((k, read)) => {
                        waiting.insert(k, read);
                        continue;
                    }
                    // No thread is left to read it.
                    Err(_) => break,
                }
            };
            let last = next + 1 == starts.len();
            if !self.merge(read, last, tally, builder, &starts[next], end_of(next))? {
                break;
            }
            next += 1;
        }
        if next < starts.len() {
            // The rest is read here, in order, from a part that could not be merged.
            #[cfg(test)]
            tests::FELL_BACK.with(|n| n.set(n.get() + 1));
            text.read(&starts[next], Stop::End, tally, builder)?;
        }
        Ok(())
    }

    /// Merges one part read on its own, or reads it again in order when its rows' meaning
    /// depended on the rows above. `Ok(false)` when the rest of the file must be read in
    /// order from this part's start.
    fn merge<'o>(
        &mut self,
        read: Result<Read<'o>, IngestError>,
        last: bool,
        tally: &mut Tally<'_>,
        builder: &mut LedgerBuilder<'o>,
        start: &Boundary,
        end: usize,
    ) -> Result<bool, IngestError> {
        // A part that failed is read again in order, which fails the same way at the same
        // place, with the counts of the whole file.
        let Ok(read) = read else {
            return Ok(false);
        };
        if !read.ended.clean && !last {
            return Ok(false);
        }
        if read.part.needs_order() {
            self.text.read(start, Stop::At(end), tally, builder)?;
        } else if tally.add_part(read.counts) {
            builder.absorb(read.part);
        } else {
            return Ok(false);
        }
        self.progress.update(&self.file, None, tally.mark().0);
        Ok(true)
    }
}

#[cfg(test)]
#[path = "parts_tests.rs"]
mod tests;
