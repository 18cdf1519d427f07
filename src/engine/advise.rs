//! B1–B3: Flex against subscriptions. (The advisor issue fills this in.)

use crate::engine::error::InputError;

pub fn advise_json(_text: &str) -> Result<serde_json::Value, InputError> {
    Err(InputError::new("", "the advisor is not built yet"))
}
