//! report: lines for people on stderr that never tear the progress line, the progress line
//! itself ([`progress`]) and tables ([`table`]); below every stage. Every line the launcher
//! says goes through [`line`] at a [`Level`]: the process's [`Voice`] (`quiet`, `logLevel`,
//! `logFormat`) decides whether it is written, and how.

pub mod progress;
pub mod table;

use std::io::Write;
use std::sync::{Mutex, RwLock};

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

/// How much a line matters; a line is written when its level is at most the [`Voice`]'s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `Error:` lines and failure events.
    Error,
    /// Warnings, warning events, retries.
    Warn,
    /// The progress lines (where the job is, how it ended).
    Info,
    /// The launcher's diagnostics (tracing).
    Debug,
    Trace,
}

impl Level {
    pub const NAMES: [&'static str; 5] = ["error", "warn", "info", "debug", "trace"];

    pub fn parse(name: &str) -> Option<Level> {
        let all = [
            Level::Error,
            Level::Warn,
            Level::Info,
            Level::Debug,
            Level::Trace,
        ];
        Level::NAMES.iter().position(|n| *n == name).map(|i| all[i])
    }

    /// The level of a job event's severity (`error`, `warning`, `info`).
    pub fn of_severity(severity: &str) -> Level {
        match severity {
            "error" => Level::Error,
            "warning" => Level::Warn,
            _ => Level::Info,
        }
    }

    /// The tracing filter of the launcher's diagnostics at this level. kube's client logs
    /// every failed request at ERROR, and the stages say what failed once per retry step
    /// with the server and the cause: it is heard from at debug only. The progress lines
    /// (info) are the launcher's own: its diagnostics start at debug.
    pub fn diagnostics(self) -> &'static str {
        match self {
            Level::Error => "error,kube_client=off",
            Level::Warn | Level::Info => "warn,kube_client=off",
            Level::Debug => "debug",
            Level::Trace => "trace",
        }
    }
}

/// What the launcher says, and how: set once by `cli` ([`set_voice`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Voice {
    /// Nothing at all on stderr, nor the job's log on stdout.
    pub quiet: bool,
    /// The most detailed level written.
    pub level: Level,
    /// Each line as one JSON object (tracing-subscriber's JSON format).
    pub json: bool,
}

impl Default for Voice {
    fn default() -> Voice {
        Voice {
            quiet: false,
            level: Level::Info,
            json: false,
        }
    }
}

impl Voice {
    /// Whether a line at `level` is written.
    pub fn shows(self, level: Level) -> bool {
        !self.quiet && level <= self.level
    }
}

static VOICE: RwLock<Voice> = RwLock::new(Voice {
    quiet: false,
    level: Level::Info,
    json: false,
});

/// Sets what the launcher says for the rest of the process.
pub fn set_voice(voice: Voice) {
    *VOICE.write().unwrap_or_else(|p| p.into_inner()) = voice;
}

/// What the launcher says now.
pub fn voice() -> Voice {
    *VOICE.read().unwrap_or_else(|p| p.into_inner())
}

/// The tracing target of the lines [`line`] writes as JSON.
pub const TARGET: &str = "spark_k8s_cli::report";

/// Writes `text` (one or more lines) on stderr when the [`Voice`] lets `level` through: as
/// it is, or as one JSON object; a progress line on the terminal is lifted and drawn again
/// below it, so nothing printed is overwritten.
pub fn line(level: Level, text: &str) {
    let voice = voice();
    if !voice.shows(level) {
        return;
    }
    if voice.json {
        let text = text.trim_end_matches('\n');
        match level {
            Level::Error => tracing::error!(target: TARGET, "{text}"),
            Level::Warn => tracing::warn!(target: TARGET, "{text}"),
            Level::Info => tracing::info!(target: TARGET, "{text}"),
            Level::Debug => tracing::debug!(target: TARGET, "{text}"),
            Level::Trace => tracing::trace!(target: TARGET, "{text}"),
        }
        return;
    }
    let bar = ACTIVE.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let print = || {
        let mut err = std::io::stderr().lock();
        for l in text.trim_end_matches('\n').split('\n') {
            write_line(&mut err, l);
        }
    };
    match bar {
        Some(b) => b.suspend(print),
        None => print(),
    }
}

/// A progress line ([`Level::Info`]).
pub fn say(text: &str) {
    line(Level::Info, text);
}

/// A warning ([`Level::Warn`]).
pub fn warn(text: &str) {
    line(Level::Warn, text);
}

/// An error ([`Level::Error`]): `Error: <what>`.
pub fn error(what: &dyn std::fmt::Display) {
    line(Level::Error, &format!("Error: {what}"));
}

/// How a listing or a result prints (`-o`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for people (or, for a submission, nothing more than its lines).
    #[default]
    Table,
    /// The table with every field.
    Wide,
    Json,
    Yaml,
}

impl Format {
    /// `text` (or `table`), `wide`, `json`, `yaml`.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "text" | "table" => Some(Format::Table),
            "wide" => Some(Format::Wide),
            "json" => Some(Format::Json),
            "yaml" => Some(Format::Yaml),
            _ => None,
        }
    }

    /// `value` as JSON (pretty) or YAML; `None` for the tables.
    pub fn data<T: serde::Serialize>(self, value: &T) -> Option<String> {
        match self {
            Format::Json => Some(serde_json::to_string_pretty(value).unwrap_or_default() + "\n"),
            Format::Yaml => Some(serde_saphyr::to_string(value).unwrap_or_default()),
            Format::Table | Format::Wide => None,
        }
    }

    /// `rows` as this format prints them: `table` or `wide` lays them out for people.
    pub fn rows<R: serde::Serialize>(
        self,
        rows: &[R],
        table: fn(&[R]) -> String,
        wide: fn(&[R]) -> String,
    ) -> String {
        match self {
            Format::Table => table(rows),
            Format::Wide => wide(rows),
            data => data.data(&rows).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_order() {
        for name in Level::NAMES {
            let l = Level::parse(name).unwrap();
            assert_eq!(Level::NAMES[l as usize], name);
        }
        assert_eq!(Level::parse("verbose"), None);
        assert!(Level::Error < Level::Warn && Level::Info < Level::Debug);
    }

    #[test]
    fn the_voice_lets_through_what_matters_enough() {
        let v = Voice::default();
        assert!(v.shows(Level::Error) && v.shows(Level::Warn) && v.shows(Level::Info));
        assert!(!v.shows(Level::Debug));
        let errors = Voice {
            level: Level::Error,
            ..v
        };
        assert!(errors.shows(Level::Error) && !errors.shows(Level::Warn));
        let quiet = Voice { quiet: true, ..v };
        assert!(!quiet.shows(Level::Error), "quiet says nothing at all");
    }

    #[test]
    fn severities_are_levels() {
        assert_eq!(Level::of_severity("error"), Level::Error);
        assert_eq!(Level::of_severity("warning"), Level::Warn);
        assert_eq!(Level::of_severity("info"), Level::Info);
    }

    #[test]
    fn formats_print_data_or_tables() {
        #[derive(serde::Serialize)]
        struct R {
            a: u8,
        }
        let rows = [R { a: 1 }];
        let t = |_: &[R]| "table\n".to_string();
        let w = |_: &[R]| "wide\n".to_string();
        assert_eq!(Format::Table.rows(&rows, t, w), "table\n");
        assert_eq!(Format::Wide.rows(&rows, t, w), "wide\n");
        let json: serde_json::Value =
            serde_json::from_str(&Format::Json.rows(&rows, t, w)).unwrap();
        assert_eq!(json, serde_json::json!([{"a": 1}]));
        assert_eq!(Format::Yaml.rows(&rows, t, w), "- a: 1\n");
        assert_eq!(Format::parse("text"), Some(Format::Table));
        assert_eq!(Format::parse("xml"), None);
    }
}
