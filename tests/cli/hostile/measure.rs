//! Running the binary with its wall-clock time and peak resident memory measured.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{assert_clean_error, root, Run};

/// One run of the binary with its wall-clock time and peak resident memory.
pub struct Measured {
    pub run: Run,
    pub seconds: f64,
    pub peak_kib: u64,
}

/// Runs fundrisk under `/usr/bin/time -v` when it is installed (its peak includes the
/// workbook-reading child), and otherwise samples `/proc/<pid>/status` for the peak.
pub fn measured<I, S>(args: I) -> Measured
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let exe = env!("CARGO_BIN_EXE_fundrisk");
    let gnu_time = Path::new("/usr/bin/time");
    let started = Instant::now();
    if gnu_time.exists() {
        let out = Command::new(gnu_time)
            .arg("-v")
            .arg(exe)
            .args(args)
            .current_dir(root())
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap();
        let seconds = started.elapsed().as_secs_f64();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let (own, report) = stderr
            .split_once("\tCommand being timed:")
            .unwrap_or((stderr.as_str(), ""));
        let peak_kib = report
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("Maximum resident set size (kbytes): ")
            })
            .and_then(|v| v.trim().parse().ok())
            .expect("GNU time reports the peak");
        let signalled = own.contains("Command terminated by signal")
            || report.contains("Command terminated by signal");
        let own = own
            .lines()
            .filter(|l| !l.starts_with("Command exited with non-zero status"))
            .collect::<Vec<_>>()
            .join("\n");
        return Measured {
            run: Run {
                code: if signalled { None } else { out.status.code() },
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: own,
            },
            seconds,
            peak_kib,
        };
    }
    let mut child = Command::new(exe)
        .args(args)
        .current_dir(root())
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kib = 0;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let err_thread = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Measured {
        run: Run {
            code: status.code(),
            stdout: out_thread.join().unwrap(),
            stderr: err_thread.join().unwrap(),
        },
        seconds: started.elapsed().as_secs_f64(),
        peak_kib,
    }
}

/// The bounds: under 1 GB resident and 30 s, and never a crash.
pub fn assert_bounded(m: &Measured, case: &str) {
    eprintln!(
        "hostile case {case}: {:.2} s, peak RSS {:.1} MiB, exit {:?}",
        m.seconds,
        m.peak_kib as f64 / 1024.0,
        m.run.code
    );
    assert!(
        m.peak_kib < 1_000_000,
        "{case}: peak RSS {} KiB is over 1 GB",
        m.peak_kib
    );
    assert!(m.seconds < 30.0, "{case}: took {:.1} s", m.seconds);
    assert!(
        matches!(m.run.code, Some(0..=3)),
        "{case}: crashed ({:?}): {}",
        m.run.code,
        m.run.stderr
    );
}

/// A clean error, bounded, whose message holds every one of `words`.
pub fn assert_refused(m: &Measured, path: &str, case: &str, words: &[&str]) {
    assert_bounded(m, case);
    assert_clean_error(&m.run, path);
    for w in words {
        assert!(
            m.run.stderr.contains(w),
            "{case}: expected {w:?} in {}",
            m.run.stderr
        );
    }
}
