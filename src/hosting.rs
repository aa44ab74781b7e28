//! Hosting models as reference data (reference/hosting-models.toml, built
//! in): five 1-5 ratings with a reason each, and the checklist items whose
//! responsibility shifts to us under the model. Read by `vetter hosting`,
//! compare and the packet.

use crate::error::{Error, Result};
use crate::model::Hosting;
use serde::{Deserialize, Serialize};

const SOURCE: &str = include_str!("../reference/hosting-models.toml");

/// The five ratings, in the order they are shown.
pub const RATINGS: [&str; 5] = [
    "expertise",
    "speed",
    "budget",
    "responsibility",
    "scalability",
];

/// What each rating's 5 means, for headers and the docs.
pub const RATING_MEANING: [&str; 5] = [
    "expertise required (5: most)",
    "speed to get running (5: fastest)",
    "budget impact (5: largest)",
    "security responsibility left to us (5: most)",
    "long-term scalability (5: furthest)",
];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub score: u8,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ratings {
    pub expertise: Rating,
    pub speed: Rating,
    pub budget: Rating,
    pub responsibility: Rating,
    pub scalability: Rating,
}

impl Ratings {
    /// The ratings in `RATINGS` order.
    pub fn all(&self) -> [&Rating; 5] {
        [
            &self.expertise,
            &self.speed,
            &self.budget,
            &self.responsibility,
            &self.scalability,
        ]
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HostingModel {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub examples: Vec<String>,
    pub shifted_items: Vec<String>,
    pub ratings: Ratings,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HostingModels {
    pub version: String,
    pub model: Vec<HostingModel>,
}

/// The built-in hosting models, parsed and checked once per process.
pub fn models() -> Result<&'static HostingModels> {
    static MODELS: std::sync::OnceLock<std::result::Result<HostingModels, String>> =
        std::sync::OnceLock::new();
    MODELS
        .get_or_init(|| parse().map_err(|e| e.message))
        .as_ref()
        .map_err(|e| Error::internal(e.clone()))
}

/// Parses and checks the reference data: one model per `Hosting` value, in
/// its order, every score 1 to 5.
fn parse() -> Result<HostingModels> {
    let models: HostingModels = toml::from_str(SOURCE)
        .map_err(|e| Error::internal(format!("reference/hosting-models.toml: {e}")))?;
    let ids: Vec<&str> = models.model.iter().map(|m| m.id.as_str()).collect();
    let expected: Vec<&str> = Hosting::ALL.iter().map(|h| h.as_str()).collect();
    if ids != expected {
        return Err(Error::internal(format!(
            "reference/hosting-models.toml lists {ids:?}, expected {expected:?}"
        )));
    }
    for m in &models.model {
        if let Some(r) = m.ratings.all().iter().find(|r| !(1..=5).contains(&r.score)) {
            return Err(Error::internal(format!(
                "reference/hosting-models.toml: {} has a score of {}, outside 1-5",
                m.id, r.score
            )));
        }
    }
    Ok(models)
}

/// The model of one hosting value.
pub fn model(hosting: Hosting) -> Result<HostingModel> {
    models()?
        .model
        .iter()
        .find(|m| m.id == hosting.as_str())
        .cloned()
        .ok_or_else(|| Error::internal(format!("no hosting model '{hosting}'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_data_is_complete_and_names_real_items() {
        let models = models().unwrap();
        let checklist = crate::checklist::builtins().unwrap();
        let known: Vec<String> = checklist
            .iter()
            .flat_map(|c| c.items().map(|(_, i)| i.id.clone()))
            .collect();
        for m in &models.model {
            assert!(!m.shifted_items.is_empty(), "{} shifts nothing", m.id);
            for item in &m.shifted_items {
                assert!(known.contains(item), "{}: unknown item {item}", m.id);
            }
            for r in m.ratings.all() {
                assert!(!r.reason.trim().is_empty() && r.reason.len() < 110);
            }
        }
    }
}
