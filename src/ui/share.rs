//! Share links: the whole scenario, zlib-compressed and base64url-encoded, in the URL
//! fragment (`#s=…`), so nothing is sent to a server. zlib's Adler-32 checksum and the
//! scenario parser catch a tampered or truncated link.
//!
//! In the browser the packing and unpacking are the browser's own (`CompressionStream`
//! and `DecompressionStream` in "deflate", that is zlib, format: `ui::js::share_pack` and
//! `share_unpack`), which keeps a deflate implementation out of the wasm bundle; only
//! [`read`] runs there. The native functions below write and read the same format with
//! miniz_oxide: the tests' reference, and a link written by either opens in the other.

#[cfg(not(target_arch = "wasm32"))]
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
#[cfg(not(target_arch = "wasm32"))]
use base64::Engine;

use crate::engine::scenario::Scenario;

pub const PREFIX: &str = "s=";

/// Why a link could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Not base64, or the compressed data or its checksum is broken.
    Damaged,
    /// It decoded, but the scenario inside is refused (the engine's located message).
    Invalid(String),
}

#[cfg(not(target_arch = "wasm32"))]
pub fn encode(scenario: &Scenario) -> String {
    // The pretty form: the same serializer as exports (one copy in the bundle); zlib
    // takes the indentation away again.
    let json = scenario.to_json();
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment (without `#`); `None` when it holds no shared scenario.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode(fragment: &str) -> Option<Result<Scenario, LinkError>> {
    let data = fragment.strip_prefix(PREFIX)?;
    Some(decode_data(data))
}

#[cfg(not(target_arch = "wasm32"))]
fn decode_data(data: &str) -> Result<Scenario, LinkError> {
    let packed = URL_SAFE_NO_PAD
        .decode(data.trim())
        .map_err(|_| LinkError::Damaged)?;
    let json = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_JSON)
        .map_err(|_| LinkError::Damaged)?;
    read(String::from_utf8(json).ok())
}

/// The most a link may unpack to (a guard against a small link that inflates hugely).
pub const MAX_JSON: usize = 16 << 20;

/// The scenario of an unpacked link: `None` when the link did not unpack (not base64,
/// broken data or checksum, over [`MAX_JSON`], not UTF-8).
pub fn read(json: Option<String>) -> Result<Scenario, LinkError> {
    let text = json.ok_or(LinkError::Damaged)?;
    Scenario::from_json(&text).map_err(|e| LinkError::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = r#"{"flexcalc":1,"name":"Studio Nord ✓ 日本","currency":"EUR","timezone":"Europe/Paris",
      "period":{"start":"2027-01-01","months":12},"packs":[{"id":"A","purchased":"2027-01-01","tokens":5000}],
      "users":[{"id":"p","name":"Priscilla","usage":[{"product":"revit","weekly":{"days":["mon","wed"],"from":"09:00","to":"17:30"}},
        {"product":"maya","monthly":{"days":4,"from":"09:00","to":"17:00"},"months":[3,4,5]}]}]}"#;

    #[test]
    fn a_link_restores_the_scenario_exactly() {
        let s = Scenario::from_json(SEED).unwrap();
        let link = encode(&s);
        assert!(link.starts_with("s="));
        assert!(link
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
        assert_eq!(decode(&link), Some(Ok(s)));
    }

    #[test]
    fn a_tampered_link_is_refused_not_misread() {
        let s = Scenario::from_json(SEED).unwrap();
        let link = encode(&s);
        let mut refused = 0;
        // Change one character at many places: each must be refused (checksum or parser),
        // never decode into a different scenario.
        for i in (3..link.len()).step_by(7) {
            let mut bytes = link.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let t = String::from_utf8(bytes).unwrap();
            match decode(&t) {
                Some(Ok(other)) => assert_eq!(
                    other, s,
                    "a changed link must not open a different scenario"
                ),
                Some(Err(_)) => refused += 1,
                None => unreachable!(),
            }
        }
        assert!(refused > 0);
        assert_eq!(decode("s=not*base64"), Some(Err(LinkError::Damaged)));
        assert_eq!(
            decode(&link[..link.len() / 2]).map(|r| r.is_err()),
            Some(true)
        );
        assert_eq!(decode("other"), None);
    }

    #[test]
    fn a_link_to_a_bad_scenario_names_the_problem() {
        let packed =
            miniz_oxide::deflate::compress_to_vec_zlib(br#"{"flexcalc":1,"currency":"EUR"}"#, 9);
        let link = format!("s={}", URL_SAFE_NO_PAD.encode(packed));
        match decode(&link) {
            Some(Err(LinkError::Invalid(m))) => assert!(m.contains("timezone"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
