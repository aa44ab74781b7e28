//! Every clap definition of vetter, in one place.

use crate::model::{
    AiTraining, Annex, AuditScope, Certificate, ClauseKind, DataCategory, FailOn, GovAccess,
    Hosting, LiabilityCap, Mechanism, NoticeChannel, NotifyClock, Owner, PacketFormat, Remedy,
    Source, Status, Tenancy, Tier, VendorUse, YesNo,
};
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

// Parsed once per process, so the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
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
    /// Our obligations: the regimes and thresholds red flags are held against
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// The DPA clause register: what the vendor's agreement actually says
    #[command(subcommand)]
    Clause(ClauseCommand),
    /// The vendor's subprocessors, as dated snapshots of its published list
    #[command(subcommand)]
    Subprocessor(SubprocessorCommand),
    /// The red-flag rules and their thresholds
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Red flags of a vendor's terms against our obligations; waivers
    Flags(FlagsArgs),
    /// Evidence files and dated Trust Center quotes, stored inside the database
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Questions asked of vendors, their answers and resolutions
    #[command(subcommand)]
    Question(QuestionCommand),
    /// What needs attention: overdue questions, expiring evidence and DPAs, overdue reviews
    Due {
        /// Look this many days ahead
        #[arg(long, value_name = "DAYS", default_value_t = 30)]
        within: u32,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Re-hash every stored evidence file; exit 3 on any mismatch
    Verify {
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show the audit log
    Log(LogArgs),
    /// Write the audit packet (PDF, CSV, JSON, evidence, SHA256SUMS) of a vendor, or of all
    Export(ExportArgs),
    /// Build a sample database with an example vendor review
    Demo(DemoArgs),
    /// Print shell completions
    Completions {
        /// The shell to generate completions for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout, or write one page per command to a directory
    Man {
        /// Write vetter.1 and a page per subcommand (vetter-vendor-add.1, ...) into this directory, creating it
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print stable JSON on stdout instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `--json` of a command that changes something: the record it created or
/// changed goes to stdout as JSON (the sentence for people stays on stderr).
#[derive(Debug, Args, Default)]
pub struct RecordJson {
    /// Print the created or changed record as JSON on stdout
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
    Archive {
        vendor: String,
        #[command(flatten)]
        json: RecordJson,
    },
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
    #[command(flatten)]
    pub json: RecordJson,
}

#[derive(Debug, Args)]
pub struct VendorEditArgs {
    pub vendor: String,
    /// A new display name
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub fields: VendorFields,
    #[command(flatten)]
    pub json: RecordJson,
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
    Add {
        file: PathBuf,
        #[command(flatten)]
        json: RecordJson,
    },
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
        /// Accept a due date in the past (e.g. recording an old review)
        #[arg(long)]
        allow_past: bool,
        /// Start a new review even though one is open; the open one is marked superseded
        #[arg(long)]
        supersede: bool,
        #[command(flatten)]
        json: RecordJson,
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
    /// The evidence the finding rests on
    #[arg(long, value_name = "ID")]
    pub evidence: Option<i64>,
    /// The page of that evidence
    #[arg(long, value_name = "N", requires = "evidence")]
    pub page: Option<u32>,
    #[command(flatten)]
    pub json: RecordJson,
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
        #[command(flatten)]
        json: RecordJson,
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
#[command(
    after_help = "The packet is built in a temporary directory beside --out and renamed \
into place, so --out either holds a whole packet or does not exist. Two exports of the same \
records with the same --as-of are byte-identical. SOURCE_DATE_EPOCH sets the as-of date when \
--as-of is not given. See docs/packet-format.md."
)]
pub struct ExportArgs {
    /// The vendor's slug
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub vendor: Option<String>,
    /// Export every vendor that has a review, plus portfolio.csv
    #[arg(long)]
    pub all: bool,
    /// The packet directory to create (must not exist unless --force)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Export the vendor's review number N (as `review list` numbers them) instead of its current one
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub review: Option<i64>,
    /// The date the packet speaks for [default: today, or SOURCE_DATE_EPOCH's date]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Which renderings to write (evidence files and SHA256SUMS are always written)
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "pdf,csv,json",
        value_name = "LIST"
    )]
    pub format: Vec<PacketFormat>,
    /// Replace an existing packet directory at --out
    #[arg(long)]
    pub force: bool,
    /// Start each CSV with a UTF-8 byte order mark, for Microsoft Excel
    #[arg(long)]
    pub excel: bool,
    /// A TrueType/OpenType font for the PDF instead of the bundled DejaVu Sans (e.g. for CJK)
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
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

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Show every key with its value and default
    Show {
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Set one or more keys, e.g. `profile set regimes=gdpr,hipaa max-breach-hours=48`
    Set {
        /// KEY=VALUE pairs; all are checked before any is stored
        #[arg(required = true, value_name = "KEY=VALUE")]
        pairs: Vec<String>,
        #[command(flatten)]
        json: RecordJson,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClauseCommand {
    /// Record a clause of the vendor's DPA (or BAA, MSA)
    Add {
        vendor: String,
        kind: ClauseKind,
        /// The agreement has no such clause
        #[arg(long)]
        absent: bool,
        #[command(flatten)]
        terms: ClauseTermArgs,
        #[command(flatten)]
        json: RecordJson,
    },
    /// List a vendor's clauses
    List {
        vendor: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show one clause
    Show {
        id: i64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Change a clause (given options replace the recorded ones; --item adds links)
    Edit {
        id: i64,
        /// The agreement has no such clause
        #[arg(long, conflicts_with = "present")]
        absent: bool,
        /// The clause exists after all (clears --absent)
        #[arg(long)]
        present: bool,
        #[command(flatten)]
        terms: ClauseTermArgs,
        #[command(flatten)]
        json: RecordJson,
    },
}

/// Options of a clause. Structured terms belong to particular kinds; giving
/// one to another kind is refused.
#[derive(Debug, Args, Default)]
pub struct ClauseTermArgs {
    /// Section reference, e.g. "§6.2"
    #[arg(long, value_name = "REF")]
    pub section: Option<String>,
    /// The verbatim words of the clause
    #[arg(long, value_name = "TEXT")]
    pub quote: Option<String>,
    /// Link to a checklist item (repeatable)
    #[arg(long = "item", value_name = "ITEM")]
    pub items: Vec<String>,
    /// The agreement's end date, when it has one
    #[arg(long, value_name = "DATE")]
    pub valid_until: Option<String>,
    /// The evidence (e.g. the DPA file) the clause is read from
    #[arg(long, value_name = "ID")]
    pub evidence: Option<i64>,
    /// The page of that evidence
    #[arg(long, value_name = "N", requires = "evidence")]
    pub page: Option<u32>,

    /// breach-notification / baa: deadline in hours
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Breach notification"
    )]
    pub hours: Option<i64>,
    /// breach-notification: the hours are only a target ("where feasible")
    #[arg(long, help_heading = "Breach notification")]
    pub where_feasible: bool,
    /// breach-notification: what starts the clock
    #[arg(long, help_heading = "Breach notification")]
    pub clock: Option<NotifyClock>,
    /// breach-notification: only confirmed incidents are notified
    #[arg(long, help_heading = "Breach notification")]
    pub confirmed_only: bool,
    /// baa: breach-report deadline in days
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Breach notification"
    )]
    pub days: Option<i64>,

    /// subprocessors: where the list is published
    #[arg(long, value_name = "URL", help_heading = "Subprocessors")]
    pub list_url: Option<String>,
    /// subprocessors: advance notice of a new subprocessor, in days
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Subprocessors"
    )]
    pub notice_days: Option<i64>,
    /// subprocessors: how notice is given
    #[arg(long, help_heading = "Subprocessors")]
    pub notice_channel: Option<NoticeChannel>,
    /// subprocessors: window to object, in days
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Subprocessors"
    )]
    pub objection_days: Option<i64>,
    /// subprocessors: what an objection can achieve
    #[arg(long, help_heading = "Subprocessors")]
    pub remedy: Option<Remedy>,

    /// transfers / residency: regions the data goes to or stays in (comma list)
    #[arg(long, value_name = "LIST", help_heading = "Transfers and residency")]
    pub regions: Option<String>,
    /// transfers / residency: the transfer mechanism
    #[arg(long, help_heading = "Transfers and residency")]
    pub mechanism: Option<Mechanism>,
    /// transfers / residency: the vendor commits to keep data in the regions
    #[arg(long, help_heading = "Transfers and residency")]
    pub region_commitment: Option<YesNo>,

    /// deletion-return: days to delete our data after termination
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Deletion and return"
    )]
    pub deletion_days: Option<i64>,
    /// deletion-return: the DPA sets no deletion deadline
    #[arg(long, help_heading = "Deletion and return")]
    pub no_deadline: bool,
    /// deletion-return: days until backups holding our data are gone
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Deletion and return"
    )]
    pub backup_days: Option<i64>,
    /// deletion-return: certificate of deletion
    #[arg(long, help_heading = "Deletion and return")]
    pub certificate: Option<Certificate>,
    /// deletion-return: days we have to export our data
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Deletion and return"
    )]
    pub export_window_days: Option<i64>,
    /// deletion-return: data is deleted only if we ask
    #[arg(long, help_heading = "Deletion and return")]
    pub on_request_only: bool,

    /// audit-rights: what audits we may do
    #[arg(long, help_heading = "Audit rights")]
    pub audit: Option<AuditScope>,
    /// audit-rights: limits on audits (frequency, notice, cost)
    #[arg(long, value_name = "TEXT", help_heading = "Audit rights")]
    pub audit_limits: Option<String>,

    /// ownership / ai-training: what the vendor may do with our data
    #[arg(long, help_heading = "Ownership and AI")]
    pub vendor_use: Option<VendorUse>,
    /// ownership / ai-training: training models on our data
    #[arg(long, help_heading = "Ownership and AI")]
    pub ai_training: Option<AiTraining>,
    /// liability: where data-protection liability is capped
    #[arg(long, help_heading = "Other terms")]
    pub cap: Option<LiabilityCap>,
    /// government-access: what the vendor does on a government request
    #[arg(long, help_heading = "Other terms")]
    pub gov: Option<GovAccess>,
    /// security-measures: a security annex, or only "industry standard"
    #[arg(long, help_heading = "Other terms")]
    pub annex: Option<Annex>,
}

#[derive(Debug, Subcommand)]
pub enum SubprocessorCommand {
    /// Record one subprocessor seen on the vendor's list
    Add {
        vendor: String,
        name: String,
        #[arg(long)]
        purpose: String,
        /// Where it processes our data (country or region)
        #[arg(long)]
        location: String,
        /// When it was seen on the list (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        seen: Option<String>,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Record the vendor's whole published list as of a date (CSV: name,purpose,location)
    Import {
        vendor: String,
        file: PathBuf,
        /// The date the list was read (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        seen: String,
        #[command(flatten)]
        json: RecordJson,
    },
    /// The list as of a date [default: today]
    List {
        vendor: String,
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// What changed between two dates: added, removed, location changed
    Diff {
        vendor: String,
        /// [default: the date of the observation before the newest]
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// [default: the newest observation]
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Every rule with its severity, basis and the threshold from our profile
    List {
        #[command(flatten)]
        json: JsonFlag,
        /// Print docs/rules.md (every rule with an example that fires it)
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct FlagsArgs {
    #[command(subcommand)]
    pub command: Option<FlagsCommand>,
    /// The vendor to check
    pub vendor: Option<String>,
    /// Every vendor that is not archived
    #[arg(long, conflicts_with = "vendor")]
    pub all: bool,
    /// Exit 3 when an unwaived flag of this severity or worse is raised
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Subcommand)]
pub enum FlagsCommand {
    /// Accept the risk of a rule for one vendor: still shown, not counted
    Waive {
        vendor: String,
        rule: String,
        /// Why the risk is accepted
        #[arg(long)]
        reason: String,
        /// The waiver lapses on this date (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Waive a rule that is not raised for the vendor today (recorded as pre-emptive)
        #[arg(long)]
        pre_emptive: bool,
        #[command(flatten)]
        json: RecordJson,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Store a file (or, with --url and --quote, a dated quote of a web page)
    Add(Box<EvidenceAddArgs>),
    /// List a vendor's evidence
    List {
        vendor: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show one piece of evidence
    Show {
        id: i64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Write a stored file out (never overwrites, never follows a symlink)
    Get {
        id: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Link evidence to a checklist item or a DPA clause
    Link {
        id: i64,
        #[arg(long, value_name = "ITEM", required_unless_present = "clause")]
        item: Option<String>,
        #[arg(long, value_name = "ID", conflicts_with = "item")]
        clause: Option<i64>,
        /// The page of the evidence the clause is on
        #[arg(long, value_name = "N", requires = "clause")]
        page: Option<u32>,
        #[command(flatten)]
        json: RecordJson,
    },
}

#[derive(Debug, Args)]
pub struct EvidenceAddArgs {
    pub vendor: String,
    /// The file to store (omit with --url and --quote for a page snapshot)
    #[arg(required_unless_present = "url")]
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub kind: Option<crate::model::EvidenceKind>,
    #[arg(long)]
    pub title: Option<String>,
    /// Where the file came from
    #[arg(long, value_name = "URL")]
    pub source_url: Option<String>,
    /// When it was retrieved (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE")]
    pub retrieved: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub valid_from: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub valid_until: Option<String>,
    /// Link to a checklist item (repeatable)
    #[arg(long = "item", value_name = "ITEM")]
    pub items: Vec<String>,
    /// Link to a DPA clause (repeatable)
    #[arg(long = "clause", value_name = "ID")]
    pub clauses: Vec<i64>,
    /// A page snapshot: the page's address (no network is used)
    #[arg(long, value_name = "URL", conflicts_with_all = ["file", "source_url"], requires = "quote")]
    pub url: Option<String>,
    /// A page snapshot: the words quoted from the page
    #[arg(long, value_name = "TEXT", requires = "url")]
    pub quote: Option<String>,
    /// Store the file a symbolic link points to
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Refuse files larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = crate::commands::evidence::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,

    /// SOC 2: first day of the report period
    #[arg(long, value_name = "DATE", help_heading = "SOC 2 reports")]
    pub period_start: Option<String>,
    /// SOC 2: last day of the report period
    #[arg(long, value_name = "DATE", help_heading = "SOC 2 reports")]
    pub period_end: Option<String>,
    /// SOC 2: the auditor's opinion
    #[arg(long, help_heading = "SOC 2 reports")]
    pub opinion: Option<crate::model::Opinion>,
    /// SOC 2: number of exceptions noted
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "SOC 2 reports"
    )]
    pub exceptions: Option<i64>,
    /// SOC 2: complementary user entity controls (our duties)
    #[arg(long, value_name = "TEXT", help_heading = "SOC 2 reports")]
    pub cuecs: Option<String>,
    /// SOC 2: how subservice organisations are treated
    #[arg(long, help_heading = "SOC 2 reports")]
    pub subservice: Option<crate::model::Subservice>,
    /// SOC 2: a bridge letter covers the gap until this date
    #[arg(long, value_name = "DATE", help_heading = "SOC 2 reports")]
    pub bridge_letter_until: Option<String>,
    #[command(flatten)]
    pub json: RecordJson,
}

#[derive(Debug, Subcommand)]
pub enum QuestionCommand {
    /// Ask the vendor a question about a checklist item
    Add {
        vendor: String,
        item: String,
        text: String,
        /// The DPA clause the question is about
        #[arg(long, value_name = "ID")]
        clause: Option<i64>,
        /// Who was asked
        #[arg(long, value_name = "CONTACT")]
        to: Option<String>,
        /// When an answer is due (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// Accept a due date in the past (e.g. recording an old question)
        #[arg(long)]
        allow_past: bool,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Record the vendor's answer
    Answer {
        id: i64,
        text: String,
        /// Evidence that came with the answer
        #[arg(long, value_name = "ID")]
        evidence: Option<i64>,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Close a question with a resolution
    Close {
        id: i64,
        #[arg(long)]
        resolution: crate::model::Resolution,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Reopen a closed or answered question
    Reopen {
        id: i64,
        #[command(flatten)]
        json: RecordJson,
    },
    /// List questions (all vendors unless one is named)
    List {
        vendor: Option<String>,
        /// Only open questions
        #[arg(long)]
        open: bool,
        /// Only open questions past their due date
        #[arg(long)]
        overdue: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
}
