//! The scenario format, version 1 (SPEC §6), exactly as written in JSON.
//!
//! Values stay as the user typed them (strings for dates, times and money) so that a
//! scenario saved by the app or shared in a link reads back identically; `validate` turns
//! them into the checked `model`. Unknown fields are refused everywhere.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::engine::error::InputError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
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
    /// Shared, so that a copy of the scenario (an edit, the undo history) copies pointers
    /// and an edit copies only the users it changes (`user_mut`).
    #[serde(default)]
    pub users: Vec<Arc<User>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Period {
    pub start: String,
    pub months: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Pack {
    pub id: String,
    pub purchased: String,
    pub tokens: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
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
#[serde(deny_unknown_fields, remote = "Self")]
pub struct CustomCatalog {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<CustomProduct>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<CustomService>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct CustomProduct {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub tokens_per_day: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct CustomService {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub tokens: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct PriceBookInput {
    pub currency: String,
    pub minor_units: u32,
    pub tiers: Vec<TierInput>,
    pub packs: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct TierInput {
    pub from: u64,
    pub price: String,
}

// Eq lets `Arc<User>`'s comparison take its pointer shortcut: an edit's unchanged users
// compare in no time however big the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
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
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Subscription {
    pub offering: String,
    pub from: String,
    pub to: String,
}

/// One product's use by one user: exactly one of the four patterns.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
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
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Session {
    pub start: Stamp,
    pub end: Stamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive: Option<Vec<[Stamp; 2]>>,
}

/// A session's date-time as written, held inline (`compact_str`, up to 24 bytes): a big team
/// has millions of them, and one allocation each, read back from wherever the allocator put
/// it, cost a fifth of checking them (validate of the 10,000-user year 36-44 against 50-52 ms).
pub type Stamp = compact_str::CompactString;

/// Text as a [`Stamp`].
pub fn stamp(s: impl Into<Stamp>) -> Stamp {
    s.into()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Weekly {
    pub days: Vec<String>,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Monthly {
    pub days: u32,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Dates {
    pub dates: Vec<String>,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct ResultEvent {
    pub service: String,
    pub at: String,
    pub quantity: u64,
}

/// Every type of the format is a JSON object, and only an object. serde's derived reader
/// also takes an array, its elements read as the fields in order (`"period": ["2027-01-01",
/// 12]`), which would bypass `deny_unknown_fields`. So each type derives its reader and
/// writer with `remote = "Self"` (inherent `deserialize` and `serialize` functions, not trait
/// impls), and the trait impls below wrap them: the writer as it is, the reader asking the
/// deserializer for a map (`deserialize_map`), which refuses anything else where it stands,
/// before reading a byte of it (`expected an object, found an array`, located like any
/// refusal). No second pass: the derived code reads the object's fields as before.
macro_rules! json_objects {
    ($($t:ident),* $(,)?) => {$(
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $t::serialize(self, s)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map(Object::<$t>(PhantomData))
            }
        }

        impl Fields for $t {
            fn fields<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $t::deserialize(d)
            }
        }
    )*};
}

json_objects!(
    Scenario,
    Period,
    Pack,
    Offering,
    CustomCatalog,
    CustomProduct,
    CustomService,
    PriceBookInput,
    TierInput,
    User,
    Subscription,
    Usage,
    Session,
    Weekly,
    Monthly,
    Dates,
    ResultEvent,
);

/// A type's derived reader (the inherent `deserialize` of `remote = "Self"`).
trait Fields: Sized {
    fn fields<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// What a refusal says the format expected where a type of the format stands (`located`).
const AN_OBJECT: &str = "an object";

/// Reads one JSON object with `T`'s derived reader, and nothing else (`json_objects!`).
struct Object<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for Object<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(AN_OBJECT)
    }

    fn visit_map<M: MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
        T::fields(MapAccessDeserializer::new(map))
    }
}

impl Scenario {
    /// Reads scenario JSON; a refusal names the JSON path where the problem is.
    pub fn from_json(text: &str) -> Result<Scenario, InputError> {
        // A byte-order mark, which some editors write first: RFC 8259 lets a reader ignore it.
        read_json(text.strip_prefix('\u{feff}').unwrap_or(text))
    }

    /// Pretty JSON, the same format the CLI reads.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The user at `i`, to change: copied first if another scenario shares it.
    pub fn user_mut(&mut self, i: usize) -> Option<&mut User> {
        self.users.get_mut(i).map(Arc::make_mut)
    }
}

/// Deserializes any JSON document, locating errors by JSON path: serde_json alone, the path
/// read off the text only when a value is refused (`read_json_located`). Tracking the path
/// while reading (`read_json_tracked`, the reference tests/json_paths.rs checks it against)
/// gives the same answers but costs every read, and 10 KB gzipped in the web bundle.
pub fn read_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, InputError> {
    read_json_located(text)
}

/// `read_json` with serde_path_to_error tracking the JSON path while reading.
pub fn read_json_tracked<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        located(path, &inner)
    })?;
    de.end().map_err(|e| located(String::new(), &e))?;
    Ok(value)
}

/// `read_json` with serde_json alone: on a refusal, the path is read off the text before
/// the error's line and column (`path_at`).
pub fn read_json_located<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut de).map_err(|e| located(path_at(text, &e), &e))?;
    de.end().map_err(|e| located(String::new(), &e))?;
    Ok(value)
}

/// What a JSON object or array has read so far (`path_at`).
#[derive(Clone, Copy, PartialEq)]
enum Read {
    /// After `{`, `[` or `,`: the next key or element is to come.
    Next,
    /// Inside a key's string.
    InKey,
    /// A key, no colon yet.
    Key,
    /// A key and its colon.
    Colon,
    /// A value begun (a string, a word, or a nested object or array still open).
    Value,
    /// A value complete.
    Done,
}

struct Level {
    array: bool,
    index: usize,
    key: Option<String>,
    read: Read,
}

/// The JSON path serde_path_to_error gives for serde_json's error `e` on `text`, found from
/// the error's position: the objects and arrays open there, the key or element being read,
/// and which step of serde_json's reading raised the error (its message says), which tells
/// whether the error belongs to the value, its container or (`?`) a key not read yet.
fn path_at(text: &str, e: &serde_json::Error) -> String {
    let words = e.to_string();
    let words = words.rfind(" at line ").map_or(&words[..], |i| &words[..i]);
    let has = |s: &str| words.starts_with(s);
    let bytes = text.as_bytes();
    // serde_json's column counts bytes from the line's start.
    let mut offset = 0;
    for _ in 1..e.line() {
        offset += bytes[offset..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
    }
    let mut offset = (offset + e.column()).min(bytes.len());
    // These errors are raised on a byte serde_json looked at without reading it, or (an
    // ident) read as part of a word: stop before it (at the end of the text, there is none).
    let peeked = [
        "expected ident",
        "expected value",
        "invalid number",
        "expected `,` or `]`",
        "expected `,` or `}`",
        "expected `:`",
        "trailing comma",
        "trailing characters",
        "key must be a string",
    ];
    if peeked.iter().any(|p| has(p)) && offset > 0 && e.column() > 0 {
        offset -= 1;
    }
    // An unknown or repeated key is refused once the object's end was looked for: a `}`
    // straight after the key was read with it.
    if (has("unknown field") || has("duplicate field")) && offset > 0 && bytes[offset - 1] == b'}' {
        offset -= 1;
    }
    let mut stack: Vec<Level> = Vec::new();
    let mut i = 0;
    while i < offset {
        let b = bytes[i];
        i += 1;
        let Some(top) = stack.last_mut() else {
            if b == b'{' || b == b'[' {
                stack.push(Level {
                    array: b == b'[',
                    index: 0,
                    key: None,
                    read: Read::Next,
                });
            } else if b == b'"' {
                i = string_end(bytes, i, offset).0;
            }
            continue;
        };
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                // A word ends at white space (strings and nested values are read whole).
                if top.read == Read::Value {
                    top.read = Read::Done;
                }
            }
            b'{' | b'[' => {
                top.read = Read::Value;
                stack.push(Level {
                    array: b == b'[',
                    index: 0,
                    key: None,
                    read: Read::Next,
                });
            }
            b'}' | b']' => {
                stack.pop();
                if let Some(t) = stack.last_mut() {
                    t.read = Read::Done;
                }
            }
            b',' => {
                if top.array {
                    top.index += 1;
                } else {
                    top.key = None;
                }
                top.read = Read::Next;
            }
            b':' => {
                if top.read == Read::Key {
                    top.read = Read::Colon;
                }
            }
            b'"' => {
                let (end, closed) = string_end(bytes, i, offset);
                if !top.array && top.read == Read::Next {
                    if closed {
                        top.key = Some(unescape(&text[i..end - 1]));
                        top.read = Read::Key;
                    } else {
                        top.read = Read::InKey;
                    }
                } else {
                    top.read = if closed { Read::Done } else { Read::Value };
                }
                i = end;
            }
            _ => top.read = Read::Value,
        }
    }
    let mut path = String::new();
    let n = stack.len();
    for (d, l) in stack.iter().enumerate() {
        let last = d + 1 == n;
        if l.array {
            let skip = last
                && (has("EOF while parsing a list")
                    || has("trailing comma")
                    || has("expected `,` or `]`")
                    || has("trailing characters")
                    || l.read == Read::Next && has("EOF while parsing a value"));
            if !skip {
                path.push_str(&format!("[{}]", l.index));
            }
            continue;
        }
        let key = match l.read {
            _ if !last => l.key.as_deref(),
            Read::Next | Read::InKey => None,
            Read::Key if has("unknown field") => l.key.as_deref(),
            Read::Key => continue,
            // After a value (a number may still look open): the next key's turn.
            Read::Value | Read::Done
                if has("expected `,` or `}`") || has("EOF while parsing an object") =>
            {
                None
            }
            Read::Colon | Read::Value | Read::Done => l.key.as_deref(),
        };
        if !path.is_empty() {
            path.push('.');
        }
        // A key not read (yet) is written `?`, as serde_path_to_error does.
        path.push_str(key.unwrap_or("?"));
    }
    path
}

/// The end of the string whose content starts at `i` (just after its quote), not looking
/// past `limit`: the position after its closing quote and true, or `limit` and false.
fn string_end(bytes: &[u8], mut i: usize, limit: usize) -> (usize, bool) {
    while i < limit {
        match bytes[i] {
            b'"' => return (i + 1, true),
            // An escape; serde_json reads `\u` and the next four bytes before checking them.
            b'\\' => {
                i += if bytes.get(i + 1) == Some(&b'u') {
                    6
                } else {
                    2
                }
            }
            _ => i += 1,
        }
    }
    (limit, false)
}

/// A key's JSON escapes decoded, as serde_json reads it.
fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    serde_json::from_str(&format!("\"{s}\"")).unwrap_or_default()
}

fn located(path: String, e: &serde_json::Error) -> InputError {
    let text = e.to_string();
    // serde_json appends " at line L column C"; keep the words and say the place plainly.
    let words = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    let path = if path == "." { String::new() } else { path };
    let object = not_an_object(words);
    let words = object.as_deref().unwrap_or(words);
    let message = if e.line() > 0 {
        format!("{words} (line {}, column {})", e.line(), e.column())
    } else {
        words.to_string()
    };
    InputError::new(path, message)
}

/// serde's words for a value that stands where the format wants an object, in JSON's words:
/// `invalid type: sequence, expected an object` becomes `expected an object, found an
/// array`. None for any other message.
fn not_an_object(words: &str) -> Option<String> {
    let found = words
        .strip_prefix("invalid type: ")?
        .strip_suffix(AN_OBJECT)?
        .strip_suffix(", expected ")?;
    let json = match found {
        "sequence" => "an array".to_string(),
        "map" => AN_OBJECT.to_string(),
        "null" => "null".to_string(),
        _ => {
            let quoted = |kind: &str| {
                found
                    .strip_prefix(kind)
                    .and_then(|v| v.strip_prefix('`')?.strip_suffix('`'))
            };
            if let Some(b) = quoted("boolean ") {
                b.to_string()
            } else if let Some(n) = quoted("integer ").or_else(|| quoted("floating point ")) {
                format!("the number {n}")
            } else if let Some(text) = found.strip_prefix("string ") {
                format!("the string {text}")
            } else {
                found.to_string()
            }
        }
    };
    Some(format!("expected {AN_OBJECT}, found {json}"))
}
