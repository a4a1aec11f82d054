//! Random ledger lines for the properties that read a ledger two ways and compare: dates,
//! names, identifiers, categories, restrictions and amounts, mixed with what makes a row odd
//! (totals, header text, blanks, whitespace, quotes, a field too many, a short line followed
//! by blank lines).

use proptest::prelude::*;

/// The header the lines follow.
pub(crate) const HEADER: &str = "Date,Funder,Funder ID,Category,Restricted,Amount\n";

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(options)
}

/// One line of a random ledger, with its line end.
pub(crate) fn ledger_line() -> impl Strategy<Value = String> {
    let date = pick(&[
        "2024-01-05",
        " 2024-01-05",
        "2024-01-06",
        "05/01/2024",
        "31/02/2024",
        "Date",
        "",
        "Total",
    ]);
    let funder = pick(&[
        "Acme Ltd",
        " Acme Ltd ",
        "Funder",
        "FUNDER ",
        "Total",
        "Sub-total Q1",
        "Total Energies UK",
        "",
        "  ",
        "\"B, C\"",
        "Kelsall Trust",
        "sum of gifts",
        "Category",
    ]);
    let id = pick(&["GB-CHC-123", "", "Funder ID", "Total"]);
    let category = pick(&[
        "Community",
        "Category",
        " category ",
        "government",
        "Sub-total",
        "Total",
        "",
        "   ",
        "\u{e9}t\u{e9}",
    ]);
    let restricted = pick(&["Yes", "No", "Restricted", "maybe", ""]);
    let amount = pick(&[
        "10.00",
        "(5)",
        "Amount",
        "",
        "15.00",
        "n/a",
        "25.00",
        "\u{a3}1,250.00",
        "123456789012",
    ]);
    let tail = pick(&["", "", "", ",extra", ",", "\n", "\n\n"]);
    (date, funder, id, category, restricted, amount, tail).prop_map(|(d, f, id, c, r, a, tail)| {
        if tail.starts_with('\n') {
            // A short line, and blank lines after it.
            format!("{d},{f}{tail}")
        } else {
            format!("{d},{f},{id},{c},{r},{a}{tail}\n")
        }
    })
}
