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

#[cfg(target_arch = "wasm32")]
pub mod advisor;
#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod assumptions;
#[cfg(target_arch = "wasm32")]
pub mod autosave;
#[cfg(target_arch = "wasm32")]
pub mod format;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod packs;
#[cfg(target_arch = "wasm32")]
pub mod results;
#[cfg(target_arch = "wasm32")]
pub mod settings;
#[cfg(target_arch = "wasm32")]
pub mod team;
#[cfg(target_arch = "wasm32")]
pub mod widgets;

/// Mounts the app on the page.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
pub fn start() {}
