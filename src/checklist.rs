//! Checklists: the TOML format (docs/checklist-format.md), its validation, the
//! built-in checklists embedded in the binary, and item applicability.

use crate::error::{Error, Result};
use crate::model::{DataCategory, Hosting, Owner, Regime, Severity, Tenancy, Vendor};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use toml::Spanned;

/// The built-in checklists, embedded from `checklists/`. A unit test checks
/// that every file there is listed and valid.
pub const BUILTIN: &[(&str, &str)] = &[(
    "backend-platform.toml",
    include_str!("../checklists/backend-platform.toml"),
)];

/// The checklist `review start` uses when none is named.
pub const DEFAULT_CHECKLIST: &str = "backend-platform";

#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    /// SHA-256 of the TOML text, so a review names exactly what it used.
    pub sha256: String,
    /// "built-in" or "user".
    pub origin: &'static str,
    pub sections: Vec<Section>,
    #[serde(skip)]
    pub content: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub question: String,
    pub guidance: String,
    pub severity: Severity,
    pub owner: Owner,
    pub evidence: Vec<String>,
    pub applies_to: Applicability,
}

/// Applicability tags. An empty list means "any". An item applies to a vendor
/// unless the vendor's recorded attribute is known and outside the list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Applicability {
    pub regimes: Vec<Regime>,
    pub hosting: Vec<Hosting>,
    pub tenancy: Vec<Tenancy>,
    pub data: Vec<DataCategory>,
}

impl Item {
    pub fn applies_to(&self, vendor: &Vendor) -> bool {
        let tags = &self.applies_to;
        let hosting_ok = match vendor.hosting {
            Some(h) => tags.hosting.is_empty() || tags.hosting.contains(&h),
            None => true,
        };
        let tenancy_ok = match vendor.tenancy {
            // A vendor offering both tenancies is asked the questions of both.
            Some(Tenancy::Both) | None => true,
            Some(t) => {
                tags.tenancy.is_empty()
                    || tags.tenancy.contains(&t)
                    || tags.tenancy.contains(&Tenancy::Both)
            }
        };
        // Data-specific items (e.g. PHI) apply only when that data is in scope;
        // with no categories recorded we cannot rule them out.
        let data_ok = tags.data.is_empty()
            || vendor.data.is_empty()
            || tags.data.iter().any(|d| vendor.data.contains(d));
        // Regimes come from our obligations profile (a later issue): until then
        // regime-tagged items always apply.
        hosting_ok && tenancy_ok && data_ok
    }
}

impl Checklist {
    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
}

// ---- the TOML format, as read ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    id: Spanned<String>,
    version: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sections: Vec<RawSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    title: Spanned<String>,
    question: Spanned<String>,
    guidance: Spanned<String>,
    severity: Severity,
    owner: Owner,
    evidence: Spanned<Vec<String>>,
    #[serde(default)]
    regimes: Vec<Regime>,
    #[serde(default)]
    hosting: Vec<Hosting>,
    #[serde(default)]
    tenancy: Vec<Tenancy>,
    #[serde(default)]
    data: Vec<DataCategory>,
}

/// Collects validation errors as "FILE:LINE: field `F`: message".
struct Problems<'a> {
    file: &'a str,
    text: &'a str,
    list: Vec<String>,
}

impl Problems<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1
    }

    fn add<T>(&mut self, at: &Spanned<T>, field: &str, message: impl std::fmt::Display) {
        let line = self.line_of(at.span().start);
        self.list
            .push(format!("{}:{line}: field `{field}`: {message}", self.file));
    }
}

impl Problems<'_> {
    /// Titles are names: no invisible or text-direction characters.
    fn check_visible(&mut self, at: &Spanned<String>, field: &str) {
        if let Err(e) = crate::validate::visible(field, at.get_ref()) {
            self.add(at, field, e.message);
        }
    }
}

fn is_slug_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (1..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Compares dotted numeric versions ("1.10" > "1.9").
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let nums = |s: &str| {
        s.split('.')
            .map(|p| p.parse::<u64>().unwrap_or(0))
            .collect::<Vec<_>>()
    };
    nums(a).cmp(&nums(b))
}

/// Parses and validates checklist TOML. `file` names the source in errors.
/// All problems found are reported together, one per line.
pub fn parse(file: &str, text: &str, origin: &'static str) -> Result<Checklist> {
    let raw: RawChecklist = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
    let mut problems = Problems {
        file,
        text,
        list: Vec::new(),
    };

    if !is_slug_word(raw.id.get_ref()) {
        problems.add(
            &raw.id,
            "id",
            format!(
                "'{}' is not lowercase letters, digits and hyphens",
                raw.id.get_ref()
            ),
        );
    }
    if !is_version(raw.version.get_ref()) {
        problems.add(
            &raw.version,
            "version",
            format!(
                "'{}' is not a version such as 1.0 or 1.2.3",
                raw.version.get_ref()
            ),
        );
    }
    if raw.title.get_ref().trim().is_empty() {
        problems.add(&raw.title, "title", "is empty");
    }
    problems.check_visible(&raw.title, "title");
    if raw.sections.is_empty() {
        problems.list.push(format!(
            "{file}: field `sections`: the checklist has no [[sections]]"
        ));
    }

    let mut section_ids = HashSet::new();
    let mut item_ids = HashSet::new();
    let mut sections = Vec::new();
    for raw_section in raw.sections {
        let sid = raw_section.id.get_ref().clone();
        if !is_slug_word(&sid) {
            problems.add(
                &raw_section.id,
                "id",
                format!("section id '{sid}' is not lowercase letters, digits and hyphens"),
            );
        } else if !section_ids.insert(sid.clone()) {
            problems.add(
                &raw_section.id,
                "id",
                format!("section id '{sid}' appears twice"),
            );
        }
        problems.check_visible(&raw_section.title, "title");
        if raw_section.title.get_ref().trim().is_empty() {
            problems.add(
                &raw_section.title,
                "title",
                format!("section '{sid}' has an empty title"),
            );
        }
        if raw_section.items.is_empty() {
            problems.add(
                &raw_section.id,
                "items",
                format!("section '{sid}' has no [[sections.items]]"),
            );
        }
        let mut items = Vec::new();
        for raw_item in raw_section.items {
            let iid = raw_item.id.get_ref().clone();
            let prefix = format!("{sid}.");
            let rest = iid.strip_prefix(&prefix);
            if rest.is_none_or(|rest| !rest.split('.').all(is_slug_word)) {
                problems.add(
                    &raw_item.id,
                    "id",
                    format!("item id '{iid}' must be '{sid}.' followed by dotted lowercase words, e.g. '{sid}.mfa'"),
                );
            } else if !item_ids.insert(iid.clone()) {
                problems.add(&raw_item.id, "id", format!("item id '{iid}' appears twice"));
            }
            problems.check_visible(&raw_item.title, "title");
            for (field, value) in [
                ("title", &raw_item.title),
                ("question", &raw_item.question),
                ("guidance", &raw_item.guidance),
            ] {
                if value.get_ref().trim().is_empty() {
                    problems.add(value, field, format!("item '{iid}' has an empty {field}"));
                }
            }
            if raw_item
                .evidence
                .get_ref()
                .iter()
                .all(|e| e.trim().is_empty())
            {
                problems.add(
                    &raw_item.evidence,
                    "evidence",
                    format!("item '{iid}' names no expected evidence"),
                );
            }
            items.push(Item {
                id: iid,
                title: raw_item.title.into_inner(),
                question: raw_item.question.into_inner(),
                guidance: raw_item.guidance.into_inner(),
                severity: raw_item.severity,
                owner: raw_item.owner,
                evidence: raw_item.evidence.into_inner(),
                applies_to: Applicability {
                    regimes: raw_item.regimes,
                    hosting: raw_item.hosting,
                    tenancy: raw_item.tenancy,
                    data: raw_item.data,
                },
            });
        }
        sections.push(Section {
            id: sid,
            title: raw_section.title.into_inner(),
            items,
        });
    }

    if !problems.list.is_empty() {
        let count = problems.list.len();
        return Err(Error::user(format!(
            "checklist {file} is invalid ({count} problem{}):\n  {}",
            if count == 1 { "" } else { "s" },
            problems.list.join("\n  ")
        ))
        .with_hint("see docs/checklist-format.md for the format"));
    }
    Ok(Checklist {
        id: raw.id.into_inner(),
        version: raw.version.into_inner(),
        title: raw.title.into_inner(),
        description: raw.description,
        sha256: crate::digest::sha256_hex(text.as_bytes()),
        origin,
        sections,
        content: text.to_string(),
    })
}

/// Turns a TOML syntax or type error into "FILE:LINE: field `F`: message".
fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Error {
    let message = e.message().trim().replace('\n', " ");
    let located = match e.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let line_no = text[..start].bytes().filter(|&b| b == b'\n').count() + 1;
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_text = text[line_start..].lines().next().unwrap_or("");
            // The field is the key on that line, when the line is `key = value`.
            let field = line_text
                .split_once('=')
                .map(|(k, _)| k.trim())
                .filter(|k| !k.is_empty() && !k.starts_with('['))
                .map(|k| format!(" field `{k}`:"))
                .unwrap_or_default();
            format!("{file}:{line_no}:{field} {message}")
        }
        None => format!("{file}: {message}"),
    };
    Error::user(format!("checklist {located}"))
        .with_hint("see docs/checklist-format.md for the format")
}

/// The built-in checklists, parsed. They are checked by tests, so a failure
/// here is a bug in the binary.
pub fn builtins() -> Result<Vec<Checklist>> {
    BUILTIN
        .iter()
        .map(|(name, text)| parse(&format!("checklists/{name}"), text, "built-in"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_list_matches_the_checklists_directory_and_all_validate() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        files.sort();
        let listed: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        assert_eq!(files, listed);
        for checklist in builtins().unwrap() {
            assert!(checklist.item_count() > 0);
        }
    }

    #[test]
    fn backend_platform_is_complete_and_not_padded() {
        let all = builtins().unwrap();
        let bp = all.iter().find(|c| c.id == "backend-platform").unwrap();
        let n = bp.item_count();
        assert!((60..=120).contains(&n), "backend-platform has {n} items");
        // Every area the foundation issue names has a section.
        for section in [
            "obligations",
            "security",
            "hosting",
            "trust",
            "dpa",
            "access",
            "tenancy",
            "monitoring",
            "responsibility",
        ] {
            assert!(
                bp.sections.iter().any(|s| s.id == section),
                "missing section {section}"
            );
        }
        // Questions are distinct: no padding by repetition.
        let questions: HashSet<&str> = bp.items().map(|(_, i)| i.question.as_str()).collect();
        assert_eq!(questions.len(), n);
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let text = "id = \"x\"\nversion = \"1.0\"\ntitle = \"X\"\n\n[[sections]]\nid = \"s\"\ntitle = \"S\"\n\n[[sections.items]]\nid = \"s.a\"\ntitle = \"A\"\nquestion = \"Q?\"\nguidance = \"G\"\nseverity = \"hgh\"\nowner = \"vendor\"\nevidence = [\"e\"]\n";
        let err = parse("c.toml", text, "user").unwrap_err();
        assert!(
            err.message.contains("c.toml:14: field `severity`"),
            "{}",
            err.message
        );
        assert!(err.message.contains("hgh"), "{}", err.message);

        let text = text
            .replace("\"hgh\"", "\"high\"")
            .replace("id = \"s.a\"", "id = \"other.a\"");
        let err = parse("c.toml", &text, "user").unwrap_err();
        assert!(
            err.message.contains("c.toml:10: field `id`"),
            "{}",
            err.message
        );
    }

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(compare_versions("1.10", "1.9"), std::cmp::Ordering::Greater);
        assert_eq!(compare_versions("2.0", "2.0"), std::cmp::Ordering::Equal);
    }
}
