#!/usr/bin/env sh
# Builds spark-k8s-cli in release mode and installs it into $PREFIX/bin (default ~/.local).
#   ./install.sh                        install or update (idempotent)
#   ./install.sh --with-spark-aliases   also install spark-submit, spark-shell, pyspark, spark-sql
#   ./install.sh --uninstall            remove what this script installed
# Options: --prefix DIR (or PREFIX=DIR); --profile NAME (cargo profile, default release; dev
# installs the debug build tests use). Aliases never replace a file that is not ours.
set -eu

PREFIX="${PREFIX:-$HOME/.local}"
aliases=0
profile=release
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --with-spark-aliases) aliases=1 ;;
    --uninstall) uninstall=1 ;;
    --prefix) shift; PREFIX="${1:?--prefix needs a directory}" ;;
    --prefix=*) PREFIX="${1#--prefix=}" ;;
    --profile) shift; profile="${1:?--profile needs a cargo profile}" ;;
    --profile=*) profile="${1#--profile=}" ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (try --help)" >&2; exit 1 ;;
  esac
  shift
done

bin="$PREFIX/bin"
share="$PREFIX/share"
names="spark-submit spark-shell pyspark spark-sql"
completion_files="$share/bash-completion/completions/spark-k8s-cli $share/zsh/site-functions/_spark-k8s-cli $share/fish/vendor_completions.d/spark-k8s-cli.fish"

is_ours() { [ -L "$1" ] && [ "$(readlink "$1")" = "spark-k8s-cli" ]; }

if [ "$uninstall" = 1 ]; then
  for n in $names; do
    if is_ours "$bin/$n"; then rm -f "$bin/$n"; echo "removed $bin/$n"; fi
  done
  for f in "$bin/spark-k8s-cli" $completion_files "$share"/man/man1/spark-k8s-cli.1 "$share"/man/man1/spark-k8s-cli-*.1; do
    if [ -e "$f" ]; then rm -f "$f"; echo "removed $f"; fi
  done
  exit 0
fi

here="$(cd "$(dirname "$0")" && pwd)"
cargo build --profile "$profile" --locked --manifest-path "$here/Cargo.toml"
# Cargo's output directory of a profile: dev builds into debug.
case "$profile" in dev|test) out=debug ;; bench) out=release ;; *) out="$profile" ;; esac
built="${CARGO_TARGET_DIR:-$here/target}/$out/spark-k8s-cli"
mkdir -p "$bin" "$share/bash-completion/completions" "$share/zsh/site-functions" "$share/fish/vendor_completions.d"
# Install through a temporary name, then rename: a running copy is never half-written.
cp "$built" "$bin/.spark-k8s-cli.new"
chmod 0755 "$bin/.spark-k8s-cli.new"
mv -f "$bin/.spark-k8s-cli.new" "$bin/spark-k8s-cli"
cp "$here/completions/spark-k8s-cli.bash" "$share/bash-completion/completions/spark-k8s-cli"
cp "$here/completions/_spark-k8s-cli" "$share/zsh/site-functions/_spark-k8s-cli"
cp "$here/completions/spark-k8s-cli.fish" "$share/fish/vendor_completions.d/spark-k8s-cli.fish"
# The man pages (docs/man, generated from the same definitions as --help): man spark-k8s-cli-doctor.
mkdir -p "$share/man/man1"
cp "$here"/docs/man/*.1 "$share/man/man1/"
echo "installed $bin/spark-k8s-cli"

if [ "$aliases" = 1 ]; then
  for n in $names; do
    if [ -e "$bin/$n" ] && ! is_ours "$bin/$n"; then
      echo "skipped $bin/$n: a file that is not ours is there (remove it to alias)" >&2
      continue
    fi
    ln -sfn spark-k8s-cli "$bin/$n"
    echo "installed $bin/$n -> spark-k8s-cli"
  done
fi

case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "note: $bin is not on PATH; add it: export PATH=\"$bin:\$PATH\"" ;;
esac
