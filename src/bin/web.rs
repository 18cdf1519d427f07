//! The wasm entry Trunk builds: mounts the estimator on the page, or, in the engine's
//! worker, answers the page's requests.

// Talc instead of Rust's default wasm allocator (dlmalloc): a smaller module, and faster.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The same module runs on the page (the app) and in the engine's Web Worker (see
/// `ui::worker`), which has no document.
fn main() {
    #[cfg(target_arch = "wasm32")]
    if flexcalc::ui::worker::in_worker() {
        return flexcalc::ui::worker::serve(flexcalc::ui::worker::ENGINE);
    }
    flexcalc::ui::start();
}
