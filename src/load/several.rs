//! Several small files read at once: each is parsed on a thread of its own (rayon) into a
//! record of what its reader told the sink, and the records are then handed to the one
//! ledger builder in the order the files were given. The builder sees exactly what it would
//! have seen reading the files one after another, so the ledger is the same.

use std::path::PathBuf;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::{hex, Tracked};
use crate::ingest::{self, BookInfo, RawRow, ReadOptions, RowSink};
use crate::ledger::LedgerOptions;

/// What a reader told its sink, in order.
pub(super) enum Event {
    Begin {
        name: Option<String>,
        is_1904: bool,
        explicit_blanks: bool,
    },
    Row(RawRow),
    End,
    Abort,
}

/// A sink that keeps every call, answering as the building sink would.
struct Recorded<'a> {
    wants: &'a LedgerOptions,
    events: Vec<Event>,
}

impl RowSink for Recorded<'_> {
    fn begin_sheet(&mut self, name: Option<&str>, is_1904: bool, explicit_blanks: bool) -> bool {
        self.events.push(Event::Begin {
            name: name.map(str::to_string),
            is_1904,
            explicit_blanks,
        });
        self.wants.wants_sheet(name)
    }

    fn row(&mut self, row: &RawRow) {
        self.events.push(Event::Row(row.clone()));
    }

    fn take_row(&mut self, row: &mut RawRow) {
        let empty = RawRow {
            index: 0,
            cells: Vec::new(),
        };
        self.events.push(Event::Row(std::mem::replace(row, empty)));
    }

    fn end_sheet(&mut self) {
        self.events.push(Event::End);
    }

    fn abort_sheet(&mut self) {
        self.events.push(Event::Abort);
    }
}

/// One file read ahead: its reader's answer, its events and its SHA-256.
pub(super) struct ReadAhead {
    pub(super) events: Vec<Event>,
    pub(super) info: BookInfo,
    pub(super) sha256: String,
}

/// Reads `paths` in parallel; results in the same order.
pub(super) fn read_all(
    paths: &[PathBuf],
    opts: &ReadOptions,
    wants: &LedgerOptions,
) -> Vec<Result<ReadAhead, ingest::IngestError>> {
    paths
        .par_iter()
        .map(|path| {
            let bytes = ingest::read_bytes(path, &opts.limits)?;
            let mut sink = Recorded {
                wants,
                events: Vec::new(),
            };
            let info = ingest::stream_file(path, &bytes, opts, &mut sink)?;
            Ok(ReadAhead {
                events: sink.events,
                info,
                sha256: hex(&Sha256::digest(&bytes)),
            })
        })
        .collect()
}

/// Hands the recorded calls to the building sink.
pub(super) fn replay(events: Vec<Event>, sink: &mut Tracked<'_, '_>) {
    for event in events {
        match event {
            Event::Begin {
                name,
                is_1904,
                explicit_blanks,
            } => {
                sink.begin_sheet(name.as_deref(), is_1904, explicit_blanks);
            }
            Event::Row(row) => sink.row(&row),
            Event::End => sink.end_sheet(),
            Event::Abort => sink.abort_sheet(),
        }
    }
}
