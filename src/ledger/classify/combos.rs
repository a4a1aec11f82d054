//! Rows added up per (name, identifier, label) combination: a ledger repeats a few thousand
//! of them a million times. Each row adds to its combination's sum and count only; the
//! funders' totals and category votes are made from the combinations afterwards, so that a
//! row touches one small record instead of its funder's, its funder's total and its vote.
//!
//! A sum made from the combinations' sums has the value of the rows' sum taken in order
//! (only the scale of a sum that cancelled on the way may differ, which no figure shows); a
//! vote's first cells are the first of all its rows, by row.

use std::collections::HashMap;

use super::decide::{Decision, DecisionKind, Vote};
use crate::ledger::sum::ExactSum;
use crate::ledger::{CellRef, Entry};

/// Cells a vote keeps, for messages.
const CELLS: usize = 3;

/// The rows of one combination so far.
pub(super) struct Combo {
    pub(super) decision: Decision,
    amount: ExactSum,
    rows: usize,
    /// The first rows' indices and cells.
    cells: Vec<(usize, CellRef)>,
}

impl Combo {
    fn new(decision: Decision) -> Self {
        Combo {
            decision,
            amount: ExactSum::default(),
            rows: 0,
            cells: Vec::new(),
        }
    }

    /// Row `i`, entry `e`, is one of this combination's.
    pub(super) fn add(&mut self, i: usize, e: &Entry) {
        self.amount.add(e.amount);
        self.rows += 1;
        if self.cells.len() < CELLS {
            self.cells.push((i, e.at.clone()));
        }
    }
}

/// The combinations seen: by the addresses of the row's shared texts and, for copies of
/// texts first met (rows read on different threads), by the texts themselves.
pub(super) struct Combos<'l> {
    by_address: HashMap<Addresses, u32, foldhash::fast::RandomState>,
    by_text: HashMap<Texts<'l>, u32, foldhash::fast::RandomState>,
    pub(super) list: Vec<Combo>,
}

/// The addresses of a row's shared funder name, identifier and label texts (0 for none: a
/// shared text is never at 0), hashed as one word: a million rows look it up.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Addresses([usize; 3]);

impl Addresses {
    fn of(e: &Entry) -> Self {
        let id = |t: &Option<crate::ledger::Text>| t.as_ref().map_or(0, crate::ledger::Text::id);
        Addresses([id(&e.funder), id(&e.funder_id), id(&e.category)])
    }
}

impl std::hash::Hash for Addresses {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let [a, b, c] = self.0.map(|x| x as u64);
        state.write_u64(a ^ b.rotate_left(21) ^ c.rotate_left(42));
    }
}

/// A row's funder name, identifier and label.
pub(super) type Texts<'l> = (Option<&'l str>, Option<&'l str>, Option<&'l str>);

impl<'l> Combos<'l> {
    pub(super) fn new() -> Self {
        Combos {
            by_address: HashMap::default(),
            by_text: HashMap::default(),
            list: Vec::new(),
        }
    }

    /// The place of `e`'s combination, decided by `decide` when it is new.
    pub(super) fn place(&mut self, e: &'l Entry, decide: impl FnOnce() -> Decision) -> usize {
        let key = Addresses::of(e);
        if let Some(&place) = self.by_address.get(&key) {
            return place as usize;
        }
        let texts = (
            e.funder.as_deref(),
            e.funder_id.as_deref(),
            e.category.as_deref(),
        );
        let place = match self.by_text.get(&texts) {
            Some(&place) => place,
            None => {
                let place = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
                self.list.push(Combo::new(decide()));
                self.by_text.insert(texts, place);
                place
            }
        };
        self.by_address.insert(key, place);
        place as usize
    }

    /// Each funder's rows and total, and its votes (`votes[fi]`, in the order their first
    /// rows came), from the combinations.
    pub(super) fn fold(&self, funders: usize, votes: &mut [Vec<Vote>]) -> Vec<(usize, ExactSum)> {
        let mut totals = vec![(0, ExactSum::default()); funders];
        // Per vote, the first cells of each of its combinations.
        let mut cells: Vec<Vec<Vec<(usize, CellRef)>>> = votes.iter().map(|_| Vec::new()).collect();
        for combo in &self.list {
            let DecisionKind::Funder { fi, category, by } = combo.decision.kind else {
                continue;
            };
            let (Some(total), Some(v)) = (totals.get_mut(fi), votes.get_mut(fi)) else {
                continue;
            };
            total.0 += combo.rows;
            total.1.add_sum(&combo.amount);
            let k = match v.iter().position(|vote| vote.category == category) {
                Some(k) => k,
                None => {
                    v.push(Vote {
                        category,
                        amount: ExactSum::default(),
                        by,
                        rows: 0,
                        cells: Vec::new(),
                    });
                    v.len() - 1
                }
            };
            v[k].amount.add_sum(&combo.amount);
            v[k].rows += combo.rows;
            let firsts = &mut cells[fi];
            if firsts.len() <= k {
                firsts.resize(k + 1, Vec::new());
            }
            firsts[k].extend(combo.cells.iter().cloned());
        }
        for (v, firsts) in votes.iter_mut().zip(cells) {
            for (vote, mut firsts) in v.iter_mut().zip(firsts) {
                firsts.sort_by_key(|(i, _)| *i);
                vote.cells = firsts.into_iter().take(CELLS).map(|(_, c)| c).collect();
            }
        }
        totals
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use crate::ledger::classify::{classify, ClassifyOptions};
    use crate::ledger::{CellRef, Entry, Ledger, Text};

    /// Row `row` (one-based), from `funder` labelled `label`; `texts` gives each text's copy.
    fn entry(row: u32, funder: &Text, label: &Text, amount: i64) -> Entry {
        Entry {
            at: CellRef {
                source: 0,
                sheet: None,
                col: 4,
                row,
            },
            date: None,
            fiscal_year: 2024,
            amount: Decimal::new(amount, 2),
            currency: None,
            funder: Some(funder.clone()),
            funder_id: None,
            category: Some(label.clone()),
            restricted: None,
            description: None,
        }
    }

    /// One funder under two spellings, mostly labelled foundation, sometimes corporate, the
    /// two labels' rows interleaved; each text one copy, or a copy per row (as rows read on
    /// different threads may hold).
    fn ledger(one_copy: bool) -> Ledger {
        let texts = ["Kelsall Trust", "KELSALL TRUST", "foundation", "corporate"].map(Text::from);
        let text = |k: usize| {
            if one_copy {
                texts[k].clone()
            } else {
                Text::from(&*texts[k])
            }
        };
        let entries = (0..12u32)
            .map(|i| {
                let label = if i % 4 == 1 { text(3) } else { text(2) };
                entry(
                    i + 2,
                    &text(usize::from(i % 3 == 0)),
                    &label,
                    1000 + i64::from(i),
                )
            })
            .collect();
        Ledger {
            entries,
            ..Ledger::default()
        }
    }

    #[test]
    fn votes_come_from_the_combinations_in_row_order() {
        let classes = classify(&ledger(true), &ClassifyOptions::default());
        assert_eq!(classes.funders.len(), 1);
        let f = &classes.funders[0];
        assert_eq!(f.rows, 12);
        assert_eq!(f.total, Decimal::new(12_066, 2));
        let note = classes
            .notes
            .iter()
            .find(|n| n.code == "category_disagreement")
            .unwrap();
        // Corporate rows are rows 1, 5 and 9 (zero-based), lines 3, 7 and 11: three of
        // them, from two spellings, in row order.
        assert!(
            note.message
                .contains("corporate (3 row(s): ?: E3, ?: E7, ?: E11)"),
            "{}",
            note.message
        );
    }

    #[test]
    fn copies_of_texts_are_classified_as_one_copy_is() {
        let (one, copies) = (ledger(true), ledger(false));
        let opts = ClassifyOptions::default();
        let (a, b) = (classify(&one, &opts), classify(&copies, &opts));
        assert_eq!(a.entry_funder, b.entry_funder);
        assert_eq!(a.entry_category, b.entry_category);
        assert_eq!(a.entry_row_category, b.entry_row_category);
        let shown = |c: &crate::ledger::classify::Classification| {
            let funders: Vec<String> = c.funders.iter().map(|f| format!("{f:?}")).collect();
            let notes: Vec<String> = c.notes.iter().map(|n| n.message.clone()).collect();
            (funders, notes)
        };
        assert_eq!(shown(&a), shown(&b));
    }
}
