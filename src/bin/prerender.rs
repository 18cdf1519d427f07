//! The build's prerender (a Trunk post-build hook, scripts/prerender.sh): renders the app's
//! own components natively with Yew's server-side renderer, for a first visit (the starter
//! team, its estimate computed by the engine at once), and writes the page once per
//! language: `index.html` (English, the default), `fr.html` and `ja.html`, each with its
//! title, description, Open Graph tags, canonical URL and `hreflang` alternates. The pages
//! sit side by side in dist/ so that the app's relative paths (i18n/, tz/, presets/, the
//! worker) are the same for all three.
//!
//! `prerender [DIST]` (default `dist`) reads `DIST/index.html` as Trunk wrote it, with its
//! empty `<div id="prerender"></div>`. `FLEXCALC_SITE_URL` (e.g. `https://example.org/flexcalc/`)
//! makes the canonical, alternate and Open Graph URLs absolute; without it they are
//! relative to the page.
//!
//! When the wasm arrives, the app mounts in `#app` beside the prerendered copy, which
//! www/boot.js removes once the app shows its own answer (no hydration: the bundle has no
//! room for it). The copy's ids carry a `pre-` prefix, so that the page never holds the
//! same id twice and nothing mistakes the copy for the live app.

use std::error::Error;
use std::fs;
use std::path::PathBuf;

use flexcalc::ui::app::App;
use flexcalc::ui::i18n::{t, Lang, LANGS};
use flexcalc::ui::js;

/// What each language's page says about itself.
struct Page {
    lang: Lang,
    file: &'static str,
    og_locale: &'static str,
    description: &'static str,
    noscript: &'static str,
}

const PAGES: [Page; 3] = [
    Page {
        lang: Lang::En,
        file: "index.html",
        og_locale: "en_GB",
        description: "How many Autodesk Flex tokens will your team burn, and what will they cost in GBP, EUR or JPY after volume tiers? Model your team and see the answer live. Runs entirely in your browser.",
        noscript: "The editor needs JavaScript (and WebAssembly): it computes everything in your browser. Below, the starter team's estimate.",
    },
    Page {
        lang: Lang::Fr,
        file: "fr.html",
        og_locale: "fr_FR",
        description: "Combien de jetons Autodesk Flex votre équipe consommera-t-elle, et pour quel coût en EUR, GBP ou JPY après les paliers de volume ? Décrivez votre équipe et voyez la réponse en direct, entièrement dans votre navigateur.",
        noscript: "L’éditeur a besoin de JavaScript (et de WebAssembly) : il calcule tout dans votre navigateur. Ci-dessous, l’estimation de l’équipe de départ.",
    },
    Page {
        lang: Lang::Ja,
        file: "ja.html",
        og_locale: "ja_JP",
        description: "チームが消費する Autodesk Flex トークンの数と、ボリューム割引後の費用（JPY・EUR・GBP）を見積もります。チームを入力すると結果をその場で表示し、計算はすべてブラウザー内で行います。",
        noscript: "エディターには JavaScript（と WebAssembly）が必要です。計算はすべてブラウザー内で行います。以下はサンプルチームの見積もりです。",
    },
];

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The app rendered natively, in `lang`, as a first visit sees it.
fn render(lang: Lang) -> String {
    js::set_lang(lang.code());
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async {
        yew::LocalServerRenderer::<App>::new()
            .hydratable(false)
            .render()
            .await
    })
}

/// Every id of the copy (and what refers to one: `for`, ARIA references, `#` links) with
/// a `pre-` prefix.
fn prefix_ids(html: &str) -> String {
    const ATTRS: [&str; 6] = [
        " id=\"",
        " for=\"",
        " aria-labelledby=\"",
        " aria-controls=\"",
        " aria-describedby=\"",
        " list=\"",
    ];
    let mut out = String::with_capacity(html.len() + html.len() / 20);
    let mut rest = html;
    'scan: while !rest.is_empty() {
        let next = ATTRS
            .iter()
            .chain([" href=\"#"].iter())
            .filter_map(|a| rest.find(a).map(|i| (i, *a)))
            .min_by_key(|(i, _)| *i);
        let Some((i, attr)) = next else {
            out.push_str(rest);
            break 'scan;
        };
        out.push_str(&rest[..i + attr.len()]);
        rest = &rest[i + attr.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        let ids: Vec<String> = value
            .split(' ')
            .map(|v| {
                if v.is_empty() {
                    String::new()
                } else {
                    format!("pre-{v}")
                }
            })
            .collect();
        out.push_str(&ids.join(" "));
        rest = &rest[end..];
    }
    out
}

/// The `<head>` entries of one language's page.
fn head(page: &Page, site: Option<&str>) -> String {
    let l = page.lang;
    let url = |p: &Page| match site {
        Some(s) if p.file == "index.html" => s.to_string(),
        Some(s) => format!("{s}{}", p.file),
        None if p.file == "index.html" => "./".to_string(),
        None => p.file.to_string(),
    };
    let title = format!("{} · flexcalc", t(l, "app.title"));
    let mut h = format!(
        "<title>{}</title><meta name=description content=\"{}\"><link rel=canonical href=\"{}\">",
        escape(&title),
        escape(page.description),
        url(page)
    );
    for p in &PAGES {
        h += &format!(
            "<link rel=alternate hreflang={} href=\"{}\">",
            p.lang.code(),
            url(p)
        );
    }
    h += &format!(
        "<link rel=alternate hreflang=x-default href=\"{}\">",
        url(&PAGES[0])
    );
    h += &format!(
        "<meta property=og:type content=website><meta property=og:site_name content=flexcalc><meta property=og:title content=\"{}\"><meta property=og:description content=\"{}\"><meta property=og:locale content={}>",
        escape(&title),
        escape(page.description),
        page.og_locale
    );
    for p in PAGES.iter().filter(|p| p.file != page.file) {
        h += &format!(
            "<meta property=og:locale:alternate content={}>",
            p.og_locale
        );
    }
    if site.is_some() {
        h += &format!("<meta property=og:url content=\"{}\">", url(page));
    }
    h
}

/// Removes each `<tag …>` (void) whose text contains one of `marks`.
fn drop_tags(html: &str, tag: &str, marks: &[&str]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(tag) {
        let end = rest[i..].find('>').map(|e| i + e + 1).unwrap_or(rest.len());
        out.push_str(&rest[..i]);
        let t = &rest[i..end];
        if !marks.iter().any(|m| t.contains(m)) {
            out.push_str(t);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `s` with the first of `from` (which must be there) replaced.
fn replace_one(s: &str, from: &[&str], to: &str) -> Result<String, String> {
    for f in from {
        if let Some(i) = s.find(f) {
            return Ok(format!("{}{to}{}", &s[..i], &s[i + f.len()..]));
        }
    }
    Err(format!("index.html holds none of {from:?}"))
}

/// One language's page from Trunk's `index.html`.
fn page(template: &str, page: &Page, site: Option<&str>) -> Result<String, Box<dyn Error>> {
    let app = prefix_ids(&render(page.lang));
    let code = page.lang.code();
    let body_start = template.find("<body").ok_or("index.html has no <body>")?;
    let (head_part, body) = template.split_at(body_start);
    // The template's own (English) description and Open Graph tags give way to the page's.
    // Trunk minifies the release page: attributes may be unquoted.
    let mut h = drop_tags(
        head_part,
        "<meta",
        &[
            "name=description",
            "name=\"description\"",
            "property=og:",
            "property=\"og:",
        ],
    );
    let title_start = h.find("<title>").ok_or("index.html has no <title>")?;
    let title_end = h[title_start..]
        .find("</title>")
        .map(|e| title_start + e + "</title>".len())
        .ok_or("index.html's <title> is not closed")?;
    h.replace_range(title_start..title_end, &head(page, site));
    let h = replace_one(
        &h,
        &["<html lang=en>", "<html lang=\"en\">"],
        &if page.file == "index.html" {
            format!("<html lang={code}>")
        } else {
            // The language's own page: the app starts in it (www/boot.js).
            format!("<html lang={code} data-page-lang={code}>")
        },
    )?;
    let mut body = body.to_string();
    let ns_start = body
        .find("<noscript>")
        .ok_or("index.html has no <noscript>")?;
    let ns_end = body[ns_start..]
        .find("</noscript>")
        .map(|e| ns_start + e)
        .ok_or("index.html's <noscript> is not closed")?;
    body.replace_range(
        ns_start..ns_end,
        &format!("<noscript><p class=noscript>{}</p>", escape(page.noscript)),
    );
    let body = replace_one(
        &body,
        &["<div id=prerender></div>", "<div id=\"prerender\"></div>"],
        &format!("<div id=prerender class=prerender>{app}</div>"),
    )?;
    Ok(format!("{h}{body}"))
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "dist".into()));
    let template = fs::read_to_string(dir.join("index.html"))?;
    let site = std::env::var("FLEXCALC_SITE_URL")
        .ok()
        .filter(|s| !s.is_empty());
    let site = site.map(|s| if s.ends_with('/') { s } else { s + "/" });
    assert_eq!(LANGS.len(), PAGES.len());
    for p in &PAGES {
        let html = page(&template, p, site.as_deref())?;
        fs::write(dir.join(p.file), &html)?;
        eprintln!(
            "prerender: {} ({}, {} bytes)",
            dir.join(p.file).display(),
            p.lang.code(),
            html.len()
        );
    }
    Ok(())
}
