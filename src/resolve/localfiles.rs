//! What spark-submit reads of the submitting machine's files before it submits: local globs in
//! `--jars`/`--files`/`--py-files`/`--archives` expanded against a directory listing, and the
//! application jar's `Main-Class`. Pure: the listing and the jar's bytes come from [`Files`].
//!
//! Spark's rules (apache/spark, `core/.../util/DependencyUtils.scala` `resolveGlobPaths` /
//! `resolveGlobPath`, called from `SparkSubmit.prepareSubmitEnvironment`): every list entry of a
//! `file:` or scheme-less URI goes through Hadoop's `FileSystem.globStatus`; only regular files
//! are kept; an entry with a `#fragment` that matches more than one file is an error
//! (`<entry> resolves ambiguously to multiple files: <a>,<b>`); `local:`, `http(s):` and `ftp:`
//! entries stay as written. Hadoop's `Globber` returns `null` (the entry stays as written) for
//! a pattern without wildcards that matches nothing, and an empty array for a wildcard pattern
//! that matches nothing, so that entry is dropped without an error.
//! `Main-Class`: `SparkSubmit.prepareSubmitEnvironment` reads the primary jar's manifest when
//! `--class` is absent (`JarInputStream` over Hadoop's `FileSystem`), failing with
//! `Failed to get main class in JAR with error '<e>'.  Please specify one with --class.` or
//! `No main class set in JAR; please specify one with --class.`.

use std::io::Read as _;

use super::{Files, ResolveError, err_hint, split_list};
use crate::naming::{is_local_uri, local_path};

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_file: bool,
}

/// Whether a path has Hadoop glob syntax (`*`, `?`, `[...]`, `{a,b}`).
pub fn has_glob(path: &str) -> bool {
    path.contains(['*', '?', '[', '{'])
}

/// `{a,b}` alternatives expanded, as Hadoop's `GlobExpander` flattens a pattern.
fn expand_braces(pattern: &str) -> Vec<String> {
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_string()];
    };
    let mut depth = 0;
    let mut parts = Vec::new();
    let mut start = open + 1;
    for (i, c) in pattern[open..].char_indices().map(|(i, c)| (i + open, c)) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    parts.push(&pattern[start..i]);
                    let (head, tail) = (&pattern[..open], &pattern[i + 1..]);
                    return parts
                        .iter()
                        .flat_map(|p| expand_braces(&format!("{head}{p}{tail}")))
                        .collect();
                }
            }
            ',' if depth == 1 => {
                parts.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    vec![pattern.to_string()]
}

/// Whether one path component matches a pattern component (`*`, `?`, `[abc]`, `[a-z]`,
/// `[^a]`, `\` escapes); braces were expanded before.
pub fn component_matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|i| go(&p[1..], &n[i..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('\\') if p.len() > 1 => n.first() == Some(&p[1]) && go(&p[2..], &n[1..]),
            Some('[') => {
                let Some(close) = p.iter().skip(2).position(|&c| c == ']').map(|i| i + 2) else {
                    return n.first() == Some(&'[') && go(&p[1..], &n[1..]);
                };
                let Some(&c) = n.first() else { return false };
                let mut set = &p[1..close];
                let negate = matches!(set.first(), Some('^' | '!'));
                if negate {
                    set = &set[1..];
                }
                let mut hit = false;
                let mut i = 0;
                while i < set.len() {
                    if i + 2 < set.len() && set[i + 1] == '-' {
                        hit |= set[i] <= c && c <= set[i + 2];
                        i += 3;
                    } else {
                        hit |= set[i] == c;
                        i += 1;
                    }
                }
                hit != negate && go(&p[close + 1..], &n[1..])
            }
            Some(&c) => n.first() == Some(&c) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// The regular files a local glob matches, sorted, with `list` giving a directory's entries
/// (`""` is the current directory). Paths keep the pattern's form (relative stays relative).
pub fn glob(pattern: &str, list: &dyn Fn(&str) -> Result<Vec<DirEntry>, String>) -> Vec<String> {
    let mut out = Vec::new();
    for flat in expand_braces(pattern) {
        let absolute = flat.starts_with('/');
        let parts: Vec<&str> = flat.split('/').filter(|p| !p.is_empty()).collect();
        // (path so far, is it a file)
        let mut candidates: Vec<(String, bool)> =
            vec![(if absolute { "/".into() } else { String::new() }, false)];
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let mut next = Vec::new();
            for (dir, _) in &candidates {
                let join = |name: &str| {
                    if dir.is_empty() || dir.ends_with('/') {
                        format!("{dir}{name}")
                    } else {
                        format!("{dir}/{name}")
                    }
                };
                let Ok(entries) = list(dir) else { continue };
                for e in entries {
                    let hit = if has_glob(part) {
                        component_matches(part, &e.name)
                    } else {
                        e.name == *part
                    };
                    if hit && (last || !e.is_file) {
                        next.push((join(&e.name), e.is_file));
                    }
                }
            }
            candidates = next;
        }
        out.extend(candidates.into_iter().filter(|(_, f)| *f).map(|(p, _)| p));
    }
    out.sort();
    out.dedup();
    out
}

/// One list property with its local globs expanded as `resolveGlobPaths` does. Returns the new
/// value and the entries that matched nothing (dropped, as Spark drops them). A list without a
/// local glob comes back as it was given (the in-pod spark-submit resolves the rest itself).
pub fn expand_list(
    value: &str,
    list: &dyn Fn(&str) -> Result<Vec<DirEntry>, String>,
) -> Result<(String, Vec<String>), ResolveError> {
    let mut items = Vec::new();
    let mut dropped = Vec::new();
    let mut globbed = false;
    for item in split_list(value) {
        let (base, fragment) = match item.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (item.as_str(), None),
        };
        if !is_local_uri(base) || !has_glob(local_path(base)) {
            items.push(item.clone());
            continue;
        }
        globbed = true;
        let matched = glob(local_path(base), list);
        match (matched.len(), fragment) {
            (0, _) => dropped.push(item.clone()),
            (n, Some(_)) if n > 1 => {
                return Err(err_hint(
                    format!(
                        "{base} resolves ambiguously to multiple files: {}",
                        matched.join(",")
                    ),
                    "Make the pattern match one file, or drop the #name.",
                ));
            }
            (_, Some(f)) => items.extend(matched.iter().map(|m| format!("{m}#{f}"))),
            (_, None) => items.extend(matched),
        }
    }
    if !globbed {
        return Ok((value.to_string(), dropped));
    }
    Ok((items.join(","), dropped))
}

/// The directory listing `glob` needs, from [`Files`].
pub fn lister(files: &dyn Files) -> impl Fn(&str) -> Result<Vec<DirEntry>, String> + '_ {
    move |dir: &str| files.list_dir(if dir.is_empty() { "." } else { dir })
}

/// `Main-Class` of a jar's manifest (`META-INF/MANIFEST.MF`, main section, continuation lines
/// joined); `Ok(None)` when the jar has no manifest or no `Main-Class`.
pub fn manifest_main_class(jar: &[u8]) -> Result<Option<String>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(jar)).map_err(|e| e.to_string())?;
    let mut text = String::new();
    match zip.by_name("META-INF/MANIFEST.MF") {
        Ok(mut f) => f.read_to_string(&mut text).map_err(|e| e.to_string())?,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let joined = text.replace("\r\n", "\n").replace("\n ", "");
    Ok(joined
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .find_map(|l| l.strip_prefix("Main-Class:"))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty()))
}

/// The main class spark-submit would run for a JVM primary resource given without `--class`:
/// read from a local jar; `Ok(None)` for a remote jar, which the submit pod's spark-submit
/// reads itself; Spark's errors otherwise.
pub fn main_class_of(resource: &str, files: &dyn Files) -> Result<Option<String>, ResolveError> {
    let failed = |why: &str| {
        err_hint(
            format!(
                "Failed to get main class in JAR with error '{why}'.  Please specify one with --class."
            ),
            "Pass --class <main class>, or give a jar whose manifest names its Main-Class.",
        )
    };
    if resource
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("local:")
    {
        // Hadoop has no FileSystem for local:, inside the pod as here.
        return Err(failed("No FileSystem for scheme \"local\""));
    }
    if !is_local_uri(resource) {
        return Ok(None);
    }
    let path = local_path(resource);
    let bytes = files
        .read_bytes(path)
        .map_err(|e| failed(&format!("File file:{path} does not exist ({e})")))?;
    match manifest_main_class(&bytes) {
        Ok(Some(c)) => Ok(Some(c)),
        Ok(None) => Err(err_hint(
            "No main class set in JAR; please specify one with --class.",
            format!("{path} has no Main-Class in META-INF/MANIFEST.MF: pass --class <main class>."),
        )),
        Err(e) => Err(failed(&format!("{path} is not a jar: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn listing(tree: &[(&str, &[(&str, bool)])]) -> impl Fn(&str) -> Result<Vec<DirEntry>, String> {
        let map: BTreeMap<String, Vec<DirEntry>> = tree
            .iter()
            .map(|(d, es)| {
                (
                    d.to_string(),
                    es.iter()
                        .map(|(n, f)| DirEntry {
                            name: n.to_string(),
                            is_file: *f,
                        })
                        .collect(),
                )
            })
            .collect();
        move |dir: &str| map.get(dir).cloned().ok_or_else(|| "No such file".into())
    }

    #[test]
    fn components_match_like_hadoop() {
        assert!(component_matches("*.csv", "a.csv"));
        assert!(component_matches("*.csv", ".hidden.csv"));
        assert!(!component_matches("*.csv", "a.csv.gz"));
        assert!(component_matches("part-?", "part-1"));
        assert!(component_matches("[ab]x", "bx"));
        assert!(!component_matches("[^ab]x", "bx"));
        assert!(component_matches("[a-c]1", "c1"));
        assert!(component_matches("a\\*", "a*"));
        assert!(!component_matches("a\\*", "ab"));
        assert_eq!(
            expand_braces("x/{a,b{c,d}}.jar"),
            ["x/a.jar", "x/bc.jar", "x/bd.jar"]
        );
    }

    #[test]
    fn globs_keep_files_only_sorted_in_the_patterns_form() {
        let list = listing(&[
            ("", &[("data", false), ("lib", false), ("app.py", true)]),
            (
                "data",
                &[
                    ("b.csv", true),
                    ("a.csv", true),
                    ("sub.csv", false),
                    ("c.txt", true),
                ],
            ),
            ("lib", &[("x.jar", true)]),
            ("/abs", &[("y.jar", true)]),
            ("/", &[("abs", false)]),
        ]);
        assert_eq!(glob("data/*.csv", &list), ["data/a.csv", "data/b.csv"]);
        assert_eq!(glob("*/*.jar", &list), ["lib/x.jar"]);
        assert_eq!(glob("/abs/*.jar", &list), ["/abs/y.jar"]);
        assert_eq!(glob("data/{a,c}.*", &list), ["data/a.csv", "data/c.txt"]);
        assert!(glob("nowhere/*.csv", &list).is_empty());
    }

    pub(crate) fn jar(manifest: Option<&str>) -> Vec<u8> {
        use std::io::Write as _;
        let mut out = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default();
        if let Some(m) = manifest {
            w.start_file("META-INF/MANIFEST.MF", opts).unwrap();
            w.write_all(m.as_bytes()).unwrap();
        }
        w.start_file("org/example/App.class", opts).unwrap();
        w.write_all(b"\xca\xfe").unwrap();
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn main_class_from_the_manifest() {
        let j = jar(Some(
            "Manifest-Version: 1.0\r\nMain-Class: org.example.Very\r\n LongName\r\n\r\nName: x\r\nMain-Class: no\r\n",
        ));
        assert_eq!(
            manifest_main_class(&j).unwrap().as_deref(),
            Some("org.example.VeryLongName")
        );
        assert_eq!(
            manifest_main_class(&jar(Some("Manifest-Version: 1.0\n"))).unwrap(),
            None
        );
        assert_eq!(manifest_main_class(&jar(None)).unwrap(), None);
        assert!(manifest_main_class(b"plain text").is_err());
    }

    #[test]
    fn list_entries_expand_drop_or_fail_as_spark_does() {
        let list = listing(&[
            ("", &[("data", false)]),
            ("data", &[("a.zip", true), ("b.zip", true)]),
        ]);
        let (v, dropped) = expand_list(
            "data/*.zip,s3a://b/*.jar,local:///opt/*.jar,plain.txt,none/*.csv",
            &list,
        )
        .unwrap();
        assert_eq!(
            v,
            "data/a.zip,data/b.zip,s3a://b/*.jar,local:///opt/*.jar,plain.txt"
        );
        assert_eq!(dropped, ["none/*.csv"]);
        let (v, _) = expand_list("data/a*.zip#env", &list).unwrap();
        assert_eq!(v, "data/a.zip#env");
        let e = expand_list("data/*.zip#env", &list).unwrap_err();
        assert_eq!(
            e.message,
            "data/*.zip resolves ambiguously to multiple files: data/a.zip,data/b.zip"
        );
    }
}
