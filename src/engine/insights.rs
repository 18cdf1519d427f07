//! Figures derived from a report for the app's dashboard (the web-app issue fills this in).
