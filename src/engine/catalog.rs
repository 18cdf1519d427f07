//! The rate data of `rates/`, embedded at compile time and parsed once.
//!
//! Nothing here is a rate: every figure comes from the TOML files, which carry their source
//! and as-of date. `Catalog::check` validates the data itself (the tests call it).

use crate::engine::error::InputError;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::sync::OnceLock;

// build.rs turns rates/*.toml into JSON: the same data, read by the JSON reader the engine
// has anyway, so no TOML parser ships in the binary or the wasm bundle.
const PRODUCTS: &str = include_str!(concat!(env!("OUT_DIR"), "/products.json"));
const SERVICES: &str = include_str!(concat!(env!("OUT_DIR"), "/services.json"));
const PRICES: &str = include_str!(concat!(env!("OUT_DIR"), "/prices.json"));
const GROUPS: &str = include_str!(concat!(env!("OUT_DIR"), "/groups.json"));

/// A name in each language the seeds are written in.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Names {
    pub en: String,
    pub fr: String,
    pub ja: String,
}

impl Names {
    /// The name for a language code (`en`, `fr`, `ja`); English for any other.
    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "fr" => &self.fr,
            "ja" => &self.ja,
            _ => &self.en,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub source: String,
    pub as_of: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub name: Names,
    pub tokens_per_day: u64,
    #[serde(default)]
    pub linux: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: Names,
    pub tokens: u64,
    pub unit: Names,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub from: u64,
    pub price: Decimal,
}

/// Prices per token by whole-order quantity, and the pack sizes an order is made of.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PriceBook {
    pub currency: String,
    pub minor_units: u32,
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub packs: Vec<u64>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Workflow {
    pub id: String,
    pub name: Names,
    pub products: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Industry {
    pub id: String,
    pub name: Names,
    pub workflows: Vec<Workflow>,
}

#[cfg(test)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductsFile {
    meta: Source,
    product: Vec<Product>,
}

#[cfg(test)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServicesFile {
    meta: Source,
    service: Vec<Service>,
}

#[cfg(test)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PricesFile {
    meta: Source,
    packs: Vec<u64>,
    book: Vec<PriceBook>,
}

#[cfg(test)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupsFile {
    meta: Source,
    industry: Vec<Industry>,
}

/// Everything in `rates/`.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub products: Vec<Product>,
    pub services: Vec<Service>,
    /// Built-in price books, each carrying the built-in pack sizes.
    pub books: Vec<PriceBook>,
    pub industries: Vec<Industry>,
    pub products_source: Source,
    pub services_source: Source,
    pub prices_source: Source,
    pub groups_source: Source,
}

/// The rate files' JSON, read by a small reader of its own rather than through serde's
/// derived code: the files are plain objects, arrays, strings, whole numbers and booleans,
/// and serde's code for these types was about 9 KB gzipped of the web bundle. Unknown and
/// missing fields are refused as `deny_unknown_fields` would (a test compares the result
/// with serde's reading of the same files).
enum J {
    Str(String),
    Num(u64),
    Bool(bool),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    /// Whether the next byte (after blanks) is `c`, taken if so.
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let yes = self.b.get(self.i) == Some(&c);
        self.i += usize::from(yes);
        yes
    }

    fn expect(&mut self, c: u8) {
        if !self.eat(c) {
            malformed()
        }
    }

    fn byte(&mut self) -> u8 {
        let c = *self.b.get(self.i).unwrap_or_else(|| malformed());
        self.i += 1;
        c
    }

    fn hex4(&mut self) -> u32 {
        let mut u = 0;
        for _ in 0..4 {
            u = u * 16
                + char::from(self.byte())
                    .to_digit(16)
                    .unwrap_or_else(|| malformed());
        }
        u
    }

    fn string(&mut self) -> String {
        self.expect(b'"');
        let mut out = Vec::new();
        loop {
            match self.byte() {
                b'"' => return String::from_utf8(out).unwrap_or_else(|_| malformed()),
                b'\\' => {
                    let e = self.byte();
                    let ch = match e {
                        b'"' | b'\\' | b'/' => e as char,
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut u = self.hex4();
                            if (0xD800..0xDC00).contains(&u) {
                                if (self.byte(), self.byte()) != (b'\\', b'u') {
                                    malformed()
                                }
                                let low = self.hex4();
                                if !(0xDC00..0xE000).contains(&low) {
                                    malformed()
                                }
                                u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                            }
                            char::from_u32(u).unwrap_or_else(|| malformed())
                        }
                        _ => malformed(),
                    };
                    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                }
                c => out.push(c),
            }
        }
    }

    fn value(&mut self) -> J {
        self.ws();
        match *self.b.get(self.i).unwrap_or_else(|| malformed()) {
            b'"' => J::Str(self.string()),
            b'[' => {
                self.i += 1;
                let mut v = Vec::new();
                if !self.eat(b']') {
                    loop {
                        v.push(self.value());
                        if !self.eat(b',') {
                            self.expect(b']');
                            break;
                        }
                    }
                }
                J::Arr(v)
            }
            b'{' => {
                self.i += 1;
                let mut v = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        let k = self.string();
                        self.expect(b':');
                        v.push((k, self.value()));
                        if !self.eat(b',') {
                            self.expect(b'}');
                            break;
                        }
                    }
                }
                J::Obj(v)
            }
            c @ (b't' | b'f') => {
                let t = c == b't';
                let word: &[u8] = if t { b"true" } else { b"false" };
                if self.b.get(self.i..self.i + word.len()) != Some(word) {
                    malformed()
                }
                self.i += word.len();
                J::Bool(t)
            }
            _ => {
                let start = self.i;
                while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                    self.i += 1;
                }
                // Digits only (no sign, fraction or exponent), and within u64.
                let digits =
                    std::str::from_utf8(&self.b[start..self.i]).unwrap_or_else(|_| malformed());
                J::Num(digits.parse().unwrap_or_else(|_| malformed()))
            }
        }
    }
}

/// An object's fields, taken one by one; `end` refuses any left over.
struct Fields(Vec<(String, J)>);

/// The files are compiled in and checked by the tests: a failure to read them is a build
/// defect. (Stopping at once, rather than handing `None` up, keeps the half-built records'
/// clean-up code out of the bundle.)
#[cold]
#[inline(never)]
fn malformed() -> ! {
    panic!("rates/*.toml are malformed")
}

impl J {
    fn fields(self) -> Fields {
        match self {
            J::Obj(v) => Fields(v),
            _ => malformed(),
        }
    }
    fn string(self) -> String {
        match self {
            J::Str(s) => s,
            _ => malformed(),
        }
    }
    fn num(self) -> u64 {
        match self {
            J::Num(n) => n,
            _ => malformed(),
        }
    }
    fn list<T>(self, f: impl Fn(J) -> T) -> Vec<T> {
        let J::Arr(v) = self else { malformed() };
        let mut out = Vec::with_capacity(v.len());
        for j in v {
            out.push(f(j));
        }
        out
    }
}

impl Fields {
    fn opt(&mut self, key: &str) -> Option<J> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }
    fn get(&mut self, key: &str) -> J {
        self.opt(key).unwrap_or_else(|| malformed())
    }
    fn end(self) {
        if !self.0.is_empty() {
            malformed()
        }
    }
    fn string(&mut self, key: &str) -> String {
        self.get(key).string()
    }
    fn num(&mut self, key: &str) -> u64 {
        self.get(key).num()
    }
    fn names(&mut self, key: &str) -> Names {
        let mut f = self.get(key).fields();
        let n = Names {
            en: f.string("en"),
            fr: f.string("fr"),
            ja: f.string("ja"),
        };
        f.end();
        n
    }
    fn source(&mut self) -> Source {
        let mut f = self.get("meta").fields();
        let s = Source {
            source: f.string("source"),
            as_of: f.string("as_of"),
        };
        f.end();
        s
    }
}

/// The fields of a whole rate file.
fn file(text: &str) -> Fields {
    let mut r = Reader {
        b: text.as_bytes(),
        i: 0,
    };
    let v = r.value();
    r.ws();
    if r.i != r.b.len() {
        malformed()
    }
    v.fields()
}

fn product(j: J) -> Product {
    let mut f = j.fields();
    let p = Product {
        id: f.string("id"),
        name: f.names("name"),
        tokens_per_day: f.num("tokens_per_day"),
        linux: match f.opt("linux") {
            Some(J::Bool(b)) => b,
            None => false,
            Some(_) => malformed(),
        },
    };
    f.end();
    p
}

fn service(j: J) -> Service {
    let mut f = j.fields();
    let s = Service {
        id: f.string("id"),
        name: f.names("name"),
        tokens: f.num("tokens"),
        unit: f.names("unit"),
    };
    f.end();
    s
}

fn tier(j: J) -> Tier {
    let mut f = j.fields();
    let t = Tier {
        from: f.num("from"),
        price: f.string("price").parse().unwrap_or_else(|_| malformed()),
    };
    f.end();
    t
}

fn book(j: J, packs: &[u64]) -> PriceBook {
    let mut f = j.fields();
    let b = PriceBook {
        currency: f.string("currency"),
        minor_units: u32::try_from(f.num("minor_units")).unwrap_or_else(|_| malformed()),
        tiers: f.get("tiers").list(tier),
        // The built-in books all carry the file's pack sizes (a list of a book's own is
        // refused, as a field left over).
        packs: packs.to_vec(),
    };
    f.end();
    b
}

fn workflow(j: J) -> Workflow {
    let mut f = j.fields();
    let w = Workflow {
        id: f.string("id"),
        name: f.names("name"),
        products: f.get("products").list(J::string),
    };
    f.end();
    w
}

fn industry(j: J) -> Industry {
    let mut f = j.fields();
    let i = Industry {
        id: f.string("id"),
        name: f.names("name"),
        workflows: f.get("workflows").list(workflow),
    };
    f.end();
    i
}

fn read() -> Catalog {
    let mut p = file(PRODUCTS);
    let (products_source, products) = (p.source(), p.get("product").list(product));
    p.end();
    let mut s = file(SERVICES);
    let (services_source, services) = (s.source(), s.get("service").list(service));
    s.end();
    let mut pr = file(PRICES);
    let prices_source = pr.source();
    let packs = pr.get("packs").list(J::num);
    let books = pr.get("book").list(|j| book(j, &packs));
    pr.end();
    let mut g = file(GROUPS);
    let (groups_source, industries) = (g.source(), g.get("industry").list(industry));
    g.end();
    Catalog {
        products,
        services,
        books,
        industries,
        products_source,
        services_source,
        prices_source,
        groups_source,
    }
}

impl Catalog {
    /// The built-in catalog, parsed on first use.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(read)
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn book(&self, currency: &str) -> Option<&PriceBook> {
        self.books.iter().find(|b| b.currency == currency)
    }

    /// `book`, or a refusal located at `at` naming the currencies there are.
    pub fn book_or_refuse(&self, currency: &str, at: &str) -> Result<&PriceBook, InputError> {
        self.book(currency).ok_or_else(|| {
            let known: Vec<&str> = self.books.iter().map(|b| b.currency.as_str()).collect();
            InputError::new(
                at,
                format!("{currency:?} is not one of {}", known.join(", ")),
            )
        })
    }

    /// Problems in the data itself; empty when the data is sound.
    pub fn check(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut ids: Vec<&str> = self.products.iter().map(|p| p.id.as_str()).collect();
        ids.extend(self.services.iter().map(|s| s.id.as_str()));
        let mut sorted = ids.clone();
        crate::engine::advise::sort::sort(&mut sorted);
        for w in sorted.windows(2) {
            if w[0] == w[1] {
                problems.push(format!("id {:?} appears twice", w[0]));
            }
        }
        // The limits a scenario's own catalog is held to: the simulation packs a daily
        // rate in 20 bits (`pass::Hot`).
        let rates = 1..=crate::engine::validate::MAX_QUANTITY;
        for p in &self.products {
            if !rates.contains(&p.tokens_per_day) {
                problems.push(format!(
                    "product {}: daily rate {} outside 1 to {}",
                    p.id,
                    p.tokens_per_day,
                    rates.end()
                ));
            }
        }
        for s in &self.services {
            if !rates.contains(&s.tokens) {
                problems.push(format!(
                    "service {}: rate {} outside 1 to {}",
                    s.id,
                    s.tokens,
                    rates.end()
                ));
            }
        }
        for b in &self.books {
            if let Err(e) = crate::engine::price::check_book(b) {
                problems.push(format!("price book {}: {}", b.currency, e));
            }
        }
        for i in &self.industries {
            for w in &i.workflows {
                for p in &w.products {
                    if self.product(p).is_none() {
                        problems.push(format!(
                            "workflow {}.{} names unknown product {p}",
                            i.id, w.id
                        ));
                    }
                }
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde<T: for<'de> Deserialize<'de>>(text: &str) -> T {
        serde_json::from_str(text).unwrap()
    }

    /// The catalog's own reader gives what serde's derived code gives on the same files.
    #[test]
    fn reader_matches_serde() {
        let c = Catalog::builtin();
        let p: ProductsFile = serde(PRODUCTS);
        let s: ServicesFile = serde(SERVICES);
        let pr: PricesFile = serde(PRICES);
        let g: GroupsFile = serde(GROUPS);
        assert_eq!(c.products, p.product);
        assert_eq!(c.products_source, p.meta);
        assert_eq!(c.services, s.service);
        assert_eq!(c.services_source, s.meta);
        let books: Vec<PriceBook> = pr
            .book
            .into_iter()
            .map(|mut b| {
                b.packs = pr.packs.clone();
                b
            })
            .collect();
        assert_eq!(c.books, books);
        for (a, b) in c.books.iter().zip(&books) {
            for (x, y) in a.tiers.iter().zip(&b.tiers) {
                // Same value and same scale (the figures print alike).
                assert_eq!(x.price.to_string(), y.price.to_string());
            }
        }
        assert_eq!(c.prices_source, pr.meta);
        assert_eq!(c.industries, g.industry);
        assert_eq!(c.groups_source, g.meta);
    }

    #[test]
    fn reader_refuses_what_serde_refuses() {
        let ok = r#"{"meta":{"as_of":"2025","source":"s \"q\" \u00e9\ud83d\ude00 \\ \/ \n"},"product":[{"id":"a","name":{"en":"A","fr":"A","ja":"エー"},"tokens_per_day":7,"linux":true}]}"#;
        let mut f = file(ok);
        let src = f.source();
        let p: ProductsFile = serde(ok);
        assert_eq!(src, p.meta);
        assert_eq!(f.get("product").list(product), p.product);
        for bad in [
            // An unknown field, a missing one, a wrong type, a negative or fractional
            // number, a cut or trailing text.
            r#"{"id":"a","name":{"en":"A","fr":"A","ja":"A"},"tokens_per_day":7,"x":1}"#,
            r#"{"id":"a","name":{"en":"A","fr":"A"},"tokens_per_day":7}"#,
            r#"{"id":"a","name":{"en":"A","fr":"A","ja":"A"},"tokens_per_day":"7"}"#,
            r#"{"id":"a","name":{"en":"A","fr":"A","ja":"A"},"tokens_per_day":-7}"#,
            r#"{"id":"a","name":{"en":"A","fr":"A","ja":"A"},"tokens_per_day":7.5}"#,
            r#"{"id":"a","name":{"en":"A","fr":"A","ja":"A"},"tokens_per_day":7"#,
            r#"{"id":"a","name":{"en":"A","fr":"A","ja":"A"},"tokens_per_day":7} x"#,
        ] {
            assert!(serde_json::from_str::<Product>(bad).is_err(), "{bad}");
            let read = std::panic::catch_unwind(|| product(J::Obj(file(bad).0)));
            assert!(read.is_err(), "{bad}");
        }
    }
}
