//! The advisor worker's wasm: the advisor (its plan and the usage sweep) for the web app,
//! started the first time the Advisor tab asks for it. Kept apart from the page's wasm
//! (`web.rs`) so that the advisor's search is not in what every visitor loads first; the
//! engine's code is the same, compiled into each (`ui::worker` says who answers what).

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    #[cfg(target_arch = "wasm32")]
    flexcalc::ui::worker::serve(flexcalc::ui::worker::ADVISOR);
}
