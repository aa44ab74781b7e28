//! DPA clause terms: which structured option belongs to which clause kind,
//! and turning command-line options into checked `Terms`.

use crate::cli::ClauseTermArgs;
use crate::error::{Error, Result};
use crate::model::{
    ClauseKind, ClauseKind as K, GovAccess, LiabilityCap, ListIn, Mechanism, Terms,
};
use crate::{profile, validate};

/// The structured options and the kinds they belong to.
pub const OPTION_KINDS: &[(&str, &[ClauseKind])] = &[
    ("--hours", &[K::BreachNotification, K::Baa]),
    ("--days", &[K::Baa]),
    ("--where-feasible", &[K::BreachNotification]),
    ("--clock", &[K::BreachNotification]),
    ("--confirmed-only", &[K::BreachNotification]),
    ("--list-url", &[K::Subprocessors]),
    ("--list-in", &[K::Subprocessors]),
    ("--notice-days", &[K::Subprocessors]),
    ("--notice-channel", &[K::Subprocessors]),
    ("--objection-days", &[K::Subprocessors]),
    ("--remedy", &[K::Subprocessors]),
    ("--reasonable-grounds", &[K::Subprocessors]),
    ("--regions", &[K::Transfers, K::Residency]),
    ("--mechanism", &[K::Transfers, K::Residency]),
    ("--region-commitment", &[K::Transfers, K::Residency]),
    ("--deletion-days", &[K::DeletionReturn]),
    ("--no-deadline", &[K::DeletionReturn]),
    ("--backup-days", &[K::DeletionReturn]),
    ("--certificate", &[K::DeletionReturn]),
    ("--export-window-days", &[K::DeletionReturn]),
    ("--on-request-only", &[K::DeletionReturn]),
    ("--audit", &[K::AuditRights]),
    ("--audit-limits", &[K::AuditRights]),
    ("--vendor-use", &[K::Ownership, K::AiTraining]),
    ("--ai-training", &[K::Ownership, K::AiTraining]),
    ("--cap", &[K::Liability]),
    ("--cap-months", &[K::Liability]),
    ("--cap-amount", &[K::Liability]),
    ("--gov", &[K::GovernmentAccess]),
    ("--annex", &[K::SecurityMeasures]),
];

/// The longest deadline we accept as a number: one year in hours, ten years in days.
const MAX_HOURS: i64 = 8760;
const MAX_DAYS: i64 = 3650;
/// The largest liability cap we accept in months of fees: a hundred years.
pub const MAX_CAP_MONTHS: i64 = 1200;

fn check_belongs(option: &str, kind: ClauseKind) -> Result<()> {
    let kinds = OPTION_KINDS
        .iter()
        .find(|(o, _)| *o == option)
        .map(|(_, k)| *k)
        .unwrap_or(&[]);
    if kinds.contains(&kind) {
        return Ok(());
    }
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    Err(
        Error::user(format!("{option} does not apply to a {kind} clause")).with_hint(format!(
            "{option} belongs to {} clauses",
            names.join(" and ")
        )),
    )
}

/// Each value once, in the order given.
pub fn one_each<T: PartialEq + Copy>(list: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for v in list {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// A list term's values as given, each once, where `none` stands alone
/// (`--mechanism`, `--gov`).
fn list_term<T: PartialEq + Copy>(
    option: &str,
    list: &[T],
    none: T,
    what: &str,
    hint: &str,
) -> Result<Vec<T>> {
    let out = one_each(list.iter().copied());
    if out.len() > 1 && out.contains(&none) {
        return Err(
            Error::user(format!("{option} none contradicts the other {what} given"))
                .with_hint(hint.to_string()),
        );
    }
    Ok(out)
}

fn bounded(option: &str, value: i64, max: i64, unit: &str) -> Result<u32> {
    if (0..=max).contains(&value) {
        Ok(value as u32)
    } else {
        Err(Error::user(format!("{option} {value} is out of range"))
            .with_hint(format!("give a number of {unit} from 0 to {max}")))
    }
}

/// Applies the structured options given on the command line to `terms`,
/// refusing options that do not belong to `kind`, out-of-range numbers and
/// contradictions. Options not given leave the terms as they were.
pub fn apply_terms(kind: ClauseKind, args: &ClauseTermArgs, terms: &mut Terms) -> Result<()> {
    macro_rules! set {
        ($option:literal, $value:expr, $target:expr) => {
            if let Some(value) = $value {
                check_belongs($option, kind)?;
                $target = Some(value);
            }
        };
    }
    macro_rules! flag {
        ($option:literal, $value:expr, $target:expr) => {
            if $value {
                check_belongs($option, kind)?;
                $target = true;
            }
        };
    }
    macro_rules! number {
        ($option:literal, $value:expr, $max:expr, $unit:literal, $target:expr) => {
            if let Some(value) = $value {
                check_belongs($option, kind)?;
                $target = Some(bounded($option, value, $max, $unit)?);
            }
        };
    }
    number!("--hours", args.hours, MAX_HOURS, "hours", terms.hours);
    number!("--days", args.days, MAX_DAYS, "days", terms.days);
    flag!(
        "--where-feasible",
        args.where_feasible,
        terms.where_feasible
    );
    set!("--clock", args.clock, terms.clock);
    flag!(
        "--confirmed-only",
        args.confirmed_only,
        terms.confirmed_only
    );
    if let Some(url) = &args.list_url {
        check_belongs("--list-url", kind)?;
        terms.list_url = validate::url("--list-url", Some(url))?;
    }
    set!("--list-in", args.list_in, terms.list_in);
    number!(
        "--notice-days",
        args.notice_days,
        MAX_DAYS,
        "days",
        terms.notice_days
    );
    set!(
        "--notice-channel",
        args.notice_channel,
        terms.notice_channel
    );
    number!(
        "--objection-days",
        args.objection_days,
        MAX_DAYS,
        "days",
        terms.objection_days
    );
    set!("--remedy", args.remedy, terms.remedy);
    flag!(
        "--reasonable-grounds",
        args.reasonable_grounds,
        terms.reasonable_grounds
    );
    if let Some(regions) = &args.regions {
        check_belongs("--regions", kind)?;
        terms.regions = profile::regions(regions)?;
    }
    if let Some(list) = &args.mechanism {
        check_belongs("--mechanism", kind)?;
        terms.mechanism = list_term(
            "--mechanism",
            list,
            Mechanism::None,
            "mechanisms",
            "give the mechanisms the agreement relies on, or `none` alone",
        )?;
    }
    set!(
        "--region-commitment",
        args.region_commitment,
        terms.region_commitment
    );
    number!(
        "--deletion-days",
        args.deletion_days,
        MAX_DAYS,
        "days",
        terms.deletion_days
    );
    flag!("--no-deadline", args.no_deadline, terms.no_deadline);
    number!(
        "--backup-days",
        args.backup_days,
        MAX_DAYS,
        "days",
        terms.backup_days
    );
    set!("--certificate", args.certificate, terms.certificate);
    number!(
        "--export-window-days",
        args.export_window_days,
        MAX_DAYS,
        "days",
        terms.export_window_days
    );
    flag!(
        "--on-request-only",
        args.on_request_only,
        terms.on_request_only
    );
    set!("--audit", args.audit, terms.audit);
    if let Some(limits) = &args.audit_limits {
        check_belongs("--audit-limits", kind)?;
        terms.audit_limits = validate::text("--audit-limits", Some(limits))?;
    }
    set!("--vendor-use", args.vendor_use, terms.vendor_use);
    set!("--ai-training", args.ai_training, terms.ai_training);
    set!("--cap", args.cap, terms.cap);
    number!(
        "--cap-months",
        args.cap_months,
        MAX_CAP_MONTHS,
        "months of fees",
        terms.cap_months
    );
    if let Some(amount) = &args.cap_amount {
        check_belongs("--cap-amount", kind)?;
        // One line, as the agreement writes it: "USD 1,000,000".
        terms.cap_amount = Some(validate::name("--cap-amount", amount)?);
    }
    if let Some(list) = &args.gov {
        check_belongs("--gov", kind)?;
        terms.gov = list_term(
            "--gov",
            list,
            GovAccess::None,
            "commitments",
            "give what the DPA commits to (e.g. notify-before,challenge), or `none` alone",
        )?;
    }
    set!("--annex", args.annex, terms.annex);

    // A newly given deadline replaces a "no deadline", and the reverse.
    if args.deletion_days.is_some() && args.no_deadline {
        return Err(
            Error::user("--deletion-days and --no-deadline contradict each other")
                .with_hint("give one: the number of days, or --no-deadline when the DPA sets none"),
        );
    }
    if args.deletion_days.is_some() {
        terms.no_deadline = false;
    }
    if args.no_deadline {
        terms.deletion_days = None;
    }
    // A list only sent on request is not published at a URL, and the reverse;
    // a list in an annex may also be kept up to date at a URL.
    if args.list_url.is_some() && args.list_in == Some(ListIn::OnRequest) {
        return Err(
            Error::user("--list-url and --list-in on-request contradict each other")
                .with_hint("give --list-url when the list is published, --list-in on-request when it is only sent if asked"),
        );
    }
    if args.list_url.is_some() && terms.list_in == Some(ListIn::OnRequest) {
        terms.list_in = None;
    }
    if args.list_in == Some(ListIn::OnRequest) {
        terms.list_url = None;
    }
    // An uncapped liability has no size; a newly given size replaces "uncapped".
    let size_given = args.cap_months.is_some() || args.cap_amount.is_some();
    if args.cap == Some(LiabilityCap::Uncapped) && size_given {
        return Err(
            Error::user("--cap uncapped contradicts --cap-months and --cap-amount")
                .with_hint("an uncapped liability has no size; give the size only of a cap"),
        );
    }
    if args.cap == Some(LiabilityCap::Uncapped) {
        terms.cap_months = None;
        terms.cap_amount = None;
    }
    if size_given && terms.cap == Some(LiabilityCap::Uncapped) {
        terms.cap = None;
    }
    if args.hours.is_some() && args.days.is_some() {
        return Err(Error::user("--hours and --days contradict each other")
            .with_hint("give the BAA's breach-report deadline once, in hours or in days"));
    }
    if kind == K::Baa {
        if args.hours.is_some() {
            terms.days = None;
        }
        if args.days.is_some() {
            terms.hours = None;
        }
    }
    Ok(())
}

/// Whether any structured option was given.
pub fn has_terms(args: &ClauseTermArgs) -> bool {
    let mut probe = Terms::default();
    // Applying to a kind that accepts nothing fails on the first option given.
    apply_terms(ClauseKind::Other, args, &mut probe).is_err()
}

/// The deadline of a BAA's breach report in hours, from --hours or --days.
pub fn baa_hours(terms: &Terms) -> Option<u32> {
    terms.hours.or(terms.days.map(|d| d * 24))
}

/// A clause's citation for messages: `§9.1 "quote"`.
pub fn cite(section: Option<&str>, quote: Option<&str>) -> String {
    // Shown as a reader sees it: no markup, the text's line breaks as
    // spaces, and a quote of several places cut short (the clause itself
    // keeps it whole, verbatim).
    let quote = quote.map(|q| shortened(&crate::markup::plain(q), CITE_CHARS));
    match (section, quote.as_deref()) {
        (Some(s), Some(q)) => format!("{s} \"{q}\""),
        (None, Some(q)) => format!("\"{q}\""),
        (Some(s), None) => format!("{s} (no quote recorded)"),
        (None, None) => "(no section or quote recorded)".to_string(),
    }
}

/// The longest quote a flag cites, in characters.
const CITE_CHARS: usize = 240;

/// `text` with its whitespace runs as single spaces, cut at a word before
/// `max` characters with an ellipsis.
fn shortened(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let whole = words.join(" ");
    if whole.chars().count() <= max {
        return whole;
    }
    let mut out = String::new();
    for w in words {
        if out.chars().count() + w.chars().count() + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push_str(" …");
    out
}

/// Applies the non-term options (section, quote, valid-until, absent) to a
/// clause, checking them. `items` are linked separately (they need the store).
pub fn apply_text(clause: &mut crate::model::Clause, args: &ClauseTermArgs) -> Result<()> {
    if let Some(section) = &args.section {
        clause.section = Some(validate::name("--section", section)?);
    }
    if let Some(quote) = &args.quote {
        if quote.trim().is_empty() {
            return Err(Error::user("--quote is empty")
                .with_hint("give the verbatim words of the clause, or leave --quote out"));
        }
        clause.quote = validate::text("--quote", Some(quote))?;
    }
    if let Some(date) = &args.valid_until {
        clause.valid_until = Some(validate::date("--valid-until", date)?.to_string());
    }
    Ok(())
}

/// A new clause from command-line options, fully checked (except item links).
pub fn new_clause(
    vendor: &crate::model::Vendor,
    kind: ClauseKind,
    absent: bool,
    args: &ClauseTermArgs,
    at: &str,
    by: &str,
) -> Result<crate::model::Clause> {
    let mut clause = crate::model::Clause {
        id: 0,
        vendor_id: vendor.id,
        vendor: vendor.slug.clone(),
        kind,
        section: None,
        quote: None,
        absent,
        terms: Terms::default(),
        valid_until: None,
        items: Vec::new(),
        created_at: at.to_string(),
        created_by: by.to_string(),
        updated_at: at.to_string(),
    };
    check_absent(absent, args)?;
    apply_text(&mut clause, args)?;
    apply_terms(kind, args, &mut clause.terms)?;
    Ok(clause)
}

/// A clause recorded as absent carries no quote and no terms.
pub fn check_absent(absent: bool, args: &ClauseTermArgs) -> Result<()> {
    if absent && (args.quote.is_some() || has_terms(args)) {
        return Err(Error::user("an --absent clause has no quote and no terms")
            .with_hint("record either that the clause is missing (--absent, optionally --section) or what it says"));
    }
    Ok(())
}

/// A one-line summary of a clause's structured terms, e.g. "hours=48 clock=awareness".
pub fn terms_summary(c: &crate::model::Clause) -> String {
    if c.absent {
        return "ABSENT from the agreement".into();
    }
    match serde_json::to_value(&c.terms) {
        Ok(serde_json::Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{}={s}", k.replace('_', "-")),
                serde_json::Value::Bool(true) => k.replace('_', "-"),
                serde_json::Value::Array(a) => format!(
                    "{}={}",
                    k.replace('_', "-"),
                    a.iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                other => format!("{}={other}", k.replace('_', "-")),
            })
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// A clause's terms as a reader would say them ("notice within 48 h of
/// awareness, where feasible; confirmed incidents only"), for the PDF; the
/// CSV and JSON keep the machine form (`terms_summary`).
pub fn terms_in_words(c: &crate::model::Clause) -> String {
    use crate::model::{
        AiTraining as Ai, Annex, AuditScope as A, Certificate, GovAccess as G, LiabilityCap as Cap,
        ListIn, Mechanism as M, NoticeChannel as N, NotifyClock as Clock, Remedy as R,
        VendorUse as U, YesNo,
    };
    if c.absent {
        return "absent from the agreement".into();
    }
    let t = &c.terms;
    let mut parts: Vec<String> = Vec::new();
    // Breach notice (and a BAA's report).
    if t.hours.is_some() || t.clock.is_some() || t.where_feasible || t.confirmed_only {
        let mut s = match (t.hours, c.kind) {
            (Some(h), K::Baa) => format!("breach report within {h} h"),
            (Some(h), _) => format!("notice within {h} h"),
            (None, _) => "no deadline in hours".to_string(),
        };
        if let Some(clock) = t.clock {
            s.push_str(match clock {
                Clock::Awareness => " of awareness",
                Clock::Discovery => " of discovery",
                Clock::Confirmation => " of confirmation",
            });
        }
        if t.where_feasible {
            s.push_str(", where feasible");
        }
        parts.push(s);
        if t.confirmed_only {
            parts.push("confirmed incidents only".into());
        }
    }
    if let Some(d) = t.days {
        parts.push(format!("breach report within {d} days"));
    }
    // Subprocessors.
    if let Some(url) = &t.list_url {
        parts.push(format!("list at {url}"));
    }
    match t.list_in {
        Some(ListIn::Annex) => parts.push("list in an annex".into()),
        Some(ListIn::OnRequest) => parts.push("list only on request".into()),
        None => {}
    }
    if t.notice_days.is_some() || t.notice_channel.is_some() {
        let mut s = match t.notice_days {
            Some(n) => format!("{n} days' notice of a new one"),
            None => "notice of a new one".to_string(),
        };
        s.push_str(match t.notice_channel {
            Some(N::Email) => " by email",
            Some(N::Webpage) => " on a web page",
            Some(N::SubscriptionOnly) => " to subscribers only",
            None => "",
        });
        parts.push(s);
    }
    if let Some(n) = t.objection_days {
        parts.push(format!("{n} days to object"));
    }
    if t.reasonable_grounds {
        parts.push("objection on reasonable grounds".into());
    }
    if let Some(r) = t.remedy {
        parts.push(
            match r {
                R::TerminateRefund => "objecting: terminate with a refund",
                R::Terminate => "objecting: terminate, no refund",
                R::VendorDiscretion => "objecting: the vendor decides",
                R::None => "objecting: no remedy",
            }
            .into(),
        );
    }
    // Transfers and residency.
    if !t.regions.is_empty() {
        parts.push(format!("regions {}", t.regions.join(", ")));
    }
    if !t.mechanism.is_empty() {
        let names: Vec<&str> = t
            .mechanism
            .iter()
            .map(|m| match m {
                M::Scc2021 => "2021 SCCs",
                M::Scc2010 => "repealed pre-2021 SCCs",
                M::UkAddendum => "UK Addendum",
                M::Dpf => "Data Privacy Framework",
                M::Bcr => "binding corporate rules",
                M::Adequacy => "adequacy",
                M::Consent => "consent",
                M::None => "no mechanism",
            })
            .collect();
        parts.push(format!("transfers under {}", names.join(", ")));
    }
    match t.region_commitment {
        Some(YesNo::Yes) => parts.push("commits to keep data there".into()),
        Some(YesNo::No) => parts.push("no commitment where data stays".into()),
        None => {}
    }
    // Deletion and return.
    if let Some(d) = t.deletion_days {
        parts.push(format!("deleted within {d} days"));
    }
    if t.no_deadline {
        parts.push("no deletion deadline".into());
    }
    if t.on_request_only {
        parts.push("deleted only on request".into());
    }
    if let Some(d) = t.backup_days {
        parts.push(format!("backups gone within {d} days"));
    }
    match t.certificate {
        Some(Certificate::Yes) => parts.push("certificate of deletion".into()),
        Some(Certificate::OnRequest) => parts.push("certificate of deletion on request".into()),
        Some(Certificate::No) => parts.push("no certificate of deletion".into()),
        None => {}
    }
    if let Some(d) = t.export_window_days {
        parts.push(format!("{d} days to export"));
    }
    // Audit.
    match t.audit {
        Some(A::Onsite) => parts.push("on-site audits".into()),
        Some(A::ReportsOnly) => parts.push("audit by reports only".into()),
        Some(A::None) => parts.push("no audits".into()),
        None => {}
    }
    if let Some(l) = &t.audit_limits {
        parts.push(format!("audits limited: {l}"));
    }
    // Use of our data and AI.
    match t.vendor_use {
        Some(U::None) => parts.push("no use of our data".into()),
        Some(U::ServiceOnly) => parts.push("our data used only to provide the service".into()),
        Some(U::ProductImprovement) => parts.push("our data may improve its products".into()),
        Some(U::DeidentifiedUse) => parts.push("may use de-identified data".into()),
        Some(U::Training) => parts.push("may train on our data".into()),
        None => {}
    }
    match t.ai_training {
        Some(Ai::No) => parts.push("no AI training".into()),
        Some(Ai::OptIn) => parts.push("AI training only if we opt in".into()),
        Some(Ai::OptOut) => parts.push("AI training unless we opt out".into()),
        Some(Ai::Yes) => parts.push("AI training".into()),
        None => {}
    }
    // Liability.
    if t.cap.is_some() || t.cap_months.is_some() || t.cap_amount.is_some() {
        let mut s = match t.cap {
            Some(Cap::SeparateCap) => "a separate cap".to_string(),
            Some(Cap::InsideGeneralCap) => "inside the general cap".to_string(),
            Some(Cap::Uncapped) => "uncapped".to_string(),
            Some(Cap::NotStated) | None => "cap".to_string(),
        };
        if let Some(m) = t.cap_months {
            s.push_str(&format!(" of {m} months of fees"));
        }
        if let Some(a) = &t.cap_amount {
            s.push_str(&format!(" ({a})"));
        }
        parts.push(s);
    }
    if !t.gov.is_empty() {
        let said: Vec<&str> = t
            .gov
            .iter()
            .map(|g| match g {
                G::Challenge => "challenges requests",
                G::NotifyBefore => "tells us before disclosing",
                G::NotifyAfterDisclosure => "tells us after disclosing",
                G::None => "no commitment on government requests",
            })
            .collect();
        parts.push(said.join(" and "));
    }
    match t.annex {
        Some(Annex::Yes) => parts.push("measures set out in the agreement".into()),
        Some(Annex::ExternalPage) => parts.push("measures on a page the vendor can change".into()),
        Some(Annex::IndustryStandardOnly) => parts.push("industry-standard measures only".into()),
        None => {}
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_read_as_a_reader_says_them() {
        let c = crate::model::Clause {
            id: 1,
            vendor_id: 1,
            vendor: "acme".into(),
            kind: ClauseKind::BreachNotification,
            section: None,
            quote: None,
            absent: false,
            terms: Terms {
                hours: Some(48),
                clock: Some(crate::model::NotifyClock::Awareness),
                where_feasible: true,
                confirmed_only: true,
                ..Terms::default()
            },
            valid_until: None,
            items: Vec::new(),
            created_at: String::new(),
            created_by: String::new(),
            updated_at: String::new(),
        };
        assert_eq!(
            terms_in_words(&c),
            "notice within 48 h of awareness, where feasible; confirmed incidents only"
        );
    }

    #[test]
    fn a_cited_quote_reads_as_one_line_and_is_cut_at_a_word() {
        let long = format!(
            "**Provider** shall\n   notify {}",
            "Customer promptly ".repeat(30)
        );
        let cited = cite(Some("8.2"), Some(&long));
        assert!(
            cited.starts_with("8.2 \"Provider shall notify Customer promptly"),
            "{cited}"
        );
        assert!(cited.ends_with(" …\""), "{cited}");
        assert!(cited.chars().count() <= CITE_CHARS + 10, "{cited}");
        assert_eq!(cite(None, Some("a\n  b")), "\"a b\"");
    }
}
