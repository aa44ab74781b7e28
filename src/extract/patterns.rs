//! The patterns, one table per clause kind. A kind's `topic` picks the
//! sentences about it; within such a sentence, each part between commas,
//! semicolons and "and"/"except"/"provided that" is tried against every rule
//! of the table, and a rule whose `context` matches reads its term there.
//! Each rule carries the real sentence that motivated it (`example`); a test
//! runs every table against its examples.
//!
//! Term names are the long option names of `vetter clause add`.

/// How a rule reads its term's value from the part of a sentence it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// This fixed value (an enum spelling).
    Is(&'static str),
    /// The term is a flag: present means true.
    Flag,
    /// A duration in the part, in hours (days convert; business days do not).
    Hours,
    /// A duration in the part, in calendar days.
    Days,
    /// A duration in the part, in months (fees for N months).
    Months,
    /// The first URL in the sentence.
    Url,
    /// An amount of money as written ("USD 1,000,000", "$500,000").
    Amount,
    /// Region names in the sentence (EU, US, UK, ...), as a list.
    Regions,
    /// Audit limits (frequency, notice, cost) as a short phrase.
    AuditLimits,
}

pub struct Rule {
    pub term: &'static str,
    /// Where in a sentence the term is stated (case-insensitive).
    pub context: &'static str,
    /// A sentence that also says this is not the term after all.
    pub unless: Option<&'static str>,
    pub read: Read,
    /// How sure a match makes us (0-1): the reviewer sees it.
    pub confidence: f32,
    /// The sentence that motivated the rule; it must yield the term.
    pub example: &'static str,
}

pub struct Table {
    pub kind: &'static str,
    /// What a sentence must mention to be about this kind.
    pub topic: &'static str,
    /// Sentences that mention this are about something else.
    pub not: Option<&'static str>,
    pub rules: &'static [Rule],
}

const fn rule(
    term: &'static str,
    context: &'static str,
    read: Read,
    confidence: f32,
    example: &'static str,
) -> Rule {
    Rule {
        term,
        context,
        unless: None,
        read,
        confidence,
        example,
    }
}

/// A rule that does not read its term in a sentence matching `unless`.
const fn rule_unless(
    term: &'static str,
    context: &'static str,
    unless: &'static str,
    read: Read,
    confidence: f32,
    example: &'static str,
) -> Rule {
    Rule {
        unless: Some(unless),
        ..rule(term, context, read, confidence, example)
    }
}

use Read::*;

pub const TABLES: &[Table] = &[
    // Kinds a practitioner checks are there rather than reads values from:
    // proposed as READ THIS with the sentence that addresses them, so an
    // imported DPA has every kind recorded (compare's reading needs that).
    Table {
        kind: "processing-details",
        topic: r"\b(subject[- ]matter|nature and purposes?|categories of (data subjects|personal data)|duration of (the )?processing)\b",
        not: None,
        rules: &[],
    },
    Table {
        kind: "instructions",
        topic: r"\bdocumented instructions\b|\b(on|in accordance with|following) (the )?(customer|controller|client|company)'?s? (written |lawful |documented )?instructions\b",
        not: None,
        rules: &[],
    },
    Table {
        kind: "confidentiality",
        topic: r"\bconfidential\w*\b.{0,120}\b(personnel|persons|employees|staff|individuals)\b|\b(personnel|persons|employees|staff|individuals)\b.{0,160}\bconfidential",
        not: None,
        rules: &[],
    },
    Table {
        kind: "data-subject-assistance",
        topic: r"\bdata subjects?'? (access )?(requests?|rights)\b|\b(assist|assistance|help)\b.{0,100}\bdata subjects?\b",
        not: None,
        rules: &[],
    },
    Table {
        kind: "compliance-assistance",
        topic: r"\b(data protection impact assessments?|DPIAs?|prior consultations?)\b|\barticles? 32 (to|-|through) 36\b",
        not: None,
        rules: &[],
    },
    Table {
        kind: "breach-notification",
        topic: r"\b(breach|security incident|incident)",
        not: Some(r"\b(support (ticket|request)|response time|uptime|backups? (are|is) (rotated|taken))|\bunsecured (PHI|protected health information)|\bbusiness associate\b"),
        rules: &[
            rule("hours", r"\b(notif|inform|report|tell|alert)", Hours, 0.9,
                "Provider shall notify Customer without undue delay and in any event within seventy-two (72) hours after becoming aware of a Personal Data Breach."),
            // Only about the notice: "where possible, the categories of
            // data" qualifies what the notice says, not when it comes.
            rule_unless("where-feasible", r"\b(notif|inform|report)\w*\b.{0,160}\b(where|if|when|to the extent( reasonably)?) (feasible|possible|practicable)|\b(where|if|when|to the extent( reasonably)?) (feasible|possible|practicable)\b.{0,160}\b(notif|inform|report|within)", r"\b(no later than|in any event|in no event|at the latest)\b", Flag, 0.9,
                "Provider shall notify Customer without undue delay and, where feasible, within 72 hours after confirming a Personal Data Breach."),
            rule("clock", r"\b(notif|inform|report|tell|alert)\w*\b.{0,200}\b(becom(es|ing) aware|aware of|awareness|(has been|is|being) (informed|notified|made aware) of)|\b(becom(es|ing) aware|aware of)\b.{0,200}\b(notif|inform|report)", Is("awareness"), 0.85,
                "Provider shall notify Customer within 48 hours after becoming aware of a Security Incident."),
            rule("clock", r"\b(notif|inform|report|tell|alert)\w*\b.{0,200}\b(discover(y|s|ing)?|detect(s|ion|ing)?)\b|\b(discover(y|s|ing)?|detect(s|ion|ing)?)\b.{0,200}\b(notif|inform|report)", Is("discovery"), 0.8,
                "Vendor will notify Customer within 48 hours upon discovery of a Security Breach."),
            rule("clock", r"\b(confirm(s|ed|ing|ation)?)\b.{0,40}\b(breach|incident)|\bafter (it has )?confirm", Is("confirmation"), 0.8,
                "Provider shall notify Customer without undue delay and, where feasible, within 72 hours after confirming a Personal Data Breach."),
            // A definition of the notified term as a confirmed breach is
            // read by `definitions_apply`: a definition is never a term.
            rule("confirmed-only", r"\b(aware of|notif\w* \w+ of|in the event of) (a|any) confirmed (personal data |security )?(breach|incident)|\bonly (confirmed|once confirmed)\b|\bonly\b.{0,40}\bconfirmed (personal data |security )?(breach|incident)", Flag, 0.7,
                "Provider shall notify Customer only of confirmed Security Incidents, within 72 hours."),
        ],
    },
    Table {
        kind: "baa",
        topic: r"\b(unsecured protected health information|protected health information|\bPHI\b|business associate)",
        not: None,
        rules: &[
            rule("days", r"\b(report|notif)", Days, 0.85,
                "Business Associate shall report to Covered Entity any Breach of Unsecured Protected Health Information within ten (10) days of discovery."),
        ],
    },
    Table {
        kind: "subprocessors",
        topic: r"\bsub-?\s?processors?\b|\bsubcontractors?\b",
        not: None,
        rules: &[
            rule("list-url", r"https?://", Url, 0.9,
                "The current list of Subprocessors is available at https://example.com/legal/subprocessors."),
            rule("list-in", r"\b(engages?|uses?|authori[sz]es?|approves?) the following sub-?\s?processors\b|\b(listed|set (out|forth)|identified|named) in (annex|schedule|exhibit|appendix)\b|\b(annex|schedule|exhibit|appendix) [ivx0-9a-z]+ (lists|sets out|identifies)", Is("annex"), 0.8,
                "Customer authorises the Subprocessors listed in Annex III."),
            rule("list-in", r"\b(upon|on) (customer'?s? |the controller'?s? )?(written )?request\b.{0,120}\blist|\blist\b.{0,120}\b(upon|on) (written )?request", Is("on-request"), 0.75,
                "Provider will make a list of its Subprocessors available to Customer upon written request."),
            rule("objection-days", r"\bobject", Days, 0.85,
                "Customer may object to a new Subprocessor within ten (10) days of notice."),
            rule("notice-days", r"\b(notice|notif|inform|prior to|before|in advance|advance)", Days, 0.85,
                "Provider will notify Customer of any new Subprocessor at least thirty (30) days before it begins processing Customer Data."),
            rule("notice-channel", r"\bsubscrib(e|es|ed|ing)\b|\bsubscription (list|service|updates|alerts|feed|notifications?)\b|\bsign(s|ed)? up (for|to)\b|\bsigning up (for|to)\b|\bopt(s|ed)? in to receive\b", Is("subscription-only"), 0.85,
                "Notice is given only to customers who subscribe to updates on the Subprocessor page."),
            rule("notice-channel", r"\be-?mail\b", Is("email"), 0.8,
                "Provider will give notice of a new Subprocessor by email to Customer's designated contact."),
            rule("notice-channel", r"\b(updat(e|ing) (the|its|this) ([a-z-]+ )?(list|page|web ?page|website)|post(ing)? .{0,60}(web ?page|website|page)|on (its|the) web ?(page|site))", Is("webpage"), 0.75,
                "Provider will update the subprocessor page at least 14 days before a new Subprocessor begins processing."),
            rule("remedy", r"\b(sole|absolute|reasonable) discretion\b", Is("vendor-discretion"), 0.75,
                "Provider will decide on any objection to a new Subprocessor in its sole discretion."),
            rule("remedy", r"\bterminat.{0,120}\b(refund|reimburse)|\b(refund|reimburse).{0,120}\bterminat", Is("terminate-refund"), 0.85,
                "If Customer objects to a new Subprocessor and the parties cannot resolve the objection, Customer may terminate the affected Services and receive a refund of prepaid fees."),
            rule("remedy", r"\brefund\w*\b.{0,40}\b(prepaid|pre-paid|unused|fees)", Is("terminate-refund"), 0.7,
                "If the objection cannot be resolved, Northwind will refund any prepaid fees for the terminated Sub-processor services."),
            // A right to terminate, not "upon termination of the
            // Agreement" (when deletion starts).
            rule("remedy", r"\bobject.{0,200}\b(may|right to|entitled to|can|remedy is to)\b.{0,30}\bterminat|\b(may|right to|entitled to|can|remedy is to)\b.{0,30}\bterminat.{0,80}\b(object|affected|applicable|agreement|services?|order)", Is("terminate"), 0.7,
                "If Customer objects to a new Subprocessor, Customer's sole remedy is to terminate the Agreement."),
            rule("reasonable-grounds", r"\breasonable (and documented )?(grounds?|basis)\b|\breasonable\b.{0,30}\bgrounds?\b|\breasonable objection|\blegitimate (reason|grounds?|data protection grounds)", Flag, 0.85,
                "Customer may object to a new Subprocessor on reasonable grounds relating to data protection within 14 days."),
        ],
    },
    Table {
        kind: "transfers",
        topic: r"\b(transfers?|standard contractual clauses|\bSCCs?\b|data privacy framework|binding corporate rules|adequacy decision|international data transfer|third countr)",
        not: Some(r"\bmeans\b.{0,40}\bstandard contractual clauses\b.{0,10}$"),
        rules: &[
            rule("mechanism", r"2021/914", Is("scc-2021"), 0.95,
                "Transfers shall be governed by the Standard Contractual Clauses approved by Commission Implementing Decision (EU) 2021/914."),
            rule("mechanism", r"2010/87|2004/915|2001/497", Is("scc-2010"), 0.95,
                "The parties agree that the Standard Contractual Clauses set out in Commission Decision 2010/87/EU apply to such transfers."),
            rule("mechanism", r"\b(uk addendum|international data transfer addendum|\bIDTA\b|international data transfer agreement)", Is("uk-addendum"), 0.9,
                "Transfers from the United Kingdom are governed by the UK Addendum to the Standard Contractual Clauses."),
            rule_unless("mechanism", r"\b(data privacy framework|\bDPF\b)", r"(\bsuch as\b|\bfor example\b|\be\.g\.|\bincluding without limitation\b|\bor other\b|\bappropriate safeguards\b.{0,120}\bincluding\b|\bonward transfers?\b).{0,60}\b(data privacy framework|DPF)\b", Is("dpf"), 0.9,
                "Provider is certified under the EU-U.S. Data Privacy Framework."),
            rule_unless("mechanism", r"\badequacy decision\b", r"\b(not|no|without an?)\b.{0,30}\badequacy decision|(\bsuch as\b|\bfor example\b|\be\.g\.|\bincluding without limitation\b|\bor other\b|\bappropriate safeguards\b.{0,120}\bincluding\b|\bonward transfers?\b).{0,60}\badequacy decisions?\b", Is("adequacy"), 0.85,
                "Transfers to the United Kingdom are made on the basis of the adequacy decision adopted by the European Commission for the United Kingdom."),
            // SCCs named without a decision are today's: the pre-2021
            // ones are cited by their decision number (read above).
            rule_unless("mechanism", r"\b(standard contractual clauses|SCCs)\b", r"2010/87|2004/915|2001/497|\b(no|not|without)\b.{0,20}\b(standard contractual clauses|SCCs)\b|(\bsuch as\b|\bfor example\b|\be\.g\.|\bappropriate safeguards\b.{0,120}\bincluding\b).{0,60}\b(standard contractual clauses|SCCs)\b|\b(standard contractual clauses|SCCs)\b.{0,60}\b(where|if|as) applicable\b", Is("scc-2021"), 0.7,
                "Customer and Provider are deemed to have signed the Standard Contractual Clauses."),
            rule_unless("mechanism", r"\bbinding corporate rules\b", r"(\bsuch as\b|\bfor example\b|\be\.g\.|\bincluding without limitation\b|\bor other\b|\bappropriate safeguards\b.{0,120}\bincluding\b|\bonward transfers?\b).{0,60}\b(binding corporate rules|BCRs?)\b", Is("bcr"), 0.85,
                "Transfers within Provider's group are made under its Binding Corporate Rules."),
        ],
    },
    Table {
        kind: "residency",
        topic: r"\b(stor(e|es|ed|age|ing)|host(s|ed|ing)?|process(es|ed|ing)?|handle[sd]?|replicated|resid(e|ency|ent)|located|location|region|data cent(er|re)s?|remain)\b.{0,80}\b(European Union|European Economic Area|Europe|EEA|\bEU\b|United States|\bU\.?S\.?A?\b|United Kingdom|\bUK\b|Canada|Australia|Switzerland|Japan|Singapore|India|Brazil|Germany|France|Ireland|Netherlands|Sweden|Finland|Belgium|Spain|Italy|Austria|Denmark|Poland|Frankfurt|Dublin|Amsterdam|Paris|Stockholm|Helsinki)|\b(European Union|EEA|\bEU\b|United States|United Kingdom|\bUK\b)\b.{0,60}\b(region|data cent(er|re)s?)|\bremains? in the region\b|\bregion selected by\b|\bdata residency\b|\bin any (other )?(country|countries|location|region)\b|\b(does|do|will) not commit to (storing|hosting|keeping|processing)|\bremote (maintenance|access|support)\b|\bcommits? that\b.{0,80}\b(stored|hosted)\b|\bmay transfer\b.{0,80}\boutside\b|\b(shall|will|may) not (transfer|move|relocate)\b.{0,80}\boutside\b|\bmay access\b.{0,80}\bremotely\b",
        not: None,
        rules: &[
            // Regions where data is kept: a region merely named (a law,
            // a transfer's origin) is not where our data is.
            rule_unless("regions", r"\b(stor(e|es|ed|age|ing)|host(s|ed|ing)?|process(es|ed|ing)?|handle[sd]?|located|resid(e|es|ency)|data cent(er|re)s?|replicated|kept|remains?)\b.{0,80}\b(in|within|to)\b", r"\boutside\b|\b(data subjects?|individuals|persons|customers?|users?|subscribers?)\b.{0,10}\b(located|resident|based)\b|\bcompetent (supervisory )?authority\b", Regions, 0.75,
                "Customer Data at rest will be stored in data centers located in the European Union."),
            rule("region-commitment", r"\b(will|shall) (only |solely |exclusively )?(store|host|process|keep|maintain)\b.{0,80}\b(only|solely|exclusively)\b|\b(will|shall) remain (stored |hosted |located )?in\b|\b(will|shall) be (stored|hosted|kept|processed) (only|solely|exclusively)\b|\bremains? in the region\b|\b(will|shall) not (transfer|move|relocate)\b|\b(will|shall|may) not be (relocated|transferred|moved|stored)\b|\bmay not transfer\b.{0,80}\boutside\b|\b(stores|processes and stores|hosts) all\b.{0,60}\bin\b|\bstored in the (same )?region\b", Is("yes"), 0.8,
                "Customer Data at rest remains in the region selected by Customer."),
            // "shall not transfer Personal Data outside the EEA without
            // consent": the data stays in the EEA.
            rule("regions", r"\b(shall|will|may) not (transfer|move|relocate|store|process)\w*\b.{0,80}\boutside (of )?(the )?", Regions, 0.7,
                "The Processor may not transfer Data to countries outside the European Economic Area without the prior written consent of the Company."),
            rule("region-commitment", r"\b(does|do|will) not commit to (storing|hosting|keeping|processing)", Is("no"), 0.8,
                "Brightwave does not commit to storing Customer Content in any particular region."),
            rule("region-commitment", r"\bmay (store|host|process|transfer)\b.{0,80}\b((any|other) (country|countries|location|region)|outside (the )?(EEA|EU|European|United|UK))|\b(countries|locations?) (where|in which) (the )?(processor|provider|vendor|company|supplier|we|it|its sub-?processors)\b.{0,60}\b(operate|maintain|facilities)|\blocations used by\b.{0,20}\bsub-?processors|\bglobal (infrastructure|network)\b", Is("no"), 0.75,
                "Provider may store and process Customer Data in any country in which Provider or its Subprocessors maintain facilities."),
        ],
    },
    Table {
        kind: "deletion-return",
        topic: r"\b(delet|destroy|destruction|eras|return|overwrit|purg)\w*|\b(export|retriev|download)\w*.{0,160}\b(terminat|expir)|\b(terminat|expir)\w*.{0,160}\b(export|retriev|download)",
        not: Some(r"\b(user accounts?|end users? may delete|password|log ?in)"),
        rules: &[
            rule_unless("backup-days", r"\bback-?ups?\b", r"\b(incremental|rotated every|taken (daily|hourly|every))", Days, 0.85,
                "Backups containing Customer Data are overwritten within ninety (90) days."),
            rule("export-window-days", r"\b(export|retriev|download|extract|reclaim)\w*", Days, 0.8,
                "Customer may export its Customer Data for sixty (60) days after termination."),
            // A retention period ("analytics kept 180 days, after which
            // it is deleted") or a data subject's request is not the
            // deletion of our data when the contract ends.
            rule_unless("deletion-days", r"\b(delet|destroy|eras|return)\w*", r"\bdata subjects?\b|\b(rights? of|right to) (access|erasure|rectification)|\b(retention|default) period\b|\bafter which\b|\b(is|are) (retained|kept) for\b", Days, 0.85,
                "Provider will delete Customer Data within thirty (30) days after termination of the Agreement."),
            rule("certificate", r"\b(certif|confirmation)\w*.{0,160}\b((upon|on|if) (customer'?s? )?(written )?request|if (customer )?(asks|requests))|\b(upon|on) (customer'?s? )?(written )?request.{0,80}\b(certif|written confirmation|confirm)", Is("on-request"), 0.85,
                "Upon request, Provider will provide a certificate of deletion."),
            rule("certificate", r"\b(will|shall) (provide|deliver|issue|send) (customer with )?(a |an )?(written )?(certificat|certif)\w*|\b(provide|sends?|deliver)\b.{0,40}\b(written )?(deletion confirmation|confirmation (of|that) (the )?(deletion|destruction))|\b(will|shall) certify\b|\b(will|shall) confirm (the |such )?(deletion|destruction)\b.{0,60}\bin writing", Is("yes"), 0.8,
                "Provider shall certify the deletion in writing."),
            rule_unless("no-deadline", r"\b(after|upon|following|on|at) (the )?(dpa|agreement|termination|expiry|expiration|end)\b.{0,120}\b(will|shall)\b.{0,60}\b(return|delete|destroy|erase|purge|hand over)\b|\b(will|shall)\b.{0,60}\b(return or delete|delete or return|return or destroy|destroy or return|delete|destroy|erase|purge)\b.{0,120}\b(after|upon|following|on) (the )?(termination|expiry|expiration|end)", r"\b(hours?|days?|weeks?|months?|years?|period)\b", Flag, 0.65,
                "After the DPA expires, Provider will return or delete Customer Personal Data at Customer's instruction unless further storage is required by Applicable Law."),
            rule("no-deadline", r"\bwithin a (commercially )?reasonable (period|time)\b", Flag, 0.7,
                "Brightwave will delete Customer Content within a commercially reasonable period after termination."),
            rule_unless("on-request-only", r"\b(only )?(upon|on|following) (customer'?s? )?(written )?(request|instruction)\b.{0,60}\b(delete|return|destroy|erase)\b|\b(delete|return|destroy|erase)\b.{0,60}\b(upon|on) (customer'?s? )?(written )?request\b", r"certif", Flag, 0.6,
                "Provider will delete Customer Data upon Customer's written request."),
        ],
    },
    Table {
        kind: "audit-rights",
        topic: r"\baudit|\binspect|\b(SOC ?2|ISO ?27001)\b.{0,60}\breport",
        not: Some(r"\baudit (logs?|trail)"),
        rules: &[
            // Restrictions first: a sentence that routes audits through
            // documents is read as reports-only (see `combine`).
            rule("audit", r"\bmay satisfy\b.{0,40}\b(audits?|audit requests?|this obligation|its obligations?)\b.{0,20}\b(by|through|via)\b|\bsatisfied (first )?by\b.{0,40}\b(providing|provision|reports?|certifications?|information)|\binsufficient\b.{0,160}\b(may|can) (request|conduct|carry out)\b.{0,30}\b(audit|inspection)|\b(rather than|instead of|in lieu of)\b.{0,20}\bon-?site|\bon-?site\b.{0,60}\b(only if|only where|only when|only after)\b|\b(shall|will) not include on-?site|\blimited to (a )?(documentation|document|desk) review|\b(only|solely) (where|if|when) required by\b.{0,60}\b(law|regulator)", Is("reports-only"), 0.75,
                "Any audits shall be limited to documentation review and shall not include on-site inspections or system access."),
            rule_unless("audit", r"\b(on-?site|on site|inspect(ion)? (of )?(its |the )?(facilities|premises))", r"\b(not|never|no)\b.{0,30}\bon-?site", Is("onsite"), 0.8,
                "Customer may conduct an on-site audit of Provider's facilities once per year."),
            rule_unless("audit", r"\b(allow|permit|submit|contribute|assist|cooperate)\w*\b.{0,60}\baudits?\b|\baudits?\b.{0,30}\binspections?\b|\b(inspections?|audits?)\b.{0,60}\b(shall|must) be (conducted|carried out)|\bright to (audit|inspect)\b|\ballow for and contribute to audits\b|\baudits?,? including inspections\b|\bmay (conduct|carry out|perform|request) (an? )?(additional |on-?site )?(audits?|inspections?)\b|\b(customer|controller|company|subscriber|client)\b.{0,40}\b(right to|entitled to|may) (audit|inspect)\b", r"\bonly exercise its audit rights\b|\b(in lieu of|instead of)\b.{0,30}\baudit|\bno right to audit", Is("onsite"), 0.7,
                "The Processor shall allow for and contribute to audits, including inspections, conducted by the Controller or another auditor mandated by the Controller."),
            rule("audit", r"\bonly exercise its audit rights\b.{0,200}\b(report|due diligence)", Is("reports-only"), 0.75,
                "Customer acknowledges and agrees that it will only exercise its audit rights under this DPA by instructing Provider to comply with the reporting and due diligence requirements below."),
            rule_unless("audit", r"\b(SOC ?2|ISO ?27001|audit reports?|third[- ]party (audit|certification)s?)\b.{0,160}\b(satisf|in lieu|instead|sufficient|fulfil|discharge)|\breport\b.{0,30}\bsatisf", r"\b(does|do|will) not (provide|make available|share)\b", Is("reports-only"), 0.75,
                "Provider will make its most recent SOC 2 Type II report available under NDA, which shall satisfy Customer's audit rights."),
            rule("audit", r"\b(no right to audit|not (be )?entitled to audit|shall not audit)", Is("none"), 0.85,
                "Customer shall have no right to audit Provider."),
            rule("audit-limits", r"\bonce (per|in any|every|a) (calendar )?(year|twelve|12)|\bnotice\b|\bbusiness hours\b|\b(customer'?s?|its own) (sole )?(cost|expense)", AuditLimits, 0.7,
                "Audits are limited to once per calendar year, on thirty (30) days' prior written notice, at Customer's expense."),
        ],
    },
    Table {
        kind: "ownership",
        topic: r"\bdocumented instructions\b|\b(provide|secure|maintain|support)\b.{0,40}\band improve (the|our) (service|product)s?\b|\b(anonymi[sz]ed|aggregated|de-?identified)\b.{0,80}\b(may|can) (be )?(use|used|retain|retained)\b|\b(shall|will) (only|solely) process\w*\b|\b(its|their) own purposes\b|\bfor any (other )?purpose\b|\b(solely|only|exclusively) (for the purposes? of|as necessary to|to) (provid|perform|deliver|fulfil)|\b(retains? all|own(s|ership)?|title|right, title and interest)\b.{0,60}\b(customer|client) (data|content|personal data)|\b(customer|client) (data|content)\b.{0,60}\b(solely|only) (to|for)|\bmay use\b.{0,40}\b(customer|client) (personal )?(data|content)|\bderived from (customer|client) (data|content)|\b(only|solely) process\w* (customer|client) (personal )?data|\b(solely|only|exclusively) for the purposes? of providing\b|\bde-?identified (data|information)\b",
        not: None,
        rules: &[
            rule("vendor-use", r"\bprocess\w*\b.{0,60}\b(only|solely) (in accordance with|on (the )?(basis of )?documented|for the purposes? of)|\b(solely|only|exclusively) (to|for the purposes? of|as necessary to) (provid|perform|deliver|fulfil)|\b(only|solely) process\w*\b.{0,100}\b(in accordance with|on (the |its )?documented instructions|to provide|as necessary)|\b(only|solely) on\b.{0,40}\bdocumented instructions|\bother than on\b.{0,50}\binstructions|\bfor any (other )?purpose other than\b|\bnot process\b.{0,80}\b(for (its|their) own purposes|for any other purpose)", Is("service-only"), 0.8,
                "Provider will process Customer Data solely to provide the Services to Customer."),
            rule("vendor-use", r"\b(aggregat|de-?identif|anonymi[sz])\w*", Is("deidentified-use"), 0.7,
                "Provider may use aggregated and de-identified data derived from Customer Data for any purpose."),
            rule("vendor-use", r"\b(improv|develop)\w*\b.{0,40}\b(services?|products?)\b", Is("product-improvement"), 0.75,
                "Provider may use Customer Data to improve its products and services."),
        ],
    },
    Table {
        kind: "ai-training",
        topic: r"\b(train(ing|s|ed)?|machine learning|artificial intelligence|\bAI\b|(language|foundation) models?)\b",
        not: None,
        rules: &[
            rule("ai-training", r"\bopt(s|ed)?[- ]in\b", Is("opt-in"), 0.8,
                "Customer Data is used to train models only if Customer opts in."),
            rule("ai-training", r"\bopt(s|ed)?[- ]out\b", Is("opt-out"), 0.8,
                "Customer may opt out of the use of its data for model training."),
            rule("ai-training", r"\b(will|shall|does|do) not\b.{0,80}\btrain|\bnot be used\b.{0,60}\btrain|\bnever\b.{0,40}\btrain", Is("no"), 0.85,
                "Provider will not use Customer Data to train or improve artificial intelligence models."),
            rule("ai-training", r"\bmay (use|process)\b.{0,80}\btrain", Is("yes"), 0.7,
                "Provider may use Customer Data to train its machine learning models."),
        ],
    },
    Table {
        kind: "liability",
        topic: r"\bliabilit",
        not: None,
        rules: &[
            rule("cap", r"\b(unlimited|uncapped|shall not be (limited|capped)|not subject to (any|the) (limitation|cap)|excluded from (any|the) (limitation|cap))", Is("uncapped"), 0.8,
                "Liability for breach of this DPA shall be unlimited."),
            rule("cap", r"\b(separate|super[- ]?cap|additional|distinct|independent) (aggregate )?(cap|limit)", Is("separate-cap"), 0.8,
                "Each party's liability under this DPA is subject to a separate cap equal to twelve (12) months of fees."),
            rule_unless("cap", r"\bsubject to\b.{0,60}\b(limitations?|exclusions?|caps?)( of liability)?\b.{0,60}\b(agreement|msa|master|terms|framework|contract)|\bliabilit\w*\b.{0,80}\b(governed by|subject to|set (forth|out) in|in accordance with|beyond the cap in|(limitations?|caps?) (outlined|set out|set forth|stated) in|addressed in)\b.{0,80}\b(agreement|msa|master|terms|framework|contract)|\b(limitations?|caps?) of liability\b.{0,80}\b(agreement|msa|terms|framework)\b.{0,40}\b(appl|govern)", r"\b(not|no)\b.{0,20}\b(subject to|limited by|governed by)\b|\bseparate\b.{0,20}\b(cap|limit)", Is("inside-general-cap"), 0.8,
                "Each party's liability arising out of this DPA is subject to the limitations of liability in the Agreement."),
            rule("cap-months", r"\b(fees|charges|payments?|amounts? (paid|payable))\b", Months, 0.8,
                "Provider's aggregate liability under this DPA shall not exceed the fees paid by Customer in the twelve (12) months preceding the claim."),
            rule("cap-amount", r"(USD|US\$|\$|EUR|€|£|GBP)\s?\d", Amount, 0.75,
                "Provider's aggregate liability for data protection claims shall not exceed USD 1,000,000."),
        ],
    },
    Table {
        kind: "government-access",
        topic: r"\b(government|law enforcement|public authorit|subpoena|court order|legally binding request|regulatory (authority|agency)|judicial\b.{0,40}\border)|\b(required|compelled|ordered) (by law |by a [a-z]+ )?to disclose\b|\bauthority decision\b|\bchallenge (any|the|such|a) (request|order|demand)",
        not: None,
        rules: &[
            rule("gov", r"\bchalleng", Is("challenge"), 0.8,
                "Provider will challenge any government request for Customer Data that it considers unlawful."),
            rule("gov", r"\b(compelled|required|ordered) (by law |by a [a-z]+ )?to disclose\b.{0,200}\b(notify|notice|inform)|\b(notify|inform)\b.{0,80}\b(before|prior to)\b.{0,40}\bdisclos|\b(before|prior to)\b.{0,40}\bdisclos\w*\b.{0,60}\b(notify|inform)|\b(where|to the extent) (legally permissible|permitted by law|lawfully able)\b.{0,80}\b(notify|inform)|\bunless (legally )?prohibited\b|\bprior notice\b|\bnotifying (the )?customer\b.{0,30}\bnot prohibited|\bwill not respond\b.{0,60}\bwithout\b.{0,40}\bconsent", Is("notify-before"), 0.75,
                "Provider will notify Customer before disclosing Customer Data to a government authority, unless legally prohibited."),
            rule("gov", r"\b(after|following|once)\b.{0,30}\bdisclos", Is("notify-after-disclosure"), 0.75,
                "Provider will inform Customer of a government request after the disclosure has been made."),
        ],
    },
    Table {
        kind: "security-measures",
        topic: r"\b(technical and organi[sz]ational (security )?measures|security measures|safeguards|information security program)|\bspecific security measures\b|\bencrypt\w*\b.{0,120}\b(access controls?|multi-factor|MFA|role-based)\b",
        not: None,
        rules: &[
            rule("annex", r"\b(set (out|forth)|described|specified|listed|detailed) in (\*\*|\[)?(annex|schedule|exhibit|appendix)\b|\b(set (out|forth)|described|specified|listed|detailed) in (\*\*|\[)?section \d+\b.{0,40}\bof this (dpa|addendum|agreement)|\b(measures|safeguards)\b.{0,60}\b(including|include|following( measures)?)(,? at (a )?minimum)?:\s*$|\bthe following\b.{0,60}\b(measures|safeguards)\b.{0,40}:\s*$|\b(measures|safeguards)\b.{0,160}:\s*$", Is("yes"), 0.8,
                "Provider will implement the technical and organisational measures set out in Annex II."),
            // Concrete measures named in the DPA itself are its annex.
            rule("annex", r"\b(encrypt\w*|access controls?|multi-factor|MFA|TLS|firewalls?|pseudonymi[sz]\w*|penetration test\w*|role-based|two-factor|2FA|intrusion detection)\b.{0,200}\b(encrypt\w*|access controls?|multi-factor|MFA|TLS|firewalls?|pseudonymi[sz]\w*|penetration test\w*|role-based|two-factor|2FA|backups?|logging|monitoring)\b", Is("yes"), 0.7,
                "Provider protects Customer Data with encryption in transit and at rest, role-based access controls and multi-factor authentication."),
            rule_unless("annex", r"https?://|\bas (updated|amended|modified) (by provider )?from time to time\b|\bmay (update|modify|change)\b.{0,60}\b(measures|page|documentation)", r"\b(in|to) (annex|schedule|exhibit|appendix)\b", Is("external-page"), 0.8,
                "Provider maintains the security measures described at https://example.com/security, which Provider may update from time to time."),
            rule("annex", r"\bdoes not (attach|include|specify|list)\b.{0,40}\bmeasures\b", Is("industry-standard-only"), 0.7,
                "Meridian does not attach a list of specific security measures to these Terms."),
            rule("annex", r"\bindustry[- ]standard\b", Is("industry-standard-only"), 0.6,
                "Provider will protect Customer Data with industry-standard security measures."),
            // "Appropriate measures", with none listed: the GDPR's own words.
            rule("annex", r"\b(appropriate|adequate) technical and organi[sz]ational (security )?measures\b|\bmeasures referred to in article 32\b", Is("industry-standard-only"), 0.55,
                "Provider shall implement appropriate technical and organisational measures to protect Customer Data."),
        ],
    },
];
