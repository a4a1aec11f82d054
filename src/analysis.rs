//! One analysis: the ledger, its classification, and the metrics for the whole ledger and
//! each fiscal year, assembled once for every output (JSON, text, report).

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::aggregate::{aggregate, agree, exact_aggregates, AggregateError};
use crate::ledger::classify::{classify, Classification, ClassifiedBy, ClassifyOptions};
use crate::ledger::{fiscal_year_bounds, Category, Ledger};
use crate::metrics::{
    compute, funder_shares, stress, trends, FunderShare, Metrics, Settings, Stress, Trends,
};

/// Metrics of one fiscal year.
#[derive(Debug, Clone)]
pub struct YearMetrics {
    /// `FY2024`.
    pub label: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub metrics: Metrics,
}

/// A funder in the overall share table, with how it was classified.
#[derive(Debug, Clone)]
pub struct FunderRow {
    pub share: FunderShare,
    pub classified_by: ClassifiedBy,
    pub individual: bool,
}

/// Everything computed from one set of ledgers.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub ledger: Ledger,
    pub classes: Classification,
    pub settings: Settings,
    pub overall: Metrics,
    pub years: Vec<YearMetrics>,
    pub funders: Vec<FunderRow>,
    pub trends: Trends,
    pub stress: Stress,
    /// `Ledger::total_included`, added up once.
    pub included_total: rust_decimal::Decimal,
    /// `Classification::unclassified_total`, added up once.
    pub unclassified_total: rust_decimal::Decimal,
}

/// Display names: private individuals become "Private individual N" (numbered by total,
/// largest first) unless `show_individuals`.
#[must_use]
pub fn display_names(classes: &Classification, show_individuals: bool) -> Vec<String> {
    let mut names: Vec<String> = classes.funders.iter().map(|f| f.name.clone()).collect();
    if show_individuals {
        return names;
    }
    let mut people: Vec<usize> = (0..classes.funders.len())
        .filter(|&i| classes.funders[i].individual)
        .collect();
    people.sort_by(|&a, &b| {
        let (fa, fb) = (&classes.funders[a], &classes.funders[b]);
        fb.total.cmp(&fa.total).then_with(|| fa.key.cmp(&fb.key))
    });
    for (n, i) in people.into_iter().enumerate() {
        names[i] = format!("Private individual {}", n + 1);
    }
    names
}

/// Classifies, aggregates and computes every metric.
///
/// # Errors
/// When aggregation fails (a bug: polars and exact totals disagree).
pub fn analyse(
    ledger: Ledger,
    opts: &ClassifyOptions,
    settings: Settings,
    show_individuals: bool,
) -> Result<Analysis, AggregateError> {
    let (classes, names) = classified(&ledger, opts, show_individuals);
    let step = crate::timing::step("aggregate");
    let aggregates = aggregate(&ledger, &classes, &names)?;
    drop(step);
    let computed = Computed::new(&classes, &aggregates, &settings, ledger.fiscal_year_start);
    Ok(assemble(
        ledger,
        classes,
        &names,
        &aggregates,
        computed,
        settings,
        show_individuals,
    ))
}

/// The classification and the names shown.
fn classified(
    ledger: &Ledger,
    opts: &ClassifyOptions,
    show_individuals: bool,
) -> (Classification, Vec<String>) {
    let _step = crate::timing::step("classify");
    let classes = classify(ledger, opts);
    let names = display_names(&classes, show_individuals);
    (classes, names)
}

/// [`analyse`] for a ledger from [`crate::load::load_unnoted`], with the work shared by two
/// threads: identical rows are noted on the second while the first classifies; then polars
/// sums the groups on the second while the first adds them up exactly and computes the
/// metrics from those sums. Nothing is returned until the two sums agree.
///
/// # Errors
/// As [`analyse`].
pub fn analyse_unnoted(
    mut ledger: Ledger,
    opts: &ClassifyOptions,
    settings: Settings,
    show_individuals: bool,
) -> Result<Analysis, AggregateError> {
    let shared = &ledger;
    let (duplicates, classes, names, done) = std::thread::scope(|scope| {
        let duplicates = scope.spawn(move || {
            let _step = crate::timing::step("duplicates");
            crate::ledger::duplicate_notes(shared)
        });
        let (classes, names) = classified(shared, opts, show_individuals);
        // A scope of its own: its thread borrows the classification made in this one.
        let done = std::thread::scope(|inner| {
            let classes = &classes;
            let by_polars = inner.spawn(move || {
                let _step = crate::timing::step("aggregate.polars");
                crate::aggregate::polars_groups(shared, classes)
            });
            let step = crate::timing::step("aggregate.exact");
            let exact = exact_aggregates(shared, classes, &names);
            drop(step);
            let computed = exact.map(|(aggregates, groups)| {
                let _step = crate::timing::step("metrics");
                let computed =
                    Computed::new(classes, &aggregates, &settings, shared.fiscal_year_start);
                (aggregates, groups, computed)
            });
            let by_polars = by_polars
                .join()
                .map_err(|_| AggregateError::Mismatch("the polars sums failed".into()));
            computed.and_then(|(aggregates, groups, computed)| {
                agree(&groups, &by_polars??, aggregates.included)?;
                Ok((aggregates, computed))
            })
        });
        (duplicates.join(), classes, names, done)
    });
    let (aggregates, computed) = done?;
    match duplicates {
        Ok(notes) => ledger.notes.extend(notes),
        // The check only adds notes; without its thread, it runs here.
        Err(_) => ledger.note_duplicates(),
    }
    Ok(assemble(
        ledger,
        classes,
        &names,
        &aggregates,
        computed,
        settings,
        show_individuals,
    ))
}

/// Everything computed from the aggregates: metrics per year, trends, stress tests, the
/// funder table.
struct Computed {
    overall: Metrics,
    years: Vec<YearMetrics>,
    funders: Vec<FunderRow>,
    trends: Trends,
    stress: Stress,
}

impl Computed {
    fn new(
        classes: &Classification,
        aggregates: &crate::aggregate::Aggregates,
        settings: &Settings,
        start_month: u32,
    ) -> Self {
        // The whole ledger's metrics and each year's are independent: computed at once.
        let (overall, years) = rayon::join(
            || compute(&aggregates.overall, settings),
            || -> Vec<YearMetrics> {
                aggregates
                    .years
                    .par_iter()
                    .map(|(fy, period)| {
                        let bounds = fiscal_year_bounds(*fy, start_month);
                        YearMetrics {
                            label: format!("FY{fy}"),
                            start: bounds.map(|b| b.0),
                            end: bounds.map(|b| b.1),
                            metrics: compute(period, settings),
                        }
                    })
                    .collect()
            },
        );
        let trend_input: Vec<(String, Metrics, Vec<String>)> = aggregates
            .years
            .iter()
            .zip(&years)
            .map(|((_, period), y)| {
                let givers = period
                    .funders
                    .iter()
                    .filter(|f| f.net > rust_decimal::Decimal::ZERO)
                    // Keys, not names: two funders may share a name but not a key.
                    .map(|f| f.key.clone())
                    .collect();
                (y.label.clone(), y.metrics.clone(), givers)
            })
            .collect();
        let trends = trends(&trend_input);
        // Stress tests are about a year's income against a year's spending: the latest
        // fiscal year.
        let stress = match (aggregates.years.last(), years.last()) {
            (Some((_, period)), Some(latest)) => stress(period, &latest.metrics, settings),
            _ => stress(&aggregates.overall, &overall, settings),
        };
        let by_key: std::collections::HashMap<&str, &crate::ledger::classify::Funder> = classes
            .funders
            .iter()
            .map(|f| (f.key.as_str(), f))
            .collect();
        let funders = funder_shares(&aggregates.overall, settings)
            .into_iter()
            .map(|share| {
                let f = by_key.get(share.key.as_str()).copied();
                FunderRow {
                    classified_by: f.map_or(ClassifiedBy::Unknown, |f| f.classified_by),
                    individual: f.is_some_and(|f| f.individual),
                    share,
                }
            })
            .collect();
        Computed {
            overall,
            years,
            funders,
            trends,
            stress,
        }
    }
}

/// The analysis, from its parts.
fn assemble(
    ledger: Ledger,
    classes: Classification,
    names: &[String],
    aggregates: &crate::aggregate::Aggregates,
    computed: Computed,
    settings: Settings,
    show_individuals: bool,
) -> Analysis {
    let Computed {
        overall,
        years,
        funders,
        trends,
        stress,
    } = computed;
    let mut analysis = Analysis {
        ledger,
        classes,
        settings,
        overall,
        years,
        funders,
        trends,
        stress,
        included_total: aggregates.included,
        unclassified_total: aggregates.unclassified,
    };
    redact_notes(&mut analysis, names, show_individuals);
    analysis
}

/// Notes written before classification may name private individuals: replace their names.
fn redact_notes(a: &mut Analysis, names: &[String], show_individuals: bool) {
    if show_individuals {
        return;
    }
    let people: Vec<(&String, &String)> = a
        .classes
        .funders
        .iter()
        .zip(names)
        .filter(|(f, _)| f.individual)
        .flat_map(|(f, shown)| f.spellings.iter().map(move |s| (s, shown)))
        .collect();
    if people.is_empty() {
        return;
    }
    for note in a.ledger.notes.iter_mut().chain(a.classes.notes.iter_mut()) {
        for (spelling, shown) in &people {
            if note.message.contains(spelling.as_str()) {
                note.message = note.message.replace(spelling.as_str(), shown);
            }
        }
    }
}

impl Analysis {
    /// Income whose category is unclassified.
    #[must_use]
    pub fn unclassified(&self) -> rust_decimal::Decimal {
        self.unclassified_total
    }

    /// The overall share of a category, if defined.
    #[must_use]
    pub fn category_share(&self, c: Category) -> Option<f64> {
        self.overall.category_shares.get(&c).copied().flatten()
    }
}
