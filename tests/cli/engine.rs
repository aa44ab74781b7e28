//! Which engine the suite runs on. By default each test's register is a
//! SQLite file. With VETTER_TEST_ENGINE=postgres (scripts/test sets it
//! inside `pg_virtualenv`), each test gets a new PostgreSQL database made
//! from a template register (`team init` run once), and acts as a real
//! login: VETTER_USER / `--as NAME` become the user of the connection, as a
//! team member would connect.

use std::sync::OnceLock;

/// The logins a test may act as; each holds every vetter role but the
/// auditor's, so the suite's flows work as on SQLite (where anyone may do
/// anything). tests/cli/team_rules.rs checks the roles themselves.
pub const LOGINS: &[&str] = &[
    "alice", "bob", "carol", "dave", "approver", "writer", "dpo", "ciso",
];

/// The auditor login: may read, never write.
pub const AUDITOR: &str = "audrey";

pub fn postgres() -> bool {
    std::env::var("VETTER_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

/// Prints why a test that needs SQLite's file does not run on PostgreSQL
/// and returns true then; tests start with `if engine::sqlite_only("...") { return; }`.
pub fn sqlite_only(why: &str) -> bool {
    if postgres() {
        eprintln!("skipped on PostgreSQL: {why}");
        return true;
    }
    false
}

/// Whether the suite runs on PostgreSQL; when not, prints why a
/// PostgreSQL-only test skips. Tests start with `if !engine::postgres_only() { return; }`.
pub fn postgres_only() -> bool {
    if postgres() {
        return true;
    }
    eprintln!("skipped: needs PostgreSQL (scripts/test runs it with VETTER_TEST_ENGINE=postgres)");
    false
}

/// The server the suite runs against, from libpq's environment
/// (pg_virtualenv sets PGHOST, PGPORT, PGUSER, PGPASSWORD).
pub struct Server {
    pub host: String,
    pub port: String,
    pub superuser: String,
    pub password: String,
    template: String,
}

fn env(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_string())
}

pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let server = Server {
            host: env("PGHOST", "localhost"),
            port: env("PGPORT", "5432"),
            superuser: env("PGUSER", "postgres"),
            password: env("PGPASSWORD", ""),
            template: format!("vetter_template_{}", std::process::id()),
        };
        server.make_template();
        server
    })
}

impl Server {
    pub fn url(&self, user: &str, password: &str, db: &str) -> String {
        let host = if self.host.starts_with('/') {
            format!("?host={}", self.host)
        } else {
            String::new()
        };
        let authority = if self.host.starts_with('/') {
            String::new()
        } else {
            format!("{}:{}", self.host, self.port)
        };
        let port = if self.host.starts_with('/') {
            format!("&port={}", self.port)
        } else {
            String::new()
        };
        format!("postgresql://{user}:{password}@{authority}/{db}{host}{port}")
    }

    /// The superuser's connection string to database `db`.
    pub fn admin_url(&self, db: &str) -> String {
        self.url(&self.superuser, &self.password, db)
    }

    pub fn client(&self, db: &str) -> postgres::Client {
        postgres::Client::connect(&self.admin_url(db), postgres::NoTls).unwrap_or_else(|e| {
            panic!(
                "cannot reach the test server {}:{}: {e}",
                self.host, self.port
            )
        })
    }

    /// Logins, the template register, and the roles granted there.
    fn make_template(&self) {
        let mut c = self.client("postgres");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {}", self.template))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {}", self.template))
            .unwrap();
        for login in LOGINS.iter().chain(std::iter::once(&AUDITOR)) {
            // Logins are the cluster's; another test run may have made them.
            c.batch_execute(&format!(
                "DO $$ BEGIN CREATE ROLE {login} LOGIN PASSWORD '{login}-pw';
                 EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            ))
            .unwrap();
        }
        let init = std::process::Command::new(env!("CARGO_BIN_EXE_vetter"))
            .args(["team", "init"])
            .env("VETTER_DB", self.admin_url(&self.template))
            .env_remove("VETTER_USER")
            .output()
            .unwrap();
        assert!(
            init.status.success(),
            "team init on the template failed: {}",
            String::from_utf8_lossy(&init.stderr)
        );
        for login in LOGINS {
            c.batch_execute(&format!(
                "GRANT vetter_reviewer, vetter_approver, vetter_admin TO {login}"
            ))
            .unwrap();
        }
        c.batch_execute(&format!("GRANT vetter_auditor TO {AUDITOR}"))
            .unwrap();
    }

    /// A new, empty register for one test.
    pub fn new_database(&self) -> String {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "vetter_t{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let mut c = self.client("postgres");
        // CREATE DATABASE ... TEMPLATE needs the template to itself; tests
        // run in parallel, so a clash is retried.
        for attempt in 0.. {
            match c.batch_execute(&format!(
                "CREATE DATABASE {name} TEMPLATE {}",
                self.template
            )) {
                Ok(()) => break,
                Err(e) if attempt < 50 && e.to_string().contains("being accessed") => {
                    std::thread::sleep(std::time::Duration::from_millis(50))
                }
                Err(e) => panic!("CREATE DATABASE {name}: {e}"),
            }
        }
        name
    }

    /// Every row of every table of the register in `db`, for "nothing
    /// was written" checks (as the SQLite dump does).
    pub fn dump(&self, db: &str) -> String {
        let mut c = self.client(db);
        let tables: Vec<String> = c
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = 'vetter' ORDER BY 1",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let mut out = String::new();
        for table in tables {
            let rows = c
                .simple_query(&format!("SELECT * FROM vetter.\"{table}\" ORDER BY 1"))
                .unwrap();
            for row in rows {
                if let postgres::SimpleQueryMessage::Row(r) = row {
                    let values: Vec<String> =
                        (0..r.len()).map(|i| format!("{:?}", r.get(i))).collect();
                    out.push_str(&format!("{table}: {}\n", values.join("|")));
                }
            }
        }
        out
    }

    /// The one integer `sql` returns, run in the register's schema.
    pub fn count(&self, db: &str, sql: &str) -> i64 {
        let mut c = self.client(db);
        c.batch_execute("SET search_path = vetter").unwrap();
        let row = c.query_one(sql, &[]).unwrap();
        row.try_get::<_, i64>(0)
            .or_else(|_| row.try_get::<_, i32>(0).map(i64::from))
            .unwrap()
    }
}
