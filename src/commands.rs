//! The peer commands: `grants` (360Giving data → a peer table) and `compare` (a ledger among
//! its peers), and the peer rows a `--peers` file or directory gives (also for `report`).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::cli::{Config, ReadArgs};
use crate::ledger::DateOrder;
use crate::{analysis, ingest, load, metrics, peers, report, Error, Runtime};

/// `fundrisk grants`: the peer table to `out` (or standard output, with the reconciliation on
/// standard error so the table stays a clean CSV). `limits` is (max rows, max cells).
pub(crate) fn grants(
    files: &[PathBuf],
    out: Option<&Path>,
    date_order: Option<DateOrder>,
    fiscal_year_start: Option<u32>,
    limits: (u64, u64),
    runtime: &Runtime,
) -> Result<(), Error> {
    let opts = ingest::ReadOptions {
        worker_exe: runtime.worker_exe.clone(),
        limits: ingest::Limits {
            max_rows: limits.0,
            max_cells: limits.1,
            ..ingest::Limits::default()
        },
        fast_xlsx: true,
    };
    let outcome = peers::read_grants(
        files,
        &opts,
        date_order,
        fiscal_year_start.unwrap_or(1),
        &metrics::Settings::default(),
    )
    .map_err(|m| Error::Peers(peers::PeerError::Grants(m)))?;
    let summary = report::peers::grants_summary(&outcome);
    let table = peers::to_csv(&outcome.rows);
    match out {
        Some(path) if path.as_os_str() != "-" => {
            report::write::write_output(path, table.as_bytes(), files)?;
            print!("{summary}");
        }
        _ => {
            print!("{table}");
            eprint!("{summary}");
        }
    }
    Ok(())
}

/// `fundrisk compare`: where the ledger stands among the peers of `peer_path`.
pub(crate) fn compare(
    read: &ReadArgs,
    peer_path: &Path,
    filter: Option<&str>,
    json: Option<&Path>,
    runtime: &Runtime,
) -> Result<(), Error> {
    let config = Config::from_args(read)?;
    let filter = peers::Filter::parse(filter.unwrap_or(""))?;
    let peer_rows = load_peers(peer_path, &config, runtime)?;
    let ledger = load::load_unnoted(&config, runtime, true)?;
    let analysis = analysis::analyse_unnoted(
        ledger,
        &config.classify,
        config.settings.clone(),
        config.show_individuals,
    )?;
    let comparison = peers::compare(&analysis, &peer_rows, &filter)?;
    match json {
        Some(path) => {
            let text = report::json::render_with_peers(&analysis, &comparison);
            report::write::write_output(path, text.as_bytes(), &config.ledgers)?;
        }
        None => print!("{}", report::peers::render(&comparison)),
    }
    Ok(())
}

/// Peer rows from a peer table, or from every peer table and ledger in a directory.
pub(crate) fn load_peers(
    path: &Path,
    config: &Config,
    runtime: &Runtime,
) -> Result<Vec<peers::PeerRow>, Error> {
    let files = if path.is_dir() {
        peers::list_dir(path)?
    } else {
        vec![path.to_path_buf()]
    };
    let mut rows = Vec::new();
    for f in files {
        // The first 4 KiB tell a peer table from a ledger; the file is read whole only once,
        // by whichever reader it is for.
        let mut head = Vec::new();
        if let Ok(file) = std::fs::File::open(&f) {
            let _ = file.take(4096).read_to_end(&mut head);
        }
        if peers::is_peer_table(&String::from_utf8_lossy(&head)) {
            rows.extend(peers::read_table(&f)?);
        } else {
            let mut one = config.clone();
            one.ledgers = vec![f.clone()];
            let ledger = load::load_unnoted(&one, runtime, true)?;
            let analysis =
                analysis::analyse_unnoted(ledger, &one.classify, one.settings.clone(), false)?;
            rows.extend(peers::peer_card(&analysis));
        }
    }
    Ok(rows)
}
