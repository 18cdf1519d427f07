//! The wasm entry Trunk builds: mounts the estimator on the page's `#app` element.

// Talc instead of Rust's default wasm allocator (dlmalloc): a smaller module, and faster.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    flexcalc::ui::start();
}
