//! Generated sheets (proptest), mixing the plain forms producers write with odd ones, read by
//! the fast reader and by calamine: identical cells, or the sheet left to calamine.

use proptest::prelude::*;
use proptest::sample::select;

use super::tests::{both_ways, workbook};

const TEXTS: &[&str] = &[
    "1",
    "-2.5",
    "1E3",
    "0.1",
    " 1",
    "",
    "abc",
    "0",
    "#N/A",
    "#DIV/0!",
    "a &amp; b",
    "&#65;&#x42;",
    "&bad;",
    "x_x0041_y",
    "a\r\nb",
    "9",
    "44927",
    "1.",
    "true",
    "2",
    "&lt;tag&gt;",
    "  pad  ",
    "£1,250.00",
];

fn item() -> impl Strategy<Value = String> {
    (select(TEXTS), 0..6usize).prop_map(|(t, form)| match form {
        0 => format!("<t>{t}</t>"),
        1 => format!("<t xml:space=\"preserve\">{t}</t>"),
        2 => format!("<r><rPr><b/><sz val=\"11\"/></rPr><t>{t}</t></r>"),
        3 => format!("<rPh sb=\"0\" eb=\"1\"><t>{t}</t></rPh>"),
        4 => "<t/>".to_string(),
        _ => "<phoneticPr fontId=\"1\"/>".to_string(),
    })
}

fn child() -> impl Strategy<Value = String> {
    (
        0..8usize,
        select(TEXTS),
        prop::collection::vec(item(), 0..3),
    )
        .prop_map(|(form, t, items)| match form {
            0..=2 => format!("<v>{t}</v>"),
            3 => "<v/>".to_string(),
            4 => "<f>SUM(A1:A2)</f>".to_string(),
            5 => "<f t=\"shared\" si=\"0\"/>".to_string(),
            6 => format!("<is>{}</is>", items.concat()),
            _ => "<is/>".to_string(),
        })
}

fn cell() -> impl Strategy<Value = String> {
    (
        // Odd forms (which send the sheet to calamine) are rarer than plain ones.
        select(
            &[
                "",
                "",
                "",
                "",
                " r=\"A1\"",
                " r=\"c3\"",
                " r=\"B2\"",
                " r=\"AA10\"",
                " r=\"D4\"",
                " r=\"A0\"",
            ][..],
        ),
        select(
            &[
                "",
                " s=\"0\"",
                " s=\"1\"",
                " s=\"2\"",
                " s=\"3\"",
                " s=\"4\"",
                " s=\"\"",
                " s=\"99\"",
            ][..],
        ),
        select(
            &[
                "",
                "",
                "",
                " t=\"n\"",
                " t=\"s\"",
                " t=\"s\"",
                " t=\"b\"",
                " t=\"e\"",
                " t=\"str\"",
                " t=\"str\"",
                " t=\"inlineStr\"",
                " t=\"inlineStr\"",
                " t=\"d\"",
            ][..],
        ),
        prop::collection::vec(child(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(r, s, t, children, empty)| {
            if empty {
                format!("<c{r}{s}{t}/>")
            } else {
                format!("<c{r}{s}{t}>{}</c>", children.concat())
            }
        })
}

fn row() -> impl Strategy<Value = String> {
    (
        select(
            &[
                "",
                " r=\"1\"",
                " r=\"2\"",
                " r=\"5\"",
                " r=\"3\" spans=\"1:3\"",
            ][..],
        ),
        prop::collection::vec(cell(), 0..4),
        0..40usize,
    )
        .prop_map(|(r, cells, form)| match form {
            0 => format!("<row{r}/>"),
            1 => format!("<!-- c --><row{r}>{}</row>", cells.concat()),
            _ => format!("<row{r}>\n{}</row>", cells.concat()),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Whatever the sheet holds, the fast reader either gives calamine's cells exactly or
    /// leaves the sheet to calamine.
    #[test]
    fn fast_cells_are_calamines_cells(rows in prop::collection::vec(row(), 0..5)) {
        let shared = ["<t>Funder</t>", "<r><t>Big</t></r><r><t xml:space=\"preserve\"> Trust</t></r>", "<t>_x0031_</t>"];
        let bytes = workbook(&rows.concat(), &shared);
        let sheets = both_ways(&bytes).unwrap();
        let (_, slow, fast) = &sheets[0];
        if let Some(fast) = fast {
            prop_assert_eq!(Some(fast), slow.as_ref().ok());
        }
    }
}
