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
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

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

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = v.as_str()?;
                text.parse().map_err(|e: Error| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
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
    pub id: i64,
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
    pub severity: Severity,
    pub owner: Owner,
    /// The status and owner of the newest finding, if any.
    pub status: Option<Status>,
    pub finding_owner: Option<Owner>,
    pub finding_count: i64,
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
    pub recorded_at: String,
    pub recorded_by: String,
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
}
