//! report: lines for people on stderr that never tear the progress line, the progress line
//! itself ([`progress`]) and tables ([`table`]); below every stage.

pub mod progress;
pub mod table;

use std::io::Write;
use std::sync::Mutex;

use indicatif::ProgressBar;

/// The progress line drawn on the terminal now, if any.
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Makes `bar` the line [`say`] keeps intact (`None`: no line any more).
pub fn set_active(bar: Option<ProgressBar>) {
    *ACTIVE.lock().unwrap_or_else(|p| p.into_inner()) = bar;
}

/// Writes one line on stderr; a progress line on the terminal is lifted and drawn again below
/// it, so nothing printed is overwritten.
pub fn say(line: &str) {
    let bar = ACTIVE.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let print = || {
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    };
    match bar {
        Some(b) => b.suspend(print),
        None => print(),
    }
}
