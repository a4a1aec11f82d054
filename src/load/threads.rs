//! One big file read on two threads: this one parses it and hands rows on in batches, the
//! other turns them into entries (a third hashes the file meanwhile). Batches go back to the
//! reader to be filled again, so rows cost no allocation once the first few batches exist.

use std::path::Path;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

use sha2::{Digest, Sha256};

use super::{hex, Tracked, BATCH, THREADED_FROM_BYTES};
use crate::ingest::{self, CellValue, RawRow, ReadOptions, RowSink};
use crate::ledger::{LedgerBuilder, LedgerOptions};
use crate::progress::Progress;
use crate::Error;

/// What goes from the reading thread to the building one.
enum Message {
    Begin {
        name: Option<String>,
        is_1904: bool,
        explicit_blanks: bool,
    },
    /// The first `n` rows of the batch.
    Rows(Vec<RawRow>, usize),
    End,
    Abort,
}

/// Reads one file on this thread while `builder` takes its rows on another (a small file on
/// this thread alone).
pub(super) fn read_file(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
    ledger_opts: &LedgerOptions,
    builder: &mut LedgerBuilder<'_>,
    progress: &mut Progress,
) -> Result<ingest::BookInfo, Error> {
    if bytes.len() < THREADED_FROM_BYTES {
        builder.set_sha256(hex(&Sha256::digest(bytes)));
        let mut tracked = Tracked::new(builder, progress, path);
        return Ok(ingest::stream_file(path, bytes, opts, &mut tracked)?);
    }
    let format = ingest::detect_format(path, bytes)?;
    if matches!(format, ingest::Format::Csv | ingest::Format::Tsv) {
        return super::parts::read_in_parts(path, bytes, format, &opts.limits, builder, progress);
    }
    let (tx, rx) = sync_channel::<Message>(4);
    let (back_tx, back_rx) = channel::<Vec<RawRow>>();
    let taker = &mut *builder;
    std::thread::scope(|scope| {
        let hashing = scope.spawn(|| hex(&Sha256::digest(bytes)));
        let building = scope.spawn(move || build(taker, &rx, &back_tx));
        let mut forward = Forward {
            tx,
            back: back_rx,
            batch: Vec::new(),
            used: 0,
            wants: ledger_opts,
            progress,
            file: path.display().to_string(),
            sheet: None,
            rows: 0,
        };
        let info = ingest::stream_file(path, bytes, opts, &mut forward);
        // Closing the channel ends the building thread.
        drop(forward);
        let failed = |what: &str| Error::Internal(format!("{}: {what} failed", path.display()));
        building.join().map_err(|_| failed("building the ledger"))?;
        let sha256 = hashing.join().map_err(|_| failed("hashing the file"))?;
        let info = info?;
        Ok((info, sha256))
    })
    .map(|(info, sha256)| {
        builder.set_sha256(sha256);
        info
    })
}

/// The building thread: messages to the builder, emptied batches back to the reader.
fn build(builder: &mut LedgerBuilder<'_>, rx: &Receiver<Message>, back: &Sender<Vec<RawRow>>) {
    for message in rx {
        match message {
            Message::Begin {
                name,
                is_1904,
                explicit_blanks,
            } => {
                builder.begin_sheet(name.as_deref(), is_1904, explicit_blanks);
            }
            Message::Rows(batch, n) => {
                for row in batch.iter().take(n) {
                    builder.row(row);
                }
                // The reader may have stopped; then the batch is simply dropped.
                let _ = back.send(batch);
            }
            Message::End => builder.end_sheet(),
            Message::Abort => builder.abort_sheet(),
        }
    }
}

/// The reading thread's sink: copies rows into batches and sends them.
struct Forward<'a> {
    tx: SyncSender<Message>,
    back: Receiver<Vec<RawRow>>,
    batch: Vec<RawRow>,
    used: usize,
    wants: &'a LedgerOptions,
    progress: &'a mut Progress,
    file: String,
    sheet: Option<String>,
    rows: u64,
}

impl Forward<'_> {
    fn send(&mut self, message: Message) {
        // A closed channel means the building thread stopped; its join reports it.
        let _ = self.tx.send(message);
    }

    fn flush(&mut self) {
        if self.used == 0 {
            return;
        }
        let next = self.back.try_recv().unwrap_or_default();
        let full = std::mem::replace(&mut self.batch, next);
        let n = std::mem::take(&mut self.used);
        self.send(Message::Rows(full, n));
    }
}

impl RowSink for Forward<'_> {
    fn begin_sheet(&mut self, name: Option<&str>, is_1904: bool, explicit_blanks: bool) -> bool {
        self.send(Message::Begin {
            name: name.map(str::to_string),
            is_1904,
            explicit_blanks,
        });
        self.sheet = name.map(str::to_string);
        self.rows = 0;
        self.wants.wants_sheet(name)
    }

    fn row(&mut self, row: &RawRow) {
        self.slot();
        copy_row(&mut self.batch[self.used], row);
        self.pushed();
    }

    fn take_row(&mut self, row: &mut RawRow) {
        self.slot();
        std::mem::swap(&mut self.batch[self.used], row);
        self.pushed();
    }

    fn end_sheet(&mut self) {
        self.flush();
        self.send(Message::End);
    }

    fn abort_sheet(&mut self) {
        self.used = 0;
        self.send(Message::Abort);
    }
}

impl Forward<'_> {
    /// Makes sure the batch has a row at `used`.
    fn slot(&mut self) {
        if self.used == self.batch.len() {
            self.batch.push(RawRow {
                index: 0,
                cells: Vec::new(),
            });
        }
    }

    /// Counts the row just placed at `used`; sends the batch when it is full.
    fn pushed(&mut self) {
        self.used += 1;
        self.rows += 1;
        if self.used == BATCH {
            self.flush();
            self.progress
                .update(&self.file, self.sheet.as_deref(), self.rows);
        }
    }
}

/// Copies `src` over `dst`, reusing `dst`'s strings.
fn copy_row(dst: &mut RawRow, src: &RawRow) {
    dst.index = src.index;
    dst.cells.truncate(src.cells.len());
    for (d, s) in dst.cells.iter_mut().zip(&src.cells) {
        d.col = s.col;
        d.currency.clone_from(&s.currency);
        match (&mut d.value, &s.value) {
            (CellValue::Text(d), CellValue::Text(s)) => {
                d.clear();
                d.push_str(s);
            }
            (d, s) => *d = s.clone(),
        }
    }
    let have = dst.cells.len();
    dst.cells.extend(src.cells.iter().skip(have).cloned());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::RawCell;

    fn row(index: u32, cells: &[(u32, CellValue)]) -> RawRow {
        RawRow {
            index,
            cells: cells
                .iter()
                .map(|(col, value)| RawCell {
                    col: *col,
                    value: value.clone(),
                    currency: None,
                })
                .collect(),
        }
    }

    #[test]
    fn copying_a_row_over_another_gives_the_same_row() {
        let t = |s: &str| CellValue::Text(s.into());
        let shapes = [
            row(3, &[(0, t("a")), (2, CellValue::Int(5))]),
            row(
                4,
                &[
                    (1, t("longer text")),
                    (2, t("b")),
                    (5, CellValue::Float(1.5)),
                ],
            ),
            row(9, &[]),
            row(10, &[(0, CellValue::Bool(true))]),
        ];
        let mut dst = row(0, &[]);
        for src in shapes.iter().chain(shapes.iter().rev()) {
            copy_row(&mut dst, src);
            assert_eq!(&dst, src);
        }
    }
}
