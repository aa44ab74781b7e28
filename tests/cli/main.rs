//! The one integration-test binary: drives the real `vetter` binary against a
//! real SQLite file in a temporary directory, with the clock and the actor
//! injected through VETTER_NOW and VETTER_USER.

mod as_decided;
mod calendar;
mod checklist;
mod choose;
mod compare_terms;
mod crash;
mod dpa;
mod engine;
mod engines;
mod evidence;
mod export;
mod extraction;
mod faults;
mod finding;
mod first_hour;
mod flags;
mod hecvat;
mod import;
mod leftovers;
mod limits;
mod log;
mod misc;
mod names;
mod ours;
mod pades;
mod pdfa;
mod pg_failures;
mod properties;
mod question;
mod question_xlsx;
mod questionnaires;
mod readme;
mod review;
mod schema;
mod scoring;
mod signing;
mod store;
mod subprocessor;
mod team_rules;
mod trust;
mod vendor;
mod vocabulary;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const NOW: &str = "2026-11-26T09:00:00Z";

/// One test's world: a temp directory holding the database, or (with
/// VETTER_TEST_ENGINE=postgres) a PostgreSQL database of its own.
pub struct T {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
    /// The PostgreSQL database of this test, when the suite runs there.
    pub pg: Option<String>,
    /// The JSON outputs for scripts this test printed (`flags`, `compare`,
    /// `review status` with --json), held to docs/packet.schema.json when
    /// the test ends, with every packet.json it wrote (tests/cli/schema.rs).
    pub printed_json: std::sync::Mutex<Vec<(&'static str, Vec<u8>)>>,
}

impl Drop for T {
    fn drop(&mut self) {
        // A test that already failed has said what is wrong.
        if !std::thread::panicking() {
            schema::check_written(self);
        }
        if let Some(name) = &self.pg {
            let _ = engine::server()
                .client("postgres")
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"));
        }
    }
}

impl Default for T {
    fn default() -> T {
        T::new()
    }
}

impl T {
    pub fn new() -> T {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("vetter.db");
        let pg = engine::postgres().then(|| engine::server().new_database());
        T {
            dir,
            db,
            pg,
            printed_json: Default::default(),
        }
    }

    /// A world on a SQLite file whatever the suite's engine, for tests of
    /// what only a file has.
    pub fn sqlite() -> T {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("vetter.db");
        T {
            dir,
            db,
            pg: None,
            printed_json: Default::default(),
        }
    }

    /// What `--db` names for this world: the file, or the connection
    /// string of `user` (the PostgreSQL login a team member connects as).
    pub fn db_for(&self, user: &str) -> std::ffi::OsString {
        match &self.pg {
            None => self.db.clone().into_os_string(),
            Some(name) => engine::server()
                .url(user, &format!("{user}-pw"), name)
                .into(),
        }
    }

    /// A `vetter` command run as `user` (VETTER_USER on SQLite, the login
    /// on PostgreSQL).
    pub fn cmd_as(&self, user: &str, args: &[&str]) -> Command {
        let mut cmd = self.cmd(args);
        cmd.env("VETTER_USER", user)
            .env("VETTER_DB", self.db_for(user));
        cmd
    }

    /// A world around an existing database file elsewhere (a backup, the
    /// copy an upgrade or a restore keeps), to run vetter on it.
    pub fn at(db: impl Into<PathBuf>) -> T {
        T {
            dir: tempfile::tempdir().expect("temp dir"),
            db: db.into(),
            pg: None,
            printed_json: Default::default(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A `vetter` command with this world's database, clock and actor.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_via(&[], args)
    }

    /// Like `cmd`, with vetter started through `prefix` (e.g. `setpriv ...`).
    pub fn cmd_via(&self, prefix: &[&str], args: &[&str]) -> Command {
        let vetter = env!("CARGO_BIN_EXE_vetter");
        let mut cmd = Command::new(prefix.first().copied().unwrap_or(vetter));
        if !prefix.is_empty() {
            cmd.args(&prefix[1..]).arg(vetter);
        }
        // On PostgreSQL, `--as NAME` is who connects: the login is the actor.
        let mut user = "alice";
        let mut kept = Vec::new();
        let mut i = 0;
        while i < args.len() {
            if self.pg.is_some() && args[i] == "--as" && i + 1 < args.len() {
                user = args[i + 1];
                i += 2;
                continue;
            }
            kept.push(args[i]);
            i += 1;
        }
        cmd.args(&kept)
            .env("VETTER_DB", self.db_for(user))
            .env("VETTER_NOW", NOW)
            .env("VETTER_USER", user)
            .env_remove("SOURCE_DATE_EPOCH")
            // The machine's own fonts are no fallback unless a test says
            // so: a packet's glyphs do not depend on what is installed.
            .env("VETTER_FONT_DIRS", "")
            .current_dir(self.dir.path());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd(args).output().expect("run vetter");
        if out.status.success() {
            if let Some(def) = schema::def_printed_by(args) {
                self.printed_json
                    .lock()
                    .unwrap()
                    .push((def, out.stdout.clone()));
            }
        }
        out
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "vetter {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// Runs and expects success; returns stderr (where messages go).
    pub fn ok_stderr(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "vetter {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("stderr is UTF-8")
    }

    /// Runs and expects exit `code`; returns stderr.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "vetter {args:?}: expected exit {code}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("stderr is UTF-8")
    }

    /// Expects exit 1 and that the database is exactly as it was; returns stderr.
    pub fn refused(&self, args: &[&str]) -> String {
        let before = self.dump();
        let err = self.fails(1, args);
        assert_eq!(
            before,
            self.dump(),
            "vetter {args:?} failed but changed the database"
        );
        err
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.ok(args);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("vetter {args:?} printed invalid JSON ({e}): {out}"))
    }

    /// Every row of every table, for "nothing was written" checks.
    pub fn dump(&self) -> String {
        if let Some(name) = &self.pg {
            return engine::server().dump(name);
        }
        if !self.db.exists() {
            return String::new();
        }
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        tables.sort();
        let mut out = String::new();
        for table in tables {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
                .unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let mut row = Vec::new();
                    for i in 0..n {
                        row.push(format!("{:?}", r.get_ref(i)?));
                    }
                    Ok(row.join("|"))
                })
                .unwrap();
            for row in rows {
                out.push_str(&format!("{table}: {}\n", row.unwrap()));
            }
        }
        out
    }

    pub fn sql_count(&self, sql: &str) -> i64 {
        if let Some(name) = &self.pg {
            return engine::server().count(name, sql);
        }
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, content).unwrap();
        path
    }

    /// A world whose database exists but holds no records: created by a
    /// write command that changes nothing (setting a profile key to its
    /// default), since read commands never create one.
    pub fn with_db() -> T {
        let t = T::new();
        t.ok(&["profile", "set", "max-breach-hours=72"]);
        assert_eq!(t.sql_count("SELECT count(*) FROM audit_event"), 0);
        t
    }

    /// A vendor `acme` (BaaS, multi-tenant, PII) with an open review.
    pub fn with_review() -> T {
        let t = T::new();
        t.ok(&[
            "vendor",
            "add",
            "Acme Cloud",
            "--slug",
            "acme",
            "--hosting",
            "baas",
            "--tenancy",
            "multi",
            "--data",
            "pii",
        ]);
        t.ok(&["review", "start", "acme", "--due", "2026-12-31"]);
        t
    }

    /// The item ids of the current review of `vendor`, in checklist order.
    pub fn item_ids(&self, vendor: &str) -> Vec<String> {
        self.json(&["review", "status", vendor, "--json"])["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["items"].as_array().unwrap().clone())
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// One item of the current review of `vendor`, as `review status --json` shows it.
    pub fn item(&self, vendor: &str, item: &str) -> serde_json::Value {
        let status = self.json(&["review", "status", vendor, "--json"]);
        let found = status["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["items"].as_array().unwrap())
            .find(|i| i["id"] == item)
            .cloned();
        found.unwrap_or_else(|| panic!("item {item} not in review"))
    }

    /// The status of one item in the current review of `vendor`.
    pub fn item_status(&self, vendor: &str, item: &str) -> String {
        self.item(vendor, item)["status"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Asserts that `haystack` contains each needle.
#[track_caller]
pub fn contains_all(haystack: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            haystack.contains(needle),
            "expected {needle:?} in:\n{haystack}"
        );
    }
}
