//! Imports point down the journey (`docs/architecture.md`, "Rules the code keeps"): a stage
//! never names a stage that comes after it; the foundations name only foundations; the
//! commands (`cli`, `jobs`, `completions`) may name anything. Reads `src/**/*.rs` and checks
//! every `crate::<module>` path outside comments and test code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The journey, in order; a stage may import the ones before it.
const JOURNEY: &[&str] = &[
    "parse", "resolve", "plan", "choose", "queue", "submit", "session", "follow", "alert",
];
/// Below every stage: they import only each other.
const FOUNDATIONS: &[&str] = &[
    "outcome",
    "quantity",
    "report",
    "cluster",
    "hoststate",
    "naming",
    "events",
];
/// Above every stage: the edge and the commands over the cluster.
const COMMANDS: &[&str] = &["cli", "jobs", "completions"];

/// Items of the crate root that are not modules (`lib.rs`), named as `crate::<item>`.
const ROOT_ITEMS: &[&str] = &["init_logging"];

/// The imports against the direction that remain, each with why. Keep this list and
/// `docs/architecture.md`'s exceptions the same; an entry that is no longer needed fails the
/// test too, so the list only shrinks.
const ALLOWED: &[(&str, &str, &str)] = &[];

/// Where a module stands: foundations 0, the journey 1..=8, the commands above.
fn rank(module: &str) -> Option<usize> {
    if FOUNDATIONS.contains(&module) {
        return Some(0);
    }
    if let Some(i) = JOURNEY.iter().position(|m| *m == module) {
        return Some(i + 1);
    }
    COMMANDS.contains(&module).then_some(JOURNEY.len() + 1)
}

/// The `crate::<module>` names in `source`, outside comments and `#[cfg(test)]` code.
fn imports(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in source.lines() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        let code = code.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// `(importer, imported)` pairs that go against the direction, for one module's sources.
fn violations(module: &str, sources: &[String]) -> Result<BTreeSet<(String, String)>, String> {
    let from = rank(module).ok_or(format!(
        "module {module} has no place in tests/architecture.rs: add it to JOURNEY, FOUNDATIONS or COMMANDS"
    ))?;
    let mut out = BTreeSet::new();
    for s in sources {
        for to in imports(s) {
            if to == module || ROOT_ITEMS.contains(&to.as_str()) {
                continue;
            }
            let Some(r) = rank(&to) else {
                return Err(format!(
                    "{module} imports crate::{to}, which has no place in tests/architecture.rs"
                ));
            };
            let wrong = if from == 0 { r != 0 } else { r > from };
            if wrong {
                out.insert((module.to_string(), to));
            }
        }
    }
    Ok(out)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn imports_point_down_the_journey() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut by_module: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        // A module's own test files reach wherever they must to check agreement.
        if rel.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        by_module.entry(module).or_default().push(text);
    }
    let mut found = BTreeSet::new();
    for (module, sources) in &by_module {
        found.extend(violations(module, sources).unwrap_or_else(|e| panic!("{e}")));
    }
    let allowed: BTreeSet<(String, String)> = ALLOWED
        .iter()
        .map(|(a, b, _)| (a.to_string(), b.to_string()))
        .collect();
    let new: Vec<_> = found.difference(&allowed).collect();
    assert!(
        new.is_empty(),
        "imports against the journey (a stage names one after it, or a foundation names a stage): {new:?}"
    );
    let stale: Vec<_> = allowed.difference(&found).collect();
    assert!(
        stale.is_empty(),
        "ALLOWED names imports the code no longer makes; remove them here and in docs/architecture.md: {stale:?}"
    );
}

#[test]
fn the_check_catches_an_import_up_the_journey() {
    let queue = vec!["use crate::follow::Limits;\nuse crate::plan::JobPlan;\n".to_string()];
    assert_eq!(
        violations("queue", &queue).unwrap(),
        BTreeSet::from([("queue".to_string(), "follow".to_string())])
    );
    let foundation = vec!["fn f(s: &crate::resolve::Settings) {}".to_string()];
    assert_eq!(
        violations("cluster", &foundation).unwrap(),
        BTreeSet::from([("cluster".to_string(), "resolve".to_string())])
    );
    let commented = vec!["// crate::alert is named only here\n/// [`crate::cli`]".to_string()];
    assert!(violations("parse", &commented).unwrap().is_empty());
    let tests = vec!["#[cfg(test)]\nmod tests { use crate::cli; }".to_string()];
    assert!(violations("parse", &tests).unwrap().is_empty());
    assert!(violations("nowhere", &[]).is_err());
}

#[test]
fn every_module_of_lib_rs_has_a_place() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(m) = line
            .strip_prefix("pub mod ")
            .and_then(|m| m.strip_suffix(';'))
        {
            assert!(
                rank(m).is_some(),
                "lib.rs module {m} has no place in this test"
            );
        }
    }
}
