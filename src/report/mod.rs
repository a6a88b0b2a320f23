//! report: lines for people on stderr that never tear the progress line, the progress line
//! itself ([`progress`]) and tables ([`table`]); below every stage.

pub mod progress;
pub mod table;

use std::io::Write;
use std::sync::Mutex;

use indicatif::ProgressBar;

/// The progress line drawn on the terminal now, if any.
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Whether the terminal is in raw mode (an attached session): lines then end in `\r\n`, as
/// the terminal no longer adds the carriage return.
static RAW: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Tells the lines written from now on that the terminal is raw (or not any more).
pub fn set_raw(raw: bool) {
    RAW.store(raw, std::sync::atomic::Ordering::SeqCst);
}

/// Writes `line` and its end on `out`: `\r\n` while the terminal is raw, `\n` otherwise.
pub fn write_line(out: &mut impl Write, line: &str) {
    let end = if RAW.load(std::sync::atomic::Ordering::SeqCst) {
        "\r\n"
    } else {
        "\n"
    };
    let _ = write!(out, "{line}{end}");
}

/// Makes `bar` the line [`say`] keeps intact (`None`: no line any more).
pub fn set_active(bar: Option<ProgressBar>) {
    *ACTIVE.lock().unwrap_or_else(|p| p.into_inner()) = bar;
}

/// Writes one line on stderr; a progress line on the terminal is lifted and drawn again below
/// it, so nothing printed is overwritten.
pub fn say(line: &str) {
    let bar = ACTIVE.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let print = || {
        write_line(&mut std::io::stderr().lock(), line);
    };
    match bar {
        Some(b) => b.suspend(print),
        None => print(),
    }
}
