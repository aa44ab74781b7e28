//! What a vendor's red flags are judged on: its clauses, evidence,
//! subprocessors, waivers and the item statuses of a review, loaded once.

use crate::error::Result;
use crate::model::{Subprocessor, Vendor};
use crate::profile::Profile;
use crate::rules::{self, Facts, Flag};
use crate::store::{self, subprocessor::Observation, waiver::Waiver, Store};
use std::collections::{BTreeMap, HashMap};

/// The flags of one vendor today, judged on its current review's findings.
pub fn vendor_flags(
    store: &Store,
    profile: &Profile,
    vendor: &Vendor,
    today: chrono::NaiveDate,
) -> Result<Vec<Flag>> {
    let review = store::review::current(store.conn(), vendor.id)?;
    Ok(
        VendorRecords::load(store, vendor, review.map(|r| r.id), today)?
            .flags(profile, vendor, today),
    )
}

/// What the rules read about one vendor, loaded once: the export reuses the
/// clauses, evidence and subprocessors for the packet.
pub struct VendorRecords {
    pub clauses: Vec<crate::model::Clause>,
    pub evidence: Vec<crate::model::Evidence>,
    /// The subprocessor list as of `today`.
    pub subprocessors: Vec<crate::model::Subprocessor>,
    pub contracts: Vec<crate::domain::contract::Contract>,
    /// When the vendor is next due for review (see `Facts::next_review`).
    pub next_review: Option<chrono::NaiveDate>,
    item_status: HashMap<String, crate::model::Status>,
    waivers: Vec<Waiver>,
}

impl VendorRecords {
    /// The vendor's records, with the item statuses of `review`.
    pub fn load(
        store: &Store,
        vendor: &Vendor,
        review: Option<i64>,
        today: chrono::NaiveDate,
    ) -> Result<VendorRecords> {
        let conn = store.conn();
        let observations = store::subprocessor::observations(conn, vendor.id)?;
        Ok(VendorRecords {
            clauses: store::clause::for_vendor(conn, vendor.id)?,
            evidence: store::evidence::for_vendor(conn, vendor.id)?,
            subprocessors: list_at(&observations, &today.to_string()),
            item_status: match review {
                Some(review) => store::review::latest_statuses(conn, review)?,
                None => HashMap::new(),
            },
            waivers: store::waiver::newest_for_vendor(conn, vendor.id)?,
            contracts: store::contract::for_vendor(conn, vendor.id)?,
            next_review: store::review::next_due(conn, vendor.id)?
                .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        })
    }

    /// The red flags these records raise on `today`.
    pub fn flags(&self, profile: &Profile, vendor: &Vendor, today: chrono::NaiveDate) -> Vec<Flag> {
        let facts = Facts {
            vendor,
            clauses: &self.clauses,
            item_status: &self.item_status,
            subprocessors: &self.subprocessors,
            evidence: &self.evidence,
            contracts: &self.contracts,
            next_review: self.next_review,
            today,
        };
        rules::evaluate(profile, &facts, &self.waivers)
    }
}

/// The list as of `date`: the newest snapshot on or before it, then the
/// single additions after that snapshot up to `date`; the newest sighting of
/// a name wins.
pub fn list_at(observations: &[Observation], date: &str) -> Vec<Subprocessor> {
    let base = observations
        .iter()
        .filter(|o| o.snapshot && o.sub.seen.as_str() <= date)
        .map(|o| o.sub.seen.as_str())
        .max();
    let mut by_name: BTreeMap<String, Subprocessor> = BTreeMap::new();
    for o in observations.iter().filter(|o| o.sub.seen.as_str() <= date) {
        let counts = match base {
            Some(base) => {
                (o.snapshot && o.sub.seen == base) || (!o.snapshot && o.sub.seen.as_str() >= base)
            }
            None => !o.snapshot,
        };
        if counts {
            by_name.insert(o.sub.name.to_lowercase(), o.sub.clone());
        }
    }
    by_name.into_values().collect()
}
