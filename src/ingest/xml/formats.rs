//! Which cell styles show a date or a time, from the styles calamine has read, decided as
//! calamine decides it for its own cell reader. `detect_custom_number_format` and
//! `builtin_format_by_id` are copied from calamine 0.38 (`src/formats.rs`, MIT licence,
//! copyright 2016-2026 Johann Tuffe), where they are private.

use calamine::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellFormat {
    Other,
    DateTime,
    TimeDelta,
}

/// The format kind of each style, in style-id order.
pub(crate) fn cell_formats(styles: &[Style]) -> Vec<CellFormat> {
    styles.iter().map(cell_format).collect()
}

/// calamine keeps a custom code for a number format id when the workbook defines one, and
/// otherwise the built-in code (or `General`); a code that is not the built-in one for its
/// id is a custom format.
fn cell_format(style: &Style) -> CellFormat {
    let Some(format) = style.number_format.as_ref() else {
        return CellFormat::Other;
    };
    match format.format_id {
        Some(id) if format.format_code == builtin_code(id).unwrap_or("General") => {
            builtin_format_by_id(id)
        }
        _ => detect_custom_number_format(&format.format_code),
    }
}

/// Check excel number format is datetime (calamine's, unchanged).
fn detect_custom_number_format(format: &str) -> CellFormat {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false, // if escaped, ignore
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return CellFormat::Other, // first format only
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return CellFormat::TimeDelta, // if closing
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return CellFormat::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return CellFormat::DateTime
            }
            _ => {
                if hms && s.eq_ignore_ascii_case(&prev) {
                    // ok ...
                } else {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    CellFormat::Other
}

/// calamine's `builtin_format_by_id`, over the parsed id.
fn builtin_format_by_id(id: u32) -> CellFormat {
    match id {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => CellFormat::DateTime,
        46 => CellFormat::TimeDelta,
        _ => CellFormat::Other,
    }
}

/// calamine's `builtin_format_code_by_id` (ECMA-376 18.8.30).
pub(crate) fn builtin_code(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "mm-dd-yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_codes_read_as_their_ids() {
        // A custom format that repeats a built-in code must be read the same either way.
        for id in 0..60 {
            if let Some(code) = builtin_code(id) {
                assert_eq!(
                    detect_custom_number_format(code),
                    builtin_format_by_id(id),
                    "{id}"
                );
            }
        }
        assert_eq!(
            detect_custom_number_format("dd/mm/yyyy"),
            CellFormat::DateTime
        );
        assert_eq!(
            detect_custom_number_format("[h]:mm:ss"),
            CellFormat::TimeDelta
        );
        assert_eq!(
            detect_custom_number_format("\"£\"#,##0.00"),
            CellFormat::Other
        );
    }
}
