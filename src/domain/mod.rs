//! What a review is: the records a vendor is judged on, how far its review
//! has come, and (as they land) its score, decision and cycle. Commands, the
//! packet and compare all read through this layer; nothing here imports from
//! `commands`, so data flows one way: command -> store -> domain ->
//! rules/score -> report -> renderer.

pub mod as_decided;
pub mod attestation;
pub mod calendar;
pub mod contract;
pub mod cycle;
pub mod decision;
pub mod integrity;
pub mod questionnaire_diff;
pub mod records;
pub mod replay;
pub mod score;
pub mod status;

pub use records::{list_at, vendor_flags, VendorRecords};
pub use status::{current_review, gather_status, review_numbered, Counts, Coverage, ReviewStatus};
