//! Deciding one funder spelling: the register, identifier, label and rules that give a row its
//! funder and category, decided once per distinct (name, identifier, label), and the votes that
//! settle a funder's category.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{
    category_from_identifier, category_from_label, category_from_name, is_generic_label,
    is_pool_name, label_names_whole, normalise_id, normalise_name, ClassifiedBy, ClassifyOptions,
    Funder, Register, RegisterEntry,
};
use crate::ledger::sum::ExactSum;
use crate::ledger::{Category, CellRef, Entry};

/// One category's claim on a funder: summed amount, provenance of its first row, its cells.
/// One category a funder's rows point to: its money, how it was decided, and the first cells.
pub(super) struct Vote {
    pub(super) category: Category,
    pub(super) amount: ExactSum,
    pub(super) by: ClassifiedBy,
    pub(super) rows: usize,
    /// The first few cells, for messages.
    pub(super) cells: Vec<CellRef>,
}

/// What every row with one (name, identifier, label) combination gets.
#[derive(Clone, Copy)]
pub(super) struct Decision {
    pub(super) kind: DecisionKind,
    /// `Some(generic)` when the label names no known income source.
    pub(super) label_unknown: Option<bool>,
    /// The category a label was read as from a word in it, not as a whole
    /// ("Membership fees" → community): listed in a note, never silent.
    pub(super) label_guessed: Option<Category>,
}

#[derive(Clone, Copy)]
pub(super) enum DecisionKind {
    /// Many small givers: no funder, this category.
    Pool(Category),
    /// Funder `fi`; this row's vote for its category.
    Funder {
        fi: usize,
        category: Category,
        by: ClassifiedBy,
    },
}

/// Classifies one (name, identifier, label) combination, adding its funder when new.
#[allow(clippy::too_many_arguments)]
pub(super) fn decide(
    name: Option<&str>,
    funder_id: Option<&str>,
    label: Option<&str>,
    lookup: &Lookup<'_>,
    opts: &ClassifyOptions,
    index: &mut BTreeMap<String, usize>,
    funders: &mut Vec<Funder>,
    votes: &mut Vec<Vec<Vote>>,
) -> Decision {
    let norm = name.map(normalise_name);
    let id = funder_id
        .map(normalise_id)
        .filter(|i| !i.is_empty())
        .or_else(|| {
            norm.as_ref()
                .and_then(|n| lookup.name_to_id.get(n).cloned().flatten())
        });
    let reg_index = id
        .as_ref()
        .and_then(|i| lookup.by_id.get(i))
        .or_else(|| norm.as_ref().and_then(|n| lookup.by_name.get(n)))
        .copied();
    let reg = reg_index.and_then(|i| lookup.entry(i));
    let label_category = label.and_then(category_from_label);
    let label_unknown = match (label, label_category) {
        (Some(l), None) => Some(is_generic_label(l)),
        _ => None,
    };
    let label_guessed = match (label, label_category) {
        (Some(l), Some(c)) if !label_names_whole(l, c) => Some(c),
        _ => None,
    };
    let row = row_category(reg, label_category, id.as_deref(), name, opts);
    let pool_named = name.map(pool_key).as_deref().is_none_or(is_pool_name);
    if reg.is_none() && id.is_none() && pool_named {
        let category = match (label_category, row.by) {
            (Some(c), _) => Some(c),
            (None, ClassifiedBy::Rule) => Some(row.category),
            (None, _) if name.is_some() => Some(Category::Community),
            _ => None,
        };
        if let Some(c) = category.filter(|c| c.is_community()) {
            return Decision {
                kind: DecisionKind::Pool(c),
                label_unknown,
                label_guessed,
            };
        }
    }
    let key = match (reg, reg_index, &id, &norm) {
        (Some(r), Some(i), _, _) => r
            .identifier
            .as_deref()
            .map_or_else(|| format!("register:{i}"), normalise_id),
        (_, _, Some(id), _) => id.clone(),
        (_, _, None, Some(n)) => format!("name:{n}"),
        _ => format!("unnamed:{}", row.category),
    };
    let fi = *index.entry(key.clone()).or_insert_with(|| {
        funders.push(Funder {
            key: key.clone(),
            name: reg.map_or_else(
                || {
                    name.map_or_else(
                        || format!("Unnamed {} income", row.category),
                        str::to_string,
                    )
                },
                |r| r.name.clone(),
            ),
            identifier: reg
                .and_then(|r| r.identifier.clone())
                .or_else(|| id.clone()),
            category: Category::Unclassified,
            classified_by: ClassifiedBy::Unknown,
            spellings: Vec::new(),
            individual: reg.is_some_and(|r| r.individual),
            register: reg.cloned(),
            rows: 0,
            total: Decimal::ZERO,
        });
        votes.push(Vec::new());
        funders.len() - 1
    });
    if let (Some(n), Some(f)) = (name, funders.get_mut(fi)) {
        if !f.spellings.iter().any(|s| s == n) {
            f.spellings.push(n.to_string());
        }
    }
    Decision {
        kind: DecisionKind::Funder {
            fi,
            category: row.category,
            by: row.by,
        },
        label_unknown,
        label_guessed,
    }
}

/// A row's own evidence of its category.
#[derive(Clone, Copy)]
pub(super) struct RowCategory {
    pub(super) category: Category,
    pub(super) by: ClassifiedBy,
}

pub(super) struct Lookup<'a> {
    pub(super) by_id: BTreeMap<String, usize>,
    pub(super) by_name: BTreeMap<String, usize>,
    pub(super) register: Option<&'a Register>,
    /// Names seen with exactly one identifier elsewhere in the ledger.
    pub(super) name_to_id: BTreeMap<String, Option<String>>,
}

impl<'a> Lookup<'a> {
    pub(super) fn new(register: Option<&'a Register>, entries: &[Entry]) -> Self {
        let mut by_id = BTreeMap::new();
        let mut by_name = BTreeMap::new();
        if let Some(r) = register {
            for (i, f) in r.funders.iter().enumerate() {
                by_name.insert(normalise_name(&f.name), i);
                for a in &f.aliases {
                    by_name.insert(normalise_name(a), i);
                }
                if let Some(id) = &f.identifier {
                    by_id.insert(normalise_id(id), i);
                }
            }
        }
        let mut name_to_id: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut seen: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
        for e in entries {
            if let (Some(n), Some(id)) = (&e.funder, &e.funder_id) {
                if !seen.insert((n, id)) {
                    continue;
                }
                let id = normalise_id(id);
                name_to_id
                    .entry(normalise_name(n))
                    .and_modify(|known| {
                        if known.as_deref() != Some(id.as_str()) {
                            *known = None;
                        }
                    })
                    .or_insert(Some(id));
            }
        }
        Lookup {
            by_id,
            by_name,
            register,
            name_to_id,
        }
    }

    pub(super) fn entry(&self, i: usize) -> Option<&'a RegisterEntry> {
        self.register.and_then(|r| r.funders.get(i))
    }
}

/// A name with any bracketed qualifier removed, normalised: "Members (dues)" → "members".
fn pool_key(name: &str) -> String {
    let mut depth = 0u32;
    let bare: String = name
        .chars()
        .filter(|c| match c {
            '(' | '[' => {
                depth += 1;
                false
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect();
    normalise_name(&bare)
}

fn row_category(
    reg: Option<&RegisterEntry>,
    label: Option<Category>,
    id: Option<&str>,
    name: Option<&str>,
    opts: &ClassifyOptions,
) -> RowCategory {
    if let Some(r) = reg {
        return RowCategory {
            category: r.category,
            by: ClassifiedBy::Register,
        };
    }
    if let Some(c) = label {
        return RowCategory {
            category: c,
            by: ClassifiedBy::Column,
        };
    }
    // A Companies House number makes a funder corporate even when its name says trust: the
    // identifier outranks name rules, and only a register entry can say it is a charity too.
    if let Some(c) = id.and_then(|i| category_from_identifier(i, false)) {
        return RowCategory {
            category: c,
            by: ClassifiedBy::Identifier,
        };
    }
    if let Some(c) = name.and_then(|n| category_from_name(n, &opts.rules)) {
        return RowCategory {
            category: c,
            by: ClassifiedBy::Rule,
        };
    }
    RowCategory {
        category: Category::Unclassified,
        by: ClassifiedBy::Unknown,
    }
}
