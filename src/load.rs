//! Reading ledger files into one [`Ledger`]: a big file on two threads (see [`threads`]), rows
//! counted for the [`Progress`] line.
//! A file under 1 MiB is read on one thread; several such files are read at once, one per
//! core (see [`several`]).

mod parts;
mod several;
mod threads;

use std::path::Path;

use crate::cli::Config;
use crate::ingest::{self, RawRow, ReadOptions, RowSink};
use crate::ledger::{Input, Ledger, LedgerBuilder};
use crate::progress::Progress;
use crate::{Error, Runtime};

/// Rows per batch handed between the threads.
pub(crate) const BATCH: usize = 2048;

/// Files smaller than this are read on one thread: starting threads would cost more than
/// they save.
pub(crate) const THREADED_FROM_BYTES: usize = 1 << 20;

/// Small files read ahead at once, at most (each is held in memory until it is built).
/// `FUNDRISK_READ_AHEAD` changes it; 0 or 1 reads one file at a time.
const READ_AHEAD: usize = 64;

/// Reads every ledger in `config` into one [`Ledger`], identical rows noted.
///
/// # Errors
/// A file that cannot be read, or a ledger-level problem (ambiguous dates, mixed currencies).
pub fn load(config: &Config, runtime: &Runtime, require_income: bool) -> Result<Ledger, Error> {
    let mut ledger = load_unnoted(config, runtime, require_income)?;
    ledger.note_duplicates();
    Ok(ledger)
}

/// [`load`] without noting identical rows, for [`crate::analysis::analyse_unnoted`], which
/// notes them while it classifies.
///
/// # Errors
/// As [`load`].
pub fn load_unnoted(
    config: &Config,
    runtime: &Runtime,
    require_income: bool,
) -> Result<Ledger, Error> {
    let opts = ReadOptions {
        worker_exe: runtime.worker_exe.clone(),
        limits: config.limits.clone(),
        fast_xlsx: true,
    };
    let mut progress = Progress::new(runtime.progress);
    let mut builder = LedgerBuilder::new(&config.ledger);
    let paths = &config.ledgers;
    let read_ahead = std::env::var("FUNDRISK_READ_AHEAD")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(READ_AHEAD);
    let mut next = 0;
    while next < paths.len() {
        let small = paths[next..]
            .iter()
            .take(read_ahead)
            .take_while(|p| {
                std::fs::metadata(p).is_ok_and(|m| m.len() < THREADED_FROM_BYTES as u64)
            })
            .count();
        let read = if small >= 2 {
            let group = &paths[next..next + small];
            let ahead = several::read_all(group, &opts, &config.ledger);
            let mut built = Ok(());
            for (path, one) in group.iter().zip(ahead) {
                built = build_ahead(path, one, &mut builder, &mut progress, require_income);
                if built.is_err() {
                    break;
                }
            }
            next += small;
            built
        } else {
            next += 1;
            load_one(
                &paths[next - 1],
                &opts,
                config,
                &mut builder,
                &mut progress,
                require_income,
            )
        };
        if let Err(e) = read {
            progress.clear();
            return Err(e);
        }
    }
    progress.clear();
    let _step = crate::timing::step("ledger");
    Ok(builder.finish()?)
}

/// Reads one file into the builder.
fn load_one(
    path: &Path,
    opts: &ReadOptions,
    config: &Config,
    builder: &mut LedgerBuilder<'_>,
    progress: &mut Progress,
    require_income: bool,
) -> Result<(), Error> {
    let _step = crate::timing::step("read");
    if big_text_file(path) {
        crate::huge_pages::advise_big_blocks();
    }
    let step = crate::timing::step("read.bytes");
    let bytes = ingest::read_bytes(path, &opts.limits)?;
    drop(step);
    builder.begin_file(Input {
        path: path.display().to_string(),
        sha256: String::new(),
        format: "",
    });
    let info = threads::read_file(path, &bytes, opts, &config.ledger, builder, progress)?;
    builder.end_file(&info, require_income)?;
    Ok(())
}

/// A big file of text, read in parts (a CSV, most likely): the one kind of input whose memory
/// is advised to use huge pages, before its bytes are read (see [`crate::huge_pages`]).
fn big_text_file(path: &Path) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = [0u8; 8];
    file.metadata()
        .is_ok_and(|m| m.len() >= THREADED_FROM_BYTES as u64)
        && file.read_exact(&mut first).is_ok()
        && ingest::starts_as_text(first)
}

/// Builds one file read ahead, as [`load_one`] would have.
fn build_ahead(
    path: &Path,
    read: Result<several::ReadAhead, ingest::IngestError>,
    builder: &mut LedgerBuilder<'_>,
    progress: &mut Progress,
    require_income: bool,
) -> Result<(), Error> {
    let read = read?;
    builder.begin_file(Input {
        path: path.display().to_string(),
        sha256: String::new(),
        format: "",
    });
    let (events, info, sha256) = (read.events, read.info, read.sha256);
    builder.set_sha256(sha256);
    several::replay(events, &mut Tracked::new(builder, progress, path));
    builder.end_file(&info, require_income)?;
    Ok(())
}

/// The one-thread sink: the builder, with rows counted for the progress line.
pub(crate) struct Tracked<'a, 'o> {
    builder: &'a mut LedgerBuilder<'o>,
    progress: &'a mut Progress,
    file: String,
    sheet: Option<String>,
    rows: u64,
}

impl<'a, 'o> Tracked<'a, 'o> {
    pub(crate) fn new(
        builder: &'a mut LedgerBuilder<'o>,
        progress: &'a mut Progress,
        path: &Path,
    ) -> Self {
        Tracked {
            builder,
            progress,
            file: path.display().to_string(),
            sheet: None,
            rows: 0,
        }
    }
}

impl Tracked<'_, '_> {
    /// One more row was handed on; the progress bar moves every [`BATCH`] rows.
    fn counted(&mut self) {
        self.rows += 1;
        if self.rows % BATCH as u64 == 0 {
            self.progress
                .update(&self.file, self.sheet.as_deref(), self.rows);
        }
    }
}

impl RowSink for Tracked<'_, '_> {
    fn begin_sheet(&mut self, name: Option<&str>, is_1904: bool, explicit_blanks: bool) -> bool {
        self.sheet = name.map(str::to_string);
        self.rows = 0;
        self.builder.begin_sheet(name, is_1904, explicit_blanks)
    }

    fn row(&mut self, row: &RawRow) {
        self.builder.row(row);
        self.counted();
    }

    fn fields(&mut self, index: u32, fields: &[&str]) -> bool {
        let taken = self.builder.fields(index, fields);
        if taken {
            self.counted();
        }
        taken
    }

    fn end_sheet(&mut self) {
        self.builder.end_sheet();
    }

    fn abort_sheet(&mut self) {
        self.builder.abort_sheet();
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
