//! Where a team register is and how to reach it, read as libpq reads it: a
//! `postgresql://` URL or a `key=value` string, then the PG* environment,
//! then ~/.pgpass, then libpq's defaults. The password is kept in a
//! `Secret` that never prints.

use super::tls::{self, SslMode};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The libpq keywords vetter reads (a key=value string whose keys are all
/// among them is a connection string, not a file name).
const KEYWORDS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "sslmode",
    "sslrootcert",
    "application_name",
    "connect_timeout",
    "options",
];

/// libpq's other keywords, and the variables that set them: a string that
/// uses them is still a connection string (never a file name), but vetter
/// cannot honour them (client certificates, service files, require_auth,
/// CRLs...), so it refuses them by name rather than connect without them.
const NOT_HONOURED: &[(&str, &str)] = &[
    ("service", "PGSERVICE"),
    ("sslcert", "PGSSLCERT"),
    ("sslkey", "PGSSLKEY"),
    ("sslpassword", ""),
    ("sslcertmode", "PGSSLCERTMODE"),
    ("sslcrl", "PGSSLCRL"),
    ("sslcrldir", "PGSSLCRLDIR"),
    ("require_auth", "PGREQUIREAUTH"),
    ("requirepeer", "PGREQUIREPEER"),
    ("channel_binding", "PGCHANNELBINDING"),
    ("gssencmode", "PGGSSENCMODE"),
    ("krbsrvname", "PGKRBSRVNAME"),
    ("gsslib", "PGGSSLIB"),
    ("gssdelegation", "PGGSSDELEGATION"),
    ("target_session_attrs", "PGTARGETSESSIONATTRS"),
    ("load_balance_hosts", "PGLOADBALANCEHOSTS"),
    ("ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION"),
    ("ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION"),
    ("sslnegotiation", "PGSSLNEGOTIATION"),
    ("sslsni", "PGSSLSNI"),
    ("sslcompression", "PGSSLCOMPRESSION"),
    ("requiressl", "PGREQUIRESSL"),
    ("replication", ""),
    ("client_encoding", "PGCLIENTENCODING"),
    ("fallback_application_name", ""),
    ("keepalives", ""),
    ("keepalives_idle", ""),
    ("keepalives_interval", ""),
    ("keepalives_count", ""),
    ("tcp_user_timeout", ""),
];

fn is_libpq_keyword(key: &str) -> bool {
    KEYWORDS.contains(&key) || NOT_HONOURED.iter().any(|(k, _)| *k == key)
}

/// Refuses a keyword or variable vetter would otherwise silently ignore.
fn refuse_not_honoured(
    given: &[(String, String)],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<()> {
    for (keyword, variable) in NOT_HONOURED {
        let from_string = given.iter().any(|(k, _)| k == keyword);
        let from_env = !variable.is_empty() && env(variable).is_some_and(|v| !v.is_empty());
        if from_string || from_env {
            let named = if from_string {
                format!("'{keyword}'")
            } else {
                format!("{variable} (libpq's {keyword})")
            };
            return Err(Error::user(format!(
                "vetter cannot honour {named} when connecting to PostgreSQL"
            ))
            .with_hint(format!(
                "vetter reads {}, and the PG* variables of those; remove it{}, or connect with what vetter reads (docs/team.md)",
                KEYWORDS.join(", "),
                if from_env { " from the environment" } else { "" }
            )));
        }
    }
    Ok(())
}

/// True when `db` names a PostgreSQL server rather than a SQLite file.
pub fn is_postgres(db: &str) -> bool {
    if db.starts_with("postgresql://") || db.starts_with("postgres://") {
        return true;
    }
    match key_values(db) {
        Ok(pairs) => !pairs.is_empty() && pairs.iter().all(|(k, _)| is_libpq_keyword(k)),
        Err(_) => false,
    }
}

/// A password: shown as `***` by Debug and Display alike.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Tcp(String),
    /// A directory holding the server's Unix socket.
    Socket(PathBuf),
}

/// Everything needed to connect, resolved.
#[derive(Debug, Clone)]
pub struct ConnSettings {
    pub host: Host,
    pub port: u16,
    pub dbname: String,
    pub user: String,
    pub password: Option<Secret>,
    pub sslmode: SslMode,
    /// sslrootcert as given (a file, or "system"); None: libpq's default
    /// ~/.postgresql/root.crt when it exists.
    pub sslrootcert: Option<String>,
    pub application_name: String,
    pub connect_timeout: Duration,
    /// Server settings for the session (`-c lock_timeout=5s`), as libpq's
    /// `options` / PGOPTIONS.
    pub options: Option<String>,
}

impl ConnSettings {
    /// `spec` (a URL or key=value string), then the environment (`env`,
    /// injected so tests need not set variables), then ~/.pgpass, then
    /// libpq's defaults.
    pub fn resolve(spec: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<ConnSettings> {
        let given = if spec.starts_with("postgresql://") || spec.starts_with("postgres://") {
            parse_url(spec)?
        } else {
            key_values(spec)?
        };
        refuse_not_honoured(&given, env)?;
        let get = |key: &str, var: &str| -> Option<String> {
            given
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
                .or_else(|| env(var).filter(|v| !v.is_empty()))
        };
        let host_text = get("host", "PGHOST").or_else(|| get("hostaddr", "PGHOSTADDR"));
        if let Some(h) = &host_text {
            if h.contains(',') {
                return Err(Error::user(format!(
                    "several hosts in '{}': vetter connects to one server",
                    h
                ))
                .with_hint("name one host (the primary) in --db or PGHOST"));
            }
        }
        let host = match host_text {
            Some(h) if h.starts_with('/') => Host::Socket(PathBuf::from(h)),
            Some(h) => Host::Tcp(h),
            // libpq's compiled-in default on Debian: the socket directory,
            // when there is one; else the local TCP port.
            None if Path::new("/var/run/postgresql").is_dir() => {
                Host::Socket(PathBuf::from("/var/run/postgresql"))
            }
            None => Host::Tcp("localhost".into()),
        };
        let port = match get("port", "PGPORT") {
            None => 5432,
            Some(p) => p.parse().map_err(|_| {
                Error::user(format!("invalid port '{p}' in the connection settings"))
                    .with_hint("a port is a number such as 5432")
            })?,
        };
        let user = get("user", "PGUSER").unwrap_or_else(crate::os_user);
        let dbname = get("dbname", "PGDATABASE").unwrap_or_else(|| user.clone());
        let sslmode = match get("sslmode", "PGSSLMODE") {
            None => SslMode::Prefer,
            Some(m) => m.parse()?,
        };
        let connect_timeout = match get("connect_timeout", "PGCONNECT_TIMEOUT") {
            None => Duration::from_secs(10),
            Some(t) => Duration::from_secs(t.parse().map_err(|_| {
                Error::user(format!("invalid connect_timeout '{t}'"))
                    .with_hint("connect_timeout is a number of seconds, e.g. 10")
            })?),
        };
        let mut settings = ConnSettings {
            host,
            port,
            dbname,
            user,
            password: get("password", "PGPASSWORD").map(Secret),
            sslmode,
            sslrootcert: get("sslrootcert", "PGSSLROOTCERT"),
            application_name: get("application_name", "PGAPPNAME")
                .unwrap_or_else(|| "vetter".into()),
            connect_timeout,
            options: get("options", "PGOPTIONS"),
        };
        if settings.password.is_none() {
            let file = get("passfile", "PGPASSFILE")
                .map(PathBuf::from)
                .or_else(|| dirs::home_dir().map(|h| h.join(".pgpass")));
            if let Some(file) = file {
                settings.password = password_from_file(&file, &settings)?.map(Secret);
            }
        }
        Ok(settings)
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    fn host_shown(&self) -> String {
        match &self.host {
            Host::Tcp(h) => h.clone(),
            Host::Socket(dir) => dir.display().to_string(),
        }
    }

    /// The settings as a URL a user may see: any password is `***`.
    pub fn display(&self) -> String {
        let password = if self.password.is_some() { ":***" } else { "" };
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        match &self.host {
            Host::Tcp(h) => {
                let host = if h.contains(':') {
                    format!("[{h}]")
                } else {
                    h.clone()
                };
                format!(
                    "postgresql://{}{password}@{host}:{}/{}",
                    enc(&self.user),
                    self.port,
                    enc(&self.dbname)
                )
            }
            Host::Socket(dir) => format!(
                "postgresql://{}{password}@/{}?host={}&port={}",
                enc(&self.user),
                enc(&self.dbname),
                dir.display(),
                self.port
            ),
        }
    }

    /// "database D on host H port P as user U", for messages.
    pub fn describe(&self) -> String {
        format!(
            "database {} on host {} port {} (user {})",
            self.dbname,
            self.host_shown(),
            self.port,
            self.user
        )
    }

    /// Connects, with TLS as sslmode says. Every failure names the server
    /// and says how to fix it; none shows the password.
    pub fn connect(&self) -> Result<postgres::Client> {
        self.connect_with("")
    }

    /// Connects with `session` (`-c name=value` settings) set at startup,
    /// before the user's own options, which win.
    pub fn connect_with(&self, session: &str) -> Result<postgres::Client> {
        let mut config = postgres::Config::new();
        match &self.host {
            Host::Tcp(h) => config.host(h),
            Host::Socket(dir) => config.host_path(dir),
        };
        config
            .port(self.port)
            .user(&self.user)
            .dbname(&self.dbname)
            .application_name(&self.application_name)
            .connect_timeout(self.connect_timeout);
        if let Some(p) = &self.password {
            config.password(p.expose());
        }
        let options = [session, self.options.as_deref().unwrap_or_default()]
            .iter()
            .filter(|o| !o.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if !options.is_empty() {
            config.options(&options);
        }
        let connector = tls::connector(self)?;
        // The driver's connect_timeout covers only the socket's connect; a
        // server that accepts and then says nothing would hang the command.
        // The whole start-up (TLS, login) gets the same limit.
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let connected = match connector {
                None => {
                    config.ssl_mode(postgres::config::SslMode::Disable);
                    config.connect(postgres::NoTls)
                }
                Some((mode, connector)) => {
                    config.ssl_mode(mode);
                    config.connect(connector)
                }
            };
            let _ = sender.send(connected);
        });
        match receiver.recv_timeout(self.connect_timeout + Duration::from_secs(1)) {
            Ok(connected) => connected.map_err(|e| self.connect_error(e)),
            Err(_) => Err(Error::unavailable(format!(
                "{} did not answer within {} s (connect_timeout)",
                self.describe(),
                self.connect_timeout.as_secs()
            ))
            .with_hint("the server accepted the connection but did not finish starting the session; check that it is a PostgreSQL server and not overloaded, or raise connect_timeout; nothing was changed")),
        }
    }

    fn connect_error(&self, e: postgres::Error) -> Error {
        use postgres::error::SqlState;
        let where_ = self.describe();
        if let Some(db) = e.as_db_error() {
            let code = db.code();
            if *code == SqlState::INVALID_PASSWORD
                || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            {
                return Error::user(format!(
                    "the PostgreSQL server refused {where_}: {}",
                    db.message()
                ))
                .with_hint(format!(
                    "check the password for user {} (in ~/.pgpass, mode 0600, or PGPASSWORD), and that the server's pg_hba.conf lets this user in",
                    self.user
                ));
            }
            if *code == SqlState::INVALID_CATALOG_NAME {
                return Error::user(format!(
                    "there is no database {} on host {} port {}",
                    self.dbname,
                    self.host_shown(),
                    self.port
                ))
                .with_hint(format!(
                    "create it (`createdb -h {} -p {} {}`), then make the register with `vetter --db URL team init`; or fix dbname in --db / PGDATABASE",
                    self.host_shown(),
                    self.port,
                    self.dbname
                ));
            }
            if *code == SqlState::TOO_MANY_CONNECTIONS || code.code().starts_with("57P") {
                return Error::unavailable(format!(
                    "the PostgreSQL server for {where_} is not accepting connections: {}",
                    db.message()
                ))
                .with_hint("try again in a moment; nothing was changed");
            }
            return Error::user(format!("cannot connect to {where_}: {}", db.message()));
        }
        // TLS problems first: they carry an io error too.
        if let Some(why) = tls::explain(&e) {
            return Error::user(format!(
                "cannot connect to {where_} with sslmode={}: {why}",
                self.sslmode
            ))
            .with_hint(tls::hint(self.sslmode));
        }
        Error::unavailable(format!("cannot reach {where_}: {}", root_cause(&e)))
            .with_hint(format!(
                "is the PostgreSQL server running and accepting connections at {} port {}? Check --db, PGHOST and PGPORT; nothing was changed",
                self.host_shown(),
                self.port
            ))
    }
}

/// The innermost error's words (an io error says "connection refused").
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

/// `key=value key='quoted value'` as libpq reads it.
fn key_values(text: &str) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(
                Error::user(format!("'{key}' has no value in the connection string"))
                    .with_hint("write key=value pairs, e.g. host=db.example.com dbname=vetter"),
            );
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => {
                        return Err(Error::user(format!(
                            "the quoted value of '{key}' is not closed"
                        ))
                        .with_hint("end it with a single quote"))
                    }
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                if c == '\\' {
                    chars.next();
                    value.extend(chars.next());
                    continue;
                }
                value.push(c);
                chars.next();
            }
        }
        pairs.push((key, value));
    }
}

/// `postgresql://user:password@host:port/dbname?key=value` as key=value
/// pairs, percent-decoded.
fn parse_url(text: &str) -> Result<Vec<(String, String)>> {
    let bad = |why: &str| {
        Error::user(format!("invalid PostgreSQL URL: {why}")).with_hint(
            "write postgresql://USER@HOST:PORT/DBNAME, e.g. postgresql://alice@db.example.com:5432/vetter",
        )
    };
    let rest = text
        .strip_prefix("postgresql://")
        .or_else(|| text.strip_prefix("postgres://"))
        .ok_or_else(|| bad("it does not start with postgresql://"))?;
    let decode = |s: &str| -> Result<String> {
        url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .ok_or_else(|| bad("a part cannot be decoded"))
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (before_query, None),
    };
    let mut pairs = Vec::new();
    let hostport = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                pairs.push(("user".to_string(), decode(user)?));
            }
            if let Some(p) = password {
                pairs.push(("password".to_string(), decode(p)?));
            }
            hostport
        }
        None => authority,
    };
    if hostport.contains(',') {
        return Err(Error::user(format!(
            "several hosts in '{}': vetter connects to one server",
            hostport
        ))
        .with_hint("name one host (the primary) in --db"));
    }
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let (h, after) = inner
            .split_once(']')
            .ok_or_else(|| bad("an IPv6 address is not closed with ]"))?;
        (h.to_string(), after.strip_prefix(':').map(str::to_string))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p.to_string())),
            None => (hostport.to_string(), None),
        }
    };
    if !host.is_empty() {
        pairs.push(("host".to_string(), decode(&host)?));
    }
    if let Some(p) = port.filter(|p| !p.is_empty()) {
        pairs.push(("port".to_string(), p));
    }
    if let Some(db) = path.filter(|p| !p.is_empty()) {
        pairs.push(("dbname".to_string(), decode(db)?));
    }
    if let Some(q) = query {
        for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
            if !is_libpq_keyword(&k) {
                return Err(
                    Error::user(format!("unknown parameter '{k}' in the PostgreSQL URL"))
                        .with_hint(format!("vetter reads {}", KEYWORDS.join(", "))),
                );
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
    }
    Ok(pairs)
}

/// The password ~/.pgpass (or PGPASSFILE) gives these settings: the first
/// line whose hostname:port:database:username match (`*` matches any; a
/// socket host matches "localhost"), as libpq reads it. A file others may
/// read is ignored, with a warning, as libpq does.
fn password_from_file(file: &Path, s: &ConnSettings) -> Result<Option<String>> {
    let Ok(meta) = std::fs::metadata(file) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Ok(None);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            crate::output::note(format!(
                "warning: password file '{}' can be read by others; it was not used (chmod 600 it)",
                file.display()
            ));
            return Ok(None);
        }
    }
    let bytes = crate::validate::read_capped(
        file,
        "password file",
        1 << 20,
        "keep ~/.pgpass to a few lines",
    )?;
    let text = String::from_utf8_lossy(&bytes);
    let host = match &s.host {
        Host::Tcp(h) => h.clone(),
        Host::Socket(_) => "localhost".to_string(),
    };
    let wanted = [host, s.port.to_string(), s.dbname.clone(), s.user.clone()];
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = pgpass_fields(line);
        if fields.len() < 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(&wanted)
            .all(|(field, value)| field == "*" || field == value);
        if matches {
            return Ok(Some(fields[4..].join(":")));
        }
    }
    Ok(None)
}

/// A .pgpass line split on unescaped colons, `\:` and `\\` unescaped.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().unwrap().extend(chars.next()),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve(spec: &str, env: &[(&str, &str)]) -> ConnSettings {
        let env: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ConnSettings::resolve(spec, &|k| env.get(k).cloned()).unwrap()
    }

    #[test]
    fn which_strings_are_postgres() {
        assert!(is_postgres("postgresql://db/vetter"));
        assert!(is_postgres("postgres://u@h/d"));
        assert!(is_postgres(
            "host=/var/run/postgresql dbname=vetter user=alice"
        ));
        assert!(is_postgres("dbname = 'my register'"));
        assert!(!is_postgres("vetter.db"));
        assert!(!is_postgres("a=b.db"));
        assert!(!is_postgres("backups/host=x.db"));
        assert!(!is_postgres(""));
    }

    #[test]
    fn a_url_is_read_with_its_parts_decoded() {
        let s = resolve(
            "postgresql://al%40ice:p%3Ass@[::1]:6543/reg%20ister?sslmode=require&application_name=x",
            &[("PGHOST", "ignored"), ("PGPORT", "1")],
        );
        assert_eq!(s.user, "al@ice");
        assert_eq!(s.password.as_ref().unwrap().expose(), "p:ss");
        assert_eq!(s.host, Host::Tcp("::1".into()));
        assert_eq!(s.port, 6543);
        assert_eq!(s.dbname, "reg ister");
        assert_eq!(s.sslmode, SslMode::Require);
        assert_eq!(s.application_name, "x");
        let s = resolve("postgresql:///vetter?host=/tmp/sock&port=5433", &[]);
        assert_eq!(s.host, Host::Socket("/tmp/sock".into()));
        assert_eq!(s.port, 5433);
        let s = resolve("postgresql://%2Fvar%2Frun%2Fpg/vetter", &[]);
        assert_eq!(s.host, Host::Socket("/var/run/pg".into()));
    }

    #[test]
    fn the_environment_fills_what_the_string_leaves_out() {
        let s = resolve(
            "dbname=vetter",
            &[
                ("PGHOST", "db.example.com"),
                ("PGPORT", "5555"),
                ("PGUSER", "bob"),
                ("PGSSLMODE", "verify-full"),
                ("PGAPPNAME", "nightly"),
            ],
        );
        assert_eq!(s.host, Host::Tcp("db.example.com".into()));
        assert_eq!(
            (s.port, s.user.as_str(), s.dbname.as_str()),
            (5555, "bob", "vetter")
        );
        assert_eq!(s.sslmode, SslMode::VerifyFull);
        assert_eq!(s.application_name, "nightly");
        // The string wins over the environment; dbname defaults to the user.
        let s = resolve("user=carol host=h", &[("PGUSER", "bob")]);
        assert_eq!((s.user.as_str(), s.dbname.as_str()), ("carol", "carol"));
        let s = resolve("host='a b' password='it\\'s'", &[]);
        assert_eq!(s.host, Host::Tcp("a b".into()));
        assert_eq!(s.password.unwrap().expose(), "it's");
    }

    #[test]
    fn libpq_keywords_vetter_cannot_honour_are_refused_by_name() {
        // Still a connection string, never a SQLite file named so.
        assert!(is_postgres("host=db sslcert=/me.crt"));
        let none = |_: &str| None;
        let e = ConnSettings::resolve("host=db sslcert=/me.crt", &none).unwrap_err();
        assert!(e.message.contains("'sslcert'"), "{}", e.message);
        let e = ConnSettings::resolve("postgresql://db/x?service=prod", &none).unwrap_err();
        assert!(e.message.contains("'service'"), "{}", e.message);
        let env = |k: &str| (k == "PGSERVICE").then(|| "prod".to_string());
        let e = ConnSettings::resolve("postgresql://db/x", &env).unwrap_err();
        assert!(e.message.contains("PGSERVICE"), "{}", e.message);
    }

    #[test]
    fn a_server_that_never_answers_is_given_up_on() {
        // Accepts the connection, then says nothing.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let _held = std::thread::spawn(move || {
            let conn = listener.accept();
            std::thread::sleep(Duration::from_secs(30));
            drop(conn);
        });
        let none = |_: &str| None;
        let s = ConnSettings::resolve(
            &format!("postgresql://u:p@127.0.0.1:{port}/d?sslmode=disable&connect_timeout=1"),
            &none,
        )
        .unwrap();
        let started = std::time::Instant::now();
        let e = s.connect().err().expect("no server answered");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(e.kind, crate::error::ErrorKind::Unavailable);
        assert!(e.message.contains("did not answer"), "{}", e.message);
    }

    #[test]
    fn bad_settings_are_named() {
        let env = |_: &str| None;
        for (spec, needle) in [
            ("postgresql://h:port/d", "invalid port 'port'"),
            ("postgresql://a,b/d", "several hosts"),
            ("postgresql://h/d?colour=red", "unknown parameter 'colour'"),
            ("host=h sslmode=sometimes", "sometimes"),
        ] {
            let e = ConnSettings::resolve(spec, &env).unwrap_err();
            assert!(e.message.contains(needle), "{spec}: {}", e.message);
        }
    }

    #[test]
    fn the_password_file_is_matched_as_libpq_does_and_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:5432:*:alice:wrong\ndb.example.com:5432:vetter:alice:pa\\:ss\\\\word\n*:*:*:*:fallback\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let f = file.to_str().unwrap();
        let s = resolve(
            "postgresql://alice@db.example.com/vetter",
            &[("PGPASSFILE", f)],
        );
        assert_eq!(s.password.as_ref().unwrap().expose(), "pa:ss\\word");
        for shown in [s.display(), s.describe(), format!("{s:?}")] {
            assert!(!shown.contains("pa:ss"), "{shown}");
        }
        assert!(s
            .display()
            .starts_with("postgresql://alice:***@db.example.com:5432/vetter"));
        let s = resolve("postgresql://bob@h/x", &[("PGPASSFILE", f)]);
        assert_eq!(s.password.unwrap().expose(), "fallback");
        // A given password wins over the file.
        let s = resolve("postgresql://bob:given@h/x", &[("PGPASSFILE", f)]);
        assert_eq!(s.password.unwrap().expose(), "given");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            let s = resolve("postgresql://bob@h/x", &[("PGPASSFILE", f)]);
            assert!(s.password.is_none(), "a file others can read is ignored");
        }
    }
}
