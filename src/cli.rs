//! Every clap definition of vetter, in one place.

use crate::model::{DataCategory, Hosting, Owner, Source, Status, Tenancy, Tier};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "vetter",
    version,
    about = "Security due diligence on vendors: checklists, findings, DPA red flags and audit packets",
    long_about = "vetter keeps per-vendor review records in one SQLite file: checklist items, \
findings from the Trust Center, the DPA and questionnaires, and an append-only audit log.\n\n\
Environment: VETTER_DB (database path), VETTER_USER (actor recorded in the audit log), \
VETTER_NOW (RFC 3339 time that overrides the clock, for tests and reproducible output).",
    propagate_version = true
)]
pub struct Cli {
    /// The database file [default: DATA_DIR/vetter/vetter.db, e.g. ~/.local/share/vetter/vetter.db]
    #[arg(long, global = true, env = "VETTER_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Who is acting, recorded in the audit log [default: the OS user]
    #[arg(long = "as", global = true, env = "VETTER_USER", value_name = "NAME")]
    pub actor: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add, list, show, edit and archive vendors
    #[command(subcommand)]
    Vendor(VendorCommand),
    /// List, show, validate and install checklists
    #[command(subcommand)]
    Checklist(ChecklistCommand),
    /// Start a review of a vendor against a checklist and follow its progress
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Record and list findings against checklist items
    #[command(subcommand)]
    Finding(FindingCommand),
    /// Import records in bulk from CSV
    #[command(subcommand)]
    Import(ImportCommand),
    /// Show the audit log
    Log(LogArgs),
    /// Build a sample database with an example vendor review
    Demo(DemoArgs),
    /// Print shell completions
    Completions {
        /// The shell to generate completions for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout
    Man,
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print stable JSON on stdout instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum VendorCommand {
    /// Add a vendor
    Add(VendorAddArgs),
    /// List vendors (archived ones only with --all)
    List {
        /// Include archived vendors
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show one vendor
    Show {
        vendor: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Change a vendor's details (the slug never changes)
    Edit(VendorEditArgs),
    /// Archive a vendor: hidden from lists, never deleted
    Archive { vendor: String },
}

#[derive(Debug, Args)]
pub struct VendorFields {
    /// The vendor's website
    #[arg(long, value_name = "URL")]
    pub website: Option<String>,
    /// The vendor's Trust Center
    #[arg(long, value_name = "URL")]
    pub trust_center: Option<String>,
    /// How the service is hosted
    #[arg(long)]
    pub hosting: Option<Hosting>,
    /// Single- or multi-tenant
    #[arg(long)]
    pub tenancy: Option<Tenancy>,
    /// Categories of our data the vendor processes, comma-separated
    #[arg(long, value_name = "CATEGORIES", value_delimiter = ',')]
    pub data: Option<Vec<DataCategory>>,
    /// How critical the vendor is to us
    #[arg(long)]
    pub tier: Option<Tier>,
}

#[derive(Debug, Args)]
pub struct VendorAddArgs {
    /// The vendor's name as it should appear in reports
    pub name: String,
    /// Short identifier used in commands [default: derived from the name]
    #[arg(long)]
    pub slug: Option<String>,
    #[command(flatten)]
    pub fields: VendorFields,
}

#[derive(Debug, Args)]
pub struct VendorEditArgs {
    pub vendor: String,
    /// A new display name
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub fields: VendorFields,
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// List built-in and installed checklists
    List {
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show a checklist's sections and items (ID or ID@VERSION)
    Show {
        id: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Check a checklist file without installing it
    Validate { file: PathBuf },
    /// Install a checklist file into the database
    Add { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Start a review: snapshot the checklist items that apply to the vendor
    Start {
        vendor: String,
        /// Checklist ID or ID@VERSION [default: backend-platform, newest version]
        #[arg(long)]
        checklist: Option<String>,
        /// When the review is due (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// Start a new review even though one is open; the open one is marked superseded
        #[arg(long)]
        supersede: bool,
    },
    /// Per-section progress of the vendor's current review
    Status {
        vendor: String,
        /// Also list every item with its status
        #[arg(long)]
        items: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// All reviews of a vendor
    List {
        vendor: String,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum FindingCommand {
    /// Record a finding; the newest finding sets the item's status
    Add(FindingAddArgs),
    /// List findings of the vendor's current review, oldest first
    List {
        vendor: String,
        /// Only findings for this checklist item
        #[arg(long)]
        item: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Args)]
pub struct FindingAddArgs {
    pub vendor: String,
    /// Checklist item id, e.g. dpa.breach-notification
    pub item: String,
    #[arg(long)]
    pub status: Status,
    /// Where the finding comes from
    #[arg(long)]
    pub source: Source,
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Who owns the control, when it differs from the checklist's default
    #[arg(long)]
    pub owner: Option<Owner>,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import findings from CSV (header: item,status,source,note,url,owner); all rows or none
    Findings {
        vendor: String,
        file: PathBuf,
        /// Refuse files larger than this many bytes
        #[arg(long, value_name = "BYTES", default_value_t = crate::commands::import::DEFAULT_MAX_BYTES)]
        max_bytes: u64,
        /// Import a file even though the same content was already imported into this review
        #[arg(long)]
        allow_repeat: bool,
    },
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only events about this vendor
    pub vendor: Option<String>,
    /// Only the newest N events
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory to create the sample database in
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Reuse a non-empty directory, replacing its demo database
    #[arg(long)]
    pub force: bool,
}
