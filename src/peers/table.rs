//! The peer table on disk: the CSV that peer cards and `fundrisk grants` write and `compare`
//! reads, and the files a peer directory holds.

use std::path::{Path, PathBuf};

use super::{PeerError, PeerRow};

/// Writes peer rows as CSV with a header.
#[must_use]
pub fn to_csv(rows: &[PeerRow]) -> String {
    let mut w = csv::WriterBuilder::new()
        .has_headers(true)
        .from_writer(Vec::new());
    for r in rows {
        let mut r = r.clone();
        r.peer = crate::ledger::classify::neutralise(&r.peer);
        let _ = w.serialize(r);
    }
    if rows.is_empty() {
        let _ = w.write_record(HEADER);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

const HEADER: [&str; 16] = [
    "peer",
    "year",
    "currency",
    "income_band",
    "funder_count",
    "community_share",
    "hhi_funders",
    "top1_share",
    "alignment_index",
    "government_share",
    "foundation_share",
    "corporate_share",
    "source",
    "grant_income",
    "grant_count",
    "year_start",
];

/// True when CSV text starts with the peer-table header (rather than being a ledger).
#[must_use]
pub fn is_peer_table(text: &str) -> bool {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    first.contains("income_band") && first.contains("community_share")
}

/// Reads a peer table (CSV with the peer header).
///
/// # Errors
/// When the file cannot be read or a row does not parse.
pub fn read_table(path: &Path) -> Result<Vec<PeerRow>, PeerError> {
    let err = |message: String| PeerError::Read {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(format!("cannot read it: {e}")))?;
    let text = text.trim_start_matches('\u{feff}');
    if !is_peer_table(text) {
        return Err(err("not a peer table (its first line must be the peer header: peer,year,currency,income_band,…)".into()));
    }
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, r) in rdr.deserialize::<PeerRow>().enumerate() {
        rows.push(r.map_err(|e| err(format!("line {}: {e}", i + 2)))?);
    }
    Ok(rows)
}

/// Files a peer directory holds: peer tables and ledgers, sorted.
///
/// # Errors
/// When the directory cannot be listed.
pub fn list_dir(dir: &Path) -> Result<Vec<PathBuf>, PeerError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| PeerError::Read {
            path: dir.display().to_string(),
            message: format!("cannot list it: {e}"),
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    matches!(
                        e.to_ascii_lowercase().as_str(),
                        "csv" | "tsv" | "xlsx" | "xlsm" | "xlsb" | "xls" | "ods"
                    )
                })
        })
        .collect();
    files.sort();
    Ok(files)
}
