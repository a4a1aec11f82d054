//! The board's HTML risk report: one self-contained file (inline CSS and SVG, no script, no
//! external request). This module builds a view model from an [`Analysis`] ([`view`]), draws
//! the charts as SVG in Rust, and lays it all out with minijinja templates embedded from
//! `templates/` (or read from `--template DIR`), with strict undefined values and HTML
//! escaping on for every template. Every decision (bands as sentences, rounding, which text is
//! shown) is made here in Rust; templates hold no arithmetic and no thresholds.

mod alignment;
mod alignment_chart;
mod concentration;
mod format;
mod headline;
mod method;
mod mix;
mod pareto;
mod peers;
mod public_support;
mod quality;
mod stress;
mod svg;
mod view;

use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use crate::analysis::Analysis;
use crate::cli::Config;
use crate::Error;

pub use alignment::{contributions, Contribution};
pub use view::ReportView;

/// The templates, by name, as embedded at build time. `--template DIR` may replace any of them
/// with a file of the same name.
pub const TEMPLATES: [(&str, &str); 3] = [
    (
        "report.html",
        include_str!("../../../templates/report.html"),
    ),
    (
        "macros.html",
        include_str!("../../../templates/macros.html"),
    ),
    ("style.css", include_str!("../../../templates/style.css")),
];

/// Everything about a report run that is not in the [`Analysis`].
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Generation date `YYYY-MM-DD`, or `None` to leave it out.
    pub date: Option<String>,
    /// Folder whose templates replace the built-in ones.
    pub template_dir: Option<PathBuf>,
    pub show_individuals: bool,
    /// A funders register was given (so advocacy targets can be known).
    pub register_given: bool,
    /// The settings file that was read, if any.
    pub settings_source: Option<String>,
    /// The peer comparison (`report --peers`), for its section.
    pub peers: Option<crate::peers::Comparison>,
    /// The public support schedule (`report --year`), for its section.
    pub public_support: Option<crate::public_support::Schedule>,
}

/// A rendered report and the two-sentence summary the command line prints.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    pub summary: String,
}

/// Builds the view model and renders the report.
///
/// # Errors
/// A template in `--template DIR` that cannot be read, does not parse, or uses a value the
/// view model does not have.
pub fn render(analysis: &Analysis, opts: &ReportOptions) -> Result<Rendered, Error> {
    let view = view::build(analysis, opts);
    let env = environment(opts.template_dir.as_deref())?;
    let html = env
        .get_template("report.html")
        .and_then(|t| t.render(Value::from(Serde(&view))))
        .map_err(|e| template_error(&e, opts.template_dir.as_deref()))?;
    Ok(Rendered {
        html,
        summary: view.headline.summary,
    })
}

fn environment(dir: Option<&Path>) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(|e| Error::Usage(format!("template syntax: {e}")))?,
    );
    for (name, builtin) in TEMPLATES {
        let source = match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
            Some(path) => std::fs::read_to_string(&path).map_err(|e| {
                Error::Usage(format!("--template: cannot read {}: {e}", path.display()))
            })?,
            None => builtin.to_string(),
        };
        env.add_template_owned(name.to_string(), source)
            .map_err(|e| template_error(&e, dir))?;
    }
    Ok(env)
}

fn template_error(e: &minijinja::Error, dir: Option<&Path>) -> Error {
    let mut message = format!(
        "report template {}{}: {}",
        e.name().unwrap_or("?"),
        e.line().map_or(String::new(), |l| format!(" line {l}")),
        e.detail()
            .map_or_else(|| e.kind().to_string(), str::to_string)
    );
    if let Some(d) = dir {
        message.push_str(&format!(" (templates from {})", d.display()));
    }
    Error::Usage(message)
}

/// Report options from the resolved command line: the date from `SOURCE_DATE_EPOCH` (or
/// today) unless `no_date`.
///
/// # Errors
/// A `SOURCE_DATE_EPOCH` that is not a number of seconds.
pub fn options(
    config: &Config,
    template_dir: Option<&Path>,
    no_date: bool,
) -> Result<ReportOptions, Error> {
    let date = if no_date {
        None
    } else {
        Some(generation_date(
            std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        )?)
    };
    Ok(ReportOptions {
        date,
        template_dir: template_dir.map(Path::to_path_buf),
        show_individuals: config.show_individuals,
        register_given: config.classify.register.is_some(),
        settings_source: config.config_path.as_ref().map(|p| p.display().to_string()),
        peers: None,
        public_support: None,
    })
}

/// `reports/<stem of the first ledger>.html`, creating `reports/` when it is missing.
///
/// # Errors
/// When `reports/` cannot be created.
pub fn default_output(config: &Config) -> Result<PathBuf, Error> {
    let stem = config
        .ledgers
        .first()
        .and_then(|p| p.file_stem())
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    let dir = PathBuf::from("reports");
    if !dir.is_dir() {
        std::fs::create_dir_all(&dir).map_err(|e| Error::Output {
            path: dir.clone(),
            message: e.to_string(),
        })?;
    }
    Ok(dir.join(format!("{stem}.html")))
}

/// The generation date: `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) when set, else today
/// (UTC), as `YYYY-MM-DD`.
///
/// # Errors
/// When `SOURCE_DATE_EPOCH` is set but is not a whole number of seconds in range.
pub fn generation_date(source_date_epoch: Option<&str>) -> Result<String, Error> {
    let when = match source_date_epoch {
        Some(text) => {
            let secs: i64 = text.trim().parse().map_err(|_| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH={text:?} is not a number of seconds since 1970"
                ))
            })?;
            chrono::DateTime::from_timestamp(secs, 0).ok_or_else(|| {
                Error::Usage(format!("SOURCE_DATE_EPOCH={text:?} is out of range"))
            })?
        }
        None => chrono::Utc::now(),
    };
    Ok(when.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests;
