//! Command line: clap derive types, and turning flags plus `fundrisk.toml` into one [`Config`].
//! Everything downstream takes `&Config`, never clap's types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

use crate::ledger::classify::{ClassifyOptions, Register, Rule};
use crate::ledger::{normalise, DateOrder, LedgerOptions, Role};
use crate::metrics::{self, Settings};
use crate::Error;

/// fundrisk shows how much an organisation's income ties its hands.
#[derive(Debug, Parser)]
#[command(name = "fundrisk", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// No progress line on stderr while big files are read.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show how each ledger is read: header row, column roles, layout, rows read, included
    /// and excluded, and the first exclusions with their cells. Run this first.
    Inspect {
        #[command(flatten)]
        read: ReadArgs,
    },
    /// List every funder with its category, how it was classified, its total and the
    /// spellings merged into it.
    Classify {
        #[command(flatten)]
        read: ReadArgs,
        /// List only funders whose income is unclassified.
        #[arg(long)]
        unclassified: bool,
        /// Write a starter funders register (CSV, or TOML for a .toml path) prefilled with
        /// every funder and its current category, to correct and pass back with --funders.
        #[arg(long, value_name = "PATH")]
        write_register: Option<PathBuf>,
    },
    /// The US public support test (Form 990 Schedule A, Part II) for a tax year and the four
    /// before it.
    PublicSupport {
        #[command(flatten)]
        read: ReadArgs,
        /// The tax year (the year it begins, as on the form), e.g. 2024.
        #[arg(long, value_name = "YYYY")]
        year: i32,
        /// Line 15: last year's public support percentage, e.g. 35.2.
        #[arg(long, value_name = "P")]
        prior_percentage: Option<rust_decimal::Decimal>,
        /// Write the schedule as JSON to PATH (`-` for standard output).
        #[arg(long, value_name = "PATH|-")]
        json: Option<PathBuf>,
    },
    /// Build a peer table from 360Giving grant data (xlsx, csv or JSON): per recipient and
    /// fiscal year, grant income band, funder concentration and funder mix.
    Grants {
        /// 360Giving files.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        /// Write the peer table (CSV) to PATH; without it, or with `-`, the table goes to
        /// standard output and the reconciliation to standard error.
        #[arg(long, short = 'o', value_name = "PATH|-")]
        out: Option<PathBuf>,
        /// Order of day and month in text dates (360Giving files from the UK write day/month).
        #[arg(long, value_enum)]
        date_order: Option<DateOrder>,
        /// Month the fiscal year starts, 1–12.
        #[arg(long, value_name = "1..12", value_parser = clap::value_parser!(u32).range(1..=12))]
        fiscal_year_start: Option<u32>,
        /// Most rows read from one file.
        #[arg(long, value_name = "N", default_value_t = crate::ingest::DEFAULT_MAX_ROWS)]
        max_rows: u64,
        /// Most non-empty cells read from one file.
        #[arg(long, value_name = "N", default_value_t = crate::ingest::DEFAULT_MAX_CELLS)]
        max_cells: u64,
    },
    /// Where the organisation stands among peers: percentiles of community share, funder HHI,
    /// largest-funder share and alignment index in the same fiscal year.
    Compare {
        #[command(flatten)]
        read: ReadArgs,
        /// Peer table (CSV of peer cards or from `fundrisk grants`), or a directory of peer
        /// tables and ledgers.
        #[arg(long, value_name = "FILE|DIR")]
        peers: PathBuf,
        /// Which peers: year=FY2024 (default: the ledger's latest year), size=100k-1m or same.
        #[arg(long, value_name = "year=…,size=…")]
        filter: Option<String>,
        /// Write the analysis JSON with a `peers` section to PATH (`-` for standard output).
        #[arg(long, value_name = "PATH|-")]
        json: Option<PathBuf>,
    },
    /// Print the documented default settings file (fundrisk.toml).
    Config {
        /// Print the defaults (the only mode for now).
        #[arg(long)]
        defaults: bool,
    },
    /// Read ledgers and report on them (`--json` for the machine-readable result).
    #[command(alias = "analyze")]
    Analyse {
        #[command(flatten)]
        read: ReadArgs,
        /// Write the JSON result to PATH (`-` for standard output).
        #[arg(long, value_name = "PATH|-")]
        json: Option<PathBuf>,
        /// Write the funders table as CSV to PATH (`-` for standard output).
        #[arg(long, value_name = "PATH|-")]
        csv: Option<PathBuf>,
        /// Write an anonymised peer card (one row per fiscal year, no names, income as bands)
        /// to PATH, to pool with other organisations.
        #[arg(long, value_name = "PATH|-")]
        peer_card: Option<PathBuf>,
        /// Write the board's HTML risk report to PATH (as `fundrisk report -o PATH`).
        #[arg(long, value_name = "PATH|-")]
        html: Option<PathBuf>,
    },
    /// Write the board's HTML risk report: one self-contained file to read, print or send.
    Report {
        #[command(flatten)]
        read: ReadArgs,
        /// Output file (default: reports/<stem of the first ledger>.html; `-` for standard
        /// output).
        #[arg(short = 'o', long = "output", value_name = "PATH|-")]
        output: Option<PathBuf>,
        /// Folder of templates (report.html, macros.html, style.css) that replace the
        /// built-in ones.
        #[arg(long, value_name = "DIR")]
        template: Option<PathBuf>,
        /// Leave out the generation date (otherwise SOURCE_DATE_EPOCH, or today), so the
        /// same inputs give the same file.
        #[arg(long)]
        no_date: bool,
        /// Add the US public support test (Form 990 Schedule A Part II) for this tax year.
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// With --year: line 15, last year's public support percentage, e.g. 35.2.
        #[arg(long, value_name = "P", requires = "year")]
        prior_percentage: Option<rust_decimal::Decimal>,
        /// Add a section comparing the organisation with peers (a peer table or a directory).
        #[arg(long, value_name = "FILE|DIR")]
        peers: Option<PathBuf>,
        /// With --peers: which peers, as for `compare`.
        #[arg(long, value_name = "year=…,size=…", requires = "peers")]
        filter: Option<String>,
    },
}

/// Flags shared by every command that reads ledgers.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Ledger files: .xlsx, .xlsm, .xlsb, .xls, .ods, .csv or .tsv (several are combined).
    #[arg(value_name = "LEDGER", required = true)]
    pub ledgers: Vec<PathBuf>,
    /// Read only this sheet (repeat for more).
    #[arg(long = "sheet", value_name = "NAME")]
    pub sheets: Vec<String>,
    /// Settings file (default: ./fundrisk.toml when it exists).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Month the fiscal year starts, 1–12; years are named by the year they end in (FY2024).
    #[arg(long, value_name = "1..12", value_parser = clap::value_parser!(u32).range(1..=12))]
    pub fiscal_year_start: Option<u32>,
    /// Order of day and month in text dates such as 03/04/2024.
    #[arg(long, value_enum)]
    pub date_order: Option<DateOrder>,
    /// Amounts are written 1.250,00 (comma before the decimals).
    #[arg(long)]
    pub decimal_comma: bool,
    /// Currency of amounts that name none, as an ISO code such as GBP.
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// Funders register (CSV or TOML): names, aliases, identifiers, categories, attributes.
    #[arg(long, value_name = "FILE")]
    pub funders: Option<PathBuf>,
    /// Name private individuals in outputs (they are "private individual" otherwise).
    #[arg(long)]
    pub show_individuals: bool,
    /// Exit with code 3 when any row is excluded (other than totals), anything is ambiguous,
    /// or any income is unclassified.
    #[arg(long)]
    pub strict: bool,
    /// Refuse a file with more than N rows of data (a guard against hostile files).
    #[arg(long, value_name = "N", default_value_t = crate::ingest::DEFAULT_MAX_ROWS)]
    pub max_rows: u64,
    /// Refuse a file with more than N non-empty cells (a guard against hostile files).
    #[arg(long, value_name = "N", default_value_t = crate::ingest::DEFAULT_MAX_CELLS)]
    pub max_cells: u64,
}

/// The documented default settings file.
#[must_use]
pub fn defaults_file() -> String {
    format!(
        "# fundrisk.toml: settings for fundrisk. Every value shown is the default.\n\
         # Flags on the command line win over this file.\n\n\
         [ledger]\n\
         # Month (1-12) in which the fiscal year starts; years are named by the year they end in.\n\
         fiscal_year_start = 1\n\
         # Order of day and month in text dates like 03/04/2024: \"dmy\", \"mdy\" or \"ymd\" (no default).\n\
         # date_order = \"dmy\"\n\
         # Amounts are written 1.250,00.\n\
         decimal_comma = false\n\
         # Currency of amounts that name none (no default).\n\
         # currency = \"GBP\"\n\n\
         # Header text -> role (date, amount, funder, category, restricted, funder_id, currency, description).\n\
         [columns]\n\
         # \"Gift value (net)\" = \"amount\"\n\n\
         # Keyword rules for funder names, tried before the built-in ones.\n\
         # [[rules]]\n\
         # contains = \"Housing Association\"\n\
         # category = \"other\"\n\n\
         # US public support test (Form 990 Schedule A Part II): which income feeds which line.\n\
         [public_support]\n\
         lines = {{ government = 1, foundation = 1, corporate = 1, community = 1, crowdsourced = 1, earned = 12, other = 10, unclassified = 10 }}\n\
         investment_words = [\"interest\", \"dividend\", \"dividends\", \"rent\", \"rents\", \"rental\", \"royalty\", \"royalties\"]\n\
         labels = {{ \"government in-kind\" = 3, \"services furnished by a governmental unit\" = 3, \"tax levy\" = 2, \"tax revenue\" = 2, \"unrelated business\" = 9 }}\n\
         government_is_governmental_unit = true\n\n\
         {}",
        metrics::defaults_toml()
    )
}

/// The settings file, `fundrisk.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub ledger: LedgerSection,
    /// Header text → role, for headers the built-in synonyms do not know.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Keyword rules for funder names, tried before the built-in ones.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Alignment weights per category.
    #[serde(default)]
    pub weights: metrics::Weights,
    #[serde(default)]
    pub alignment: metrics::AlignmentSettings,
    /// Band thresholds.
    #[serde(default)]
    pub bands: metrics::BandSettings,
    /// Annual expenditure and reserves, for months of runway.
    #[serde(default)]
    pub stress: metrics::StressSettings,
    /// Which income feeds which line of the US public support test.
    #[serde(default)]
    pub public_support: crate::public_support::PublicSupportSettings,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerSection {
    pub fiscal_year_start: Option<u32>,
    pub date_order: Option<DateOrder>,
    pub decimal_comma: Option<bool>,
    pub currency: Option<String>,
}

/// Everything a run needs, resolved from flags and the settings file.
#[derive(Debug, Clone)]
pub struct Config {
    pub ledgers: Vec<PathBuf>,
    pub ledger: LedgerOptions,
    pub strict: bool,
    pub classify: ClassifyOptions,
    pub show_individuals: bool,
    /// Weights, thresholds and stress-test inputs in force.
    pub settings: Settings,
    /// The public support test's line mapping.
    pub public_support: crate::public_support::PublicSupportSettings,
    /// The settings file that was read, if any.
    pub config_path: Option<PathBuf>,
    /// Size, time, row and cell limits for each input file.
    pub limits: crate::ingest::Limits,
}

impl Config {
    /// Resolves flags over the settings file over the defaults.
    ///
    /// # Errors
    /// A settings file that cannot be read or has unknown keys, roles or values.
    pub fn from_args(args: &ReadArgs) -> Result<Config, Error> {
        let (file, config_path) = load_config(args.config.as_deref())?;
        let mut columns = BTreeMap::new();
        for (header, role) in &file.columns {
            let role_value = Role::from_name(role).ok_or_else(|| Error::Config {
                path: config_path.clone().unwrap_or_default(),
                message: format!(
                    "[columns] maps {header:?} to {role:?}, which is not a role (roles: {})",
                    Role::ALL
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
            columns.insert(normalise(header), role_value);
        }
        let fiscal_year_start = args
            .fiscal_year_start
            .or(file.ledger.fiscal_year_start)
            .unwrap_or(1);
        if !(1..=12).contains(&fiscal_year_start) {
            return Err(Error::Config {
                path: config_path.unwrap_or_default(),
                message: format!(
                    "[ledger] fiscal_year_start = {fiscal_year_start} is not a month 1–12"
                ),
            });
        }
        let currency = match args.currency.clone().or(file.ledger.currency) {
            Some(c) => Some(crate::ledger::currency_code(&c, "USD").ok_or_else(|| {
                Error::Usage(format!(
                    "currency {c:?} is not an ISO 4217 code such as GBP, USD or EUR"
                ))
            })?),
            None => None,
        };
        let register = match &args.funders {
            Some(p) => Some(Register::load(p)?),
            None => None,
        };
        let settings = Settings {
            weights: file.weights,
            alignment: file.alignment,
            bands: file.bands,
            stress: file.stress,
        };
        settings.validate().map_err(|e| Error::Config {
            path: config_path.clone().unwrap_or_default(),
            message: e.to_string(),
        })?;
        Ok(Config {
            public_support: file.public_support,
            settings,
            classify: ClassifyOptions {
                register,
                rules: file.rules,
            },
            show_individuals: args.show_individuals,
            ledgers: args.ledgers.clone(),
            ledger: LedgerOptions {
                fiscal_year_start,
                date_order: args.date_order.or(file.ledger.date_order),
                decimal_comma: args.decimal_comma || file.ledger.decimal_comma.unwrap_or(false),
                currency,
                columns,
                sheets: args.sheets.clone(),
            },
            strict: args.strict,
            config_path,
            limits: crate::ingest::Limits {
                max_rows: args.max_rows,
                max_cells: args.max_cells,
                ..crate::ingest::Limits::default()
            },
        })
    }
}

fn load_config(explicit: Option<&Path>) -> Result<(ConfigFile, Option<PathBuf>), Error> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let default = PathBuf::from("fundrisk.toml");
            if !default.is_file() {
                return Ok((ConfigFile::default(), None));
            }
            default
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Config {
        path: path.clone(),
        message: format!("cannot read it: {e}"),
    })?;
    let file: ConfigFile = toml::from_str(&text).map_err(|e| Error::Config {
        path: path.clone(),
        message: e.to_string().trim_end().to_string(),
    })?;
    Ok((file, Some(path)))
}
