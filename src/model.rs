//! Domain types: the closed vocabularies (statuses, sources, owners, ...) and
//! the records the commands pass around.
//!
//! Every vocabulary is a `string_enum!`: one list of `Variant => "spelling"`
//! pairs gives parsing (with an error that lists the valid spellings), clap
//! value parsing and completion, serde, and Display, so the spellings can never
//! drift apart between the CLI, the CSV import, the database and JSON.

use crate::error::Error;
use serde::Serialize;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What the value is called in messages ("status", "source", ...).
            pub const WHAT: &'static str = $what;

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The valid spellings, comma-separated, for error hints.
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::str::FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(Error::user(format!("invalid {} '{}'", $what, s))
                        .with_hint(format!("valid values: {}", Self::choices()))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                Self::ALL
            }
            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                Some(clap::builder::PossibleValue::new(self.as_str()))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(|_| {
                    serde::de::Error::custom(format!(
                        "invalid {} '{}' (valid values: {})", $what, text, Self::choices()
                    ))
                })
            }
        }

        impl $crate::store::sql::Param for $name {
            fn value(&self) -> $crate::store::sql::Value<'_> {
                $crate::store::sql::Value::Text(std::borrow::Cow::Borrowed(self.as_str()))
            }
        }

        impl $crate::store::sql::Column for $name {
            fn from_value(v: $crate::store::sql::Value<'_>) -> Result<Self, String> {
                let text = String::from_value(v)?;
                text.parse().map_err(|e: Error| e.to_string())
            }
        }
    };
}

string_enum!(
    /// The result of a checklist item, set by its newest finding.
    Status, "status" {
        Met => "met",
        Partial => "partial",
        NotMet => "not-met",
        NotApplicable => "n/a",
        Unknown => "unknown",
    }
);

string_enum!(
    /// Where a finding comes from.
    Source, "source" {
        TrustCenter => "trust-center",
        Dpa => "dpa",
        Questionnaire => "questionnaire",
        Docs => "docs",
        Interview => "interview",
        Test => "test",
    }
);

string_enum!(
    /// Who owns a control under the shared-responsibility model.
    Owner, "owner" {
        Vendor => "vendor",
        Customer => "customer",
        Shared => "shared",
    }
);

string_enum!(
    /// What an approver decided about a review.
    DecisionKind, "decision" {
        Approve => "approve",
        Conditional => "conditional",
        Reject => "reject",
    }
);

string_enum!(
    /// How much a checklist item matters.
    Severity, "severity" {
        Critical => "critical",
        High => "high",
        Medium => "medium",
        Low => "low",
    }
);

string_enum!(
    /// How the vendor's service is hosted, which decides what is left to us.
    Hosting, "hosting model" {
        Baas => "baas",
        Paas => "paas",
        Iaas => "iaas",
        Containers => "containers",
        Serverless => "serverless",
        /// DBaaS: Neon, Supabase's Postgres, Amazon RDS, Cloud SQL.
        ManagedDatabase => "managed-database",
        SelfHosted => "self-hosted",
    }
);

string_enum!(
    Tenancy, "tenancy" {
        Single => "single",
        Multi => "multi",
        Both => "both",
    }
);

string_enum!(
    /// How critical the vendor is to us; later decides the reassessment cycle.
    Tier, "tier" {
        Critical => "critical",
        High => "high",
        Medium => "medium",
        Low => "low",
    }
);

string_enum!(
    /// Categories of our data that the vendor will process.
    DataCategory, "data category" {
        Pii => "pii",
        Phi => "phi",
        Financial => "financial",
        Education => "education",
        Children => "children",
        Biometric => "biometric",
        Credentials => "credentials",
        AiInputs => "ai-inputs",
    }
);

string_enum!(
    /// Regimes an item can be tagged with in a checklist.
    Regime, "regime" {
        Gdpr => "gdpr",
        UkGdpr => "uk-gdpr",
        Hipaa => "hipaa",
        Ccpa => "ccpa",
        Hds => "hds",
        Soc2 => "soc2",
        Iso27001 => "iso27001",
        Iso27701 => "iso27701",
        PciDss => "pci-dss",
        Ferpa => "ferpa",
        Glba => "glba",
        EuAiAct => "eu-ai-act",
    }
);

/// Parses a comma-separated list of data categories; returns them sorted and
/// without duplicates so the stored form is canonical.
pub fn parse_data_categories(text: &str) -> Result<Vec<DataCategory>, Error> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        out.push(part.parse::<DataCategory>()?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

pub fn join_data_categories(categories: &[DataCategory]) -> String {
    categories
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A vendor as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Vendor {
    #[serde(skip)]
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub website: Option<String>,
    pub trust_center: Option<String>,
    pub hosting: Option<Hosting>,
    pub tenancy: Option<Tenancy>,
    pub data: Vec<DataCategory>,
    pub tier: Option<Tier>,
    pub created_at: String,
    pub updated_at: String,
    pub archived_at: Option<String>,
}

/// A review: one assessment cycle of one vendor against a checklist snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// The internal key; people and JSON see `number`.
    #[serde(skip)]
    pub id: i64,
    /// 1, 2, 3... per vendor, in the order the reviews were started.
    pub number: i64,
    #[serde(skip)]
    pub vendor_id: i64,
    pub checklist_id: String,
    pub checklist_version: String,
    pub checklist_title: String,
    pub checklist_sha256: String,
    pub started_at: String,
    pub started_by: String,
    pub due: Option<String>,
    pub state: String,
}

/// A checklist item as snapshotted into a review.
#[derive(Debug, Clone)]
pub struct ReviewItem {
    pub id: i64,
    pub section_id: String,
    pub item_id: String,
    pub title: String,
    /// The question the item asks, as snapshotted.
    pub question: String,
    pub severity: Severity,
    pub owner: Owner,
    /// The status and owner of the newest finding, if any.
    pub status: Option<Status>,
    pub finding_owner: Option<Owner>,
    pub finding_count: i64,
    /// The newest finding was carried forward from the previous cycle and
    /// awaits re-confirmation.
    pub to_reconfirm: bool,
}

impl ReviewItem {
    /// "met", ..., "no-result", or "to-reconfirm".
    pub fn status_label(&self) -> &'static str {
        if self.to_reconfirm {
            "to-reconfirm"
        } else {
            self.status.map_or("no-result", Status::as_str)
        }
    }
}

/// A finding as stored, joined with the item it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: i64,
    pub review: i64,
    pub item: String,
    pub status: Status,
    pub source: Source,
    pub note: Option<String>,
    pub url: Option<String>,
    pub owner: Option<Owner>,
    pub evidence: Option<i64>,
    pub page: Option<u32>,
    pub recorded_at: String,
    pub recorded_by: String,
    /// The finding of the previous cycle this one was carried from (to be
    /// re-confirmed); null for a finding recorded in this cycle.
    pub carried_from: Option<i64>,
}

/// A new finding, before it is stored.
#[derive(Debug, Clone)]
pub struct NewFinding {
    pub review_item_id: i64,
    pub status: Status,
    pub source: Source,
    pub note: Option<String>,
    pub url: Option<String>,
    pub owner: Option<Owner>,
    pub evidence: Option<i64>,
    pub page: Option<u32>,
}

// ---- DPA clauses ----

string_enum!(
    /// What a DPA clause is about: the GDPR Art. 28(3) elements and the other
    /// questions of a backend review.
    ClauseKind, "clause kind" {
        ProcessingDetails => "processing-details",
        Instructions => "instructions",
        Confidentiality => "confidentiality",
        SecurityMeasures => "security-measures",
        Subprocessors => "subprocessors",
        DataSubjectAssistance => "data-subject-assistance",
        ComplianceAssistance => "compliance-assistance",
        DeletionReturn => "deletion-return",
        AuditRights => "audit-rights",
        BreachNotification => "breach-notification",
        Transfers => "transfers",
        Residency => "residency",
        Ownership => "ownership",
        AiTraining => "ai-training",
        Liability => "liability",
        GovernmentAccess => "government-access",
        Baa => "baa",
        Other => "other",
    }
);

string_enum!(
    /// What starts the breach-notification clock.
    NotifyClock, "clock" {
        Awareness => "awareness",
        Discovery => "discovery",
        Confirmation => "confirmation",
    }
);

string_enum!(
    NoticeChannel, "notice channel" {
        Email => "email",
        Webpage => "webpage",
        SubscriptionOnly => "subscription-only",
    }
);

string_enum!(
    /// What we can do when we object to a new subprocessor.
    Remedy, "remedy" {
        Terminate => "terminate",
        TerminateRefund => "terminate-refund",
        VendorDiscretion => "vendor-discretion",
        None => "none",
    }
);

string_enum!(
    /// The legal mechanism for a transfer out of a region.
    Mechanism, "transfer mechanism" {
        Scc2021 => "scc-2021",
        /// The repealed decisions 2001/497/EC, 2004/915/EC and 2010/87/EU.
        Scc2010 => "scc-2010",
        UkAddendum => "uk-addendum",
        Dpf => "dpf",
        Bcr => "bcr",
        Adequacy => "adequacy",
        Consent => "consent",
        None => "none",
    }
);

string_enum!(
    YesNo, "answer" {
        Yes => "yes",
        No => "no",
    }
);

string_enum!(
    Certificate, "certificate" {
        Yes => "yes",
        No => "no",
        OnRequest => "on-request",
    }
);

string_enum!(
    AuditScope, "audit right" {
        Onsite => "onsite",
        ReportsOnly => "reports-only",
        None => "none",
    }
);

string_enum!(
    /// What the vendor may do with our data beyond providing the service.
    VendorUse, "vendor use" {
        None => "none",
        ServiceOnly => "service-only",
        ProductImprovement => "product-improvement",
        DeidentifiedUse => "deidentified-use",
        Training => "training",
    }
);

string_enum!(
    AiTraining, "AI training term" {
        No => "no",
        OptIn => "opt-in",
        OptOut => "opt-out",
        Yes => "yes",
    }
);

string_enum!(
    LiabilityCap, "liability cap" {
        InsideGeneralCap => "inside-general-cap",
        SeparateCap => "separate-cap",
        Uncapped => "uncapped",
        NotStated => "not-stated",
    }
);

string_enum!(
    /// Where a subprocessor list is when it is not (only) at a URL.
    ListIn, "subprocessor list location" {
        /// In an annex or schedule of the DPA itself.
        Annex => "annex",
        /// Sent only when we ask for it.
        OnRequest => "on-request",
    }
);

string_enum!(
    GovAccess, "government-access term" {
        NotifyBefore => "notify-before",
        NotifyAfterDisclosure => "notify-after-disclosure",
        Challenge => "challenge",
        None => "none",
    }
);

string_enum!(
    /// Where the security measures are written down.
    Annex, "security annex" {
        Yes => "yes",
        /// Incorporated by reference from a web page the vendor can change.
        ExternalPage => "external-page",
        IndustryStandardOnly => "industry-standard-only",
    }
);

// ---- our obligations profile and red flags ----

string_enum!(
    /// Attestations the profile can require of vendors.
    Attestation, "attestation" {
        Soc2Type2 => "soc2-type2",
        Soc2Type1 => "soc2-type1",
        Iso27001 => "iso27001",
        Iso27701 => "iso27701",
        Hds => "hds",
        HipaaAttestation => "hipaa-attestation",
        PciDss => "pci-dss",
    }
);

string_enum!(
    /// Our policy on vendors training AI models on our data.
    AiPolicy, "AI training policy" {
        Forbid => "forbid",
        OptIn => "opt-in",
    }
);

string_enum!(
    /// Our requirement on data-protection liability.
    LiabilityPolicy, "liability policy" {
        SeparateCap => "separate-cap",
        Any => "any",
    }
);

string_enum!(
    /// How serious a red flag is. Ordered most serious first.
    FlagSeverity, "severity" {
        Critical => "critical",
        High => "high",
        Medium => "medium",
        Info => "info",
    }
);

string_enum!(
    /// The threshold of `flags --fail-on`.
    FailOn, "fail-on severity" {
        Critical => "critical",
        High => "high",
        Medium => "medium",
    }
);

impl FailOn {
    /// Whether a flag of `severity` is at or above this threshold.
    pub fn is_reached_by(self, severity: FlagSeverity) -> bool {
        let limit = match self {
            FailOn::Critical => FlagSeverity::Critical,
            FailOn::High => FlagSeverity::High,
            FailOn::Medium => FlagSeverity::Medium,
        };
        severity <= limit
    }
}

/// The structured terms of a clause. Which fields a kind may carry is decided
/// by `clause::OPTION_KINDS` (src/clause.rs); absent fields are not stated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub where_feasible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock: Option<NotifyClock>,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub confirmed_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_in: Option<ListIn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_channel: Option<NoticeChannel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objection_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<Remedy>,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub reasonable_grounds: bool,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub regions: Vec<String>,
    /// Every mechanism the agreement relies on (the 2021 SCCs and the UK
    /// Addendum go together). Clauses recorded before this was a list hold
    /// one value, which reads as a list of one.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        default,
        deserialize_with = "one_or_many"
    )]
    pub mechanism: Vec<Mechanism>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_commitment: Option<YesNo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_days: Option<u32>,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub no_deadline: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Certificate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export_window_days: Option<u32>,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub on_request_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditScope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_limits: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_use: Option<VendorUse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ai_training: Option<AiTraining>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<LiabilityCap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap_months: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap_amount: Option<String>,
    /// What the vendor does about a government request: several hold
    /// together (notify us first, and challenge it). A clause recorded
    /// when this was one value reads as a list of one.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        default,
        deserialize_with = "one_or_many"
    )]
    pub gov: Vec<GovAccess>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annex: Option<Annex>,
}

/// A list, or one value as stored before the term became a list.
fn one_or_many<'de, D, T>(d: D) -> std::result::Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany<T> {
        One(T),
        Many(Vec<T>),
    }
    Ok(
        match <OneOrMany<T> as serde::Deserialize>::deserialize(d)? {
            OneOrMany::One(v) => vec![v],
            OneOrMany::Many(v) => v,
        },
    )
}

/// A DPA clause as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Clause {
    pub id: i64,
    #[serde(skip)]
    pub vendor_id: i64,
    pub vendor: String,
    pub kind: ClauseKind,
    pub section: Option<String>,
    pub quote: Option<String>,
    pub absent: bool,
    pub terms: Terms,
    pub valid_until: Option<String>,
    pub items: Vec<String>,
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
}

impl Clause {
    /// "breach-notification clause §9.1": the kind and section, for listings.
    pub fn label(&self) -> String {
        match &self.section {
            Some(section) => format!("{} clause {section}", self.kind),
            None => format!("{} clause", self.kind),
        }
    }
}

/// One subprocessor as listed on a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subprocessor {
    pub name: String,
    pub purpose: String,
    pub location: String,
    pub seen: String,
}

string_enum!(
    PacketFormat, "packet format" {
        Pdf => "pdf",
        Csv => "csv",
        Json => "json",
    }
);

// ---- evidence and questions ----

string_enum!(
    EvidenceKind, "evidence kind" {
        Soc2Type2 => "soc2-type2",
        Soc2Type1 => "soc2-type1",
        Iso27001 => "iso27001",
        Iso27701 => "iso27701",
        Hds => "hds",
        HipaaAttestation => "hipaa-attestation",
        Pentest => "pentest",
        Dpa => "dpa",
        Baa => "baa",
        Msa => "msa",
        SubprocessorList => "subprocessor-list",
        TrustCenterSnapshot => "trust-center-snapshot",
        Questionnaire => "questionnaire",
        Screenshot => "screenshot",
        Other => "other",
    }
);

impl EvidenceKind {
    /// A report that covers a period (`--period-start`/`--period-end`, a
    /// bridge letter): an attestation or a penetration test.
    pub fn is_report(self) -> bool {
        matches!(
            self,
            EvidenceKind::Soc2Type2
                | EvidenceKind::Soc2Type1
                | EvidenceKind::Iso27001
                | EvidenceKind::Iso27701
                | EvidenceKind::Hds
                | EvidenceKind::HipaaAttestation
                | EvidenceKind::Pentest
        )
    }

    pub fn is_soc2(self) -> bool {
        matches!(self, EvidenceKind::Soc2Type2 | EvidenceKind::Soc2Type1)
    }

    /// The evidence kind that proves a required attestation.
    pub fn for_attestation(a: Attestation) -> Option<EvidenceKind> {
        Some(match a {
            Attestation::Soc2Type2 => EvidenceKind::Soc2Type2,
            Attestation::Soc2Type1 => EvidenceKind::Soc2Type1,
            Attestation::Iso27001 => EvidenceKind::Iso27001,
            Attestation::Iso27701 => EvidenceKind::Iso27701,
            Attestation::Hds => EvidenceKind::Hds,
            Attestation::HipaaAttestation => EvidenceKind::HipaaAttestation,
            Attestation::PciDss => return None,
        })
    }
}

string_enum!(
    /// The auditor's opinion in a SOC 2 report.
    Opinion, "opinion" {
        Unqualified => "unqualified",
        Qualified => "qualified",
        Adverse => "adverse",
        Disclaimer => "disclaimer",
    }
);

string_enum!(
    /// How a SOC 2 report treats the vendor's own subservice organisations.
    Subservice, "subservice method" {
        CarveOut => "carve-out",
        Inclusive => "inclusive",
    }
);

string_enum!(
    QuestionStatus, "question status" {
        Open => "open",
        Answered => "answered",
        Closed => "closed",
    }
);

string_enum!(
    Resolution, "resolution" {
        Accepted => "accepted",
        Rejected => "rejected",
        Superseded => "superseded",
    }
);

/// A piece of evidence as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub id: i64,
    #[serde(skip)]
    pub vendor_id: i64,
    pub vendor: String,
    pub kind: EvidenceKind,
    pub title: Option<String>,
    pub file_name: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<i64>,
    pub source_url: Option<String>,
    pub quote: Option<String>,
    pub retrieved: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub opinion: Option<Opinion>,
    pub exceptions: Option<i64>,
    pub cuecs: Option<String>,
    pub subservice: Option<Subservice>,
    pub bridge_letter_until: Option<String>,
    pub items: Vec<String>,
    pub clauses: Vec<i64>,
    pub created_at: String,
    pub created_by: String,
}

impl Evidence {
    /// What to call the evidence in a listing: its title, else its file
    /// name, else its source URL.
    pub fn name(&self) -> &str {
        self.title
            .as_deref()
            .or(self.file_name.as_deref())
            .or(self.source_url.as_deref())
            .unwrap_or_default()
    }
}
