//! A fast reader for the cells of an .xlsx worksheet, beside calamine's.
//!
//! calamine still opens every workbook (relationships, sheet names, styles, shared strings)
//! and is asked for each sheet's cell reader; this module then reads the zip entry calamine
//! opened for that sheet (found from where calamine's reader seeked) with a scanner that
//! handles the plain XML spreadsheet producers write, and gives the same cells calamine would.
//! Whatever it does not read exactly as calamine does, it reports as [`Unsupported`] and the
//! sheet is read again by calamine: the scanner is a faster path to the same cells, never a
//! second opinion. On the 1M-row benchmark sheet it cut `analyse` from 2.47 s to 1.20 s
//! (docs/performance.md).

mod cell;
mod formats;
mod pipe;
mod scan;
mod sheet;
mod strings;
mod text;

use std::collections::HashMap;
use std::io::Cursor;

use calamine::Style;

use super::limits::{DeadlineReader, SeekLog};
pub(crate) use formats::builtin_code;
pub(crate) use scan::{Halt, Unsupported};

/// The longest unit (one cell, one shared string) the scanner holds; longer ones go to
/// calamine.
const WINDOW_CAP: usize = 8 << 20;

type Zip<'b> = zip::ZipArchive<DeadlineReader<Cursor<&'b [u8]>>>;

/// One .xlsx package as the fast reader sees it.
pub(crate) struct Package<'b> {
    zip: Zip<'b>,
    /// Where calamine's reader seeked.
    log: SeekLog,
    /// Entry index by local-header offset.
    by_offset: HashMap<u64, usize>,
    /// The shared-strings entry calamine read when it opened the workbook.
    strings_entry: Option<usize>,
    /// The table, once read (`None` inside when it could not be read here).
    strings: Option<Option<strings::SharedStrings>>,
    /// Each style's number-format kind, once worked out.
    formats: Option<Vec<formats::CellFormat>>,
    /// The entry of each sheet read so far.
    sheets: HashMap<String, usize>,
}

impl<'b> Package<'b> {
    /// Opens the package a second time, for reading entries calamine has chosen. `log` holds
    /// the seeks calamine made while it opened the workbook. `None` when the package cannot be
    /// opened this way (calamine then reads every sheet).
    pub(crate) fn new(source: DeadlineReader<Cursor<&'b [u8]>>, log: SeekLog) -> Option<Self> {
        let zip = zip::ZipArchive::new(source).ok()?;
        let mut by_offset = HashMap::new();
        let mut names = Vec::new();
        for i in 0..zip.len() {
            let entry = zip.by_index_data(i).ok()?;
            by_offset.insert(entry.header_start(), i);
            names.push(String::from_utf8_lossy(entry.name_raw()).to_ascii_lowercase());
        }
        let opened: Vec<u64> = log.lock().ok()?.drain(..).collect();
        let strings_entry = opened
            .iter()
            .filter_map(|at| by_offset.get(at).copied())
            .find(|&i| names[i].rsplit('/').next() == Some("sharedstrings.xml"));
        Some(Package {
            zip,
            log,
            by_offset,
            strings_entry,
            strings: None,
            formats: None,
            sheets: HashMap::new(),
        })
    }

    /// Forgets the seeks so far: call just before asking calamine for a sheet's reader.
    pub(crate) fn watch(&self) {
        if let Ok(mut log) = self.log.lock() {
            log.clear();
        }
    }

    /// The entry calamine opened for `sheet` since [`Package::watch`]: the one whose local
    /// header it seeked to (on a second reading of the sheet, the one found the first time).
    fn sheet_entry(&mut self, sheet: &str) -> Option<usize> {
        if let Some(&i) = self.sheets.get(sheet) {
            return Some(i);
        }
        let log = self.log.lock().ok()?;
        let mut found = log.iter().filter_map(|at| self.by_offset.get(at).copied());
        let entry = found.next()?;
        drop(log);
        self.sheets.insert(sheet.to_string(), entry);
        Some(entry)
    }

    /// Reads `sheet`'s cells into `on_cell(row, column, value, style id)`.
    ///
    /// # Errors
    /// As [`sheet::scan_sheet`]; [`Halt::Unsupported`] also when the sheet's entry is not
    /// known.
    pub(crate) fn read_sheet<E>(
        &mut self,
        sheet: &str,
        styles: &[Style],
        is_1904: bool,
        on_cell: &mut sheet::OnCell<'_, E>,
    ) -> Result<(), Halt<E>> {
        let entry = self
            .sheet_entry(sheet)
            .ok_or(Unsupported("the sheet's entry was not found"))?;
        if self.strings.is_none() {
            let table = match self.strings_entry {
                None => None,
                Some(i) => match self.zip.by_index(i) {
                    Ok(file) => {
                        strings::SharedStrings::read(pipe::Utf8Checked::new(file), WINDOW_CAP).ok()
                    }
                    Err(_) => None,
                },
            };
            self.strings = Some(table);
        }
        let formats = self
            .formats
            .get_or_insert_with(|| formats::cell_formats(styles));
        let book = sheet::Book {
            strings: self.strings.as_ref().and_then(Option::as_ref),
            formats,
            is_1904,
        };
        let file = self
            .zip
            .by_index(entry)
            .map_err(|_| Unsupported("the sheet's entry could not be opened"))?;
        let big = file.size() >= pipe::WORTH_A_THREAD;
        let file = pipe::Utf8Checked::new(file);
        if !big {
            return sheet::scan_sheet(file, &book, WINDOW_CAP, on_cell);
        }
        pipe::inflated_beside(file, |inflated| {
            sheet::scan_sheet(inflated, &book, WINDOW_CAP, on_cell)
        })
    }
}

#[cfg(test)]
mod generated_tests;
#[cfg(test)]
mod tests;
