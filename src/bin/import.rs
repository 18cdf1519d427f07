//! The import worker's wasm: Autodesk's usage exports read for the web app
//! (`engine::import`, with its CSV and XLSX readers), started the first time a file is
//! picked or dropped. Kept apart from the page's wasm and the advisor's: the readers are
//! most of its size, and only those who import a file fetch them.

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    #[cfg(target_arch = "wasm32")]
    flexcalc::ui::worker::serve(flexcalc::ui::worker::IMPORT);
}
