//! The Yew web app, compiled with the `web` feature. It edits one `Scenario` and shows
//! what the engine answers: it never computes tokens or money itself.

pub mod i18n;
pub mod names;
pub mod paging;
pub mod presets;
pub mod share;
pub mod slim;
pub mod state;
pub mod storage;
pub mod templates;
pub mod worker;
pub mod zones;

#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod advisor;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod app;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod assumptions;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod autosave;
pub mod embed;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod format;
#[cfg(target_arch = "wasm32")]
pub mod js;
/// Natively (the build's prerender): the same functions, answering as a first visit does.
#[cfg(all(not(target_arch = "wasm32"), feature = "prerender"))]
#[path = "prerender_js.rs"]
pub mod js;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod packs;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod results;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod settings;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod team;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod usage_import;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod widgets;

/// Where the app mounts: `#app` (www/index.html), beside the prerendered page, which
/// www/boot.js removes once the app shows its answer; else the body (Yew empties it).
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub fn root() -> web_sys::Element {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    doc.get_element_by_id("app")
        .or_else(|| doc.body().map(Into::into))
        .expect("a body")
}

/// Mounts the app on the page.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
pub fn start() {}
