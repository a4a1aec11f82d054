//! Classification: every ledger entry gets a funder identity (or the dispersed pool) and every
//! funder one category, with the provenance kept. First that applies wins: the funders
//! register, the ledger's category column, the organisation identifier, keyword rules on the
//! name; otherwise `unclassified`.

mod combos;
mod decide;
mod labels;
mod names;
mod people;
mod register;
mod rules;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

pub use labels::{category_from_label, is_generic_label, label_names_whole};
pub use names::{is_pool_name, normalise_id, normalise_name};
pub use people::{looks_like_person, looks_like_titled_person};
pub use register::{neutralise, Register, RegisterEntry, RegisterError};
pub use rules::{category_from_identifier, category_from_name, iati_type, Rule};

use super::sum::ExactSum;
use super::{Category, CellRef, Ledger, Note, Severity};
use combos::Combos;
use decide::{decide, DecisionKind, Lookup, Vote};

/// How a funder's category was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassifiedBy {
    Register,
    Column,
    Identifier,
    Rule,
    Unknown,
}

impl ClassifiedBy {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ClassifiedBy::Register => "register",
            ClassifiedBy::Column => "column",
            ClassifiedBy::Identifier => "identifier",
            ClassifiedBy::Rule => "rule",
            ClassifiedBy::Unknown => "unknown",
        }
    }
}

/// What classification needs besides the ledger.
#[derive(Debug, Clone, Default)]
pub struct ClassifyOptions {
    pub register: Option<Register>,
    /// Keyword rules from `fundrisk.toml`, tried before the built-in ones.
    pub rules: Vec<Rule>,
}

/// One funder: an identity with one category.
#[derive(Debug, Clone, PartialEq)]
pub struct Funder {
    /// Identifier when known, else `name:<normalised name>`.
    pub key: String,
    /// The register's name, or the first spelling seen.
    pub name: String,
    pub identifier: Option<String>,
    pub category: Category,
    pub classified_by: ClassifiedBy,
    /// Every distinct spelling merged into this funder, in order of first appearance.
    pub spellings: Vec<String>,
    /// A private person (register flag, or a community funder with a personal name).
    pub individual: bool,
    /// The register entry, when the funder is in the register.
    pub register: Option<RegisterEntry>,
    pub rows: usize,
    pub total: Decimal,
}

impl Funder {
    /// The name, quoted, or "a private individual" for a person, for notes that may reach a
    /// board.
    #[must_use]
    pub fn shown_name(&self) -> String {
        if self.individual {
            "a private individual".to_string()
        } else {
            format!("{:?}", self.name)
        }
    }
}

/// The result: a funder (or the pool) for every entry.
#[derive(Debug, Clone, Default)]
pub struct Classification {
    pub funders: Vec<Funder>,
    /// Per ledger entry: the funder's index in `funders`, or `None` for the dispersed pool.
    pub entry_funder: Vec<Option<usize>>,
    /// Per ledger entry: the category its money counts under (the funder's, or the pool row's).
    pub entry_category: Vec<Category>,
    /// Per ledger entry: the category the row's own label, identifier or name gave it, before
    /// its funder's rows were pooled into one category (the public support test places each
    /// row on a line by this; a bank's sponsorship is a gift, its interest is not).
    pub entry_row_category: Vec<Category>,
    pub notes: Vec<Note>,
}

impl Classification {
    /// Income counted as unclassified.
    #[must_use]
    pub fn unclassified_total(&self, ledger: &Ledger) -> Decimal {
        ledger
            .entries
            .iter()
            .zip(&self.entry_category)
            .filter(|(_, c)| **c == Category::Unclassified)
            .map(|(e, _)| e.amount)
            .collect::<ExactSum>()
            .value()
    }
}

/// Classifies every entry of `ledger`.
#[must_use]
pub fn classify(ledger: &Ledger, opts: &ClassifyOptions) -> Classification {
    let lookup = Lookup::new(opts.register.as_ref(), &ledger.entries);
    let mut out = Classification::default();
    let n = ledger.entries.len();
    out.entry_funder.reserve_exact(n);
    out.entry_category.reserve_exact(n);
    out.entry_row_category.reserve_exact(n);
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    // Per funder: category → (summed amount, first row's provenance, rows' cells).
    let mut votes: Vec<Vec<Vote>> = Vec::new();
    let mut unknown_labels: BTreeMap<String, (usize, CellRef)> = BTreeMap::new();
    let mut generic_labels: BTreeMap<String, (usize, CellRef)> = BTreeMap::new();
    let mut guessed_labels: BTreeMap<String, (usize, Category)> = BTreeMap::new();

    // Rows repeat a few thousand (name, identifier, label) combinations at most: decide each
    // combination once, then only add up rows.
    let mut combos = Combos::new();
    for (i, e) in ledger.entries.iter().enumerate() {
        let label = || {
            e.category
                .as_deref()
                .map(str::trim)
                .filter(|l| !l.is_empty())
        };
        let place = combos.place(e, || {
            let name = e.funder.as_deref().map(str::trim).filter(|n| !n.is_empty());
            decide(
                name,
                e.funder_id.as_deref(),
                label(),
                &lookup,
                opts,
                &mut index,
                &mut out.funders,
                &mut votes,
            )
        });
        let decision = combos.list[place].decision;
        if let Some((c, l)) = decision.label_guessed.and_then(|c| Some((c, label()?))) {
            guessed_labels.entry(l.to_string()).or_insert((0, c)).0 += 1;
        }
        if let Some((generic, l)) = decision.label_unknown.and_then(|g| Some((g, label()?))) {
            let slot = if generic {
                &mut generic_labels
            } else {
                &mut unknown_labels
            };
            match slot.get_mut(l) {
                Some(seen) => seen.0 += 1,
                None => {
                    slot.insert(l.to_string(), (1, e.at.clone()));
                }
            }
        }
        match decision.kind {
            DecisionKind::Pool(c) => {
                out.entry_funder.push(None);
                out.entry_category.push(c);
                out.entry_row_category.push(c);
            }
            DecisionKind::Funder { fi, category, .. } => {
                combos.list[place].add(i, e);
                out.entry_funder.push(Some(fi));
                out.entry_category.push(Category::Unclassified);
                out.entry_row_category.push(category);
            }
        }
    }

    let totals = combos.fold(out.funders.len(), &mut votes);
    for (f, (rows, total)) in out.funders.iter_mut().zip(&totals) {
        f.rows += rows;
        f.total = total.value();
    }
    for (fi, v) in votes.iter().enumerate() {
        // Largest summed amount wins; ties go to the first seen (max_by keeps the last max).
        let best = v
            .iter()
            .enumerate()
            .max_by(|(ia, a), (ib, b)| a.amount.value().cmp(&b.amount.value()).then(ib.cmp(ia)))
            .map(|(i, _)| i)
            .unwrap_or(0);
        if let Some(vote) = v.get(best) {
            let f = &mut out.funders[fi];
            f.category = vote.category;
            f.classified_by = vote.by;
            // A personal name in any category (donors, but also clients paying fees) is a
            // private person unless the register says otherwise: privacy errs on hiding.
            f.individual = f.individual
                || (f.register.is_none()
                    && f.identifier.is_none()
                    && match f.category {
                        Category::Community => looks_like_person(&f.name),
                        Category::Government => false,
                        _ => looks_like_titled_person(&f.name),
                    });
        }
        if v.len() > 1 {
            let f = &out.funders[fi];
            let others: Vec<String> = v
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != best)
                .map(|(_, vote)| {
                    let shown: Vec<String> = vote.cells.iter().map(|c| ledger.locate(c)).collect();
                    format!(
                        "{} ({} row(s): {})",
                        vote.category,
                        vote.rows,
                        shown.join(", ")
                    )
                })
                .collect();
            out.notes.push(Note {
                code: "category_disagreement",
                severity: Severity::Warning,
                message: format!(
                    "funder {} is counted as {} (the category with most of its money), but some rows say {}",
                    f.shown_name(),
                    f.category,
                    others.join("; ")
                ),
                location: None,
            });
        }
    }
    for (e, slot) in out.entry_funder.iter().zip(out.entry_category.iter_mut()) {
        if let Some(fi) = e {
            *slot = out.funders[*fi].category;
        }
    }
    for (label, (count, at)) in unknown_labels {
        out.notes.push(Note {
            code: "unknown_category_label",
            severity: Severity::Warning,
            message: format!(
                "category {label:?} ({count} row(s)) is not a known income source; those rows were classified by identifier or name, or left unclassified (add the funders to a register with --funders)"
            ),
            location: Some(ledger.locate(&at)),
        });
    }
    if !guessed_labels.is_empty() {
        let list: Vec<String> = guessed_labels
            .iter()
            .map(|(l, (n, c))| format!("{l:?} as {c} ({n} row(s))"))
            .collect();
        out.notes.push(Note {
            code: "category_label_read_by_word",
            severity: Severity::Info,
            message: format!(
                "categories {} were read from a word they contain, not as a whole; check them, or name those funders in a register (--funders)",
                list.join(", ")
            ),
            location: None,
        });
    }
    if !generic_labels.is_empty() {
        let list: Vec<String> = generic_labels
            .iter()
            .map(|(l, (n, _))| format!("{l:?} ({n} row(s))"))
            .collect();
        out.notes.push(Note {
            code: "generic_category_label",
            severity: Severity::Info,
            message: format!(
                "categories {} say how money came, not from whom; those rows were classified by identifier or funder name",
                list.join(", ")
            ),
            location: None,
        });
    }
    merged_spellings_notes(&mut out);
    out
}

fn merged_spellings_notes(out: &mut Classification) {
    for f in &out.funders {
        if f.spellings.len() > 1 {
            out.notes.push(Note {
                code: "merged_spellings",
                severity: Severity::Info,
                message: if f.individual {
                    format!(
                        "{} spellings were counted as one private individual",
                        f.spellings.len()
                    )
                } else {
                    format!(
                        "{} spellings were counted as one funder {:?}: {}",
                        f.spellings.len(),
                        f.name,
                        f.spellings.join(" | ")
                    )
                },
                location: None,
            });
        }
    }
}
