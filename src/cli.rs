//! Every clap definition of vetter, in one place.
//!
//! Free-text options (notes, quotes, reasons, conditions) take
//! `allow_hyphen_values`: a note may begin with "-" ("-5% price cap", a
//! bullet list), and clap would otherwise refuse it with a tip that does not
//! work for options.

use crate::model::{
    AiTraining, Annex, AuditScope, Certificate, ClauseKind, DataCategory, FailOn, GovAccess,
    Hosting, LiabilityCap, ListIn, Mechanism, NoticeChannel, NotifyClock, Owner, PacketFormat,
    Remedy, Source, Status, Tenancy, Tier, VendorUse, YesNo,
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
VETTER_READ_ONLY (1, true, yes or on: like --read-only), VETTER_NOW (RFC 3339 time that overrides the clock, for tests and reproducible output).",
    propagate_version = true,
    after_help = "A review, in order:\
\n  1. Add the vendor and start its review: vendor add, review start\
\n  2. Record what you find: finding, clause, subprocessor, evidence, question\
\n  3. Check red flags and progress: flags, review status, due\
\n  4. Export the audit packet: export\
\n\nExamples:\
\n  vetter vendor add \"Xano\" --hosting baas --tenancy multi \\\n      --data pii,financial --tier high\
\n  vetter review start xano --due +30d\
\n  vetter export xano --out packets/xano-2026-11"
)]
pub struct Cli {
    /// The database file [default: DATA_DIR/vetter/vetter.db, e.g. ~/.local/share/vetter/vetter.db]
    #[arg(long, global = true, env = "VETTER_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Who is acting, recorded in the audit log [default: the OS user]
    #[arg(long = "as", global = true, env = "VETTER_USER", value_name = "NAME")]
    pub actor: Option<String>,

    /// Never write the database: read commands and export work, commands that change records are refused
    #[arg(long, global = true, env = "VETTER_READ_ONLY", value_parser = clap::builder::BoolishValueParser::new())]
    pub read_only: bool,

    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process, so the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add, list, show, edit and archive vendors
    #[command(
        subcommand,
        after_help = "A name that looks like an existing vendor's (Cyrillic \"Аcme\" beside \"Acme\", \"PayPaI\" beside \"PayPal\") is refused unless --allow-similar. A name with letters that have no ASCII spelling needs --slug.\n\nExamples:\n  vetter vendor add \"Xano\" --hosting baas --tenancy multi --data pii \\\n      --tier high\n  vetter vendor list --all"
    )]
    Vendor(VendorCommand),
    /// List, show, validate and install checklists
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter checklist list\n  vetter checklist show backend-platform"
    )]
    Checklist(ChecklistCommand),
    /// Hosting models (BaaS, PaaS, IaaS, ...): five ratings each and what shifts to us
    #[command(
        after_help = "Examples:\n  vetter hosting\n  vetter hosting managed-database\n  vetter hosting --json"
    )]
    Hosting {
        /// Show only this model, e.g. managed-database (default: all)
        #[arg(value_name = "MODEL")]
        model: Option<Hosting>,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Start a review of a vendor against a checklist and follow its progress
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter review start xano --due +30d\n  vetter review status xano --items"
    )]
    Review(ReviewCommand),
    /// Record and list findings against checklist items
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter finding add xano access.scim --status not-met --source docs \\\n      --owner customer\n  vetter finding list xano --item dpa.breach-notification"
    )]
    Finding(FindingCommand),
    /// Import records in bulk from CSV
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter import findings xano findings.csv   # header: \\\n      item,status,source,note,url,owner"
    )]
    Import(ImportCommand),
    /// Our obligations: the regimes and thresholds red flags are held against
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter profile show\n  vetter profile set regimes=gdpr regions=EU max-breach-hours=48"
    )]
    Profile(ProfileCommand),
    /// The DPA clause register: what the vendor's agreement actually says
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter clause add xano audit-rights --absent\n  vetter clause list xano"
    )]
    Clause(ClauseCommand),
    /// The vendor's subprocessors, as dated snapshots of its published list
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter subprocessor import xano subprocessors.csv --seen 2026-11-01\n  vetter subprocessor diff xano"
    )]
    Subprocessor(SubprocessorCommand),
    /// Contracts with a vendor: their term, tacit renewal and notice period
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter contract add xano --start 2026-01-01 --term-months 12 --auto-renew \\\n      --notice-days 90\n  vetter contract list"
    )]
    Contract(ContractCommand),
    /// Red flags of a vendor's terms against our obligations; waivers
    Flags(FlagsArgs),
    /// The red-flag rules and their thresholds
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter rules list\n  vetter rules list --json"
    )]
    Rules(RulesCommand),
    /// Evidence files and dated Trust Center quotes, stored inside the database
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter evidence add xano soc2-2026.pdf --kind soc2-type2 \\\n      --item trust.soc2-type2\n  vetter evidence list xano"
    )]
    Evidence(EvidenceCommand),
    /// Questions asked of vendors, their answers and resolutions
    #[command(
        subcommand,
        after_help = "Examples:\n  vetter question add xano dpa.breach-notification \\\n      \"Does the 72-hour clock start at awareness?\"\n  vetter question list --open"
    )]
    Question(QuestionCommand),
    /// The vendor calendar: what is overdue or falls due soon, across all vendors
    #[command(
        after_help = "Lists, soonest first, every date past or within the window: open questions' due dates, \
reviews' due dates and reassessments, waivers that lapse, evidence and DPA clauses that expire, reports that go \
stale (max-report-age-months after their period, or when their bridge letter runs out), contracts' last days to \
give notice and ends, and the objection window a new subprocessor opens (the DPA's objection-days from the day \
it was seen on the list). --ics writes the same dates as an iCalendar file to subscribe to, with a reminder 7 \
days before each.\n\n\
Examples:\n  vetter due\n  vetter due --within 90 --ics ~/calendars/vendors.ics --force\n  vetter due --fail-if-overdue   # exit 3 in cron or CI when \\\n      anything is overdue"
    )]
    Due {
        /// Look this many days ahead
        #[arg(long, value_name = "DAYS", default_value_t = 30)]
        within: u32,
        /// Exit 3 when anything is overdue (questions, reviews, reassessments), for cron or CI
        #[arg(long)]
        fail_if_overdue: bool,
        /// Also write the dates as an iCalendar (.ics) file
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
        /// Replace the --ics file, if it is a calendar vetter wrote
        #[arg(long, requires = "ics")]
        force: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show the audit log
    Log(LogArgs),
    /// Check that the records can be trusted: database integrity, the audit log's hash chain, every evidence file, and every record against the log; exit 3 on any failure
    #[command(
        after_help = "With --packet, also checks an exported packet: every file against its SHA256SUMS, \
and that the audit chain head it carries is still in this database's log.\n\n\
docs/security.md says what each check proves and what it does not.\n\n\
Examples:\n  vetter verify\n  vetter verify --packet packets/nimbus\n  vetter verify --json   # for scripts and CI"
    )]
    Verify {
        /// An exported packet directory to check as well
        #[arg(long, value_name = "DIR")]
        packet: Option<PathBuf>,
        /// A signed chain head (`vetter log --head --sign`) the log must still hold
        #[arg(long, value_name = "FILE", requires = "allowed_signers")]
        head: Option<PathBuf>,
        /// Check signatures (the packet's SHA256SUMS.sig, the --head file's)
        /// against these signers (the allowed_signers format of `ssh-keygen -Y verify`)
        #[arg(long, value_name = "FILE")]
        allowed_signers: Option<PathBuf>,
        /// Check the packet alone (its files, its chain head lines, its
        /// signature), with no register: what an auditor who has only the
        /// packet can check
        #[arg(long, requires = "packet", conflicts_with = "head")]
        packet_only: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Sign a packet already written: SHA256SUMS.sig over its SHA256SUMS
    #[command(
        after_help = "The signature is an SSHSIG in the namespace vetter-packet, as `ssh-keygen -Y sign \
-n vetter-packet` writes it; an auditor checks it with `ssh-keygen -Y verify` (docs/packet-format.md) or \
`vetter verify --packet DIR --allowed-signers FILE`. A passphrase-protected key is opened with the passphrase \
in the file VETTER_KEY_PASSPHRASE_FILE names.\n\n\
Examples:\n  vetter sign packets/xano-2026-11 --key ~/.ssh/id_ed25519"
    )]
    Sign {
        /// The packet directory (`vetter export --out DIR` wrote it)
        packet: PathBuf,
        /// The OpenSSH private key (ed25519 or RSA)
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
        /// Replace an existing SHA256SUMS.sig
        #[arg(long)]
        force: bool,
    },
    /// Copy the database to FILE with SQLite's online backup API, then verify the copy
    #[command(
        after_help = "Safe while other vetter commands write: the copy is one consistent snapshot. \
The copy is written under a temporary name, verified, and only then renamed to FILE (mode 0600).\n\n\
Examples:\n  vetter backup backups/vetter-2026-11-27.db\n  vetter backup nightly.db --force"
    )]
    Backup {
        /// Where to write the copy
        file: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// Replace the database with a verified backup, keeping the current one aside
    #[command(
        after_help = "The backup is verified first (as `vetter verify` does) and refused if any check fails. \
The database it replaces is kept beside it as DB.before-restore-<time>.\n\n\
Examples:\n  vetter restore backups/vetter-2026-11-27.db"
    )]
    Restore {
        /// A file written by `vetter backup`
        file: PathBuf,
    },
    /// Put candidate vendors side by side: hosting, score, flags, key DPA terms, decision
    #[command(
        after_help = "Each vendor is compared on its current review. Ranked rows mark the best (\u{2713}) and worst \
(\u{2717}) value; on a terminal they are coloured too (not with NO_COLOR).\n\nExamples:\n  vetter compare supabase neon firebase\n  vetter compare supabase neon --pdf compare.pdf --csv compare.csv"
    )]
    Compare(CompareArgs),
    /// Answers of the questionnaires vendors filled (CAIQ, HECVAT)
    #[command(
        subcommand,
        after_help = "Import one with `vetter import questionnaire VENDOR FILE` (docs/questionnaires.md).\n\nExamples:\n  vetter questionnaire show xano\n  vetter questionnaire show xano --answer no"
    )]
    Questionnaire(QuestionnaireCommand),
    /// Questionnaire-to-checklist mappings
    #[command(
        subcommand,
        after_help = "The built-in mappings are in mappings/ (CAIQ v4.0.x, HECVAT Lite 3.06).\n\nExamples:\n  vetter mapping validate sig-lite.toml"
    )]
    Mapping(MappingCommand),
    /// Write the audit packet (PDF, CSV, JSON, evidence, SHA256SUMS) of a vendor, or of all
    Export(ExportArgs),
    /// Build a sample database with an example vendor review
    Demo(DemoArgs),
    /// A team's register on PostgreSQL: make it, and say who may do what
    #[command(
        subcommand,
        after_help = "The server enforces the roles, for psql as much as for vetter (docs/team.md).\n\nExamples:\n  vetter --db postgresql://dba@db.example.com/vetter team init\n  vetter --db postgresql://carol@db.example.com/vetter team grant alice \\\n      --role vetter_reviewer\n  vetter team list --json"
    )]
    Team(TeamCommand),
    /// Copy every record, evidence file and audit event of a register into an empty one (SQLite or PostgreSQL)
    #[command(
        after_help = "The audit chain is carried as it is: the head is the same on both sides, and the target is verified before the command succeeds. \
The target must be empty: a new SQLite file, or a PostgreSQL register just made with `team init` (copying into PostgreSQL needs a superuser, as it writes records made by other people).\n\n\
Examples:\n  vetter copy --from vetter.db --to postgresql://dba@db.example.com/vetter\n  vetter copy --from postgresql://auditor@db.example.com/vetter \\\n      --to offline.db"
    )]
    Copy {
        /// The register to copy: a SQLite file or a PostgreSQL connection string
        #[arg(long, value_name = "DB")]
        from: PathBuf,
        /// The empty register to copy into
        #[arg(long, value_name = "DB")]
        to: PathBuf,
    },
    /// Print shell completions
    #[command(after_help = "Examples:\n  vetter completions bash\n  vetter completions zsh")]
    Completions {
        /// The shell to generate completions for
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout, or write one page per command to a directory
    #[command(after_help = "Examples:\n  vetter man\n  vetter man --out-dir man")]
    Man {
        /// Write vetter.1 and a page per subcommand (vetter-vendor-add.1, ...) into this directory, creating it
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Make the group roles and the register's schema, or upgrade them (run by the DBA)
    #[command(
        after_help = "Run as a login that may create roles (a superuser, or one with CREATEROLE). Safe to run again; that is also how a register is upgraded.\n\nExamples:\n  vetter --db postgresql://dba@db.example.com/vetter team init"
    )]
    Init,
    /// Give LOGIN a role (a vetter_admin does this)
    #[command(
        after_help = "The login must exist (a DBA makes it: CREATE ROLE alice LOGIN PASSWORD ...). Recorded in the audit log.\n\nExamples:\n  vetter team grant alice --role vetter_reviewer\n  vetter team grant bob --role vetter_approver"
    )]
    Grant {
        /// A login the DBA made (CREATE ROLE alice LOGIN PASSWORD ...)
        login: String,
        /// vetter_reviewer, vetter_approver, vetter_auditor or vetter_admin
        #[arg(long)]
        role: String,
    },
    /// Take a role from LOGIN (a vetter_admin does this)
    #[command(
        after_help = "Recorded in the audit log; what the login recorded stays theirs.\n\nExamples:\n  vetter team revoke alice --role vetter_approver"
    )]
    Revoke {
        /// The login to take the role from
        login: String,
        /// vetter_reviewer, vetter_approver, vetter_auditor or vetter_admin
        #[arg(long)]
        role: String,
    },
    /// Who holds which role
    #[command(after_help = "Examples:\n  vetter team list\n  vetter team list --json")]
    List {
        #[command(flatten)]
        json: JsonFlag,
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
    #[command(after_help = "Examples:\n  vetter vendor list\n  vetter vendor list --all --json")]
    List {
        /// Include archived vendors
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show one vendor
    #[command(
        after_help = "Examples:\n  vetter vendor show xano\n  vetter vendor show xano --json"
    )]
    Show {
        /// The vendor's slug, e.g. xano
        vendor: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Change a vendor's details (the slug never changes)
    Edit(VendorEditArgs),
    /// Archive a vendor: hidden from lists, never deleted
    #[command(after_help = "Examples:\n  vetter vendor archive xano")]
    Archive {
        /// The vendor's slug, e.g. xano
        vendor: String,
        #[command(flatten)]
        json: RecordJson,
    },
}

#[derive(Debug, Args)]
pub struct VendorFields {
    /// The vendor's website, e.g. https://www.xano.com
    #[arg(long, value_name = "URL")]
    pub website: Option<String>,
    /// The vendor's Trust Center, e.g. https://trust.xano.com
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
#[command(
    after_help = "A name that looks like an existing vendor's (Cyrillic \"Аcme\" beside \"Acme\", \"PayPaI\" beside \"PayPal\") is refused unless --allow-similar. A name with letters that have no ASCII spelling needs --slug.\n\nExamples:\n  vetter vendor add \"Xano\" --hosting baas --tenancy multi \\\n      --data pii,financial --tier high\n  vetter vendor add \"Neon\" --slug neon --website https://neon.tech \\\n      --tier medium"
)]
pub struct VendorAddArgs {
    /// The vendor's name as it should appear in reports
    pub name: String,
    /// Short identifier used in commands [default: derived from the name]
    #[arg(long)]
    pub slug: Option<String>,
    /// Add it even though its name looks like an existing vendor's
    #[arg(long)]
    pub allow_similar: bool,
    #[command(flatten)]
    pub fields: VendorFields,
    #[command(flatten)]
    pub json: RecordJson,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  vetter vendor edit xano --trust-center https://trust.xano.com \\\n      --tier critical\n  vetter vendor edit xano --name \"Xano Inc.\" --data pii,financial,credentials"
)]
pub struct VendorEditArgs {
    /// The vendor's slug, e.g. xano
    pub vendor: String,
    /// A new display name
    #[arg(long)]
    pub name: Option<String>,
    /// Rename it even though the new name looks like another vendor's
    #[arg(long)]
    pub allow_similar: bool,
    #[command(flatten)]
    pub fields: VendorFields,
    #[command(flatten)]
    pub json: RecordJson,
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// List built-in and installed checklists
    #[command(after_help = "Examples:\n  vetter checklist list\n  vetter checklist list --json")]
    List {
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show a checklist's sections and items (ID or ID@VERSION)
    #[command(
        after_help = "Examples:\n  vetter checklist show backend-platform\n  vetter checklist show backend-platform@1.0 --json"
    )]
    Show {
        /// Checklist id, optionally with @VERSION, e.g. backend-platform or backend-platform@1.0
        id: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Check a checklist file without installing it
    #[command(after_help = "Examples:\n  vetter checklist validate my-checklist.toml")]
    Validate {
        /// The checklist TOML file to check (format: docs/checklist-format.md)
        file: PathBuf,
    },
    /// Install a checklist file into the database
    #[command(after_help = "Examples:\n  vetter checklist add my-checklist.toml")]
    Add {
        /// The checklist TOML file to install (format: docs/checklist-format.md)
        file: PathBuf,
        #[command(flatten)]
        json: RecordJson,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Start a review: snapshot the checklist items that apply to the vendor
    #[command(
        after_help = "Examples:\n  vetter review start xano --due +30d\n  vetter review start xano --checklist backend-platform@1.0 --supersede"
    )]
    Start {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// Checklist ID or ID@VERSION [default: the vendor's last review's checklist, else backend-platform; newest version]
        #[arg(long)]
        checklist: Option<String>,
        /// When the review is due: YYYY-MM-DD, or from today as +30d, +6w, +3m
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
    #[command(
        after_help = "Examples:\n  vetter review status xano\n  vetter review status xano --items --json"
    )]
    Status {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// Also list every item with its status
        #[arg(long)]
        items: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// All reviews of a vendor
    #[command(
        after_help = "Examples:\n  vetter review list xano\n  vetter review list xano --json"
    )]
    List {
        /// The vendor's slug, e.g. xano
        vendor: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Say the current review is ready for a decision; findings are then frozen
    #[command(
        after_help = "A different person decides it (four eyes): `vetter review decide`.\n\nExamples:\n  vetter review submit xano --note \"DPA read in full; two questions open\""
    )]
    Submit {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// What the approver should know
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        note: Option<String>,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Reopen a submitted review so findings can be recorded again
    #[command(
        after_help = "Examples:\n  vetter review reopen xano --reason \"vendor sent a new SOC 2 report\""
    )]
    Reopen {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// Why it is reopened (kept in the sign-off history)
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        reason: String,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Decide a submitted review; the approver must not be who submitted it
    #[command(
        after_help = "Deciding sets the vendor's next review date from its tier (profile keys \
review-months-critical/high/medium/low).\n\nExamples:\n  vetter --as bob review decide xano --decision approve \\\n      --note \"fits our obligations\"\n  vetter --as bob review decide xano --decision conditional --note \"ok\" \\\n      --conditions \"EU region by Q2\""
    )]
    Decide {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// approve, conditional or reject
        #[arg(long)]
        decision: crate::model::DecisionKind,
        /// The reasoning behind the decision
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        note: String,
        /// What must happen for a conditional approval (required with conditional)
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        conditions: Option<String>,
        /// Why to approve although an unwaived critical red flag is open (required then)
        #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
        override_reason: Option<String>,
        #[command(flatten)]
        json: RecordJson,
    },
    /// What changed between two review cycles: statuses, flags, clauses, subprocessors, score
    #[command(
        after_help = "Examples:\n  vetter review diff xano\n  vetter review diff xano --from 1 --to 2 --json"
    )]
    Diff {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The earlier review's number [default: the one before --to]
        #[arg(long, value_name = "N")]
        from: Option<i64>,
        /// The later review's number [default: the newest]
        #[arg(long, value_name = "N")]
        to: Option<i64>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum FindingCommand {
    /// Record a finding; the newest finding sets the item's status
    Add(FindingAddArgs),
    /// List findings of the vendor's current review, oldest first
    #[command(
        after_help = "Examples:\n  vetter finding list xano\n  vetter finding list xano --item dpa.breach-notification --json"
    )]
    List {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// Only findings for this checklist item, e.g. dpa.breach-notification
        #[arg(long)]
        item: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  vetter finding add xano access.scim --status not-met --source docs \\\n      --owner customer\n  vetter finding add xano trust.soc2-type2 --status met \\\n      --source trust-center --evidence 1"
)]
pub struct FindingAddArgs {
    /// The vendor's slug, e.g. xano
    pub vendor: String,
    /// Checklist item id, e.g. dpa.breach-notification
    pub item: String,
    /// The item's status according to this finding
    #[arg(long)]
    pub status: Status,
    /// Where the finding comes from
    #[arg(long)]
    pub source: Source,
    /// What the source says, ideally quoted with its section, e.g. '§9.1: "within 72 hours"'
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub note: Option<String>,
    /// The page the finding was read from, e.g. https://www.xano.com/legal/dpa
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Who owns the control, when it differs from the checklist's default
    #[arg(long)]
    pub owner: Option<Owner>,
    /// The evidence the finding rests on (its id, as `evidence list` shows it)
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
    #[command(
        after_help = "Examples:\n  vetter import findings xano findings.csv\n  vetter import findings xano findings-2026-11.csv --allow-repeat"
    )]
    Findings {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The CSV file to import, with the header item,status,source,note,url,owner
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
    /// Import a vendor's filled questionnaire (CAIQ v4, HECVAT 3 or 4, or CSV): every answer kept, mapped to findings
    #[command(
        after_help = "The format and version are read from the workbook (a CAIQ v4.0.x sheet like 'CAIQv4.0.3', a \
HECVAT 3 'HECVAT - Full | Vendor Response' sheet, HECVAT 4's 'START HERE' tab and the others); built-in mappings \
cover CAIQ 4.0.1-4.0.3, HECVAT Full and Lite 3.04-3.06 and HECVAT 4.1.4-4.1.5. A CSV has the columns id,answer,comment[,owner] and needs --mapping. \
Every answer is kept with the review and the workbook is stored as evidence; answers mapped to checklist items \
become findings (source questionnaire) whose note names the question ids and quotes the vendor. Yes -> met, \
No -> not-met, NA -> n/a, blank -> unknown; the worst answer wins; a mapping relation other than equal caps \
met at partial (docs/questionnaires.md). All or nothing; --dry-run shows each item's before and after.\n\n\
Examples:\n  vetter import questionnaire xano xano-caiq.xlsx --dry-run\n  vetter import questionnaire xano xano-caiq.xlsx\n  vetter import questionnaire xano \"xano HECVAT Full.xlsx\"\n  vetter import questionnaire xano sig-lite.csv --mapping sig-lite.toml"
    )]
    Questionnaire {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The filled workbook (.xlsx) or CSV
        file: PathBuf,
        /// The questionnaire's format, when it cannot be told from the file
        #[arg(long, value_parser = ["caiq", "hecvat", "csv"])]
        format: Option<String>,
        /// A mapping of your own (TOML, see docs/questionnaires.md) instead of the built-in one
        #[arg(long, value_name = "FILE")]
        mapping: Option<PathBuf>,
        /// Show what would change per item, and record nothing
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
}

/// `vetter questionnaire`: answers of imported questionnaires.
#[derive(Debug, Subcommand)]
pub enum QuestionnaireCommand {
    /// The vendor's questionnaires, newest first: every answer, with the items it fed
    #[command(
        after_help = "Each questionnaire's table ends with a line counting its answers per value and how many were \
mapped; \"No\" answers that map to no item are shown too (--unmapped lists only the answers that fed no item). \
--json prints a list, newest first.\n\n\
Examples:\n  vetter questionnaire show xano\n  vetter questionnaire show xano --review 2\n  vetter questionnaire show xano --answer no --unmapped\n  vetter questionnaire show xano --json"
    )]
    Show {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// Only the questionnaires imported into the vendor's review number N
        #[arg(long, value_name = "N")]
        review: Option<i64>,
        /// Only answers of this value
        #[arg(long, value_parser = ["yes", "no", "na", "blank"])]
        answer: Option<String>,
        /// Only answers that fed no checklist item
        #[arg(long)]
        unmapped: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// What changed since the previous questionnaire: answers changed, added, removed, and items
    #[command(
        after_help = "Compares the vendor's newest questionnaire with the one it filled before (the newest older \
one of the same kind and major version, whose question ids mean the same), or the two given: every answer \
changed (its value), reworded (the same value, other words), added or removed, with both answers and the \
vendor's words, and every item whose result from the questionnaire changed, as the two imports recorded it.\n\n\
Examples:\n  vetter questionnaire diff xano\n  vetter questionnaire diff xano --from 1 --to 3 --json"
    )]
    Diff {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The older questionnaire's number, as `questionnaire show` gives it [default: the one before --to]
        #[arg(long, value_name = "N")]
        from: Option<i64>,
        /// The newer questionnaire's number [default: the newest]
        #[arg(long, value_name = "N")]
        to: Option<i64>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

/// `vetter mapping`: questionnaire-to-checklist mappings.
#[derive(Debug, Subcommand)]
pub enum MappingCommand {
    /// Check a mapping file against its checklist (unknown items, duplicates)
    #[command(
        after_help = "Examples:\n  vetter mapping validate mappings/caiq-v4.0.x.toml\n  vetter mapping validate sig-lite.toml"
    )]
    Validate {
        /// The mapping file (TOML)
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
#[command(
    after_help = "Each event is hash-chained to the one before it (docs/security.md); --head prints the newest \
event's number and hash, the value every packet carries. --head --sign KEY --out FILE writes that head to FILE \
and its SSH signature to FILE.sig: kept away from the register (mailed to an auditor, in another system), it lets \
`vetter verify --head FILE --allowed-signers F` prove later that the log still holds that event unchanged.\n\n\
Examples:\n  vetter log xano\n  vetter log --limit 20 --json\n  vetter log --head\n  vetter log --head --sign ~/.ssh/id_ed25519 --out heads/2026-12-05.head"
)]
pub struct LogArgs {
    /// Only events about this vendor
    pub vendor: Option<String>,
    /// Print only the chain head: the newest event's number and hash
    #[arg(long, conflicts_with_all = ["vendor", "limit"])]
    pub head: bool,
    /// With --head: write the head to --out FILE and sign it (FILE.sig) with
    /// this OpenSSH private key, namespace vetter-head
    #[arg(long, value_name = "KEY", requires_all = ["head", "out"])]
    pub sign: Option<PathBuf>,
    /// With --sign: the head file to write (its signature goes to FILE.sig)
    #[arg(long, value_name = "FILE", requires = "sign")]
    pub out: Option<PathBuf>,
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
records with the same --as-of are byte-identical, and a packet of a past moment is the one \
that would have been exported then. SOURCE_DATE_EPOCH sets the as-of date when \
--as-of is not given. See docs/packet-format.md.\
\n\nExamples:\
\n  vetter export xano --out packets/xano-2026-11\
\n  vetter export xano --as-decided --out packets/xano-as-approved\
\n  vetter export --all --out packets/portfolio-2026-11 --as-of 2026-11-30"
)]
pub struct ExportArgs {
    /// The vendor's slug, e.g. xano
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
    /// The moment the packet speaks for, a date (its end) or an RFC 3339
    /// time: every record is read as it stood then [default: today, or
    /// SOURCE_DATE_EPOCH's date]
    #[arg(long, value_name = "DATE|TIME")]
    pub as_of: Option<String>,
    /// Render the packet exactly as the records stood when the review
    /// (--review N, else the newest decided one) was decided, and list what
    /// changed since (changed-since.csv, changed-since.json, the PDF's last
    /// section)
    #[arg(long, conflicts_with_all = ["all", "as_of"])]
    pub as_decided: bool,
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
    /// A TrueType/OpenType font for the PDF's characters the bundled DejaVu Sans lacks (e.g. CJK); repeat for more faces, tried in order
    #[arg(long, value_name = "FILE")]
    pub font: Vec<PathBuf>,
    /// Sign SHA256SUMS with this OpenSSH private key (ed25519 or RSA), writing
    /// SHA256SUMS.sig as `ssh-keygen -Y sign -n vetter-packet` does
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
    /// Sign packet.pdf itself (PAdES B-B) with CERT.p12, or CERT.pem+KEY.pem
    /// (RSA or P-256), for auditors who check signatures in a PDF reader
    #[arg(long, value_name = "CERT")]
    pub sign_pdf: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Two or more vendor slugs, e.g. supabase neon
    #[arg(required = true, value_name = "VENDOR")]
    pub vendors: Vec<String>,
    /// Show a vendor with no review as "no review" instead of refusing
    #[arg(long)]
    pub include_unreviewed: bool,
    /// Also write the comparison as CSV to this file
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Also write the comparison as a landscape PDF to this file
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Replace the --csv or --pdf file when it exists
    #[arg(long)]
    pub force: bool,
    /// Compare the vendors as their records stood at this moment, a date
    /// (its end) or an RFC 3339 time, so a later change cannot rewrite a
    /// past choice [default: today, the records as they stand]
    #[arg(long, value_name = "DATE|TIME")]
    pub as_of: Option<String>,
    /// A TrueType/OpenType font for the PDF's characters the bundled DejaVu Sans lacks (e.g. CJK); repeat for more faces, tried in order
    #[arg(long, value_name = "FILE")]
    pub font: Vec<PathBuf>,
    #[command(flatten)]
    pub json: JsonFlag,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  vetter demo --out demo-out\n  vetter demo --out demo-out --force   # run it again"
)]
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
    #[command(after_help = "Examples:\n  vetter profile show\n  vetter profile show --json")]
    Show {
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Set one or more keys, e.g. `profile set regimes=gdpr,hipaa max-breach-hours=48`
    #[command(
        after_help = "Examples:\n  vetter profile set regimes=gdpr regions=EU max-breach-hours=48\n  vetter profile set required-attestations=soc2-type2,iso27001 \\\n      ai-training=forbid"
    )]
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
    #[command(
        after_help = "Examples:\n  vetter clause add xano breach-notification --hours 72 --where-feasible \\\n      --section §9.1\n  vetter clause add xano audit-rights --absent --item dpa.audit-rights"
    )]
    Add {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// What the clause is about, e.g. breach-notification
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
    #[command(
        after_help = "Examples:\n  vetter clause list xano\n  vetter clause list xano --json"
    )]
    List {
        /// The vendor's slug, e.g. xano
        vendor: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show one clause
    #[command(after_help = "Examples:\n  vetter clause show 1\n  vetter clause show 1 --json")]
    Show {
        /// The clause's id, as `clause list` shows it
        id: i64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Propose clauses from the DPA's own text (text, Markdown, HTML or PDF), each with its verbatim quote
    #[command(
        after_help = "The file is stored as the vendor's evidence (once; the same file again reuses it). Nothing \
else is recorded: the proposals go to a clause file (--out) to check, edit and record with `vetter clause import`.\n\n\
One proposal per kind: its terms (named as the options of `clause add`), the sentence each term was read \
from (an exact slice of the document's text, with its offsets in UTF-8 bytes), the section and page, and a \
confidence. A term the document states with different values is kept as a conflict, which import refuses until \
one value is kept; kinds the document never addresses are listed as not found (`not_found` in --json). PDFs \
are read with poppler's pdftotext.\n\n\
Examples:\n  vetter clause extract xano xano-dpa.pdf --out xano-clauses.toml\n  vetter clause extract xano dpa.html --flags\n  vetter clause extract xano dpa.md --json"
    )]
    Extract {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The DPA: a PDF, HTML, Markdown or text file
        file: PathBuf,
        /// Write the proposals as a clause file to edit and import
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Also show the red flags the proposals would raise under the current profile
        #[arg(long)]
        flags: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Record every clause of a clause file, in one transaction, or none
    #[command(
        after_help = "Each quote must occur verbatim in the text of the evidence the file names (or --evidence); \
a clause that fails a check names its line in the file and nothing is recorded.\n\n\
Examples:\n  vetter clause import xano xano-clauses.toml --dry-run\n  vetter clause import xano xano-clauses.toml"
    )]
    Import {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// A clause file written by `clause extract` or `clause export`
        file: PathBuf,
        /// The evidence the quotes are read from (overrides the file's `evidence`)
        #[arg(long, value_name = "ID")]
        evidence: Option<i64>,
        /// Check everything and say what would be recorded, without recording it
        #[arg(long)]
        dry_run: bool,
        /// Record the first value of each term the file leaves in conflict
        /// (`hours = { conflict = [48, 36] }`), and say which was taken
        #[arg(long)]
        accept_first: bool,
    },
    /// Write a vendor's clauses as a clause file (the format `clause import` reads)
    #[command(
        after_help = "Examples:\n  vetter clause export xano\n  vetter clause export xano --out xano-clauses.toml"
    )]
    Export {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// Write to this file instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Change a clause (given options replace the recorded ones; --item adds links)
    #[command(
        after_help = "Examples:\n  vetter clause edit 1 --clock awareness \\\n      --quote \"within 72 hours of awareness\"\n  vetter clause edit 3 --present --audit reports-only --section §12"
    )]
    Edit {
        /// The clause's id, as `clause list` shows it
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
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub quote: Option<String>,
    /// Link to a checklist item, e.g. dpa.breach-notification (repeatable)
    #[arg(long = "item", value_name = "ITEM")]
    pub items: Vec<String>,
    /// The agreement's end date, when it has one (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub valid_until: Option<String>,
    /// The evidence (e.g. the DPA file) the clause is read from, by its id
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
    /// subprocessors: the list is in an annex of the DPA, or only sent on request
    #[arg(long, help_heading = "Subprocessors")]
    pub list_in: Option<ListIn>,
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
    /// subprocessors: an objection must rest on "reasonable grounds"
    #[arg(long, help_heading = "Subprocessors")]
    pub reasonable_grounds: bool,

    /// transfers / residency: regions the data goes to or stays in (comma list)
    #[arg(long, value_name = "LIST", help_heading = "Transfers and residency")]
    pub regions: Option<String>,
    /// transfers / residency: the transfer mechanisms relied on (comma list,
    /// e.g. scc-2021,uk-addendum)
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        help_heading = "Transfers and residency"
    )]
    pub mechanism: Option<Vec<Mechanism>>,
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
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        help_heading = "Audit rights"
    )]
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
    /// liability: the cap as months of fees ("twelve (12) months of fees" = 12)
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        help_heading = "Other terms"
    )]
    pub cap_months: Option<i64>,
    /// liability: the cap as a fixed amount, as written, e.g. "USD 1,000,000"
    #[arg(long, value_name = "TEXT", help_heading = "Other terms")]
    pub cap_amount: Option<String>,
    /// government-access: what the vendor does on a government request
    /// (comma list: notify-before,challenge)
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        help_heading = "Other terms"
    )]
    pub gov: Option<Vec<GovAccess>>,
    /// security-measures: an annex, a web page the vendor can change, or only "industry standard"
    #[arg(long, help_heading = "Other terms")]
    pub annex: Option<Annex>,
}

#[derive(Debug, Subcommand)]
pub enum SubprocessorCommand {
    /// Record one subprocessor seen on the vendor's list
    #[command(
        after_help = "Examples:\n  vetter subprocessor add xano \"Amazon Web Services\" --purpose hosting \\\n      --location US\n  vetter subprocessor add xano Postmark --purpose email --location US \\\n      --seen 2026-11-20"
    )]
    Add {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The subprocessor's name as the list gives it, e.g. "Amazon Web Services"
        name: String,
        /// What it does for the vendor, e.g. hosting
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
    #[command(
        after_help = "Examples:\n  vetter subprocessor import xano subprocessors.csv --seen 2026-11-01"
    )]
    Import {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The CSV file of the list, with the header name,purpose,location
        file: PathBuf,
        /// The date the list was read (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        seen: String,
        #[command(flatten)]
        json: RecordJson,
    },
    /// The list as of a date [default: today]
    #[command(
        after_help = "Examples:\n  vetter subprocessor list xano\n  vetter subprocessor list xano --at 2026-06-30"
    )]
    List {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// Show the list as it stood on this date (YYYY-MM-DD) [default: today]
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// What changed between two dates: added, removed, location changed
    #[command(
        after_help = "Examples:\n  vetter subprocessor diff xano\n  vetter subprocessor diff xano --from 2026-05-01 --to 2026-11-01"
    )]
    Diff {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The earlier date (YYYY-MM-DD) [default: the date of the observation before the newest]
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// The later date (YYYY-MM-DD) [default: the newest observation]
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContractCommand {
    /// Record a contract: its term, whether it renews tacitly, the notice to stop it
    #[command(
        after_help = "The last day to give notice is computed: for a tacit renewal, the end of the term \
that runs minus the notice period, rolling forward term by term; business days skip Saturdays and \
Sundays (public holidays are not known to vetter: check a deadline near one). A contract is never \
changed; end it with `vetter contract end` and add the new one.\n\n\
Examples:\n  vetter contract add xano --start 2026-01-01 --term-months 12 --auto-renew \\\n      --notice-days 90 --termination-for-convenience no \\\n      --reference MSA-2026-014\n  vetter contract add xano --start 2026-03-01 --end 2027-02-28 \\\n      --notice-days 30 --notice-business-days --evidence 4 --section 12.2 \\\n      --quote \"either party may terminate on 30 business days' notice\""
    )]
    Add(ContractAddArgs),
    /// Running contracts (of one vendor, or all) with their next notice day
    #[command(after_help = "Examples:\n  vetter contract list\n  vetter contract list xano --all")]
    List {
        /// The vendor's slug, e.g. xano [default: every vendor]
        vendor: Option<String>,
        /// Include contracts that have ended
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// One contract: its terms, where it stands today, its source
    #[command(after_help = "Examples:\n  vetter contract show xano 1")]
    Show {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The contract's number, as `contract list` shows it
        id: i64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Record that a contract ended (not renewed, terminated)
    #[command(
        after_help = "Examples:\n  vetter contract end xano 1 --on 2026-12-31 \\\n      --reason \"not renewed: notice given 2026-09-30\""
    )]
    End {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The contract's number, as `contract list` shows it
        id: i64,
        /// The last day it ran (YYYY-MM-DD, or +30d from today)
        #[arg(long, value_name = "DATE")]
        on: String,
        /// Why it ended
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        json: RecordJson,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("term").required(true).args(["end", "term_months"])))]
pub struct ContractAddArgs {
    /// The vendor's slug, e.g. xano
    pub vendor: String,
    /// The first day of the contract (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub start: String,
    /// The last day of the first term (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub end: Option<String>,
    /// The first term's length in months, instead of --end
    #[arg(long, value_name = "N")]
    pub term_months: Option<u32>,
    /// The contract renews tacitly at the end of each term unless notice is given
    #[arg(long)]
    pub auto_renew: bool,
    /// Each renewal's length in months [default: 12]
    #[arg(long, value_name = "N")]
    pub renewal_months: Option<u32>,
    /// Notice needed before a term ends, in days
    #[arg(long, value_name = "N")]
    pub notice_days: Option<u32>,
    /// --notice-days counts business days (Monday to Friday)
    #[arg(long)]
    pub notice_business_days: bool,
    /// Whether we may end it early without cause
    #[arg(long, value_parser = ["yes", "no"])]
    pub termination_for_convenience: Option<String>,
    /// Our reference for it, e.g. the contract number
    #[arg(long)]
    pub reference: Option<String>,
    /// The section the terms are in, e.g. 12.2
    #[arg(long)]
    pub section: Option<String>,
    /// The contract's own words for the term or notice
    #[arg(long)]
    pub quote: Option<String>,
    /// The signed contract, stored as evidence (its id, as `evidence list` shows it)
    #[arg(long, value_name = "ID")]
    pub evidence: Option<i64>,
    #[command(flatten)]
    pub json: RecordJson,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Every rule with its severity, basis and the threshold from our profile
    #[command(
        after_help = "Examples:\n  vetter rules list\n  vetter rules list --markdown   # the text of docs/rules.md"
    )]
    List {
        #[command(flatten)]
        json: JsonFlag,
        /// Print docs/rules.md (every rule with an example that fires it)
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
    },
}

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  vetter flags xano\n  vetter flags --all --fail-on high   # exit 3 in CI while a high flag is open\n  vetter flags waive xano subprocessors.no-refund --reason \"prepaid monthly\""
)]
pub struct FlagsArgs {
    #[command(subcommand)]
    pub command: Option<FlagsCommand>,
    /// The vendor to check, by its slug, e.g. xano
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
    #[command(
        after_help = "Examples:\n  vetter flags waive xano subprocessors.no-refund --reason \"prepaid monthly\" \\\n      --until +6m\n  vetter flags waive xano ai.training --reason \"no AI features in use\" \\\n      --pre-emptive"
    )]
    Waive {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The rule's id, as `rules list` shows it, e.g. subprocessors.no-refund
        rule: String,
        /// Why the risk is accepted
        #[arg(long, allow_hyphen_values = true)]
        reason: String,
        /// The waiver lapses on this date: YYYY-MM-DD, or from today as +6m, +1y
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
    #[command(
        after_help = "Examples:\n  vetter evidence list xano\n  vetter evidence list xano --json"
    )]
    List {
        /// The vendor's slug, e.g. xano
        vendor: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Show one piece of evidence
    #[command(after_help = "Examples:\n  vetter evidence show 1\n  vetter evidence show 1 --json")]
    Show {
        /// The evidence id, as `evidence list` shows it
        id: i64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Write a stored file out (never overwrites, never follows a symlink)
    #[command(after_help = "Examples:\n  vetter evidence get 1 --out xano-soc2-2026.pdf")]
    Get {
        /// The evidence id, as `evidence list` shows it
        id: i64,
        /// The file to write; it must not exist yet
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Link evidence to a checklist item or a DPA clause
    #[command(
        after_help = "Examples:\n  vetter evidence link 1 --item trust.soc2-type2\n  vetter evidence link 3 --clause 1 --page 12"
    )]
    Link {
        /// The evidence id, as `evidence list` shows it
        id: i64,
        /// The checklist item to link it to, e.g. trust.soc2-type2
        #[arg(long, value_name = "ITEM", required_unless_present = "clause")]
        item: Option<String>,
        /// The DPA clause to link it to, by its id as `clause list` shows it
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
#[command(
    after_help = "Examples:\n  vetter evidence add xano soc2-2026.pdf --kind soc2-type2 \\\n      --valid-until 2027-09-30\n  vetter evidence add xano --url https://trust.xano.com \\\n      --quote \"ISO 27001 certified\""
)]
pub struct EvidenceAddArgs {
    /// The vendor's slug, e.g. xano
    pub vendor: String,
    /// The file to store (omit with --url and --quote for a page snapshot)
    #[arg(required_unless_present = "url")]
    pub file: Option<PathBuf>,
    /// What the evidence is [default: trust-center-snapshot with --url, else other]
    #[arg(long)]
    pub kind: Option<crate::model::EvidenceKind>,
    /// A title to show in listings and the packet instead of the file name
    #[arg(long)]
    pub title: Option<String>,
    /// Where the file came from
    #[arg(long, value_name = "URL")]
    pub source_url: Option<String>,
    /// When it was retrieved (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE")]
    pub retrieved: Option<String>,
    /// First day the evidence is valid (YYYY-MM-DD), e.g. a certificate's issue date
    #[arg(long, value_name = "DATE")]
    pub valid_from: Option<String>,
    /// Last day the evidence is valid (YYYY-MM-DD); `vetter due` lists it as the day nears
    #[arg(long, value_name = "DATE")]
    pub valid_until: Option<String>,
    /// Link to a checklist item, e.g. trust.soc2-type2 (repeatable)
    #[arg(long = "item", value_name = "ITEM")]
    pub items: Vec<String>,
    /// Link to a DPA clause, by its id (repeatable)
    #[arg(long = "clause", value_name = "ID")]
    pub clauses: Vec<i64>,
    /// A page snapshot: the page's address (no network is used)
    #[arg(long, value_name = "URL", conflicts_with_all = ["file", "source_url"], requires = "quote")]
    pub url: Option<String>,
    /// A page snapshot: the words quoted from the page
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        requires = "url"
    )]
    pub quote: Option<String>,
    /// Store the file a symbolic link points to
    #[arg(long)]
    pub follow_symlinks: bool,
    /// Refuse files larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = crate::commands::evidence::DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,

    /// A report (SOC 2, ISO, pentest...): first day of the period it covers
    #[arg(
        long,
        value_name = "DATE",
        help_heading = "Reports (SOC 2, attestations, pentests)"
    )]
    pub period_start: Option<String>,
    /// A report: last day of the period it covers; it goes stale max-report-age-months later
    #[arg(
        long,
        value_name = "DATE",
        help_heading = "Reports (SOC 2, attestations, pentests)"
    )]
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
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        help_heading = "SOC 2 reports"
    )]
    pub cuecs: Option<String>,
    /// SOC 2: how subservice organisations are treated
    #[arg(long, help_heading = "SOC 2 reports")]
    pub subservice: Option<crate::model::Subservice>,
    /// A report: a bridge letter covers the gap after its period until this date
    #[arg(
        long,
        value_name = "DATE",
        help_heading = "Reports (SOC 2, attestations, pentests)"
    )]
    pub bridge_letter_until: Option<String>,
    #[command(flatten)]
    pub json: RecordJson,
}

#[derive(Debug, Subcommand)]
pub enum QuestionCommand {
    /// Ask the vendor a question about a checklist item
    #[command(
        after_help = "Examples:\n  vetter question add xano dpa.breach-notification \\\n      \"Does the 72-hour clock start at awareness?\"\n  vetter question add xano access.scim \"Is SCIM on every plan?\" \\\n      --to security@xano.com"
    )]
    Add {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// Checklist item id the question is about, e.g. dpa.breach-notification
        item: String,
        /// The question, quoted as one argument
        text: String,
        /// The DPA clause the question is about
        #[arg(long, value_name = "ID")]
        clause: Option<i64>,
        /// Who was asked
        #[arg(long, value_name = "CONTACT")]
        to: Option<String>,
        /// When an answer is due: YYYY-MM-DD, or from today as +14d, +2w
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// Accept a due date in the past (e.g. recording an old question)
        #[arg(long)]
        allow_past: bool,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Record the vendor's answer
    #[command(
        after_help = "Examples:\n  vetter question answer 1 \"Yes, from awareness (amendment §2)\" --evidence 2"
    )]
    Answer {
        /// The question's id, as `question list` shows it
        id: i64,
        /// The vendor's answer, quoted as one argument
        text: String,
        /// Evidence that came with the answer
        #[arg(long, value_name = "ID")]
        evidence: Option<i64>,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Close a question with a resolution
    #[command(after_help = "Examples:\n  vetter question close 1 --resolution accepted")]
    Close {
        /// The question's id, as `question list` shows it
        id: i64,
        /// How the question was settled
        #[arg(long)]
        resolution: crate::model::Resolution,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Reopen a closed or answered question
    #[command(after_help = "Examples:\n  vetter question reopen 1")]
    Reopen {
        /// The question's id, as `question list` shows it
        id: i64,
        #[command(flatten)]
        json: RecordJson,
    },
    /// Write a vendor's open questions to an .xlsx workbook the vendor fills in
    #[command(
        after_help = "The workbook has one protected sheet, Questions: ID, Item, Question and Due date are locked; Answer and Status (answered, need more time, not applicable) are the cells to fill. Read it back with `vetter question import`.\n\nExamples:\n  vetter question export xano --xlsx xano-questions.xlsx\n  vetter question export xano --xlsx xano-questions.xlsx --force   # replace \\\n      an earlier one"
    )]
    Export {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The workbook to write (.xlsx); created owner-only (0600)
        #[arg(long, value_name = "FILE")]
        xlsx: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// Record the answers of a workbook written by `question export` and filled by the vendor
    #[command(
        after_help = "All answers or none: a row whose ID is not one of the vendor's open questions, or whose Status is not one of the list, is named by its cell (Questions!A7) and nothing is recorded. Rows with no answer are skipped; \"need more time\" leaves a question open.\n\nExamples:\n  vetter question import xano xano-questions-filled.xlsx\n  vetter question import xano xano-questions-filled.xlsx --json"
    )]
    Import {
        /// The vendor's slug, e.g. xano
        vendor: String,
        /// The filled workbook (.xlsx), at most 20 MiB
        file: PathBuf,
        #[command(flatten)]
        json: RecordJson,
    },
    /// List questions (all vendors unless one is named)
    #[command(
        after_help = "Examples:\n  vetter question list --open\n  vetter question list xano --overdue --json"
    )]
    List {
        /// Only this vendor's questions, by its slug, e.g. xano
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

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::{Command, CommandFactory, Parser};

    /// Every command with its path ("vetter vendor add"), each before its
    /// subcommands; clap's generated `help` subcommands are left out.
    fn walk<'a>(cmd: &'a Command, path: String, out: &mut Vec<(String, &'a Command)>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() != "help" {
                let sub_path = format!("{path} {}", sub.get_name());
                out.push((sub_path.clone(), sub));
                walk(sub, sub_path, out);
            }
        }
    }

    /// The example lines of a command's `after_help`: every line after a line
    /// `Examples:`, or None when there is no such line.
    fn examples(cmd: &Command) -> Option<Vec<String>> {
        let text = cmd.get_after_help()?.to_string();
        let mut lines = text.lines();
        lines.by_ref().find(|line| *line == "Examples:")?;
        Some(lines.map(str::to_string).collect())
    }

    #[test]
    fn help_describes_every_argument_and_every_example_parses() {
        let mut cli = Cli::command();
        cli.build();
        let mut commands = vec![("vetter".to_string(), &cli)];
        walk(&cli, "vetter".to_string(), &mut commands);
        let mut failures = Vec::new();

        for (path, cmd) in &commands {
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                let described = arg
                    .get_help()
                    .is_some_and(|help| !help.to_string().trim().is_empty());
                if !described {
                    failures.push(format!("`{path}`: argument `{id}` has no help text"));
                }
            }

            let Some(raw) = examples(cmd) else {
                failures.push(format!("`{path}`: after_help has no `Examples:` line"));
                continue;
            };
            // A long example continues after a backslash, as a shell
            // reads it: one command line.
            let mut lines: Vec<String> = Vec::new();
            for line in raw {
                match lines.last_mut() {
                    Some(last) if last.ends_with(" \\") && line.starts_with("      ") => {
                        last.truncate(last.len() - 2);
                        last.push(' ');
                        last.push_str(line.trim_start());
                    }
                    _ => lines.push(line.to_string()),
                }
            }
            if !lines.iter().any(|line| line.starts_with("  vetter ")) {
                failures.push(format!("`{path}`: no example line starts with `  vetter `"));
            }
            for line in &lines {
                if !line.starts_with("  vetter ") {
                    failures.push(format!(
                        "`{path}`: example line does not start with `  vetter `: {line:?}"
                    ));
                    continue;
                }
                let example = match line.split_once("  #") {
                    Some((command, _comment)) => command.trim(),
                    None => line.trim(),
                };
                let Some(words) = shlex::split(example) else {
                    failures.push(format!("`{path}`: example does not split: {example}"));
                    continue;
                };
                if let Some(word) = words
                    .iter()
                    .find(|w| matches!(w.as_str(), "--help" | "-h" | "--version" | "-V"))
                {
                    failures.push(format!(
                        "`{path}`: example uses {word}, show a real command line instead: {example}"
                    ));
                    continue;
                }
                if let Err(error) = Cli::try_parse_from(&words) {
                    failures.push(format!(
                        "`{path}`: example does not parse: {example}\n{error}"
                    ));
                }
            }
        }

        assert!(
            failures.is_empty(),
            "{} problem(s) in the command-line help:\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
}
