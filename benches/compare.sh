#!/usr/bin/env bash
# Every benchmark of two checkouts, old then new for each, on one quiet machine: the before and
# after a change must quote (issue acceptance: no figure more than 5% worse).
# Usage: benches/compare.sh OLD_CHECKOUT NEW_CHECKOUT OUT_DIR   (e.g. a `git worktree` of the
# base commit); each table lands in OUT_DIR/BENCH.old.txt and OUT_DIR/BENCH.new.txt.
set -u
old=$1 new=$2 out=$3
mkdir -p "$out"
for spec in "-p kubesim:throughput" "-p kubesim:log_volume" ":dry_run" ":submit" ":queue" ":fleet" ":alerts"; do
  pkg=${spec%%:*}; bench=${spec#*:}
  feat=""; [ -z "$pkg" ] && feat="--features sim"
  for side in old new; do
    dir=$old; [ $side = new ] && dir=$new
    echo "== $bench $side $(date +%T)" | tee -a "$out/progress"
    ( cd "$dir" && timeout 1500 cargo bench --locked $pkg $feat --bench "$bench" ) > "$out/$bench.$side.txt" 2>&1
    echo "rc=$?" >> "$out/$bench.$side.txt"
  done
done
echo done | tee -a "$out/progress"
