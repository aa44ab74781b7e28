//! INTERIM (replaced by the full libpq-conventions module before this lands).
use crate::error::{Error, Result};

pub fn is_postgres(db: &str) -> bool {
    db.starts_with("postgresql://") || db.starts_with("postgres://")
}

#[derive(Debug, Clone)]
pub struct ConnSettings {
    config: postgres::Config,
    user: String,
}

impl ConnSettings {
    pub fn resolve(spec: &str, _env: &dyn Fn(&str) -> Option<String>) -> Result<ConnSettings> {
        let config: postgres::Config = spec
            .parse()
            .map_err(|e| Error::user(format!("bad connection string: {e}")))?;
        let user = config.get_user().unwrap_or("postgres").to_string();
        Ok(ConnSettings { config, user })
    }
    pub fn user(&self) -> &str {
        &self.user
    }
    pub fn display(&self) -> String {
        format!("postgresql://{}@…", self.user)
    }
    pub fn describe(&self) -> String {
        format!("database as {}", self.user)
    }
    pub fn connect(&self) -> Result<postgres::Client> {
        self.config
            .connect(postgres::NoTls)
            .map_err(|e| Error::unavailable(format!("cannot connect: {e}")))
    }
}
