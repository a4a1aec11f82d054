//! The progress line on stderr while big files are read: the file, the sheet and the rows
//! read so far.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// A progress line on stderr: shown only when stderr is a terminal, only once reading has
/// taken a second (`FUNDRISK_PROGRESS_AFTER_MS` changes the wait), and cleared when reading
/// ends.
pub struct Progress {
    enabled: bool,
    started: Instant,
    after: Duration,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// `enabled` is false for `--quiet`; a stderr that is no terminal also turns it off.
    #[must_use]
    pub fn new(enabled: bool) -> Self {
        let after = std::env::var("FUNDRISK_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(Duration::from_secs(1), Duration::from_millis);
        Progress {
            enabled: enabled && std::io::stderr().is_terminal(),
            started: Instant::now(),
            after,
            bar: None,
        }
    }

    pub(crate) fn update(&mut self, file: &str, sheet: Option<&str>, rows: u64) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() {
            if self.started.elapsed() < self.after {
                return;
            }
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            let place = sheet.map_or(String::new(), |s| format!(", sheet {s:?}"));
            bar.set_message(format!("reading {file}{place}: {} rows", thousands(rows)));
        }
    }

    pub(crate) fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
