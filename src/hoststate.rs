//! hoststate: small JSON files the launchers of one host share, under an exclusive file lock
//! (`$XDG_STATE_HOME/spark-k8s-cli/`, else `~/.local/state/spark-k8s-cli/`).

use std::io::Write;
use std::path::PathBuf;

/// The state file `name` for this environment (`XDG_STATE_HOME`, else `HOME`); `None` when
/// neither is set. `env` is `resolve::Env`'s shape: hoststate sits below every stage.
pub fn path(env: &std::collections::BTreeMap<String, String>, name: &str) -> Option<PathBuf> {
    let base = env
        .get("XDG_STATE_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            env.get("HOME")
                .map(|h| std::path::Path::new(h).join(".local/state"))
        })?;
    Some(base.join("spark-k8s-cli").join(name))
}

/// Reads, changes and writes the state at `path` under an exclusive lock (the file itself), so
/// launchers started together take turns. Without a usable file the change applies to a state
/// of this call only.
pub fn with<T, R>(path: Option<&std::path::Path>, f: impl FnOnce(&mut T) -> R) -> R
where
    T: Default + serde::Serialize + serde::de::DeserializeOwned,
{
    let Some(path) = path else {
        return f(&mut T::default());
    };
    let file = path.parent().and_then(|dir| {
        std::fs::create_dir_all(dir).ok()?;
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .ok()
    });
    let Some(mut file) = file else {
        return f(&mut T::default());
    };
    if file.lock().is_err() {
        return f(&mut T::default());
    }
    let mut text = String::new();
    let _ = std::io::Read::read_to_string(&mut file, &mut text);
    let mut state: T = serde_json::from_str(&text).unwrap_or_default();
    let out = f(&mut state);
    if let Ok(json) = serde_json::to_vec(&state) {
        use std::io::Seek;
        let _ = file.set_len(0);
        let _ = file.seek(std::io::SeekFrom::Start(0));
        let _ = file.write_all(&json);
    }
    let _ = file.unlock();
    out
}
