//! The wasm entry Trunk builds: mounts the estimator on the page's `#app` element.

fn main() {
    flexcalc::ui::start();
}
