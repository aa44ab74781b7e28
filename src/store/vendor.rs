//! SQL for vendors.

use super::sql::{params, Db, Row, Tx};
use crate::error::Result;
use crate::model::{join_data_categories, parse_data_categories, Vendor};

const COLUMNS: &str =
    "id, slug, name, website, trust_center, hosting, tenancy, data_categories, tier,
                       created_at, updated_at, archived_at";

fn from_row(r: &Row) -> Result<Vendor> {
    let data: String = r.get(7)?;
    Ok(Vendor {
        id: r.get(0)?,
        slug: r.get(1)?,
        name: r.get(2)?,
        website: r.get(3)?,
        trust_center: r.get(4)?,
        hosting: r.get(5)?,
        tenancy: r.get(6)?,
        data: parse_data_categories(&data).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e))
        })?,
        tier: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        archived_at: r.get(11)?,
    })
}

pub fn insert(tx: &Tx, v: &Vendor) -> Result<i64> {
    tx.insert(
        "INSERT INTO vendor (slug, name, website, trust_center, hosting, tenancy, data_categories, tier,
                             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            v.slug,
            v.name,
            v.website,
            v.trust_center,
            v.hosting,
            v.tenancy,
            join_data_categories(&v.data),
            v.tier,
            v.created_at,
            v.updated_at
        ],
    )
}

/// Writes every editable field of `v` (the slug and creation time never change).
pub fn update(tx: &Tx, v: &Vendor) -> Result<()> {
    tx.execute(
        "UPDATE vendor SET name = ?2, website = ?3, trust_center = ?4, hosting = ?5, tenancy = ?6,
                data_categories = ?7, tier = ?8, updated_at = ?9, archived_at = ?10
         WHERE id = ?1",
        params![
            v.id,
            v.name,
            v.website,
            v.trust_center,
            v.hosting,
            v.tenancy,
            join_data_categories(&v.data),
            v.tier,
            v.updated_at,
            v.archived_at
        ],
    )?;
    Ok(())
}

pub fn by_id(conn: &Db, id: i64) -> Result<Option<Vendor>> {
    let sql = format!("SELECT {COLUMNS} FROM vendor WHERE id = ?1");
    conn.query_opt(&sql, [id], from_row)
}

pub fn by_slug(conn: &Db, slug: &str) -> Result<Option<Vendor>> {
    let sql = format!("SELECT {COLUMNS} FROM vendor WHERE slug = ?1");
    conn.query_opt(&sql, [slug], from_row)
}

/// Vendors ordered by slug; archived ones only when `include_archived`.
pub fn list(conn: &Db, include_archived: bool) -> Result<Vec<Vendor>> {
    let sql = format!("SELECT {COLUMNS} FROM vendor WHERE ?1 OR archived_at IS NULL ORDER BY slug");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([include_archived], from_row)?;
    rows.collect::<Result<_>>()
}

pub fn slugs(conn: &Db) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT slug FROM vendor ORDER BY slug")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    rows.collect::<Result<_>>()
}
