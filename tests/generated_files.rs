//! The committed generated files must match what the binary generates now.
//! Regenerate with `SPARK_K8S_CLI_BLESS=1 cargo test --test generated_files`.

mod common;

use std::path::Path;

use common::home::Home;

/// What the binary generates, run in a sandbox (nothing of this machine's config or env).
fn generated(args: &[&str]) -> String {
    let out = Home::new("generated").cli(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn check(path: &str, want: &str) -> Option<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("SPARK_K8S_CLI_BLESS").is_some() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, want).unwrap();
        return None;
    }
    match std::fs::read_to_string(&file) {
        Ok(have) if have == want => None,
        Ok(_) => Some(format!("{path} is stale")),
        Err(e) => Some(format!("{path}: {e}")),
    }
}

#[test]
fn completions_and_settings_reference_are_current() {
    let mut stale = Vec::new();
    for shell in spark_k8s_cli::completions::SHELLS {
        let name = spark_k8s_cli::completions::file_name(shell).unwrap();
        stale.extend(check(
            &format!("completions/{name}"),
            &generated(&["completions", shell]),
        ));
    }
    stale.extend(check(
        "docs/config.md",
        &generated(&["settings", "--markdown"]),
    ));
    stale.extend(check("docs/flags.md", &generated(&["flags", "--markdown"])));
    // The man pages: the binary's and each command's.
    stale.extend(check("docs/man/spark-k8s-cli.1", &generated(&["man"])));
    for name in spark_k8s_cli::completions::man_commands() {
        stale.extend(check(
            &format!("docs/man/spark-k8s-cli-{name}.1"),
            &generated(&["man", &name]),
        ));
    }
    // The least-privilege RBAC manifests, for namespace `default`.
    stale.extend(check("docs/rbac/spark-k8s-cli.yaml", &generated(&["rbac"])));
    // The exit-code table, rendered from the one mapping of outcomes to codes.
    stale.extend(check(
        "docs/exit-codes.md",
        &spark_k8s_cli::cli::exit::markdown(),
    ));
    assert!(
        stale.is_empty(),
        "{}\nregenerate: SPARK_K8S_CLI_BLESS=1 cargo test --test generated_files",
        stale.join("\n")
    );
}
