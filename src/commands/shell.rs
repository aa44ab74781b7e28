//! `vetter completions SHELL` and `vetter man`: generated from the clap
//! definitions, so they never drift from the real command line.

use crate::cli::Cli;
use crate::error::Result;
use clap::CommandFactory;
use std::io::Write;

pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<()> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "vetter", out);
    Ok(())
}

pub fn man(out: &mut dyn Write) -> Result<()> {
    let cmd = Cli::command();
    clap_mangen::Man::new(cmd).render(out)?;
    Ok(())
}
