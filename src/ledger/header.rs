//! Finding the header row and giving each column a role, by header synonyms.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ingest::{CellValue, RawRow};

mod text;

use text::year_header_text;
pub use text::{normalise, normalised_chars, normalises_to, year_header};

/// How many non-blank rows from the top of a sheet are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// What a column means to the ledger.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Date,
    Amount,
    Funder,
    Category,
    Restricted,
    FunderId,
    Currency,
    Description,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Date,
        Role::Amount,
        Role::Funder,
        Role::Category,
        Role::Restricted,
        Role::FunderId,
        Role::Currency,
        Role::Description,
    ];

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Role::Date => "date",
            Role::Amount => "amount",
            Role::Funder => "funder",
            Role::Category => "category",
            Role::Restricted => "restricted",
            Role::FunderId => "funder_id",
            Role::Currency => "currency",
            Role::Description => "description",
        }
    }

    /// Parses a role name as written in `fundrisk.toml`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Role> {
        let n = normalise(name);
        Role::ALL.into_iter().find(|r| normalise(r.name()) == n)
    }

    /// Header texts that mean this role, strongest first (already normalised).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::Date => &[
                "date",
                "datereceived",
                "receiveddate",
                "transactiondate",
                "awarddate",
                "paymentdate",
                "dateofreceipt",
                "donationdate",
                "giftdate",
                "valuedate",
                "postingdate",
                "received",
                "period",
            ],
            Role::Amount => &[
                "amount",
                "amountreceived",
                "amountawarded",
                "giftamount",
                "donationamount",
                "income",
                "credit",
                "moneyin",
                "paidin",
                "net",
                "netamount",
                "value",
                "total",
            ],
            Role::Funder => &[
                "funder",
                "fundername",
                "donor",
                "donorname",
                "receivedfrom",
                "from",
                "payer",
                "source",
                "counterparty",
                "fundingorgname",
                "name",
            ],
            Role::Category => &[
                "category",
                "incomecategory",
                "incometype",
                "sourcetype",
                "fundertype",
                "donortype",
                "fundingtype",
                "stream",
                "incomestream",
                "type",
            ],
            Role::Restricted => &[
                "restricted",
                "restriction",
                "restrictedunrestricted",
                "fundtype",
                "fund",
            ],
            Role::FunderId => &["funderid", "fundingorgidentifier", "donorid"],
            Role::Currency => &["currency", "currencycode", "ccy"],
            Role::Description => &[
                "description",
                "memo",
                "details",
                "reference",
                "narrative",
                "notes",
                "note",
            ],
        }
    }
}

/// The table's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// One row per transaction.
    Long,
    /// One row per funder, one column per fiscal year.
    Wide,
}

/// A recognised header: where it is and what each column means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// Zero-based row index.
    pub row: u32,
    pub layout: Layout,
    /// Role → (column, header text).
    pub roles: BTreeMap<Role, (u32, String)>,
    /// Wide layout: column → (fiscal year it ends in, header text).
    pub years: Vec<(u32, i32, String)>,
    /// Every non-blank header cell as normalised text, for spotting repeated headers.
    pub cells: Vec<(u32, String)>,
    /// Columns that matched a role already taken by a stronger column.
    pub unused: Vec<(u32, String, Role)>,
}

impl Header {
    #[must_use]
    pub fn col(&self, role: Role) -> Option<u32> {
        self.roles.get(&role).map(|(c, _)| *c)
    }
}

/// Why a sheet has no usable header.
#[derive(Debug, Clone, PartialEq)]
pub enum NoHeader {
    /// Nothing in the first rows looks like a ledger header.
    NotFound,
    /// The best candidate lacks a role a ledger needs.
    Incomplete {
        row: u32,
        found: Vec<Role>,
        missing: &'static str,
    },
}

/// Looks for the header in the first [`HEADER_SEARCH_ROWS`] non-blank rows.
///
/// `extra` maps normalised header text to a role (the `[columns]` table of `fundrisk.toml`),
/// checked before the built-in synonyms.
pub fn find_header(rows: &[RawRow], extra: &BTreeMap<String, Role>) -> Result<Header, NoHeader> {
    let mut best: Option<(usize, Header)> = None;
    let mut best_incomplete: Option<(usize, NoHeader)> = None;
    for row in rows.iter().take(HEADER_SEARCH_ROWS) {
        let candidate = read_header_row(row, extra);
        let score = candidate.roles.len() + usize::from(!candidate.years.is_empty());
        let has = |r: Role| candidate.roles.contains_key(&r);
        // Long needs a date and an amount; wide a funder and year columns (a date column
        // beside them, such as an award date, does not make it long).
        let usable = (has(Role::Date) && has(Role::Amount))
            || (has(Role::Funder) && !candidate.years.is_empty());
        if usable {
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, candidate));
            }
        } else if score >= 2 && best_incomplete.as_ref().is_none_or(|(s, _)| score > *s) {
            let missing = if has(Role::Amount) {
                "date column (or, for one row per funder, columns named by year such as 2023 or 2023/24)"
            } else {
                "amount column"
            };
            let found = candidate.roles.keys().copied().collect();
            best_incomplete = Some((
                score,
                NoHeader::Incomplete {
                    row: candidate.row,
                    found,
                    missing,
                },
            ));
        }
    }
    match (best, best_incomplete) {
        (Some((_, h)), _) => Ok(h),
        (None, Some((_, e))) => Err(e),
        (None, None) => Err(NoHeader::NotFound),
    }
}

fn role_of(norm: &str, extra: &BTreeMap<String, Role>) -> Option<(Role, usize)> {
    extra.get(norm).map(|r| (*r, 0)).or_else(|| {
        Role::ALL.into_iter().find_map(|r| {
            r.synonyms()
                .iter()
                .position(|s| *s == norm)
                .map(|i| (r, i + 1))
        })
    })
}

fn read_header_row(row: &RawRow, extra: &BTreeMap<String, Role>) -> Header {
    // Role → (synonym rank, column, text); lower rank wins, then the leftmost column.
    let mut picked: BTreeMap<Role, (usize, u32, String)> = BTreeMap::new();
    let mut unused = Vec::new();
    let mut years = Vec::new();
    let mut cells = Vec::new();
    for cell in &row.cells {
        let text = match &cell.value {
            CellValue::Text(t) => t.trim().to_string(),
            other => {
                if let Some(y) = year_header(other) {
                    years.push((cell.col, y, other.display()));
                }
                cells.push((cell.col, normalise(&other.display())));
                continue;
            }
        };
        let norm = normalise(&text);
        cells.push((cell.col, norm.clone()));
        if let Some(y) = year_header_text(&text) {
            years.push((cell.col, y, text));
            continue;
        }
        let role_rank = role_of(&norm, extra).or_else(|| {
            // 360Giving-style "Award date:Start date": the part before the colon.
            text.split_once(':')
                .and_then(|(head, _)| role_of(&normalise(head), extra))
        });
        let Some((role, rank)) = role_rank else {
            continue;
        };
        match picked.get(&role) {
            Some((r, _, _)) if *r <= rank => unused.push((cell.col, text, role)),
            Some((_, c, t)) => {
                unused.push((*c, t.clone(), role));
                picked.insert(role, (rank, cell.col, text));
            }
            None => {
                picked.insert(role, (rank, cell.col, text));
            }
        }
    }
    let long = picked.contains_key(&Role::Date) && picked.contains_key(&Role::Amount);
    let layout = if long || years.is_empty() || !picked.contains_key(&Role::Funder) {
        Layout::Long
    } else {
        Layout::Wide
    };
    Header {
        row: row.index,
        layout,
        roles: picked
            .into_iter()
            .map(|(r, (_, c, t))| (r, (c, t)))
            .collect(),
        years,
        cells,
        unused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_header_text() {
        assert_eq!(normalise("  Amount (£) "), "amount");
        assert_eq!(normalise("Funding Org:Name"), "fundingorgname");
        assert_eq!(normalise("DATE  received"), "datereceived");
        assert_eq!(normalise("Amount GBP"), "amount");
    }

    #[test]
    fn normalises_to_agrees_with_normalise() {
        let texts = [
            "Amount",
            "Amount (£)",
            "Amount GBP",
            "AMOUNT usd",
            "amountgbp",
            "gbp",
            "Gbp Gbp",
            "Date received",
            "Funder",
            "Fund",
            "Funders",
            "Community",
            "Category",
            "İstanbul",
            "Straße",
            "Income [net] EUR",
            "",
            "  ",
            "Total EURO",
            "usdusd",
            "x-usd",
            "2024",
        ];
        for t in texts {
            for n in texts {
                let norm = normalise(n);
                assert_eq!(
                    normalises_to(t, &norm),
                    normalise(t) == norm,
                    "{t:?} vs {norm:?}"
                );
            }
        }
    }

    #[test]
    fn reads_year_headers() {
        assert_eq!(year_header_text("2023"), Some(2023));
        assert_eq!(year_header_text("FY2024"), Some(2024));
        assert_eq!(year_header_text("2023/24"), Some(2024));
        assert_eq!(year_header_text("2023-24"), Some(2024));
        assert_eq!(year_header_text("1999/00"), Some(2000));
        assert_eq!(year_header_text("2023-2024"), Some(2024));
        assert_eq!(year_header_text("FY24"), Some(2024));
        assert_eq!(year_header_text("2023/25"), None);
        assert_eq!(year_header_text("Amount"), None);
        assert_eq!(year_header(&CellValue::Float(2022.0)), Some(2022));
    }
}
