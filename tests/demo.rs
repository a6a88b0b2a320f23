//! `spark-k8s-cli demo`, as the README tells a new user to run it: a three-cluster fleet in
//! the process, a burst of launcher processes, one cluster down midway, a table at the end.
#![cfg(feature = "sim")]

mod common;

use common::home::Home;

#[test]
fn the_demo_runs_green_with_nothing_set_up_in_cluster_mode() {
    demo_runs_green("cluster");
}

#[test]
fn the_demo_runs_green_with_nothing_set_up_in_client_mode() {
    demo_runs_green("client");
}

fn demo_runs_green(mode: &str) {
    let home = Home::new(&format!("demo-home-{mode}"));
    let out = home
        .cli(&["demo", "--jobs", "12", "--deploy-mode", mode])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("({mode} mode)")), "{stdout}");
    assert!(
        stdout.contains("west is down") && stdout.contains("west is back"),
        "{stdout}"
    );
    let table = stdout
        .lines()
        .skip_while(|l| !l.starts_with("CLUSTER"))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>();
    assert_eq!(table.len(), 5, "{stdout}");
    assert!(
        table[4].starts_with("12 jobs, 12 succeeded, 12 drivers (one per job)"),
        "{stdout}"
    );
    // Every cluster took jobs, none held more drivers at once than its quota fits.
    for row in &table[1..4] {
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert!(cells[2].parse::<u32>().unwrap() > 0, "{row}");
        assert!(cells[3].parse::<u32>().unwrap() <= 4, "{row}");
    }
}
