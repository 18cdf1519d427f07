//! The rate data of `rates/`, embedded at compile time and parsed once.
//!
//! Nothing here is a rate: every figure comes from the TOML files, which carry their source
//! and as-of date. `Catalog::check` validates the data itself (the tests call it).

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

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut u = 0;
        for _ in 0..4 {
            u = u * 16 + char::from(*self.b.get(self.i)?).to_digit(16)?;
            self.i += 1;
        }
        Some(u)
    }

    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let c = *self.b.get(self.i)?;
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.b.get(self.i)?;
                    self.i += 1;
                    let ch = match e {
                        b'"' | b'\\' | b'/' => e as char,
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut u = self.hex4()?;
                            if (0xD800..0xDC00).contains(&u) {
                                (self.b.get(self.i..self.i + 2)? == b"\\u").then_some(())?;
                                self.i += 2;
                                u = 0x10000
                                    + ((u - 0xD800) << 10)
                                    + (self.hex4()?.checked_sub(0xDC00)?);
                            }
                            char::from_u32(u)?
                        }
                        _ => return None,
                    };
                    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                }
                _ => out.push(c),
            }
        }
    }

    fn value(&mut self) -> Option<J> {
        self.ws();
        let c = *self.b.get(self.i)?;
        Some(match c {
            b'"' => J::Str(self.string()?),
            b'[' => {
                self.i += 1;
                let mut v = Vec::new();
                if self.eat(b']').is_none() {
                    loop {
                        v.push(self.value()?);
                        if self.eat(b',').is_none() {
                            self.eat(b']')?;
                            break;
                        }
                    }
                }
                J::Arr(v)
            }
            b'{' => {
                self.i += 1;
                let mut v = Vec::new();
                if self.eat(b'}').is_none() {
                    loop {
                        let k = self.string()?;
                        self.eat(b':')?;
                        v.push((k, self.value()?));
                        if self.eat(b',').is_none() {
                            self.eat(b'}')?;
                            break;
                        }
                    }
                }
                J::Obj(v)
            }
            b't' | b'f' => {
                let t = c == b't';
                let word: &[u8] = if t { b"true" } else { b"false" };
                (self.b.get(self.i..self.i + word.len())? == word).then_some(())?;
                self.i += word.len();
                J::Bool(t)
            }
            _ => {
                let start = self.i;
                while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                    self.i += 1;
                }
                J::Num(
                    std::str::from_utf8(&self.b[start..self.i])
                        .ok()?
                        .parse()
                        .ok()?,
                )
            }
        })
    }
}

/// An object's fields, taken one by one; `end` refuses any left over.
struct Fields(Vec<(String, J)>);

impl J {
    fn fields(self) -> Option<Fields> {
        match self {
            J::Obj(v) => Some(Fields(v)),
            _ => None,
        }
    }
    fn string(self) -> Option<String> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }
    fn num(self) -> Option<u64> {
        match self {
            J::Num(n) => Some(n),
            _ => None,
        }
    }
    fn list<T>(self, f: impl Fn(J) -> Option<T>) -> Option<Vec<T>> {
        let J::Arr(v) = self else { return None };
        let mut out = Vec::with_capacity(v.len());
        for j in v {
            out.push(f(j)?);
        }
        Some(out)
    }
}

impl Fields {
    fn opt(&mut self, key: &str) -> Option<J> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }
    fn get(&mut self, key: &str) -> Option<J> {
        self.opt(key)
    }
    fn end<T>(self, t: T) -> Option<T> {
        self.0.is_empty().then_some(t)
    }
    fn string(&mut self, key: &str) -> Option<String> {
        self.get(key)?.string()
    }
    fn num(&mut self, key: &str) -> Option<u64> {
        self.get(key)?.num()
    }
    fn names(&mut self, key: &str) -> Option<Names> {
        let mut f = self.get(key)?.fields()?;
        let n = Names {
            en: f.string("en")?,
            fr: f.string("fr")?,
            ja: f.string("ja")?,
        };
        f.end(n)
    }
    fn source(&mut self) -> Option<Source> {
        let mut f = self.get("meta")?.fields()?;
        let s = Source {
            source: f.string("source")?,
            as_of: f.string("as_of")?,
        };
        f.end(s)
    }
    fn strings(&mut self, key: &str) -> Option<Vec<String>> {
        self.get(key)?.list(J::string)
    }
    fn nums(&mut self, key: &str) -> Option<Vec<u64>> {
        self.get(key)?.list(J::num)
    }
}

/// The fields of a whole rate file.
fn file(text: &str) -> Option<Fields> {
    let mut r = Reader {
        b: text.as_bytes(),
        i: 0,
    };
    let v = r.value()?;
    r.ws();
    (r.i == r.b.len()).then_some(())?;
    v.fields()
}

fn product(j: J) -> Option<Product> {
    let mut f = j.fields()?;
    let p = Product {
        id: f.string("id")?,
        name: f.names("name")?,
        tokens_per_day: f.num("tokens_per_day")?,
        linux: match f.opt("linux") {
            Some(J::Bool(b)) => b,
            None => false,
            Some(_) => return None,
        },
    };
    f.end(p)
}

fn service(j: J) -> Option<Service> {
    let mut f = j.fields()?;
    let s = Service {
        id: f.string("id")?,
        name: f.names("name")?,
        tokens: f.num("tokens")?,
        unit: f.names("unit")?,
    };
    f.end(s)
}

fn book(j: J, packs: &[u64]) -> Option<PriceBook> {
    let mut f = j.fields()?;
    let tier = |j: J| {
        let mut f = j.fields()?;
        let t = Tier {
            from: f.num("from")?,
            price: f.string("price")?.parse().ok()?,
        };
        f.end(t)
    };
    let b = PriceBook {
        currency: f.string("currency")?,
        minor_units: u32::try_from(f.num("minor_units")?).ok()?,
        tiers: f.get("tiers")?.list(tier)?,
        // The built-in books carry the built-in pack sizes (over any list of their own).
        packs: match f.opt("packs") {
            Some(own) => own.list(J::num).map(|_| packs.to_vec())?,
            None => packs.to_vec(),
        },
    };
    f.end(b)
}

fn industry(j: J) -> Option<Industry> {
    let mut f = j.fields()?;
    let workflow = |j: J| {
        let mut f = j.fields()?;
        let w = Workflow {
            id: f.string("id")?,
            name: f.names("name")?,
            products: f.strings("products")?,
        };
        f.end(w)
    };
    let i = Industry {
        id: f.string("id")?,
        name: f.names("name")?,
        workflows: f.get("workflows")?.list(workflow)?,
    };
    f.end(i)
}

fn read() -> Option<Catalog> {
    let mut p = file(PRODUCTS)?;
    let (products_source, products) = (p.source()?, p.get("product")?.list(product)?);
    p.end(())?;
    let mut s = file(SERVICES)?;
    let (services_source, services) = (s.source()?, s.get("service")?.list(service)?);
    s.end(())?;
    let mut pr = file(PRICES)?;
    let prices_source = pr.source()?;
    let packs = pr.nums("packs")?;
    let books = pr.get("book")?.list(|j| book(j, &packs))?;
    pr.end(())?;
    let mut g = file(GROUPS)?;
    let (groups_source, industries) = (g.source()?, g.get("industry")?.list(industry)?);
    g.end(())?;
    Some(Catalog {
        products,
        services,
        books,
        industries,
        products_source,
        services_source,
        prices_source,
        groups_source,
    })
}

impl Catalog {
    /// The built-in catalog, parsed on first use.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        // The files are compiled in and checked by the tests: a failure here is a build
        // defect.
        CATALOG.get_or_init(|| read().expect("rates/*.toml are malformed"))
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
        for p in &self.products {
            if p.tokens_per_day == 0 {
                problems.push(format!("product {} has no daily rate", p.id));
            }
        }
        for s in &self.services {
            if s.tokens == 0 {
                problems.push(format!("service {} has no rate", s.id));
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
        let mut f = file(ok).unwrap();
        let src = f.source().unwrap();
        let p: ProductsFile = serde(ok);
        assert_eq!(src, p.meta);
        assert_eq!(f.get("product").unwrap().list(product).unwrap(), p.product);
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
            assert!(
                file(bad).and_then(|f| product(J::Obj(f.0))).is_none(),
                "{bad}"
            );
        }
    }
}
