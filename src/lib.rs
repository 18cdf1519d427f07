//! flexcalc: an Autodesk Flex token and cost estimator.
//!
//! One pure engine (`engine`) turns a [`Scenario`] into a [`Report`]; the command line and
//! the browser app are thin shells around it and never compute tokens or money themselves.

pub mod engine;

pub use engine::catalog::Catalog;
pub use engine::error::InputError;
pub use engine::price::{quote, Order, Quote};
pub use engine::report::Report;
pub use engine::scenario::Scenario;
pub use engine::simulate::{simulate, simulate_json};

#[cfg(feature = "web")]
pub mod ui;
