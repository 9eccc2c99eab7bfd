#!/usr/bin/env bash
# The shell part of the spawnguard GitHub Action (action.yml): installs the
# spawnguard-lint package, lints the build's compile database through
# per-TU summaries (so the findings are rendered twice, to the log and to
# SARIF, from one parse), leaves the SARIF for github/codeql-action/upload-sarif
# and fails on findings if asked. Inputs come as environment variables:
#
#   SPAWNGUARD_BUILD_DIR         build directory with compile_commands.json (build)
#   SPAWNGUARD_CHECKS            --checks globs ('' = the configuration's)
#   SPAWNGUARD_BASELINE          baseline file ('' = none): only findings not in it count
#   SPAWNGUARD_SARIF             where the SARIF goes (spawnguard.sarif)
#   SPAWNGUARD_FAIL_ON_FINDINGS  true | false (true)
#   SPAWNGUARD_CHANGED_SINCE     git ref: re-lint only the TUs changed since it, reusing the
#                                other TUs' summaries from SPAWNGUARD_SUMMARIES_DIR ('' = all)
#   SPAWNGUARD_SUMMARIES_DIR     where the summaries are kept (BUILD_DIR/spawnguard-summaries)
#   SPAWNGUARD_CACHE_DIR         the lint's result cache, --cache-dir (BUILD_DIR/spawnguard-cache;
#                                'off' = none): unchanged units reuse their findings and summaries
#   SPAWNGUARD_PACKAGE           spawnguard-lint .deb path or URL ('' = spawnguard-lint on PATH,
#                                else the release asset of SPAWNGUARD_ACTION_REPOSITORY@SPAWNGUARD_ACTION_REF)
#   SPAWNGUARD_INSTALL_ROOT      unpack the package here instead of apt-installing it
#                                (install-package.sh --root; the tests use it)
# Exit status: 0, 1 (findings, with fail-on-findings true), 2 (could not lint; the reason is named).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fail() { echo "spawnguard: $*" >&2; exit 2; }
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi; }

build_dir=${SPAWNGUARD_BUILD_DIR:-build}
checks=${SPAWNGUARD_CHECKS:-}
baseline=${SPAWNGUARD_BASELINE:-}
sarif=${SPAWNGUARD_SARIF:-spawnguard.sarif}
fail_on_findings=${SPAWNGUARD_FAIL_ON_FINDINGS:-true}
changed_since=${SPAWNGUARD_CHANGED_SINCE:-}
summaries=${SPAWNGUARD_SUMMARIES_DIR:-$build_dir/spawnguard-summaries}
cache=${SPAWNGUARD_CACHE_DIR:-$build_dir/spawnguard-cache}
package=${SPAWNGUARD_PACKAGE:-}

case $fail_on_findings in
  true|false) ;;
  *) fail "fail-on-findings is '$fail_on_findings': use true or false" ;;
esac
[ -f "$build_dir/compile_commands.json" ] ||
  fail "no $build_dir/compile_commands.json: configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON first, or set build-dir"
[ -z "$baseline" ] || [ -f "$baseline" ] ||
  fail "baseline '$baseline' does not exist: record one with spawnguard-lint -p $build_dir --write-baseline $baseline"
root=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
build_dir=$(cd "$build_dir" && pwd)

# Install the lint.
if [ -z "$package" ] && ! command -v spawnguard-lint >/dev/null; then
  if [ -z "${SPAWNGUARD_ACTION_REPOSITORY:-}" ] || [ -z "${SPAWNGUARD_ACTION_REF:-}" ]; then
    fail "spawnguard-lint is not installed and no package is given: set the action's 'package' input"
  fi
  version=${SPAWNGUARD_ACTION_REF#v}
  package="https://github.com/$SPAWNGUARD_ACTION_REPOSITORY/releases/download/$SPAWNGUARD_ACTION_REF/spawnguard-lint_${version}_$(dpkg --print-architecture).deb"
fi
if [ -n "$package" ]; then
  if [[ $package == http://* || $package == https://* ]]; then
    download=$(mktemp -d)
    echo "spawnguard: downloading $package"
    curl -fsSL -o "$download/${package##*/}" "$package" || fail "could not download $package"
    package=$download/${package##*/}
  fi
  if [ -n "${SPAWNGUARD_INSTALL_ROOT:-}" ]; then
    bash "$here/install-package.sh" --root "$SPAWNGUARD_INSTALL_ROOT" "$package" || exit 2
    PATH=$(cd "$SPAWNGUARD_INSTALL_ROOT" && pwd)/usr/bin:$PATH
  else
    bash "$here/install-package.sh" "$package" || exit 2
  fi
fi
spawnguard-lint --version

# Which translation units to parse: all, or with a ref only those changed since it.
shard=(spawnguard-lint -p "$build_dir" --jobs "$(nproc)" --summaries-dir "$summaries")
[ -z "$checks" ] || shard+=(--checks "$checks")
[ "$cache" = off ] || shard+=(--cache-dir "$cache")
relint_all() {
  rm -rf "$summaries"
  mkdir -p "$summaries"
  printf '%s\n' "$checks" >"$summaries/checks"
  echo "spawnguard: linting every translation unit of $build_dir/compile_commands.json"
  "${shard[@]}" || fail "the lint could not parse every translation unit (above)"
}
partial=0
if [ -n "$changed_since" ]; then
  git rev-parse --verify --quiet "$changed_since^{commit}" >/dev/null ||
    fail "changed-since '$changed_since' is not a commit here (fetch it: actions/checkout with fetch-depth: 0)"
  if compgen -G "$summaries/*.summary.json" >/dev/null && [ "$(cat "$summaries/checks" 2>/dev/null)" = "$checks" ]; then
    partial=1
  fi
fi
if [ "$partial" -eq 1 ]; then
  mapfile -t changed < <(cd "$root" && { git diff --name-only "$changed_since" --; git ls-files --others --exclude-standard; } |
    sort -u | sed "s|^|$root/|")
  units=()
  for file in "${changed[@]}"; do
    if grep -qF "\"file\": \"$file\"" "$build_dir/compile_commands.json"; then
      units+=("$file")
    elif [[ $file =~ \.(h|hh|hpp|hxx|h\+\+|ipp|inl|tpp|inc)$ ]]; then
      # A header reaches units we cannot name without their includes: all of them.
      echo "spawnguard: header ${file#"$root"/} changed since $changed_since"
      partial=0
      break
    fi
  done
fi
if [ "$partial" -eq 1 ]; then
  echo "spawnguard: ${#units[@]} translation unit(s) changed since $changed_since; the others' summaries are reused"
  for unit in "${units[@]}"; do
    grep -lF "\"translationUnit\": \"$unit\"" "$summaries"/*.summary.json | xargs -r rm -f
  done
  if [ ${#units[@]} -gt 0 ]; then
    "${shard[@]}" "${units[@]}" || fail "the lint could not parse every changed translation unit (above)"
  fi
else
  relint_all
fi

# One merge per rendering; a reused summary that is stale or of another
# version makes the merge refuse (exit 2): then everything is linted again.
merge=(spawnguard-lint --merge "$summaries" --root "$root")
[ -z "$baseline" ] || merge+=(--baseline "$baseline")
mkdir -p "$(dirname "$sarif")"
set +e
"${merge[@]}" --format sarif -o "$sarif"
status=$?
if [ "$status" -eq 2 ] && [ "$partial" -eq 1 ]; then
  echo "spawnguard: the kept summaries cannot be merged (above); linting everything"
  set -e
  relint_all
  set +e
  "${merge[@]}" --format sarif -o "$sarif"
  status=$?
fi
[ "$status" -ne 2 ] || fail "the merge failed (above)"
text=$("${merge[@]}")
set -e
printf '%s\n' "$text"
findings=$(grep -cE ': warning: .*\[spawnguard-[a-z-]+\]$' <<<"$text" || true)
echo "spawnguard: $findings finding(s); SARIF in $sarif"
output sarif "$sarif"
output findings "$findings"
if [ "$status" -eq 1 ] && [ "$fail_on_findings" = true ]; then
  exit 1
fi
exit 0
