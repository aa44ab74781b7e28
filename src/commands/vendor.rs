//! `vetter vendor add|list|show|edit|archive`

use super::{find_active_vendor, find_vendor, print_record};
use crate::cli::{VendorAddArgs, VendorCommand, VendorEditArgs, VendorFields};
use crate::error::{Error, Result};
use crate::model::Vendor;
use crate::output::{self, cell};
use crate::store::{self, Store};
use crate::{validate, Env};
use std::io::Write;

pub fn run(cmd: VendorCommand, env: &Env, store: &mut Store, out: &mut dyn Write) -> Result<()> {
    match cmd {
        VendorCommand::Add(args) => {
            let json = args.json.json;
            let vendor = add(args, env, store)?;
            print_record(json, out, &vendor)
        }
        VendorCommand::List { all, json } => list(store, all, json.json, out),
        VendorCommand::Show { vendor, json } => show(store, &vendor, json.json, out),
        VendorCommand::Edit(args) => {
            let json = args.json.json;
            let vendor = edit(args, env, store)?;
            print_record(json, out, &vendor)
        }
        VendorCommand::Archive { vendor, json } => {
            let vendor = archive(&vendor, env, store)?;
            print_record(json.json, out, &vendor)
        }
    }
}

/// Applies the optional fields given on the command line to `vendor`.
/// An empty URL clears it.
fn apply_fields(vendor: &mut Vendor, fields: VendorFields) -> Result<()> {
    if let Some(website) = fields.website {
        vendor.website = validate::url("--website", Some(&website))?;
    }
    if let Some(trust_center) = fields.trust_center {
        vendor.trust_center = validate::url("--trust-center", Some(&trust_center))?;
    }
    if let Some(hosting) = fields.hosting {
        vendor.hosting = Some(hosting);
    }
    if let Some(tenancy) = fields.tenancy {
        vendor.tenancy = Some(tenancy);
    }
    if let Some(mut data) = fields.data {
        data.sort();
        data.dedup();
        vendor.data = data;
    }
    if let Some(tier) = fields.tier {
        vendor.tier = Some(tier);
    }
    Ok(())
}

pub fn add(args: VendorAddArgs, env: &Env, store: &mut Store) -> Result<Vendor> {
    let name = validate::name("vendor name", &args.name)?;
    // Before the slug: "looks like Acme" says more than "cannot derive a slug".
    if !args.allow_similar {
        refuse_look_alike(store.conn(), &name, None)?;
    }
    let slug = match &args.slug {
        Some(slug) => validate::slug(slug)?,
        None => validate::slug_from_name(&name)?,
    };
    let mut vendor = Vendor {
        id: 0,
        slug,
        name,
        website: None,
        trust_center: None,
        hosting: None,
        tenancy: None,
        data: Vec::new(),
        tier: None,
        created_at: env.timestamp.clone(),
        updated_at: env.timestamp.clone(),
        archived_at: None,
    };
    apply_fields(&mut vendor, args.fields)?;
    vendor.id = store.write(|tx| {
        if let Some(existing) = store::vendor::by_slug(tx, &vendor.slug)? {
            let archived = if existing.archived_at.is_some() {
                " (archived)"
            } else {
                ""
            };
            return Err(Error::user(format!(
                "a vendor with slug '{}' already exists: {}{archived}",
                vendor.slug, existing.name
            ))
            .with_hint("choose another slug with --slug"));
        }
        let id = store::vendor::insert(tx, &vendor)?;
        store::audit::append(
            tx,
            &env.event(
                "vendor add",
                "vendor",
                &vendor.slug,
                Some(id),
                None,
                Some(serde_json::to_value(&vendor)?),
            ),
        )?;
        Ok(id)
    })?;
    output::note(format!("added vendor '{}' ({})", vendor.slug, vendor.name));
    Ok(vendor)
}

fn list(store: &Store, all: bool, json: bool, out: &mut dyn Write) -> Result<()> {
    let vendors = store::vendor::list(store.conn(), all)?;
    if json {
        return output::json(out, &vendors);
    }
    let mut header = vec!["slug", "name", "hosting", "tenancy", "tier", "data"];
    if all {
        header.push("archived");
    }
    let mut table = output::table(header);
    for v in &vendors {
        let mut row = vec![
            v.slug.clone(),
            v.name.clone(),
            cell(&v.hosting),
            cell(&v.tenancy),
            cell(&v.tier),
            crate::model::join_data_categories(&v.data),
        ];
        if all {
            row.push(v.archived_at.clone().unwrap_or_default());
        }
        table.add_row(row);
    }
    if vendors.is_empty() {
        output::note("no vendors yet; add one with `vetter vendor add NAME`");
        return Ok(());
    }
    output::print_table(out, &table)
}

fn show(store: &Store, slug: &str, json: bool, out: &mut dyn Write) -> Result<()> {
    let vendor = find_vendor(store, slug)?;
    let reviews = crate::domain::decision::cycles(store, vendor.id)?;
    if json {
        #[derive(serde::Serialize)]
        struct Shown<'a> {
            #[serde(flatten)]
            vendor: &'a Vendor,
            reviews: &'a [crate::domain::decision::Cycle],
        }
        return output::json(
            out,
            &Shown {
                vendor: &vendor,
                reviews: &reviews,
            },
        );
    }
    let data = crate::model::join_data_categories(&vendor.data);
    let rows: Vec<(&str, String)> = vec![
        ("slug", vendor.slug.clone()),
        ("name", vendor.name.clone()),
        ("website", cell(&vendor.website)),
        ("trust center", cell(&vendor.trust_center)),
        ("hosting", cell(&vendor.hosting)),
        ("tenancy", cell(&vendor.tenancy)),
        ("data", if data.is_empty() { "-".into() } else { data }),
        ("tier", cell(&vendor.tier)),
        ("created", vendor.created_at.clone()),
        ("updated", vendor.updated_at.clone()),
        ("archived", cell(&vendor.archived_at)),
    ];
    output::print_fields(out, &rows)?;
    writeln!(out)?;
    if reviews.is_empty() {
        writeln!(
            out,
            "No reviews yet: start one with `vetter review start {}`.",
            vendor.slug
        )?;
        return Ok(());
    }
    writeln!(out, "Reviews")?;
    super::review::print_list(out, &reviews)
}

fn edit(args: VendorEditArgs, env: &Env, store: &mut Store) -> Result<Vendor> {
    let before = find_active_vendor(store, &args.vendor)?;
    let mut after = before.clone();
    if let Some(name) = &args.name {
        after.name = validate::name("vendor name", name)?;
        if !args.allow_similar {
            refuse_look_alike(store.conn(), &after.name, Some(before.id))?;
        }
    }
    apply_fields(&mut after, args.fields)?;
    if serde_json::to_value(&before)? == serde_json::to_value(&after)? {
        output::note(format!(
            "vendor '{}' unchanged: nothing to edit",
            after.slug
        ));
        return Ok(after);
    }
    after.updated_at = env.timestamp.clone();
    record_change(env, store, "vendor edit", &before, &after)?;
    output::note(format!("updated vendor '{}'", after.slug));
    Ok(after)
}

fn archive(slug: &str, env: &Env, store: &mut Store) -> Result<Vendor> {
    let before = find_vendor(store, slug)?;
    if let Some(at) = &before.archived_at {
        return Err(Error::user(format!(
            "vendor '{}' is already archived (since {at})",
            before.slug
        )));
    }
    let mut after = before.clone();
    after.archived_at = Some(env.timestamp.clone());
    after.updated_at = env.timestamp.clone();
    record_change(env, store, "vendor archive", &before, &after)?;
    output::note(format!(
        "archived vendor '{}'; it stays in the database and in `vendor list --all`",
        after.slug
    ));
    Ok(after)
}

/// Refuses a name that looks like another vendor's (archived ones too):
/// "Аcme" in Cyrillic beside "Acme", or "PayPaI" with a capital I beside
/// "PayPal", would let a finding or a decision land on the wrong vendor
/// while every report shows the right-looking name. `except` is the vendor
/// being renamed.
fn refuse_look_alike(conn: &crate::store::sql::Db, name: &str, except: Option<i64>) -> Result<()> {
    let existing = store::vendor::list(conn, true)?;
    let Some(other) = existing
        .iter()
        .find(|v| Some(v.id) != except && validate::look_alike(&v.name, name))
    else {
        return Ok(());
    };
    let what = if other.name == name {
        "is already the name of"
    } else {
        "looks like the name of"
    };
    let archived = if other.archived_at.is_some() {
        ", archived"
    } else {
        ""
    };
    Err(Error::user(format!(
        "vendor name '{}' {what} the existing vendor '{}' (slug '{}'{archived})",
        name.escape_debug(),
        other.name.escape_debug(),
        other.slug
    ))
    .with_hint(format!(
        "to record against that vendor, use its slug '{}'; if this really is a different vendor, pass --allow-similar",
        other.slug
    )))
}

/// Writes the vendor's new values with an audit event holding old and new.
fn record_change(
    env: &Env,
    store: &mut Store,
    command: &str,
    before: &Vendor,
    after: &Vendor,
) -> Result<()> {
    let (old, new) = (serde_json::to_value(before)?, serde_json::to_value(after)?);
    store.write(|tx| {
        store::vendor::update(tx, after)?;
        let event = env.event(
            command,
            "vendor",
            &after.slug,
            Some(after.id),
            Some(old.clone()),
            Some(new.clone()),
        );
        store::audit::append(tx, &event)?;
        Ok(())
    })
}
