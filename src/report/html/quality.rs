//! Data quality and reconciliation: what was read, included and set aside (each exclusion
//! with its cell), unclassified income, merged spellings and every other note. Text that came
//! from the ledger is passed through the same redaction as the analysis notes, so a private
//! individual's name never reaches the page unless `--show-individuals` asked for it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::format::count;
use super::view::Table;
use super::ReportOptions;
use crate::analysis::{display_names, Analysis};
use crate::ledger::{Category, ExclusionReason, Severity};
use crate::report::money_display;

/// Exclusions listed openly up to this many; more go into a collapsed list.
pub const OPEN_EXCLUSIONS: usize = 8;

#[derive(Debug, Serialize)]
pub struct NoteView {
    pub severity: &'static str,
    pub message: String,
    pub location: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct QualityView {
    pub inputs: Table,
    pub reconciliation: Table,
    pub reconciles: String,
    pub exclusion_summary: Vec<String>,
    pub exclusions: Option<Table>,
    pub exclusions_collapsed: bool,
    pub unclassified: String,
    pub merged: Vec<String>,
    pub notes: Vec<NoteView>,
    pub individuals: Option<String>,
}

/// What an exclusion reason means, for a board reader.
#[must_use]
pub fn reason_text(r: ExclusionReason) -> &'static str {
    match r {
        ExclusionReason::Total => "a total or subtotal row, not income",
        ExclusionReason::RepeatedHeader => "the header row, repeated",
        ExclusionReason::NoAmount => "the amount cell is empty",
        ExclusionReason::NotANumber => "the amount is not a number",
        ExclusionReason::NoDate => "the date cell is empty",
        ExclusionReason::BadDate => "the date is not a real date",
    }
}

/// Replaces every spelling of a private individual's name in `text` with their display name.
struct Redactor {
    people: Vec<(String, String)>,
}

impl Redactor {
    fn new(a: &Analysis, show_individuals: bool) -> Redactor {
        if show_individuals {
            return Redactor { people: Vec::new() };
        }
        let names = display_names(&a.classes, false);
        let mut people: Vec<(String, String)> = a
            .classes
            .funders
            .iter()
            .zip(names)
            .filter(|(f, _)| f.individual)
            .flat_map(|(f, shown)| {
                f.spellings
                    .iter()
                    .chain(std::iter::once(&f.name))
                    .map(move |s| (s.clone(), shown.clone()))
                    .collect::<Vec<_>>()
            })
            .filter(|(s, _)| !s.trim().is_empty())
            .collect();
        // Longest first, so "Jane Roe-Smith" goes before "Jane Roe".
        people.sort_by(|x, y| y.0.len().cmp(&x.0.len()).then_with(|| x.0.cmp(&y.0)));
        Redactor { people }
    }

    fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (spelling, shown) in &self.people {
            if out.contains(spelling.as_str()) {
                out = out.replace(spelling.as_str(), shown);
            }
        }
        out
    }
}

#[must_use]
pub fn build(a: &Analysis, opts: &ReportOptions) -> QualityView {
    let l = &a.ledger;
    let cur = l.currency.as_deref();
    let redact = Redactor::new(a, opts.show_individuals);
    let inputs = Table {
        caption: "Files read".into(),
        head: ["File", "Format", "SHA-256 of the file"]
            .map(String::from)
            .to_vec(),
        numeric: vec![false, false, false],
        rows: l
            .inputs
            .iter()
            .map(|i| vec![i.path.clone(), i.format.to_string(), i.sha256.clone()])
            .collect(),
        foot: None,
    };
    let (inc, exc) = (a.included_total, l.total_excluded());
    let reconciliation = Table {
        caption: "Reconciliation: every row read is included or set aside".into(),
        head: ["", "Rows", "Amount"].map(String::from).to_vec(),
        numeric: vec![false, true, true],
        rows: vec![
            vec![
                "Included".into(),
                l.entries.len().to_string(),
                money_display(inc, cur),
            ],
            vec![
                "Set aside".into(),
                l.exclusions.len().to_string(),
                money_display(exc, cur),
            ],
        ],
        foot: Some(vec![
            "Read".into(),
            l.rows_read().to_string(),
            money_display(inc + exc, cur),
        ]),
    };
    let mut reconciles = format!(
        "{} read = {} included + {} set aside; {} blank {} skipped.",
        count(l.rows_read(), "row", "rows"),
        l.entries.len(),
        l.exclusions.len(),
        l.blank_rows(),
        if l.blank_rows() == 1 {
            "row was"
        } else {
            "rows were"
        }
    );
    let amounts_set_aside: Vec<ExclusionReason> = l
        .exclusions
        .iter()
        .filter(|e| e.amount.is_some_and(|v| !v.is_zero()))
        .map(|e| e.reason)
        .collect();
    if !amounts_set_aside.is_empty()
        && amounts_set_aside
            .iter()
            .all(|r| *r == ExclusionReason::Total)
    {
        reconciles.push_str(
            " The amount set aside is the totals and subtotals the spreadsheet already carried, so it is not income.",
        );
    }
    let mut by_reason: BTreeMap<ExclusionReason, usize> = BTreeMap::new();
    for e in &l.exclusions {
        *by_reason.entry(e.reason).or_default() += 1;
    }
    let exclusion_summary = by_reason
        .iter()
        .map(|(r, n)| format!("{}: {}", count(*n, "row", "rows"), reason_text(*r)))
        .collect();
    let exclusions = (!l.exclusions.is_empty()).then(|| Table {
        caption: "Rows set aside, with the cell to look at".into(),
        head: ["Where", "Why", "Amount", "Cell text"]
            .map(String::from)
            .to_vec(),
        numeric: vec![false, false, true, false],
        rows: l
            .exclusions
            .iter()
            .map(|e| {
                vec![
                    if l.inputs.len() > 1 {
                        l.locate(&e.at)
                    } else {
                        e.at.qualified()
                    },
                    e.reason.as_str().to_string(),
                    e.amount
                        .map_or_else(|| "\u{2014}".to_string(), |v| money_display(v, None)),
                    e.found
                        .as_deref()
                        .map_or_else(|| "\u{2014}".to_string(), |f| redact.apply(f)),
                ]
            })
            .collect(),
        foot: None,
    });
    let unclassified_total = a.unclassified();
    let unclassified = if unclassified_total.is_zero() {
        "Every funder has a category: no income is unclassified.".to_string()
    } else {
        let who: Vec<String> = a
            .funders
            .iter()
            .filter(|f| f.share.category == Category::Unclassified)
            .map(|f| f.share.name.clone())
            .collect();
        format!(
            "{} of income is unclassified{}. It counts at the unclassified weight of {} until its funders are classified: run \u{201c}fundrisk classify --unclassified\u{201d} and add them to a funders register.",
            money_display(unclassified_total, cur),
            if who.is_empty() {
                String::new()
            } else {
                format!(" ({})", super::format::and_list(&who))
            },
            super::format::num(Some(a.settings.weights.unclassified), 2)
        )
    };
    let all_notes = l.notes.iter().chain(&a.classes.notes);
    let merged = all_notes
        .clone()
        .filter(|n| n.code == "merged_spellings")
        .map(|n| redact.apply(&n.message))
        .collect();
    let notes = all_notes
        .filter(|n| n.code != "merged_spellings")
        .map(|n| NoteView {
            severity: match n.severity {
                Severity::Warning => "check",
                Severity::Info => "note",
            },
            message: redact.apply(&n.message),
            location: n.location.as_deref().map(|s| redact.apply(s)),
        })
        .collect();
    let people = a.funders.iter().filter(|f| f.individual).count();
    let individuals = (people > 0).then(|| {
        if opts.show_individuals {
            format!(
                "{} named because --show-individuals was given.",
                count(people, "private individual is", "private individuals are")
            )
        } else {
            format!(
                "{} not named: they appear as \u{201c}Private individual 1\u{201d} and so on, largest first. Use --show-individuals to name them.",
                count(people, "private individual is", "private individuals are")
            )
        }
    });
    QualityView {
        inputs,
        reconciliation,
        reconciles,
        exclusion_summary,
        exclusions_collapsed: l.exclusions.len() > OPEN_EXCLUSIONS,
        exclusions,
        unclassified,
        merged,
        notes,
        individuals,
    }
}
