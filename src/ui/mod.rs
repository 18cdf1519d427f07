//! The Yew web app. Compiled with the `web` feature.

pub fn start() {}
