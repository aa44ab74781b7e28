//! The one interface every SQL statement of vetter runs through, on either
//! engine: `Db` is a SQLite or a PostgreSQL connection, `Row` a row of
//! either, `Param` and `Column` the values that cross.
//!
//! The store's SQL is written once, in the subset both engines speak, with
//! `?1`-style placeholders (rewritten to `$1` for PostgreSQL). Where the
//! dialects differ, a store function asks `db.engine()` and says both.
//! Values are converted by what the column is, not by what Rust type was
//! passed, so an integer bound to a TEXT column compares as SQLite's column
//! affinity would have it.

use crate::error::{Error, Result};
use std::borrow::Cow;
use std::cell::RefCell;

/// Which engine a `Db` runs on. Only the store asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection to the register.
pub struct Db {
    inner: Inner,
}

enum Inner {
    Sqlite(rusqlite::Connection),
    // Boxed: a postgres::Client is several times a rusqlite Connection.
    Postgres(Box<RefCell<PgConn>>),
}

/// A PostgreSQL client. Each statement goes in one round trip, unprepared
/// (Parse, Bind, Execute at once), its parameters sent as text with their
/// types left for the server to infer: a prepare would be a second round
/// trip, and most of a command's statements run once.
pub(crate) struct PgConn {
    pub client: postgres::Client,
}

/// A write transaction in progress (see `Store::write`). Everything that
/// writes takes one, so a write outside a transaction does not compile.
pub struct Tx<'a> {
    db: &'a Db,
}

impl std::ops::Deref for Tx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

impl<'a> Tx<'a> {
    /// `db` inside a transaction its caller began (`Store::write` does;
    /// the bench baseline in examples/ does by hand).
    pub fn new(db: &'a Db) -> Tx<'a> {
        Tx { db }
    }
}

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

/// Something that can be bound to a placeholder.
pub trait Param {
    fn value(&self) -> Value<'_>;
}

/// Something a column can be read as.
pub trait Column: Sized {
    /// `None` when the value is not of this type; the caller names the column.
    fn from_value(v: Value<'_>) -> std::result::Result<Self, String>;
}

/// The parameters of one statement: `params![a, b]`, `[x]` or `[]`.
pub trait Params {
    fn values(&self) -> Vec<Value<'_>>;
}

impl Params for [&dyn Param; 0] {
    fn values(&self) -> Vec<Value<'_>> {
        Vec::new()
    }
}

impl Params for &[&dyn Param] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(|p| p.value()).collect()
    }
}

// Arrays of one to 16 parameters of one type (`[id]`); `[]` is the empty
// array above, so the two impls do not overlap.
macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: Param> Params for [T; $n] {
            fn values(&self) -> Vec<Value<'_>> {
                self.iter().map(|p| p.value()).collect()
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

/// The parameters of a statement, as `rusqlite::params!` wrote them.
#[macro_export]
macro_rules! params {
    () => { &[] as &[&dyn $crate::store::sql::Param] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::sql::Param),+] as &[&dyn $crate::store::sql::Param] };
}
pub use crate::params;

impl Value<'_> {
    /// The same value, owning its text or bytes (to keep past the row or
    /// the record it was read from).
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Text(t) => Value::Text(Cow::Owned(t.into_owned())),
            Value::Blob(b) => Value::Blob(Cow::Owned(b.into_owned())),
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(i),
            Value::Real(r) => Value::Real(r),
        }
    }
}

impl Param for Value<'_> {
    fn value(&self) -> Value<'_> {
        match self {
            Value::Text(t) => Value::Text(Cow::Borrowed(t.as_ref())),
            Value::Blob(b) => Value::Blob(Cow::Borrowed(b.as_ref())),
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(*i),
            Value::Real(r) => Value::Real(*r),
        }
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        match self {
            Some(v) => v.value(),
            None => Value::Null,
        }
    }
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl Param for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(Cow::Borrowed(self))
    }
}

impl Param for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(Cow::Borrowed(self))
    }
}

impl Param for bool {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

impl Param for f64 {
    fn value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn value(&self) -> Value<'_> {
                Value::Int(i64::try_from(*self).expect("an integer that fits in i64"))
            }
        }
    )*};
}
int_param!(i64, i32, u32, u16, u8, usize, u64);

impl Column for i64 {
    fn from_value(v: Value<'_>) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i),
            other => Err(format!("expected an integer, found {}", kind(&other))),
        }
    }
}

macro_rules! int_column {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn from_value(v: Value<'_>) -> std::result::Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} is out of range"))
            }
        }
    )*};
}
int_column!(i32, u32, u64, usize, u8, u16);

impl Column for bool {
    fn from_value(v: Value<'_>) -> std::result::Result<Self, String> {
        Ok(i64::from_value(v)? != 0)
    }
}

impl Column for f64 {
    fn from_value(v: Value<'_>) -> std::result::Result<Self, String> {
        match v {
            Value::Real(r) => Ok(r),
            Value::Int(i) => Ok(i as f64),
            other => Err(format!("expected a number, found {}", kind(&other))),
        }
    }
}

impl Column for String {
    fn from_value(v: Value<'_>) -> std::result::Result<Self, String> {
        match v {
            Value::Text(t) => Ok(t.into_owned()),
            other => Err(format!("expected text, found {}", kind(&other))),
        }
    }
}

impl Column for Vec<u8> {
    fn from_value(v: Value<'_>) -> std::result::Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b.into_owned()),
            Value::Text(t) => Ok(t.into_owned().into_bytes()),
            other => Err(format!("expected bytes, found {}", kind(&other))),
        }
    }
}

impl<T: Column> Column for Option<T> {
    fn from_value(v: Value<'_>) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Int(_) => "an integer",
        Value::Real(_) => "a real number",
        Value::Text(_) => "text",
        Value::Blob(_) => "bytes",
    }
}

/// One row of a result, of either engine.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `idx` as `T`; a value of another type is named as an error
    /// (a row written outside vetter, or a bug), never a panic.
    pub fn get<T: Column>(&self, idx: usize) -> Result<T> {
        let value = self.value(idx)?;
        T::from_value(value).map_err(|why| {
            Error::internal(format!(
                "column {} ({}) cannot be read: {why}",
                idx,
                self.column_name(idx)
            ))
        })
    }

    fn column_name(&self, idx: usize) -> String {
        match self {
            Row::Sqlite(r) => r
                .as_ref()
                .column_name(idx)
                .map(str::to_string)
                .unwrap_or_default(),
            Row::Postgres(r) => r
                .columns()
                .get(idx)
                .map(|c| c.name().to_string())
                .unwrap_or_default(),
        }
    }

    /// Column `idx` as it is, whatever its type (for copying rows).
    pub fn owned_value(&self, idx: usize) -> Result<Value<'static>> {
        Ok(self.value(idx)?.into_owned())
    }

    fn value(&self, idx: usize) -> Result<Value<'_>> {
        match self {
            Row::Sqlite(r) => {
                use rusqlite::types::ValueRef as V;
                Ok(match r.get_ref(idx)? {
                    V::Null => Value::Null,
                    V::Integer(i) => Value::Int(i),
                    V::Real(f) => Value::Real(f),
                    V::Text(t) => Value::Text(match std::str::from_utf8(t) {
                        Ok(s) => Cow::Borrowed(s),
                        Err(_) => {
                            return Err(Error::internal(format!(
                                "column {} ({}) holds text that is not UTF-8",
                                idx,
                                self.column_name(idx)
                            )))
                        }
                    }),
                    V::Blob(b) => Value::Blob(Cow::Borrowed(b)),
                })
            }
            Row::Postgres(r) => pg_value(r, idx),
        }
    }
}

fn pg_value(r: &postgres::Row, idx: usize) -> Result<Value<'_>> {
    use postgres::types::Type;
    let Some(column) = r.columns().get(idx) else {
        return Err(Error::internal(format!("no column {idx} in the row")));
    };
    let ty = column.type_();
    let failed = |e: postgres::Error| {
        Error::internal(format!(
            "column {idx} ({}) cannot be read: {e}",
            column.name()
        ))
    };
    let v = if *ty == Type::INT8 {
        r.try_get::<_, Option<i64>>(idx)
            .map_err(failed)?
            .map(Value::Int)
    } else if *ty == Type::INT4 {
        r.try_get::<_, Option<i32>>(idx)
            .map_err(failed)?
            .map(|i| Value::Int(i.into()))
    } else if *ty == Type::INT2 {
        r.try_get::<_, Option<i16>>(idx)
            .map_err(failed)?
            .map(|i| Value::Int(i.into()))
    } else if *ty == Type::BOOL {
        r.try_get::<_, Option<bool>>(idx)
            .map_err(failed)?
            .map(|b| Value::Int(b.into()))
    } else if *ty == Type::FLOAT8 {
        r.try_get::<_, Option<f64>>(idx)
            .map_err(failed)?
            .map(Value::Real)
    } else if *ty == Type::BYTEA {
        r.try_get::<_, Option<&[u8]>>(idx)
            .map_err(failed)?
            .map(|b| Value::Blob(Cow::Borrowed(b)))
    } else if [Type::TEXT, Type::VARCHAR, Type::NAME, Type::BPCHAR].contains(ty) {
        r.try_get::<_, Option<&str>>(idx)
            .map_err(failed)?
            .map(|t| Value::Text(Cow::Borrowed(t)))
    } else {
        return Err(Error::internal(format!(
            "column {idx} ({}) has type {ty}, which vetter does not read",
            column.name()
        )));
    };
    Ok(v.unwrap_or(Value::Null))
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(t) => ValueRef::Text(t.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl postgres::types::ToSql for Value<'_> {
    /// Sent as text, for the server to read as whatever the statement makes
    /// the parameter (see `PgConn`): an integer compared with a TEXT column
    /// is text, as SQLite's affinity has it.
    fn to_sql(
        &self,
        _ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        use postgres::types::IsNull;
        use std::fmt::Write;
        match self {
            Value::Null => return Ok(IsNull::Yes),
            Value::Int(i) => write!(out, "{i}")?,
            Value::Real(r) => write!(out, "{r}")?,
            Value::Text(t) => out.extend_from_slice(t.as_bytes()),
            Value::Blob(b) => {
                out.extend_from_slice(b"\\x");
                for byte in b.iter() {
                    write!(out, "{byte:02x}")?;
                }
            }
        }
        Ok(IsNull::No)
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &postgres::types::Type) -> postgres::types::Format {
        postgres::types::Format::Text
    }

    postgres::types::to_sql_checked!();
}

/// `?1`, `?2`… as PostgreSQL's `$1`, `$2`…; a `?` inside a quoted string or
/// identifier is left alone.
pub fn postgres_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '?') => {
                out.push('$');
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

impl Db {
    pub fn sqlite(conn: rusqlite::Connection) -> Db {
        Db {
            inner: Inner::Sqlite(conn),
        }
    }

    pub(crate) fn postgres(client: postgres::Client) -> Db {
        Db {
            inner: Inner::Postgres(Box::new(RefCell::new(PgConn { client }))),
        }
    }

    pub fn engine(&self) -> Engine {
        match self.inner {
            Inner::Sqlite(_) => Engine::Sqlite,
            Inner::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (blob I/O, the
    /// backup API, PRAGMAs); None on PostgreSQL.
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    pub(crate) fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    /// PostgreSQL: runs statements with no parameters in one round trip and
    /// returns the first column of the last row they return, as text.
    pub(crate) fn batch_value(&self, sql: &str) -> Result<Option<String>> {
        let Inner::Postgres(pg) = &self.inner else {
            return Err(Error::internal("batch_value is PostgreSQL's"));
        };
        let messages = pg.borrow_mut().client.simple_query(sql)?;
        Ok(messages
            .iter()
            .rev()
            .find_map(|m| match m {
                postgres::SimpleQueryMessage::Row(row) => Some(row.get(0).map(str::to_string)),
                _ => None,
            })
            .flatten())
    }

    /// Runs statements with no parameters and no result (BEGIN, COMMIT, a
    /// migration).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Postgres(pg) => Ok(pg.borrow_mut().client.batch_execute(sql)?),
        }
    }

    /// Runs one statement; returns the number of rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        let values = params.values();
        match &self.inner {
            Inner::Sqlite(c) => Ok(c
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(values.iter()))?),
            Inner::Postgres(pg) => {
                let mut pg = pg.borrow_mut();
                Ok(pg
                    .client
                    .execute_typed(&postgres_placeholders(sql), &pg_params(&values))?
                    as usize)
            }
        }
    }

    /// Runs an INSERT and returns the `id` it gave the new row.
    pub fn insert(&self, sql: &str, params: impl Params) -> Result<i64> {
        self.query_row(&format!("{sql} RETURNING id"), params, |r| r.get(0))
    }

    /// The first row of a query, or None.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let values = params.values();
        match &self.inner {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                match rows.next()? {
                    Some(r) => f(&Row::Sqlite(r)).map(Some),
                    None => Ok(None),
                }
            }
            Inner::Postgres(pg) => {
                let rows = {
                    let mut pg = pg.borrow_mut();
                    pg.client
                        .query_typed(&postgres_placeholders(sql), &pg_params(&values))?
                };
                rows.first().map(|r| f(&Row::Postgres(r))).transpose()
            }
        }
    }

    /// The one row a query must return.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, f)?.ok_or_else(|| {
            Error::internal(format!(
                "the query returned no row: {}",
                sql.split_whitespace().collect::<Vec<_>>().join(" ")
            ))
        })
    }

    /// Every row of a query, each read by `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: impl Params,
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.query_each(sql, params, |r| {
            out.push(f(r)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` on each row in turn. On SQLite the rows are read as `f`
    /// goes; on PostgreSQL they are fetched first, so `f` may run other
    /// statements on this connection on both engines.
    pub fn query_each(
        &self,
        sql: &str,
        params: impl Params,
        mut f: impl FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let values = params.values();
        match &self.inner {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                while let Some(r) = rows.next()? {
                    f(&Row::Sqlite(r))?;
                }
                Ok(())
            }
            Inner::Postgres(pg) => {
                let rows = {
                    let mut pg = pg.borrow_mut();
                    pg.client
                        .query_typed(&postgres_placeholders(sql), &pg_params(&values))?
                };
                for r in &rows {
                    f(&Row::Postgres(r))?;
                }
                Ok(())
            }
        }
    }
}

/// A statement to run more than once, as rusqlite's `prepare` gives: the
/// text is prepared (and cached) by the engine on first use.
pub struct Statement<'a> {
    db: &'a Db,
    sql: String,
}

impl Db {
    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        Ok(Statement {
            db: self,
            sql: sql.to_string(),
        })
    }

    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        self.prepare(sql)
    }
}

impl Statement<'_> {
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        self.db.execute(&self.sql, params)
    }

    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<T> {
        self.db.query_row(&self.sql, params, f)
    }

    pub fn query_opt<T>(
        &mut self,
        params: impl Params,
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        self.db.query_opt(&self.sql, params, f)
    }

    /// Every row read by `f`, as results to collect (read at once).
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut out = Vec::new();
        self.db.query_each(&self.sql, params, |r| {
            out.push(f(r));
            Ok(())
        })?;
        Ok(out.into_iter())
    }
}

impl Tx<'_> {
    /// Inserts `rows` into `table`, each a value per column of `columns`:
    /// on SQLite 100 rows per INSERT (a CHECK's `IN (...)` list is built
    /// into a temporary index once per statement run: once a row, it was a
    /// fifth of an import), on PostgreSQL one COPY, where row-by-row inserts
    /// would each be a round trip.
    pub fn insert_rows(
        &self,
        table: &str,
        columns: &[String],
        rows: &[Vec<Value<'_>>],
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        match &self.db.inner {
            Inner::Sqlite(c) => {
                const PER_STATEMENT: usize = 100;
                let width = columns.len();
                let list = columns.join(", ");
                for chunk in rows.chunks(PER_STATEMENT) {
                    let values: Vec<String> = (0..chunk.len())
                        .map(|r| {
                            let row: Vec<String> =
                                (1..=width).map(|c| format!("?{}", r * width + c)).collect();
                            format!("({})", row.join(", "))
                        })
                        .collect();
                    let sql = format!("INSERT INTO {table} ({list}) VALUES {}", values.join(", "));
                    c.prepare_cached(&sql)?
                        .execute(rusqlite::params_from_iter(chunk.iter().flatten()))?;
                }
                Ok(())
            }
            Inner::Postgres(pg) => {
                use std::io::Write;
                let mut text = Vec::with_capacity(rows.len() * 128);
                for row in rows {
                    for (i, v) in row.iter().enumerate() {
                        if i > 0 {
                            text.push(b'\t');
                        }
                        copy_text(&mut text, v);
                    }
                    text.push(b'\n');
                }
                let mut pg = pg.borrow_mut();
                let mut writer = pg
                    .client
                    .copy_in(&format!("COPY {table} ({}) FROM STDIN", columns.join(", ")))?;
                writer.write_all(&text)?;
                writer.finish()?;
                Ok(())
            }
        }
    }
}

/// One value in COPY's text format: \N for NULL, backslash escapes for
/// the separators, bytea as \\x hex.
fn copy_text(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Null => out.extend_from_slice(b"\\N"),
        Value::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Real(r) => out.extend_from_slice(r.to_string().as_bytes()),
        Value::Text(t) => {
            for &b in t.as_bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
        Value::Blob(bytes) => {
            out.extend_from_slice(b"\\\\x");
            for b in bytes.iter() {
                out.extend_from_slice(format!("{b:02x}").as_bytes());
            }
        }
    }
}

/// The parameters with their types left unspecified (oid 0): the server
/// infers each from where it stands, then reads the text sent for it.
fn pg_params<'a>(
    values: &'a [Value<'a>],
) -> Vec<(
    &'a (dyn postgres::types::ToSql + Sync),
    postgres::types::Type,
)> {
    let unspecified = postgres::types::Type::new(
        "unspecified".into(),
        0,
        postgres::types::Kind::Pseudo,
        "pg_catalog".into(),
    );
    values
        .iter()
        .map(|v| {
            (
                v as &(dyn postgres::types::ToSql + Sync),
                unspecified.clone(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_quotes_only() {
        assert_eq!(
            postgres_placeholders("SELECT '?1', \"a?\" FROM t WHERE x = ?1 AND y = ?12"),
            "SELECT '?1', \"a?\" FROM t WHERE x = $1 AND y = $12"
        );
    }

    #[test]
    fn sqlite_rows_read_through_the_common_types() {
        let db = Db::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)")
            .unwrap();
        let id = db
            .insert(
                "INSERT INTO t (name, data) VALUES (?1, ?2)",
                params!["a", vec![1u8, 2]],
            )
            .unwrap();
        assert_eq!(id, 1);
        let got: (i64, Option<String>, Vec<u8>) = db
            .query_row("SELECT id, name, data FROM t WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(got, (1, Some("a".into()), vec![1, 2]));
        let wrong = db.query_row("SELECT name FROM t", [], |r| r.get::<i64>(0));
        assert!(wrong.unwrap_err().message.contains("expected an integer"));
        assert!(db
            .query_opt("SELECT 1 FROM t WHERE id = 9", [], |r| r.get::<i64>(0))
            .unwrap()
            .is_none());
    }
}
