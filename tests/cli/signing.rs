//! Signed packets (issue 24): SHA256SUMS.sig checked by the real OpenSSH
//! `ssh-keygen -Y verify` plus coreutils, exactly as docs/packet-format.md
//! tells an auditor, and by `vetter verify --packet --allowed-signers`, on a
//! good packet and on each tampering.

use super::{contains_all, p, T};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The auditor's route, as docs/packet-format.md gives it: the signature,
/// then every listed file, then that no file is there unlisted.
const PLAIN_ROUTE: &str = r#"set -e
ssh-keygen -Y verify -f "$1" -I alice@example.com -n vetter-packet -s SHA256SUMS.sig < SHA256SUMS
sha256sum -c --strict --quiet SHA256SUMS
diff <(sed -n 's/^[0-9a-f]\{64\}  //p' SHA256SUMS | sort) \
     <(find . -type f ! -name SHA256SUMS ! -name SHA256SUMS.sig | sed 's|^\./||' | sort)
"#;

fn have_ssh_keygen() -> bool {
    Command::new("ssh-keygen").arg("-?").output().is_ok()
}

/// A key pair made by ssh-keygen in `dir`: (private key path, .pub text).
pub fn keypair(dir: &Path, name: &str, passphrase: &str) -> (PathBuf, String) {
    let key = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            passphrase,
            "-C",
            name,
            "-f",
            p(&key),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    (key, public)
}

/// Runs the auditor's route in `packet`; true when it passes.
fn plain_route_passes(packet: &Path, allowed: &Path) -> bool {
    let out = Command::new("bash")
        .args(["-c", PLAIN_ROUTE, "route", p(allowed)])
        .current_dir(packet)
        .output()
        .unwrap();
    out.status.success()
}

/// `verify --head HEAD --allowed-signers ALLOWED`, lines unwrapped.
fn verify_head(t: &T, head: &Path, allowed: &Path) -> std::process::Output {
    t.cmd(&["verify", "--head", p(head), "--allowed-signers", p(allowed)])
        .env("COLUMNS", "1000")
        .output()
        .unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    let out = Command::new("cp")
        .args(["-r", p(from), p(to)])
        .output()
        .unwrap();
    assert!(out.status.success());
}

#[test]
fn a_signed_packet_verifies_with_openssh_alone_and_every_tampering_is_caught() {
    if !have_ssh_keygen() {
        eprintln!("skipped: ssh-keygen is missing (apt-get install openssh-client)");
        return;
    }
    let t = T::with_review();
    let (alice, alice_pub) = keypair(t.dir.path(), "alice", "");
    let (mallory, _) = keypair(t.dir.path(), "mallory", "");
    let allowed = t.write("allowed_signers", format!("alice@example.com {alice_pub}"));
    let good = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&good), "--sign", p(&alice)]);
    assert!(good.join("SHA256SUMS.sig").exists());
    assert!(
        plain_route_passes(&good, &allowed),
        "the plain route fails on a good packet"
    );
    let report = t.json(&[
        "verify",
        "--packet",
        p(&good),
        "--allowed-signers",
        p(&allowed),
        "--json",
    ]);
    assert_eq!(
        report["packet"]["signed_by"]["principals"][0],
        "alice@example.com"
    );
    contains_all(
        &t.ok(&[
            "verify",
            "--packet",
            p(&good),
            "--allowed-signers",
            p(&allowed),
        ]),
        &[
            "signature  ok",
            "signed by alice@example.com",
            "vetter-packet",
        ],
    );
    // The auditor's vetter has no register: --packet-only checks the packet
    // alone, and opens or creates no database.
    let no_register = t.path("auditor/vetter.db");
    let packet_only = |dir: &Path| {
        t.cmd(&[
            "verify",
            "--packet",
            p(dir),
            "--allowed-signers",
            p(&allowed),
            "--packet-only",
        ])
        .env("VETTER_DB", &no_register)
        .env("COLUMNS", "1000")
        .output()
        .unwrap()
    };
    let alone = packet_only(&good);
    assert!(
        alone.status.success(),
        "{}",
        String::from_utf8_lossy(&alone.stderr)
    );
    contains_all(
        &String::from_utf8_lossy(&alone.stdout),
        &[
            "signature  ok",
            "signed by alice@example.com",
            "packet     ok",
            "register   -     not checked (--packet-only)",
        ],
    );
    assert!(
        !t.path("auditor").exists(),
        "--packet-only created a register"
    );

    // Each tampering, on a fresh copy: the plain route and vetter both fail.
    let tamper = |name: &str, change: &dyn Fn(&Path)| {
        let dir = t.path(name);
        copy_dir(&good, &dir);
        change(&dir);
        assert!(
            !plain_route_passes(&dir, &allowed),
            "{name}: the plain route passed"
        );
        let out = t
            .cmd(&[
                "verify",
                "--packet",
                p(&dir),
                "--allowed-signers",
                p(&allowed),
            ])
            .env("COLUMNS", "1000")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{name}: vetter verify passed");
        let alone = packet_only(&dir);
        assert_eq!(
            alone.status.code(),
            Some(3),
            "{name}: verify --packet-only passed"
        );
        let said = String::from_utf8_lossy(&out.stdout).into_owned();
        // The same problems, whether or not the register is at hand.
        for problem in said.lines().filter(|l| l.starts_with("    ")) {
            assert!(
                String::from_utf8_lossy(&alone.stdout).contains(problem),
                "{name}: --packet-only did not say {problem:?}"
            );
        }
        said
    };
    // A CSV edited and its SHA256SUMS line rewritten to match.
    let said = tamper("edited", &|dir| {
        let csv = dir.join("flags.csv");
        let mut text = std::fs::read_to_string(&csv).unwrap();
        text.push_str("\"critical\",\"made.up\"\r\n");
        std::fs::write(&csv, &text).unwrap();
        let sum = Command::new("sha256sum").arg(p(&csv)).output().unwrap();
        let hash = String::from_utf8_lossy(&sum.stdout)[..64].to_string();
        let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
        let rewritten: String = sums
            .lines()
            .map(|l| {
                if l.ends_with("  flags.csv") {
                    format!("{hash}  flags.csv\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        std::fs::write(dir.join("SHA256SUMS"), rewritten).unwrap();
    });
    contains_all(&said, &["the signature does not match SHA256SUMS"]);
    // A file added.
    let said = tamper("added", &|dir| {
        std::fs::write(dir.join("extra.csv"), "x\n").unwrap()
    });
    contains_all(&said, &["extra.csv: added"]);
    // The signature made by another key.
    let said = tamper("other-key", &|dir| {
        std::fs::remove_file(dir.join("SHA256SUMS.sig")).unwrap();
        let out = Command::new("ssh-keygen")
            .args([
                "-Y",
                "sign",
                "-f",
                p(&mallory),
                "-n",
                "vetter-packet",
                "SHA256SUMS",
            ])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success());
    });
    contains_all(&said, &["which the allowed signers file does not list"]);
    // The right key, the wrong namespace.
    let said = tamper("namespace", &|dir| {
        std::fs::remove_file(dir.join("SHA256SUMS.sig")).unwrap();
        let out = Command::new("ssh-keygen")
            .args(["-Y", "sign", "-f", p(&alice), "-n", "file", "SHA256SUMS"])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success());
    });
    contains_all(&said, &["namespace 'file', not 'vetter-packet'"]);
    // A truncated signature.
    let said = tamper("truncated", &|dir| {
        let sig = dir.join("SHA256SUMS.sig");
        let text = std::fs::read_to_string(&sig).unwrap();
        std::fs::write(&sig, &text[..text.len() / 2]).unwrap();
    });
    contains_all(&said, &["is not an SSH signature"]);
    // No signature at all, where one is required.
    let said = tamper("unsigned", &|dir| {
        std::fs::remove_file(dir.join("SHA256SUMS.sig")).unwrap()
    });
    contains_all(&said, &["the packet is not signed"]);
}

/// `vetter sign` signs a packet already written; a passphrase-protected key
/// opens with VETTER_KEY_PASSPHRASE_FILE; a bad key changes nothing.
#[test]
fn sign_signs_a_written_packet_and_refuses_a_bad_key() {
    if !have_ssh_keygen() {
        eprintln!("skipped: ssh-keygen is missing (apt-get install openssh-client)");
        return;
    }
    let t = T::with_review();
    let (locked, public) = keypair(t.dir.path(), "locked", "correct horse");
    let allowed = t.write("allowed_signers", format!("alice@example.com {public}"));
    let packet = t.path("packet");
    t.ok(&["export", "acme", "--out", p(&packet)]);
    contains_all(
        &t.fails(1, &["sign", p(&packet), "--key", p(&locked)]),
        &["protected by a passphrase", "VETTER_KEY_PASSPHRASE_FILE"],
    );
    let wrong = t.write("wrong-pass", "battery staple\n");
    let out = t
        .cmd(&["sign", p(&packet), "--key", p(&locked)])
        .env("VETTER_KEY_PASSPHRASE_FILE", &wrong)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !packet.join("SHA256SUMS.sig").exists(),
        "a failed sign wrote a signature"
    );
    let pass = t.write("pass", "correct horse\n");
    let out = t
        .cmd(&["sign", p(&packet), "--key", p(&locked)])
        .env("VETTER_KEY_PASSPHRASE_FILE", &pass)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(plain_route_passes(&packet, &allowed));
    contains_all(
        &t.fails(1, &["sign", p(&packet), "--key", p(&locked)]),
        &["already signed", "--force"],
    );
    let not_a_key = t.write("notakey", "hello");
    contains_all(
        &t.fails(
            1,
            &[
                "export",
                "acme",
                "--out",
                p(&t.path("other")),
                "--sign",
                p(&not_a_key),
            ],
        ),
        &["is not an OpenSSH private key"],
    );
    assert!(
        !t.path("other").exists(),
        "a bad --sign left a packet behind"
    );
}

/// A signed chain head, kept away from the register: ssh-keygen checks its
/// signature (namespace vetter-head), and `vetter verify --head` fails when
/// the log no longer holds that event unchanged (truncated, or rewritten
/// and re-chained by someone who can write the file).
#[test]
fn a_signed_head_proves_the_log_still_holds_it() {
    if crate::engine::sqlite_only("it rewrites the SQLite file's log") {
        return;
    }
    if !have_ssh_keygen() {
        eprintln!("skipped: ssh-keygen is missing (apt-get install openssh-client)");
        return;
    }
    let t = crate::trust::demo();
    let (alice, alice_pub) = keypair(t.dir.path(), "alice", "");
    let allowed = t.write("allowed_signers", format!("alice@example.com {alice_pub}"));
    let head = t.path("2026-12-05.head");
    t.ok(&["log", "--head", "--sign", p(&alice), "--out", p(&head)]);
    let text = std::fs::read_to_string(&head).unwrap();
    assert!(
        text.starts_with("# vetter audit chain head: event 43 sha256 "),
        "{text}"
    );
    let ssh = Command::new("ssh-keygen")
        .args([
            "-Y",
            "verify",
            "-f",
            p(&allowed),
            "-I",
            "alice@example.com",
            "-n",
            "vetter-head",
            "-s",
        ])
        .arg(crate::p(&head.with_extension("head.sig")))
        .stdin(std::fs::File::open(&head).unwrap())
        .output()
        .unwrap();
    assert!(
        ssh.status.success(),
        "{}",
        String::from_utf8_lossy(&ssh.stderr)
    );
    contains_all(
        &t.ok(&[
            "verify",
            "--head",
            p(&head),
            "--allowed-signers",
            p(&allowed),
        ]),
        &[
            "head       ok",
            "event 43 signed by alice@example.com",
            "the log still holds it",
        ],
    );
    // An existing head file is never overwritten.
    contains_all(
        &t.fails(
            1,
            &["log", "--head", "--sign", p(&alice), "--out", p(&head)],
        ),
        &["already exists"],
    );
    // The log rewritten from event 40 on and re-chained: its own checks
    // pass, the signed head does not.
    crate::trust::tamper(&t, "UPDATE audit_event SET actor = 'mallory' WHERE id = 40");
    crate::trust::rechain_from(&t, 40);
    let out = verify_head(&t, &head, &allowed);
    assert_eq!(out.status.code(), Some(3));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.lines()
            .any(|l| l.starts_with("chain") && l.contains(" ok ")),
        "{said}"
    );
    contains_all(
        &said,
        &["audit event #43", "rewritten since the head was signed"],
    );
    // Truncated: the head's event is gone.
    crate::trust::tamper(&t, "DELETE FROM audit_event WHERE id > 41");
    let out = verify_head(&t, &head, &allowed);
    contains_all(
        &String::from_utf8_lossy(&out.stdout),
        &["truncated since the head was signed"],
    );
}

/// `--sign ssh-agent:` signs with a key the agent holds; the file never
/// leaves the agent. Several keys need naming; no agent is a clear error.
#[test]
fn the_agent_signs_when_asked() {
    if !have_ssh_keygen() || Command::new("ssh-agent").arg("-h").output().is_err() {
        eprintln!("skipped: ssh-keygen or ssh-agent is missing (apt-get install openssh-client)");
        return;
    }
    let t = T::with_review();
    let (alice, alice_pub) = keypair(t.dir.path(), "alice", "");
    let (bob, _) = keypair(t.dir.path(), "bob", "");
    let allowed = t.write("allowed_signers", format!("alice@example.com {alice_pub}"));
    let sock = t.path("agent.sock");
    let started = Command::new("ssh-agent")
        .args(["-a", p(&sock)])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&started.stdout).into_owned();
    let pid = said
        .split("SSH_AGENT_PID=")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .expect("ssh-agent printed its pid")
        .to_string();
    let add = |key: &Path| {
        let out = Command::new("ssh-add")
            .arg(p(key))
            .env("SSH_AUTH_SOCK", &sock)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    add(&alice);
    let packet = t.path("packet");
    let out = t
        .cmd(&[
            "export",
            "acme",
            "--out",
            p(&packet),
            "--sign",
            "ssh-agent:",
        ])
        .env("SSH_AUTH_SOCK", &sock)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(plain_route_passes(&packet, &allowed));
    add(&bob);
    let out = t
        .cmd(&["sign", p(&packet), "--key", "ssh-agent:", "--force"])
        .env("SSH_AUTH_SOCK", &sock)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &["ssh-agent holds 2 keys", "ssh-agent:SHA256:"],
    );
    let out = t
        .cmd(&["sign", p(&packet), "--key", "ssh-agent:alice", "--force"])
        .env("SSH_AUTH_SOCK", &sock)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(plain_route_passes(&packet, &allowed));
    let _ = Command::new("kill").arg(&pid).output();
    let out = t
        .cmd(&["sign", p(&packet), "--key", "ssh-agent:", "--force"])
        .env_remove("SSH_AUTH_SOCK")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    contains_all(
        &String::from_utf8_lossy(&out.stderr),
        &["SSH_AUTH_SOCK is not set"],
    );
}
