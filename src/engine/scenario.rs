//! The scenario format, version 1 (SPEC §6), exactly as written in JSON.
//!
//! Values stay as the user typed them (strings for dates, times and money) so that a
//! scenario saved by the app or shared in a link reads back identically; `validate` turns
//! them into the checked `model`. Unknown fields are refused everywhere.

use serde::{Deserialize, Serialize};

use crate::engine::error::InputError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub flexcalc: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub currency: String,
    pub timezone: String,
    pub period: Period,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packs: Option<Vec<Pack>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_balance_percent: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offerings: Vec<Offering>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<CustomCatalog>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_book: Option<PriceBookInput>,
    #[serde(default)]
    pub users: Vec<User>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: String,
    pub months: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    pub id: String,
    pub purchased: String,
    pub tokens: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offering {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub covers: Vec<String>,
    pub annual: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomCatalog {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<CustomProduct>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<CustomService>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomProduct {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub tokens_per_day: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomService {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub tokens: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceBookInput {
    pub currency: String,
    pub minor_units: u32,
    pub tiers: Vec<TierInput>,
    pub packs: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierInput {
    pub from: u64,
    pub price: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<Subscription>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<Usage>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<ResultEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    pub offering: String,
    pub from: String,
    pub to: String,
}

/// One product's use by one user: exactly one of the four patterns.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Usage {
    pub product: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions: Option<Vec<Session>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly: Option<Weekly>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly: Option<Monthly>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<Dates>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<Vec<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub except: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_detection: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugins: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub start: String,
    pub end: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive: Option<Vec<[String; 2]>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weekly {
    pub days: Vec<String>,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Monthly {
    pub days: u32,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    pub dates: Vec<String>,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultEvent {
    pub service: String,
    pub at: String,
    pub quantity: u64,
}

impl Scenario {
    /// Reads scenario JSON; a refusal names the JSON path where the problem is.
    pub fn from_json(text: &str) -> Result<Scenario, InputError> {
        read_json(text)
    }

    /// Pretty JSON, the same format the CLI reads.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Deserializes any JSON document, locating errors by JSON path.
pub fn read_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        located(path, &inner)
    })?;
    de.end().map_err(|e| located(String::new(), &e))?;
    Ok(value)
}

fn located(path: String, e: &serde_json::Error) -> InputError {
    let text = e.to_string();
    // serde_json appends " at line L column C"; keep the words and say the place plainly.
    let words = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    let path = if path == "." { String::new() } else { path };
    let message = if e.line() > 0 {
        format!("{words} (line {}, column {})", e.line(), e.column())
    } else {
        words.to_string()
    };
    InputError::new(path, message)
}
