//! The funders register: the finance lead's own list of funders, their categories and
//! attributes, in CSV or TOML. It outranks every other way of classifying a funder.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::names::{normalise_id, normalise_name};
use crate::ledger::Category;

/// One funder in the register.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterEntry {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub identifier: Option<String>,
    pub category: Category,
    /// A body the organisation campaigns against or lobbies: its money constrains most.
    #[serde(default)]
    pub advocacy_target: bool,
    /// A governmental unit (US public-support test: not limited to 2%).
    #[serde(default)]
    pub governmental_unit: bool,
    /// A publicly supported charity (US public-support test: not limited to 2%).
    #[serde(default)]
    pub public_charity: bool,
    /// A private person: never named in board or peer outputs unless asked.
    #[serde(default)]
    pub individual: bool,
    /// Related donors counted together (US public-support test).
    #[serde(default)]
    pub group: Option<String>,
    /// An unusual grant, left out of the US public-support test.
    #[serde(default)]
    pub unusual_grant: bool,
    #[serde(default)]
    pub notes: Option<String>,
}

/// The register as a whole.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    #[serde(default, rename = "funder")]
    pub funders: Vec<RegisterEntry>,
}

/// Why a register cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}\n  hint: see the register format in README.md (columns name, aliases, identifier, category, advocacy_target, governmental_unit, public_charity, individual, group, unusual_grant, notes)")]
pub struct RegisterError {
    pub path: String,
    pub message: String,
}

impl Register {
    /// Reads a register from CSV (by content) or TOML (`.toml`).
    ///
    /// # Errors
    /// A file that cannot be read, an unknown column, category or flag value, or two entries
    /// claiming the same name, alias or identifier.
    pub fn load(path: &Path) -> Result<Register, RegisterError> {
        let err = |message: String| RegisterError {
            path: path.display().to_string(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read it: {e}")))?;
        let text = String::from_utf8(
            bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&bytes)
                .to_vec(),
        )
        .map_err(|_| err("the register is not UTF-8 text".into()))?;
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        let register = if is_toml {
            toml::from_str(&text).map_err(|e| err(e.to_string().trim_end().to_string()))?
        } else {
            from_csv(&text).map_err(err)?
        };
        register.check().map_err(err)?;
        Ok(register)
    }

    fn check(&self) -> Result<(), String> {
        let mut seen: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
        for f in &self.funders {
            if f.name.trim().is_empty() {
                return Err("a funder has an empty name".into());
            }
            let mut keys: Vec<String> = std::iter::once(&f.name)
                .chain(&f.aliases)
                .map(|n| normalise_name(n))
                .collect();
            keys.extend(f.identifier.iter().map(|i| normalise_id(i)));
            keys.sort();
            keys.dedup();
            for k in keys {
                if let Some(other) = seen.insert(k.clone(), &f.name) {
                    return Err(format!(
                        "{k:?} is claimed by both {other:?} and {:?}",
                        f.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// Writes the register as CSV, one funder per row (aliases joined with `; `).
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let _ = w.write_record(COLUMNS);
        let yes = |b: bool| if b { "yes" } else { "" };
        for f in &self.funders {
            let aliases = f.aliases.join("; ");
            let _ = w.write_record([
                neutralise(&f.name).as_str(),
                neutralise(&aliases).as_str(),
                neutralise(f.identifier.as_deref().unwrap_or("")).as_str(),
                f.category.as_str(),
                yes(f.advocacy_target),
                yes(f.governmental_unit),
                yes(f.public_charity),
                yes(f.individual),
                neutralise(f.group.as_deref().unwrap_or("")).as_str(),
                yes(f.unusual_grant),
                neutralise(f.notes.as_deref().unwrap_or("")).as_str(),
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

const COLUMNS: [&str; 11] = [
    "name",
    "aliases",
    "identifier",
    "category",
    "advocacy_target",
    "governmental_unit",
    "public_charity",
    "individual",
    "group",
    "unusual_grant",
    "notes",
];

/// Guards a CSV cell against formula injection when opened in a spreadsheet program.
#[must_use]
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn un_neutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn flag(value: &str, column: &str, line: u64) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Ok(false),
        "yes" | "y" | "true" | "1" | "x" => Ok(true),
        other => Err(format!(
            "line {line}, column {column}: {other:?} is not yes/no"
        )),
    }
}

fn from_csv(text: &str) -> Result<Register, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase().replace([' ', '-'], "_"))
        .collect();
    for h in &headers {
        if !COLUMNS.contains(&h.as_str()) && !h.is_empty() {
            return Err(format!("unknown column {h:?}"));
        }
    }
    for needed in ["name", "category"] {
        if !headers.iter().any(|h| h == needed) {
            return Err(format!("the register needs a {needed:?} column"));
        }
    }
    let mut funders = Vec::new();
    for record in rdr.records() {
        let record = record.map_err(|e| e.to_string())?;
        let line = record.position().map_or(0, csv::Position::line);
        let get = |col: &str| -> String {
            headers
                .iter()
                .position(|h| h == col)
                .and_then(|i| record.get(i))
                .map(|v| un_neutralise(v.trim()).to_string())
                .unwrap_or_default()
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let category_text = get("category");
        let category = Category::from_name(&category_text).ok_or_else(|| {
            format!(
                "line {line}: category {category_text:?} is not one of {}",
                Category::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let opt = |s: String| (!s.is_empty()).then_some(s);
        funders.push(RegisterEntry {
            name: get("name"),
            aliases: get("aliases")
                .split([';', '|'])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            identifier: opt(get("identifier")),
            category,
            advocacy_target: flag(&get("advocacy_target"), "advocacy_target", line)?,
            governmental_unit: flag(&get("governmental_unit"), "governmental_unit", line)?,
            public_charity: flag(&get("public_charity"), "public_charity", line)?,
            individual: flag(&get("individual"), "individual", line)?,
            group: opt(get("group")),
            unusual_grant: flag(&get("unusual_grant"), "unusual_grant", line)?,
            notes: opt(get("notes")),
        });
    }
    Ok(Register { funders })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_round_trips() {
        let reg = Register {
            funders: vec![
                RegisterEntry {
                    name: "Northshire County Council".into(),
                    aliases: vec!["NCC".into(), "Northshire CC".into()],
                    identifier: Some("GB-LAE-NSH".into()),
                    category: Category::Government,
                    advocacy_target: true,
                    governmental_unit: true,
                    ..RegisterEntry::default()
                },
                RegisterEntry {
                    name: "=HYPERLINK(1)".into(),
                    category: Category::Other,
                    notes: Some("-x".into()),
                    ..RegisterEntry::default()
                },
            ],
        };
        let text = reg.to_csv();
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert_eq!(from_csv(&text).unwrap(), reg);
    }

    #[test]
    fn bad_registers_say_where() {
        assert!(from_csv("name,category\nA,charity\n")
            .unwrap_err()
            .contains("line 2"));
        assert!(from_csv("name,kind\nA,x\n")
            .unwrap_err()
            .contains("unknown column"));
        let dup = Register {
            funders: vec![
                RegisterEntry {
                    name: "A Trust".into(),
                    category: Category::Foundation,
                    ..RegisterEntry::default()
                },
                RegisterEntry {
                    name: "B".into(),
                    aliases: vec!["The A Trust".into()],
                    category: Category::Foundation,
                    ..RegisterEntry::default()
                },
            ],
        };
        assert!(dup.check().unwrap_err().contains("claimed by both"));
    }
}
