//! The cell reader's shortcuts held to its general loops, and its small parsers.

use proptest::prelude::*;
use proptest::sample::select;

use super::*;

const KINDS: [Kind; 6] = [
    Kind::Number,
    Kind::Shared,
    Kind::Bool,
    Kind::Error,
    Kind::Str,
    Kind::Inline,
];

/// Cell contents: the plain shapes around odd text, and odd shapes.
fn contents() -> impl Strategy<Value = String> {
    let piece = select(vec![
        "a",
        "1",
        "2.5",
        "-3",
        "é",
        " ",
        "\t",
        "\r",
        "\n",
        "&amp;",
        "&#65;",
        "&",
        "_x0041_",
        "_",
        "<",
        "<v>",
        "</v>",
        "</c>",
        "<is>",
        "<t>",
        "</t>",
        "</is>",
        "<r>",
        "</r>",
        "<t xml:space=\"preserve\">",
        "<f>",
        "</f>",
        "</v >",
        "#N/A",
    ]);
    let text = prop::collection::vec(piece, 0..6).prop_map(|p| p.concat());
    (text.clone(), text, 0..3usize).prop_map(|(inner, tail, shape)| match shape {
        0 => format!("<v>{inner}</v></c>{tail}"),
        1 => format!("<is><t>{inner}</t></is></c>{tail}"),
        _ => format!("{inner}{tail}"),
    })
}

/// Start tags: plain cell tags and odd ones.
fn start_tags() -> impl Strategy<Value = String> {
    let piece = select(vec![
        " ",
        "\t",
        "r=\"A1\"",
        "r=\"xfd12\"",
        "r=\"A0\"",
        "r=\"\"",
        "s=\"1\"",
        "s=\"\"",
        "s=\"01\"",
        "s=\"1x\"",
        "t=\"inlineStr\"",
        "t=\"s\"",
        "t=\"q\"",
        "x=\"1\"",
        "r='A1'",
        "\"",
        "'",
        "<",
        ">",
        "/>",
        "=",
        "r",
        "é",
    ]);
    (
        select(vec!["<c", "<c ", "<cx", "<row"]),
        prop::collection::vec(piece, 0..8),
    )
        .prop_map(|(start, p)| format!("{start}{}", p.concat()))
}

proptest! {
    #[test]
    fn plain_cell_tags_are_read_as_the_general_loop_reads_them(b in start_tags()) {
        if let Some((read, n)) = plain_cell_tag(b.as_bytes()) {
            let Ok(Some((Tag::Open { name, attrs: a, empty }, used))) = tag(b.as_bytes()) else {
                return Err(TestCaseError::fail(format!("tag() differs on {b:?}")));
            };
            prop_assert_eq!((name, empty, used), (&b"c"[..], false, n));
            prop_assert_eq!(CellAttrs::read(a), Ok(read));
        }
    }

    #[test]
    fn plain_content_is_what_the_general_loop_reads(b in contents(), k in 0..KINDS.len()) {
        let book = Book { strings: None, formats: &[], is_1904: false };
        let (mut plain_text, mut text) = (String::from("x"), String::from("x"));
        let plain = plain_content(b.as_bytes(), KINDS[k], &book, &mut plain_text);
        let general = content(b.as_bytes(), KINDS[k], &book, &mut text);
        match plain {
            Ok(None) => {}
            Ok(Some(read)) => {
                prop_assert_eq!(Ok(Some(read)), general);
                prop_assert_eq!(plain_text, text);
            }
            Err(e) => prop_assert_eq!(Err(e), general),
        }
    }
}

#[test]
fn references_and_numbers() {
    assert_eq!(cell_ref(b"A1"), Ok((0, 0)));
    assert_eq!(cell_ref(b"xfd1048576"), Ok((1_048_575, 16_383)));
    assert!(cell_ref(b"A0").is_err());
    assert!(cell_ref(b"A").is_err());
    assert!(cell_ref(b"1").is_err());
    assert!(cell_ref(b"AAAA1").is_err());
    assert!(cell_ref(b"A1B").is_err());
    assert_eq!(row_number(b"7"), Ok(6));
    assert!(digits(b"12a", 9).is_err());
}
