//! The `fundrisk` executable: parse arguments, run, print `error: …` and exit with a code.

use std::process::ExitCode;

use clap::Parser;

/// The system allocator, with big blocks in huge pages (see `fundrisk::huge_pages`).
#[global_allocator]
static ALLOCATOR: fundrisk::huge_pages::HugePages = fundrisk::huge_pages::HugePages;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(fundrisk::ingest::WORKER_ARG) {
        fundrisk::panic_guard::install();
        return code(fundrisk::ingest::worker_main(
            args.get(2..).unwrap_or_default(),
        ));
    }
    fundrisk::panic_guard::install();
    let cli = fundrisk::cli::Cli::parse();
    let runtime = fundrisk::Runtime {
        worker_exe: std::env::current_exe().ok(),
        progress: !cli.quiet,
        exiting: true,
    };
    let step = fundrisk::timing::step("run");
    let run = fundrisk::run(&cli, &runtime);
    drop(step);
    match run {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            code(e.exit_code())
        }
    }
}

fn code(c: i32) -> ExitCode {
    ExitCode::from(u8::try_from(c).unwrap_or(1))
}
