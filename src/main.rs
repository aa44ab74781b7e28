//! The `vetter` binary: parse arguments, run the library, map errors to exit
//! codes (DESIGN.md: 0 ok, 1 user error, 2 usage error, 3 a check failed).

// mimalloc, not the system allocator: see its note in Cargo.toml.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Owner-only files whatever the umask; a file-size limit is an error, not a kill.
    vetter::fsutil::harden_process();
    let cli = match vetter::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => 0,
                // A bad value for a known option (e.g. `--status mett`) is bad input, not bad usage.
                clap::error::ErrorKind::InvalidValue | clap::error::ErrorKind::ValueValidation => 1,
                _ => 2,
            });
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = vetter::run(cli, &mut out);
    // What was printed comes first, then the error that ends it (a failed
    // check prints its report, then says why it exits 3).
    let flushed = std::io::Write::flush(&mut out).map_err(vetter::error::Error::from);
    let result = result.and(flushed);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind == vetter::error::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprint!(
                "{}",
                vetter::output::wrapped_message("error: ", &e.to_string())
            );
            if let Some(hint) = &e.hint {
                eprint!("{}", vetter::output::wrapped_message("hint: ", hint));
            }
            ExitCode::from(e.exit_code())
        }
    }
}
