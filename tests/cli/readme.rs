//! README.md's install section and walkthrough, run as a new user would:
//! every command of the marked blocks, in order, in an empty directory, with
//! the real clock and no VETTER_* variables set. Each must exit as the README
//! says (0, or the `# exit N` its comment gives).

use std::path::Path;
use std::process::Command;

/// One command of a README block: where it starts, its text (continuation
/// lines and here-documents included) and the exit code the README gives it.
#[derive(Debug)]
pub struct Step {
    line: usize,
    text: String,
    expect: i32,
}

/// The text of the fenced block after `<!-- test: NAME` in a document.
pub fn block(doc: &str, name: &str) -> String {
    let marker = format!("<!-- test: {name}");
    let start = doc
        .find(&marker)
        .unwrap_or_else(|| panic!("no '{marker}' block"));
    let open = start + doc[start..].find("```").expect("no fence after the marker");
    let body = open + doc[open..].find('\n').unwrap() + 1;
    let close = body + doc[body..].find("\n```").expect("unclosed fence");
    doc[body..close + 1].to_string()
}

/// The commands of the ```sh block after `<!-- test: NAME`.
pub fn steps(readme: &str, name: &str) -> Vec<Step> {
    let lines: Vec<&str> = readme.lines().collect();
    let marker = format!("<!-- test: {name}");
    let start = lines
        .iter()
        .position(|l| l.starts_with(&marker))
        .unwrap_or_else(|| panic!("README.md has no '{marker}' block"));
    let open = start + 1;
    assert_eq!(
        lines[open], "```sh",
        "the {name} block must start with ```sh"
    );
    let close = open
        + 1
        + lines[open + 1..]
            .iter()
            .position(|l| *l == "```")
            .expect("unclosed block");
    let mut steps = Vec::new();
    let mut i = open + 1;
    while i < close {
        let first = lines[i];
        let trimmed = first.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let line = i + 1;
        let mut text = first.to_string();
        while text.ends_with('\\') {
            i += 1;
            text.push('\n');
            text.push_str(lines[i]);
        }
        // A here-document: its body runs to the line holding only the word.
        if let Some(at) = text.find("<<'") {
            let word: String = text[at + 3..].chars().take_while(|c| *c != '\'').collect();
            loop {
                i += 1;
                assert!(i < close, "here-document {word} not closed");
                text.push('\n');
                text.push_str(lines[i]);
                if lines[i] == word {
                    break;
                }
            }
        }
        let expect = first
            .find("# exit ")
            .and_then(|at| first[at + 7..].chars().next()?.to_digit(10))
            .map_or(0, |d| d as i32);
        steps.push(Step { line, text, expect });
        i += 1;
    }
    steps
}

/// A bash script that runs each step and stops at the first one whose exit
/// code is not what the README says, naming its line.
pub fn script(steps: &[Step]) -> String {
    let mut script = String::from("set -u\n");
    for s in steps {
        script.push_str(&format!(
            "echo '>>> README.md line {line}' >&2\n{{ {text}\n}}\nrc=$?\nif [ \"$rc\" != {expect} ]; then echo \"README.md line {line} exited $rc, expected {expect}\" >&2; exit 90; fi\n",
            line = s.line,
            text = s.text,
            expect = s.expect
        ));
    }
    script
}

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// Runs `script` with bash in `dir`, vetter on the PATH, HOME in `home`.
pub fn run_as_new_user(script: &str, dir: &Path, home: &Path) -> std::process::Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_vetter")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(script).current_dir(dir);
    for (key, _) in std::env::vars() {
        if key.starts_with("VETTER_") || key == "SOURCE_DATE_EPOCH" || key == "XDG_DATA_HOME" {
            cmd.env_remove(key);
        }
    }
    cmd.env("PATH", path).env("HOME", home).env("COLUMNS", "80");
    cmd.output().unwrap()
}

#[test]
fn the_readme_walkthrough_runs_as_written() {
    let steps = steps(&readme(), "walkthrough");
    assert!(steps.len() > 30, "only {} steps found", steps.len());
    assert!(
        steps.iter().any(|s| s.expect == 3),
        "the walkthrough shows a failing check"
    );
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = run_as_new_user(&script(&steps), dir.path(), home.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the walkthrough failed (exit {:?}):\n{stderr}\nstdout:\n{stdout}",
        out.status.code()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    // What the README's comments promise is what a user sees.
    for promised in [
        "CRITICAL  audit.none",
        "breach.over-max-hours",
        "DPA clauses not yet reviewed",
        "packet.pdf: OK",
    ] {
        assert!(
            stdout.contains(promised),
            "expected {promised:?} in the output:\n{stdout}"
        );
    }
    // Nothing vetter printed is wider than the 80-column terminal
    // (sha256sum's own "evidence/<hash>.pdf: OK" lines are not vetter's).
    for line in stdout.lines().filter(|l| !l.ends_with(": OK")) {
        let width = unicode_width::UnicodeWidthStr::width(line);
        assert!(width <= 80, "a {width}-column line:\n{line}");
    }
    let packet = dir.path().join("packets/xano-2026-11");
    assert!(packet.join("packet.pdf").is_file());
    assert!(dir
        .path()
        .join("packets/portfolio-2026-11/portfolio.csv")
        .is_file());
    // The database is where the README said, and nothing went to HOME.
    assert!(dir.path().join("review.db").is_file());
    assert!(!home.path().join(".local/share/vetter").exists());
}

/// The same walkthrough by a two-person team on one PostgreSQL register:
/// alice does the work and submits, bob (another login) decides.
#[test]
fn the_readme_walkthrough_runs_for_a_team_on_postgresql() {
    if !crate::engine::postgres_only() {
        return;
    }
    let t = crate::T::new();
    let db = t.pg.clone().unwrap();
    let server = crate::engine::server();
    // Each call connects as its person: `--as NAME` becomes the login, as a
    // team member's own VETTER_DB would.
    let wrapper = format!(
        "vetter() {{ local user=alice; if [ \"${{1:-}}\" = --as ]; then user=$2; shift 2; fi; VETTER_DB=\"$(url \"$user\")\" command vetter \"$@\"; }}\nurl() {{ printf '%s' '{}' | sed \"s/USER/$1/g\"; }}\n",
        server.url("USER", "USER-pw", &db)
    );
    let steps = steps(&readme(), "walkthrough");
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = run_as_new_user(
        &format!("{wrapper}{}", script(&steps)),
        dir.path(),
        home.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the walkthrough failed on PostgreSQL (exit {:?}):\n{stderr}\nstdout:\n{stdout}",
        out.status.code()
    );
    for promised in ["CRITICAL  audit.none", "packet.pdf: OK"] {
        assert!(
            stdout.contains(promised),
            "expected {promised:?} in:\n{stdout}"
        );
    }
    // Who did what is the server's: alice recorded and submitted, bob decided.
    let log = t.json(&["log", "--json"]);
    let actor_of = |command: &str| -> Vec<String> {
        log.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["command"] == command)
            .map(|e| e["actor"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(actor_of("review submit"), ["alice"]);
    assert_eq!(actor_of("review decide"), ["bob"]);
    assert!(actor_of("finding add").iter().all(|a| a == "alice"));
    // The file-based database of the SQLite walkthrough was never made.
    assert!(!dir.path().join("review.db").exists());
    // The SQLite backup of the team register verifies on its own.
    let backup = dir.path().join("backup.db");
    assert!(backup.is_file());
    crate::T::at(&backup).ok(&["verify"]);
}

#[test]
fn the_readme_install_section_works_on_a_fresh_home() {
    let steps: Vec<Step> = steps(&readme(), "install")
        .into_iter()
        // The binary under test stands in for `cargo install`.
        .filter(|s| !s.text.starts_with("cargo install"))
        .collect();
    assert_eq!(steps.len(), 3, "{steps:?}");
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = run_as_new_user(&script(&steps), dir.path(), home.path());
    assert!(
        out.status.success(),
        "the install section failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let completions = std::fs::read_to_string(
        home.path()
            .join(".local/share/bash-completion/completions/vetter"),
    )
    .unwrap();
    assert!(completions.contains("_vetter"));
    // Every page a page refers to (SEE ALSO vetter-vendor(1), ...) exists.
    let man = home.path().join(".local/share/man/man1");
    let mut pages = 0;
    for entry in std::fs::read_dir(&man).unwrap() {
        let page = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        pages += 1;
        for (at, _) in page.match_indices("vetter\\-") {
            let rest = page[at..].replace("\\-", "-");
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            // A reference to a page is NAME(1); "vetter-packet", the
            // signature namespace, is a word in the text.
            if !rest[name.len()..].starts_with("(1)") {
                continue;
            }
            let name = name.trim_end_matches('-');
            assert!(
                man.join(format!("{name}.1")).is_file(),
                "a page refers to {name}(1), which was not written"
            );
        }
    }
    assert!(pages > 40, "only {pages} man pages");
    assert!(man.join("vetter.1").is_file() && man.join("vetter-review-start.1").is_file());
}
