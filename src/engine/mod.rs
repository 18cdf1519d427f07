//! The pure engine: scenario in, report out. No web or I/O dependency lives here.

pub mod advise;
pub mod catalog;
pub mod error;
pub mod import;
pub mod insights;
pub mod intervals;
pub mod ledger;
pub mod meter;
pub mod model;
pub mod patterns;
pub mod price;
pub mod report;
pub mod scenario;
pub mod simulate;
pub mod time;
pub mod validate;
