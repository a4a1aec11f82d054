//! Writing outputs atomically (temporary file in the same folder, then rename), never over an
//! input, and `-` for standard output.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;

/// Writes `bytes` to `path` (or standard output for `-`).
///
/// # Errors
/// When the folder is missing, the path is one of the inputs, or the write fails.
pub fn write_output(path: &Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<(), Error> {
    if path.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(|e| output_error(path, &e.to_string()));
    }
    let target = std::fs::canonicalize(path).ok();
    for input in inputs {
        if target.is_some() && std::fs::canonicalize(input).ok() == target {
            return Err(output_error(
                path,
                "it is one of the input ledgers; choose another output path",
            ));
        }
    }
    // A device or pipe (`/dev/null`, `/dev/stdout`, a named pipe) is written to as it is:
    // renaming a temporary file over it would replace the device with an ordinary file.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() && !meta.is_dir() {
            return std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()))
                .map_err(|e| output_error(path, &e.to_string()));
        }
        if meta.is_dir() {
            return Err(output_error(
                path,
                "it is a folder; give a file name inside it",
            ));
        }
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(output_error(
            path,
            &format!(
                "the folder {} does not exist; create it first",
                dir.display()
            ),
        ));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".fundrisk-")
        .tempfile_in(&dir)
        .map_err(|e| output_error(path, &e.to_string()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .map_err(|e| output_error(path, &e.to_string()))?;
    tmp.persist(path)
        .map_err(|e| output_error(path, &e.error.to_string()))?;
    Ok(())
}

fn output_error(path: &Path, message: &str) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}
