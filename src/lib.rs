//! fundrisk: how much an organisation's income ties its hands.
//!
//! Data flows one way: file → rows ([`ingest`]) → ledger ([`ledger`]) → outputs ([`report`]).
//! [`run`] wires a parsed command line to that flow; `main` only maps its result to an exit code.

pub mod aggregate;
pub mod analysis;
pub mod cli;
mod commands;
pub mod huge_pages;
pub mod ingest;
pub mod ledger;
pub mod load;
pub mod metrics;
pub mod panic_guard;
pub mod peers;
pub mod progress;
pub mod public_support;
pub mod report;
pub mod timing;

// Unit tests allocate through the allocator the executable uses.
#[cfg(test)]
#[global_allocator]
static ALLOCATOR: huge_pages::HugePages = huge_pages::HugePages;

use std::path::PathBuf;

use cli::{Cli, Command, Config};
use ingest::IngestError;
use ledger::{ExclusionReason, Ledger, LedgerError, Severity};
pub use load::load;

/// Exit codes, as documented in the README.
pub mod exit {
    pub const OK: i32 = 0;
    pub const INPUT: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const STRICT: i32 = 3;
}

/// Everything that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Register(#[from] ledger::classify::RegisterError),
    #[error(transparent)]
    Aggregate(#[from] aggregate::AggregateError),
    #[error(transparent)]
    Peers(#[from] peers::PeerError),
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
    #[error("{}: cannot write: {message}", path.display())]
    Output { path: PathBuf, message: String },
    #[error("--strict: {0}")]
    Strict(String),
    #[error("internal error: {0}; please report this with the file")]
    Internal(String),
}

impl Error {
    /// The process exit code for this error.
    #[must_use]
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Config { .. } => exit::USAGE,
            Error::Strict(_) => exit::STRICT,
            _ => exit::INPUT,
        }
    }
}

/// Options for the process as a whole, set by `main`.
#[derive(Debug, Clone, Default)]
pub struct Runtime {
    /// This executable, used to run whole-workbook parsers in a child process.
    pub worker_exe: Option<PathBuf>,
    /// Show reading progress on stderr (when it is a terminal and reading takes a while).
    pub progress: bool,
    /// The process ends when the command does: a big result is left for the end of the
    /// process to free instead of being freed a piece at a time (a million entries take a
    /// tenth of a second to free).
    pub exiting: bool,
}

impl Runtime {
    /// Lets go of `value`: frees it, or leaves it to the end of the process.
    fn release<T>(&self, value: T) {
        if self.exiting {
            std::mem::forget(value);
        }
    }
}

/// Runs a parsed command line, writing results to standard output.
///
/// # Errors
/// Any [`Error`]; the caller prints it and exits with [`Error::exit_code`].
pub fn run(cli: &Cli, runtime: &Runtime) -> Result<(), Error> {
    match &cli.command {
        Command::Inspect { read } => {
            let config = Config::from_args(read)?;
            let ledger = load(&config, runtime, false)?;
            print!("{}", report::inspect::render(&ledger));
            strict_check(&config, &ledger, None)
        }
        Command::Classify {
            read,
            unclassified,
            write_register,
        } => {
            let config = Config::from_args(read)?;
            let ledger = load(&config, runtime, true)?;
            let classes = ledger::classify::classify(&ledger, &config.classify);
            print!(
                "{}",
                report::classify::render(&ledger, &classes, *unclassified)
            );
            if let Some(path) = write_register {
                let register = report::classify::starter_register(&classes);
                let text = if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
                {
                    toml::to_string(&register).map_err(|e| Error::Output {
                        path: path.clone(),
                        message: e.to_string(),
                    })?
                } else {
                    register.to_csv()
                };
                report::write::write_output(path, text.as_bytes(), &config.ledgers)?;
                eprintln!(
                    "wrote a register of {} funders to {}; correct it and pass it back with --funders",
                    register.funders.len(),
                    path.display()
                );
            }
            strict_check(&config, &ledger, Some(&classes))
        }
        Command::Analyse {
            read,
            json,
            csv,
            html,
            peer_card,
        } => {
            let config = Config::from_args(read)?;
            let ledger = load::load_unnoted(&config, runtime, true)?;
            let analysis = analysis::analyse_unnoted(
                ledger,
                &config.classify,
                config.settings.clone(),
                config.show_individuals,
            )?;
            if let Some(path) = json {
                let _step = timing::step("json");
                let text = report::json::render(&analysis);
                report::write::write_output(path, text.as_bytes(), &config.ledgers)?;
            }
            if let Some(path) = csv {
                let text = report::summary::funders_csv(&analysis);
                report::write::write_output(path, text.as_bytes(), &config.ledgers)?;
            }
            if let Some(path) = html {
                let opts = report::html::options(&config, None, false)?;
                let rendered = report::html::render(&analysis, &opts)?;
                report::write::write_output(path, rendered.html.as_bytes(), &config.ledgers)?;
            }
            if let Some(path) = peer_card {
                let text = peers::to_csv(&peers::peer_card(&analysis));
                report::write::write_output(path, text.as_bytes(), &config.ledgers)?;
            }
            if json.is_none() && csv.is_none() && html.is_none() && peer_card.is_none() {
                print!("{}", report::summary::render(&analysis));
            }
            let checked = strict_check(&config, &analysis.ledger, Some(&analysis.classes));
            runtime.release(analysis);
            checked
        }
        Command::Report {
            read,
            output,
            template,
            no_date,
            year,
            prior_percentage,
            peers: peer_path,
            filter,
        } => {
            let config = Config::from_args(read)?;
            let filter = peers::Filter::parse(filter.as_deref().unwrap_or(""))?;
            let peer_rows = match peer_path {
                Some(p) => Some(commands::load_peers(p, &config, runtime)?),
                None => None,
            };
            let ledger = load::load_unnoted(&config, runtime, true)?;
            let analysis = analysis::analyse_unnoted(
                ledger,
                &config.classify,
                config.settings.clone(),
                config.show_individuals,
            )?;
            let mut opts = report::html::options(&config, template.as_deref(), *no_date)?;
            if let Some(rows) = &peer_rows {
                opts.peers = Some(peers::compare(&analysis, rows, &filter)?);
            }
            if let Some(year) = year {
                let names = analysis::display_names(&analysis.classes, config.show_individuals);
                let prepared = public_support::prepare(
                    &analysis.ledger,
                    &analysis.classes,
                    &names,
                    &config.public_support,
                    *year,
                );
                let prior = prior_percentage.map(|p| p / rust_decimal::Decimal::ONE_HUNDRED);
                opts.public_support = Some(public_support::schedule(&prepared, prior));
            }
            let rendered = report::html::render(&analysis, &opts)?;
            let path = match output {
                Some(p) => p.clone(),
                None => report::html::default_output(&config)?,
            };
            report::write::write_output(&path, rendered.html.as_bytes(), &config.ledgers)?;
            if path.as_os_str() == "-" {
                eprintln!("{}", rendered.summary);
            } else {
                println!("wrote {}\n{}", path.display(), rendered.summary);
            }
            let checked = strict_check(&config, &analysis.ledger, Some(&analysis.classes));
            runtime.release(analysis);
            checked
        }
        Command::PublicSupport {
            read,
            year,
            prior_percentage,
            json,
        } => {
            let config = Config::from_args(read)?;
            let ledger = load(&config, runtime, true)?;
            let classes = ledger::classify::classify(&ledger, &config.classify);
            let names = analysis::display_names(&classes, config.show_individuals);
            let prepared =
                public_support::prepare(&ledger, &classes, &names, &config.public_support, *year);
            let prior = prior_percentage.map(|p| p / rust_decimal::Decimal::ONE_HUNDRED);
            let schedule = public_support::schedule(&prepared, prior);
            match json {
                Some(path) => {
                    let text = report::public_support::json(&schedule, ledger.currency.as_deref());
                    report::write::write_output(path, text.as_bytes(), &config.ledgers)?;
                }
                None => print!(
                    "{}",
                    report::public_support::render(&schedule, ledger.currency.as_deref())
                ),
            }
            strict_check(&config, &ledger, Some(&classes))
        }
        Command::Grants {
            files,
            out,
            date_order,
            fiscal_year_start,
            max_rows,
            max_cells,
        } => commands::grants(
            files,
            out.as_deref(),
            *date_order,
            *fiscal_year_start,
            (*max_rows, *max_cells),
            runtime,
        ),
        Command::Compare {
            read,
            peers: peer_path,
            filter,
            json,
        } => commands::compare(read, peer_path, filter.as_deref(), json.as_deref(), runtime),
        Command::Config { defaults: _ } => {
            print!("{}", cli::defaults_file());
            Ok(())
        }
    }
}

fn strict_check(
    config: &Config,
    ledger: &Ledger,
    classes: Option<&ledger::classify::Classification>,
) -> Result<(), Error> {
    if !config.strict {
        return Ok(());
    }
    let excluded: Vec<String> = ledger
        .exclusions
        .iter()
        .filter(|e| e.reason != ExclusionReason::Total)
        .take(3)
        .map(|e| format!("{} at {}", e.reason, ledger.locate(&e.at)))
        .collect();
    let n_excluded = ledger
        .exclusions
        .iter()
        .filter(|e| e.reason != ExclusionReason::Total)
        .count();
    let warnings: Vec<&ledger::Note> = ledger
        .notes
        .iter()
        .filter(|n| n.severity == Severity::Warning)
        .collect();
    let unclassified = classes.map_or(rust_decimal::Decimal::ZERO, |c| {
        c.unclassified_total(ledger)
    });
    if n_excluded == 0 && warnings.is_empty() && unclassified.is_zero() {
        return Ok(());
    }
    let mut parts = Vec::new();
    if !unclassified.is_zero() {
        parts.push(format!(
            "{} of income is unclassified (run `fundrisk classify --unclassified` and add those funders to a register)",
            report::money_display(unclassified, ledger.currency.as_deref())
        ));
    }
    if n_excluded > 0 {
        parts.push(format!(
            "{n_excluded} row(s) excluded (first: {})",
            excluded.join("; ")
        ));
    }
    if let Some(w) = warnings.first() {
        parts.push(format!(
            "{} data-quality warning(s) (first: {}{})",
            warnings.len(),
            w.message,
            w.location
                .as_deref()
                .map_or(String::new(), |l| format!(" at {l}"))
        ));
    }
    Err(Error::Strict(format!(
        "{}\n  hint: run `fundrisk inspect` to see every exclusion, fix the ledger, or drop --strict",
        parts.join("; ")
    )))
}
