//! The Yew web app (the web-app issue fills this in). Compiled with the `web` feature.
