//! A team register when the server fails: refused, unreachable, a wrong
//! password, a missing database, a schema too new, and a server stopped in
//! the middle of an import. Each message names host, port and database,
//! never the password; an unreachable server exits 4.

use super::*;

/// A password no message may show.
const SECRET: &str = "s3cret-Pa55";

fn output_of(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_server_that_refuses_the_connection_exits_4_and_names_where() {
    // No server needed: nothing listens on the port.
    let t = T::sqlite();
    let port = closed_port();
    let url = format!("postgresql://alice:{SECRET}@127.0.0.1:{port}/register");
    let out = t.cmd(&["--db", &url, "vendor", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", output_of(&out));
    let text = output_of(&out);
    contains_all(&text, &["127.0.0.1", &port.to_string(), "register"]);
    assert!(!text.contains(SECRET), "the password leaked: {text}");
    // A write is refused the same way, and nothing is created locally.
    let out = t
        .cmd(&["--db", &url, "vendor", "add", "Acme"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(!t.db.exists());
}

/// A PostgreSQL-only test's server, or None (with the reason printed).
fn server() -> Option<&'static engine::Server> {
    engine::postgres_only().then(engine::server)
}

#[test]
fn a_wrong_password_a_missing_database_and_no_register_each_say_how_to_fix_it() {
    let Some(server) = server() else { return };
    let t = T::new();
    let db = t.pg.clone().unwrap();
    let run = |url: String| {
        let out = t.cmd(&["--db", &url, "vendor", "list"]).output().unwrap();
        (out.status.code(), output_of(&out))
    };
    let (code, text) = run(server.url("alice", SECRET, &db));
    assert_eq!(code, Some(1), "{text}");
    contains_all(&text, &["alice", &db, "password"]);
    assert!(!text.contains(SECRET), "the password leaked: {text}");

    let (code, text) = run(server.url("alice", "alice-pw", "no_such_register"));
    assert_eq!(code, Some(1), "{text}");
    contains_all(&text, &["no_such_register", "createdb"]);

    // A database with no register in it.
    let mut admin = server.client("postgres");
    admin
        .batch_execute("DROP DATABASE IF EXISTS vetter_empty_db")
        .unwrap();
    admin
        .batch_execute("CREATE DATABASE vetter_empty_db")
        .unwrap();
    let (code, text) = run(server.url("alice", "alice-pw", "vetter_empty_db"));
    assert_eq!(code, Some(1), "{text}");
    contains_all(
        &text,
        &["vetter_empty_db", "no vetter register", "team init"],
    );
}

#[test]
fn a_register_of_a_newer_schema_is_refused_untouched() {
    let Some(server) = server() else { return };
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let db = t.pg.clone().unwrap();
    server
        .client(&db)
        .batch_execute("UPDATE vetter.vetter_schema SET version = 99")
        .unwrap();
    let before = t.dump();
    let text = t.fails(1, &["vendor", "add", "Other"]);
    contains_all(
        &text,
        &["schema version 99", "newer", &db, "upgrade vetter"],
    );
    assert_eq!(before, t.dump());
}

/// A PostgreSQL server of the test's own, which it may stop and start.
struct PrivateServer {
    dir: tempfile::TempDir,
    port: u16,
    /// More `-c name=value` settings for the server (TLS).
    settings: String,
}

impl PrivateServer {
    fn bin(name: &str) -> String {
        format!("/usr/lib/postgresql/15/bin/{name}")
    }

    /// As root, the server runs as `postgres` (it refuses root).
    fn as_owner(args: &[&str]) -> std::process::Command {
        let root = unsafe { libc::geteuid() } == 0;
        let mut cmd = if root {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).args(args);
            c
        } else {
            let mut c = std::process::Command::new(args[0]);
            c.args(&args[1..]);
            c
        };
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        cmd
    }

    /// As root, hands `path` (with -R, all below it) to the server's owner.
    fn give_to_owner(path: &Path, recursive: bool) {
        if unsafe { libc::geteuid() } != 0 {
            return;
        }
        let mut chown = std::process::Command::new("chown");
        if recursive {
            chown.arg("-R");
        }
        assert!(chown
            .args(["postgres", p(path)])
            .status()
            .unwrap()
            .success());
    }

    fn start_new() -> Option<PrivateServer> {
        Self::start_with(|_| String::new())
    }

    /// A new server; `settings` may write files into its directory (as
    /// the server's owner may read them) and returns its extra settings.
    fn start_with(settings: impl FnOnce(&Path) -> String) -> Option<PrivateServer> {
        if !std::path::Path::new(&Self::bin("initdb")).exists() {
            eprintln!("skipped: no PostgreSQL server binaries at /usr/lib/postgresql/15/bin");
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("vetter-pg")
            .tempdir()
            .unwrap();
        let data = dir.path().join("data");
        Self::give_to_owner(dir.path(), false);
        let pw = dir.path().join("pw");
        std::fs::write(&pw, "super-pw\n").unwrap();
        Self::give_to_owner(&pw, false);
        let ok = Self::as_owner(&[
            &Self::bin("initdb"),
            "-D",
            p(&data),
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            &format!("--pwfile={}", p(&pw)),
        ])
        .status()
        .unwrap()
        .success();
        assert!(ok, "initdb failed");
        let settings = settings(dir.path());
        Self::give_to_owner(dir.path(), true);
        let server = PrivateServer {
            port: closed_port(),
            dir,
            settings,
        };
        server.start();
        Some(server)
    }

    fn start(&self) {
        let data = self.dir.path().join("data");
        let ok = Self::as_owner(&[
            &Self::bin("pg_ctl"),
            "-D",
            p(&data),
            "-w",
            "-o",
            &format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 {}",
                self.port,
                p(self.dir.path()),
                self.settings
            ),
            "-l",
            p(&self.dir.path().join("log")),
            "start",
        ])
        .status()
        .unwrap()
        .success();
        assert!(ok, "pg_ctl start failed");
    }

    fn stop_immediately(&self) {
        let data = self.dir.path().join("data");
        Self::as_owner(&[
            &Self::bin("pg_ctl"),
            "-D",
            p(&data),
            "-m",
            "immediate",
            "stop",
        ])
        .status()
        .unwrap();
    }

    fn url(&self, db: &str) -> String {
        format!(
            "postgresql://postgres:super-pw@127.0.0.1:{}/{db}",
            self.port
        )
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        self.stop_immediately();
    }
}

#[test]
fn a_server_stopped_mid_import_keeps_nothing_of_it() {
    if server().is_none() {
        return;
    }
    let Some(pg) = PrivateServer::start_new() else {
        return;
    };
    let t = T::sqlite();
    let url = pg.url("postgres");
    let run = |args: &[&str]| {
        // The superuser acts here, not the suite's default VETTER_USER.
        t.cmd(&[&["--db", &url][..], args].concat())
            .env_remove("VETTER_USER")
            .output()
            .unwrap()
    };
    assert!(run(&["team", "init"]).status.success());
    assert!(run(&["vendor", "add", "Acme", "--slug", "acme"])
        .status
        .success());
    assert!(run(&["review", "start", "acme"]).status.success());
    // Enough rows that the import is still running when the server stops.
    let mut csv = String::from("item,status,source,note,url,owner\n");
    for i in 0..200_000 {
        csv.push_str(&format!(
            "access.sso-saml,met,docs,row {i} of a long import,,vendor\n"
        ));
    }
    let file = t.write("findings.csv", csv);
    let events_before = {
        let out = run(&["log", "--head"]);
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let child = t
        .cmd(&["--db", &url, "import", "findings", "acme", p(&file)])
        .env_remove("VETTER_USER")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1200));
    pg.stop_immediately();
    let out = child.wait_with_output().unwrap();
    let text = output_of(&out);
    if out.status.success() {
        eprintln!("the import finished before the server stopped; nothing to check: {text}");
        return;
    }
    assert_eq!(out.status.code(), Some(4), "{text}");
    assert!(!text.contains("super-pw"), "the password leaked: {text}");
    pg.start();
    let out = run(&["finding", "list", "acme", "--json"]);
    assert!(out.status.success(), "{}", output_of(&out));
    let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        findings.as_array().unwrap().len(),
        0,
        "part of the import was kept"
    );
    let after = run(&["log", "--head"]);
    assert_eq!(String::from_utf8_lossy(&after.stdout), events_before);
    assert!(run(&["verify"]).status.success());
}

/// Runs openssl, which must succeed.
fn openssl(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl (apt-get install openssl)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, a server certificate for "localhost" that it signs, and a second
/// CA that signed nothing.
fn make_certificates(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=vetter test CA",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "other-ca.key",
            "-out",
            "other-ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=another CA",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(dir.join("san.ext"), "subjectAltName=DNS:localhost\n").unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ],
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
    }
}

#[test]
fn tls_verify_full_passes_with_the_right_ca_and_host_and_says_why_otherwise() {
    if server().is_none() {
        return;
    }
    let certs = tempfile::tempdir().unwrap();
    make_certificates(certs.path());
    let Some(pg) = PrivateServer::start_with(|dir| {
        for f in ["server.crt", "server.key"] {
            std::fs::copy(certs.path().join(f), dir.join(f)).unwrap();
        }
        format!(
            "-c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            p(&dir.join("server.crt")),
            p(&dir.join("server.key"))
        )
    }) else {
        return;
    };
    let t = T::sqlite();
    let ca = certs.path().join("ca.crt");
    let other = certs.path().join("other-ca.crt");
    let run = |host: &str, mode: &str, root: Option<&Path>| {
        let root = root.map_or(String::new(), |r| format!("&sslrootcert={}", p(r)));
        let url = format!(
            "postgresql://postgres:super-pw@{host}:{}/postgres?sslmode={mode}{root}",
            pg.port
        );
        let out = t
            .cmd(&["--db", &url, "team", "init"])
            .env_remove("VETTER_USER")
            // No ~/.postgresql/root.crt to fall back on.
            .env("HOME", t.dir.path())
            .output()
            .unwrap();
        (out.status.code(), output_of(&out))
    };
    let (code, text) = run("localhost", "verify-full", Some(&ca));
    assert_eq!(
        code,
        Some(0),
        "verify-full with the right CA and host: {text}"
    );

    let (code, text) = run("localhost", "verify-full", Some(&other));
    assert_eq!(code, Some(1), "{text}");
    contains_all(
        &text,
        &[
            "sslmode=verify-full",
            "not signed by a trusted root",
            "sslrootcert",
        ],
    );

    let (code, text) = run("127.0.0.1", "verify-full", Some(&ca));
    assert_eq!(code, Some(1), "{text}");
    contains_all(&text, &["not valid for this host name", "127.0.0.1"]);

    // verify-ca checks the chain, not the name.
    let (code, text) = run("127.0.0.1", "verify-ca", Some(&ca));
    assert_eq!(code, Some(0), "verify-ca by address: {text}");

    // require encrypts without checking (no root file), as libpq does.
    let (code, text) = run("127.0.0.1", "require", None);
    assert_eq!(code, Some(0), "require: {text}");

    // verify-full with no root certificate anywhere says where it looked.
    let (code, text) = run("localhost", "verify-full", None);
    assert_eq!(code, Some(1), "{text}");
    contains_all(&text, &["no root certificate", "root.crt", "PGSSLROOTCERT"]);
    assert!(!text.contains("super-pw"));
}

#[test]
fn a_writer_kept_waiting_past_lock_timeout_gets_a_message_not_a_hang() {
    let Some(server) = server() else { return };
    let t = T::new();
    t.ok(&["vendor", "add", "Acme"]);
    let db = t.pg.clone().unwrap();
    // Another session holds the register's write lock (store::postgres::WRITE_LOCK).
    let mut holder = server.client(&db);
    holder
        .batch_execute("BEGIN; SELECT pg_advisory_xact_lock(130178117559666)")
        .unwrap();
    let before = t.dump();
    let started = std::time::Instant::now();
    let out = t
        .cmd(&["vendor", "add", "Other"])
        .env("PGOPTIONS", "-c lock_timeout=500ms")
        .output()
        .unwrap();
    let text = output_of(&out);
    assert_eq!(out.status.code(), Some(4), "{text}");
    contains_all(&text, &["locked by another writer", "nothing was changed"]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "it waited {:?}",
        started.elapsed()
    );
    holder.batch_execute("ROLLBACK").unwrap();
    assert_eq!(before, t.dump());
    // Once the lock is free the same command goes through.
    t.ok(&["vendor", "add", "Other"]);
}
