//! `vetter completions SHELL` and `vetter man`: generated from the clap
//! definitions, so they never drift from the real command line.

use crate::cli::Cli;
use crate::error::{Error, Result};
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<()> {
    let mut cmd = Cli::command();
    // Generated into memory first: clap_complete panics when its writer
    // fails, and a closed pipe (`| head`) is not a crash.
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut cmd, "vetter", &mut text);
    out.write_all(&text)?;
    Ok(())
}

/// The top-level page on stdout, or with `out_dir` one page per command
/// (vetter.1, vetter-vendor.1, vetter-vendor-add.1, ...) in that directory.
pub fn man(out_dir: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let cmd = Cli::command();
    let Some(dir) = out_dir else {
        let mut text = Vec::new();
        clap_mangen::Man::new(cmd).render(&mut text)?;
        return Ok(out.write_all(&text)?);
    };
    // Man pages are documentation for every user of the machine (e.g. under
    // /usr/local/share/man), unlike the records vetter otherwise writes: the
    // usual umask, not vetter's owner-only one.
    crate::fsutil::with_umask(0o022, || {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::user(format!("cannot create directory '{}': {e}", dir.display()))
                .with_hint("pass a directory you can write, e.g. --out-dir ~/.local/share/man/man1")
        })?;
        write_pages(cmd.clone().disable_help_subcommand(true), dir)
    })?;
    crate::output::note(format!(
        "wrote {} man pages to '{}'",
        count_pages(&cmd),
        dir.display()
    ));
    Ok(())
}

/// One page for the command and one for each subcommand, at every depth.
fn count_pages(cmd: &clap::Command) -> usize {
    1 + cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .map(count_pages)
        .sum::<usize>()
}

/// Writes one page per command, as clap_mangen's generate_to names them
/// (vetter-vendor-add.1, as the SEE ALSO sections refer to them), but each
/// through a temporary file renamed into place, and over an existing file
/// only when it is a vetter man page: generate_to opened every name with
/// File::create, which follows a symlink and overwrites whatever is there.
fn write_pages(mut cmd: clap::Command, dir: &Path) -> Result<()> {
    cmd.build();
    fn each(cmd: &clap::Command, dir: &Path) -> Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            each(sub, dir)?;
        }
        let man = clap_mangen::Man::new(cmd.clone());
        let path = dir.join(man.get_filename());
        if std::fs::symlink_metadata(&path).is_ok() {
            super::ours_to_overwrite(&path, super::OutputKind::ManPage)?;
        }
        let mut page = Vec::new();
        man.render(&mut page)?;
        super::write_file_atomically(&path, &page)?;
        // Documentation for every user (the temporary file was owner-only).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(())
    }
    each(&cmd, dir)
}
