#!/usr/bin/env bash
# Builds Kefu and runs all of its checks:
#   1. installs the Debian packages the tests need (see DEBIAN_PACKAGES),
#   2. builds Kefu.sln in Release with warnings as errors (and the benchmarks, if they are not in the solution),
#   3. runs every test project tests/*Tests/*.csproj and counts its results from TRX files,
#   4. packs Kefu.sln into artifacts/ and checks that every project under src/ produced a package,
#   5. builds and runs tests/PackageConsumer outside the repository against those packages, with README.md's
#      embedding example as its Program.cs; it also checks each package's contents (README.md, XML docs, licence),
#   6. smoke-runs the engine micro-benchmarks with a dry job.
# Every check counts as a test. The last line printed is "N passed, N failed" (", N skipped" follows when some
# tests were skipped), and the exit code is 0 only if nothing failed.
#
# Needs only the .NET SDK on a Debian machine; honours CI=true (less console output, never prompts).
# Environment knobs: TEST_PROJECT_TIMEOUT (seconds per test project, default 2700), TEST_HANG_TIMEOUT (one test,
# default 10m), BENCHMARK_TIMEOUT (seconds, default 600), CONSUMER_TIMEOUT (seconds, default 600).
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)" || exit 1
cd "$REPO_ROOT" || exit 1

# Debian packages the tests need. Uncomment or add a line when a test needs a server or a tool.
DEBIAN_PACKAGES=(
  postgresql # the PostgreSQL adapter tests start a private server with its initdb and pg_ctl (/usr/lib/postgresql/*/bin)
  rabbitmq-server # the cluster tests start a private RabbitMQ node (/usr/lib/rabbitmq/bin) with its own epmd and ports
  chromium # the browser tests drive Debian's /usr/bin/chromium through Microsoft.Playwright (nothing downloaded)
  libreoffice-calc # the xlsx export test converts a workbook to CSV with LibreOffice
)

CONFIGURATION=Release
SOLUTION=Kefu.sln
ARTIFACTS_DIR="$REPO_ROOT/artifacts"
CONSUMER_TEMPLATE="$REPO_ROOT/tests/PackageConsumer"
README_FILE="$REPO_ROOT/README.md"
README_START='<!-- embedding-example:start -->'
README_END='<!-- embedding-example:end -->'
BENCHMARK_DIR=benchmarks/Kefu.Benchmarks
BENCHMARK_PROJECT="$BENCHMARK_DIR/Kefu.Benchmarks.csproj"
NUGET_ORG='https://api.nuget.org/v3/index.json'
TEST_PROJECT_TIMEOUT="${TEST_PROJECT_TIMEOUT:-2700}"
TEST_HANG_TIMEOUT="${TEST_HANG_TIMEOUT:-10m}"
BENCHMARK_TIMEOUT="${BENCHMARK_TIMEOUT:-600}"
CONSUMER_TIMEOUT="${CONSUMER_TIMEOUT:-600}"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE=1 DEBIAN_FRONTEND=noninteractive
# Screenshots of failed browser-test steps are kept here (artifacts/ is ignored by git).
export KEFU_SCREENSHOTS="$REPO_ROOT/artifacts/screenshots"

if [[ -n "${CI:-}" && "${CI,,}" != false && "${CI}" != 0 ]]; then IS_CI=true; else IS_CI=false; fi

PASSED=0
FAILED=0
SKIPPED=0
FAILURES=()
APT_UPDATED=false
START_SECONDS=$SECONDS

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/kefu-test.XXXXXXXX")" || { echo "cannot create a temporary directory"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { rm -rf -- "$WORK_DIR"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- output and counting

step() { printf '\n==> %s  [%ds]\n' "$*" "$((SECONDS - START_SECONDS))"; }
note() { printf '    %s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); printf 'PASS  %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); FAILURES+=("$1"); printf 'FAIL  %s\n' "$1"; }
indent() { sed 's/^/    | /'; }

# Prints the failures and the closing count line (always the last line of output), and exits.
finish() {
  local line
  printf '\n'
  if ((${#FAILURES[@]} > 0)); then
    echo "Failed:"
    printf '  - %s\n' "${FAILURES[@]}"
  fi
  echo "Finished in $((SECONDS - START_SECONDS))s."
  line="$PASSED passed, $FAILED failed"
  if ((SKIPPED > 0)); then line+=", $SKIPPED skipped"; fi
  echo "$line"
  if ((FAILED > 0)); then exit 1; fi
  exit 0
}

# ---- environment

# ensure_debian_packages PKG...: installs those of the Debian packages that are not installed yet (one apt-get update
# first), as root or through sudo. Returns non-zero if it cannot.
ensure_debian_packages() {
  local pkg missing=() sudo=()
  if (($# == 0)); then return 0; fi
  if ! command -v dpkg >/dev/null 2>&1; then
    note "no dpkg here: not a Debian system, make sure these are installed: $*"
    return 0
  fi
  for pkg in "$@"; do
    if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then missing+=("$pkg"); fi
  done
  if ((${#missing[@]} == 0)); then
    note "Debian packages present: $*"
    return 0
  fi
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo -n)
    else
      echo "error: installing ${missing[*]} needs root, and sudo is not installed" >&2
      return 1
    fi
  fi
  note "installing Debian packages: ${missing[*]}"
  if [[ "$APT_UPDATED" != true ]]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
    APT_UPDATED=true
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" || return 1
}

# ---- test projects

# trx_counter FILE NAME: the value of attribute NAME of the <Counters> element of a TRX file (0 if absent).
trx_counter() {
  local value
  value="$(tr '\n\r' '  ' <"$1" | grep -o '<Counters [^>]*>' | head -n 1 | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9][0-9]*')"
  echo "${value:-0}"
}

# run_test_project CSPROJ: runs one test project and adds its TRX counts to the totals. A project that exits
# non-zero without a failed test (a crash, a hang, no TRX) counts as one failed test.
run_test_project() {
  local project="$1" name results rc trx files=() p=0 f=0 s=0 t=0 args skipped not_run
  name="$(basename "$project" .csproj)"
  results="$WORK_DIR/test-results/$name"
  mkdir -p "$results"
  step "Testing $name"
  args=(test "$project" --no-build -c "$CONFIGURATION" --results-directory "$results" --logger trx
    --blame-hang-timeout "$TEST_HANG_TIMEOUT" --blame-hang-dump-type none)
  if [[ "$IS_CI" != true ]]; then args+=(--logger 'console;verbosity=normal'); fi
  timeout --kill-after=60 "$TEST_PROJECT_TIMEOUT" dotnet "${args[@]}" </dev/null
  rc=$?
  while IFS= read -r -d '' trx; do files+=("$trx"); done < <(find "$results" -name '*.trx' -print0)
  for trx in "${files[@]}"; do
    t=$((t + $(trx_counter "$trx" total)))
    p=$((p + $(trx_counter "$trx" passed)))
    f=$((f + $(trx_counter "$trx" failed) + $(trx_counter "$trx" error) + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted)))
    # Skipped tests: VSTest reports them as results with outcome NotExecuted but leaves the notExecuted counter at
    # 0, and counts them in total but not in executed.
    skipped=$(trx_counter "$trx" notExecuted)
    not_run=$(($(trx_counter "$trx" total) - $(trx_counter "$trx" executed)))
    s=$((s + (not_run > skipped ? not_run : skipped)))
  done
  if ((${#files[@]} == 0)); then
    note "$name wrote no TRX file (exit code $rc)"
  fi
  if ((rc != 0 && f == 0)); then
    note "$name exited with code $rc without a failed test (crash, hang or time-out): counted as 1 failed"
    f=1
  elif ((rc == 0 && t == 0)); then
    note "warning: $name ran no test"
  fi
  PASSED=$((PASSED + p))
  SKIPPED=$((SKIPPED + s))
  if ((f > 0)); then
    FAILED=$((FAILED + f))
    FAILURES+=("$name: $f failed")
  fi
  printf '%s  %s: %d passed, %d failed, %d skipped\n' "$( ((f > 0)) && echo FAIL || echo PASS)" "$name" "$p" "$f" "$s"
}

# ---- packages

# extract_readme_example: prints the ```csharp block between the embedding-example markers of README.md.
extract_readme_example() {
  if [[ ! -f "$README_FILE" ]]; then
    echo "README.md does not exist" >&2
    return 1
  fi
  awk -v start="$README_START" -v stop="$README_END" '
    { sub(/\r$/, "") }
    index($0, start) { region = 1; next }
    index($0, stop) { region = 0; fence = 0; next }
    region && !fence && !done && /^[ \t]*```[ \t]*(csharp|cs|c#)[ \t]*$/ { fence = 1; next }
    region && fence && /^[ \t]*```[ \t]*$/ { fence = 0; done = 1; next }
    region && fence { print; found = 1 }
    END { exit found ? 0 : 1 }
  ' "$README_FILE" || {
    echo "README.md has no \`\`\`csharp block between the lines $README_START and $README_END" >&2
    return 1
  }
}

xml_escape() {
  local s="$1"
  s="${s//&/&amp;}"; s="${s//</&lt;}"; s="${s//>/&gt;}"; s="${s//\"/&quot;}"
  printf '%s' "$s"
}

# run_package_consumer VERSION: builds tests/PackageConsumer in a temporary directory outside the repository, with
# README.md's embedding example as Program.cs and the Kefu packages of VERSION from artifacts/, and runs it.
run_package_consumer() {
  local version="$1" dir="$WORK_DIR/consumer" log="$WORK_DIR/consumer.log" name="package consumer (README embedding example)" rc cache
  step "Running the README embedding example against the packages ($version)"
  if ! cp -R "$CONSUMER_TEMPLATE" "$dir"; then
    fail "$name: cannot copy $CONSUMER_TEMPLATE"
    return
  fi
  rm -rf -- "${dir:?}/bin" "${dir:?}/obj"
  if ! extract_readme_example >"$dir/Program.cs" 2>"$log"; then
    indent <"$log"
    fail "$name: no example in README.md"
    return
  fi
  cat >"$dir/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="kefu-artifacts" value="$(xml_escape "$ARTIFACTS_DIR")" />
    <add key="nuget.org" value="$NUGET_ORG" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="kefu-artifacts">
      <package pattern="Kefu.*" />
    </packageSource>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF
  # A package of the same version restored earlier must not stand in for the one just packed.
  cache="$(cd "$dir" && dotnet nuget locals global-packages --list 2>/dev/null | sed -n 's/^global-packages: *//p')"
  cache="${cache%/}"
  cache="${cache:-${NUGET_PACKAGES:-${HOME:-}/.nuget/packages}}"
  note "removing $cache/kefu.*"
  rm -rf -- "$cache"/kefu.*
  (cd "$dir" && KEFU_PACKAGES_DIR="$ARTIFACTS_DIR" timeout --kill-after=30 "$CONSUMER_TIMEOUT" \
    dotnet run -c "$CONFIGURATION" --property:KefuVersion="$version" </dev/null) >"$log" 2>&1
  rc=$?
  indent <"$log"
  if ((rc == 0)) && grep -q 'conversation' "$log"; then
    pass "$name"
  elif ((rc == 0)); then
    fail "$name: its output does not mention \"conversation\""
  else
    fail "$name: exit code $rc"
  fi
}

# check_packages: packs the solution into artifacts/, checks that every project under src/ produced a package, and
# runs the package consumer.
check_packages() {
  local project name nupkg version="" found
  step "Packing $SOLUTION into artifacts/"
  mkdir -p "$ARTIFACTS_DIR"
  rm -f -- "$ARTIFACTS_DIR"/*.nupkg "$ARTIFACTS_DIR"/*.snupkg
  if ! dotnet pack "$SOLUTION" -c "$CONFIGURATION" --no-build -o "$ARTIFACTS_DIR" </dev/null; then
    fail "dotnet pack $SOLUTION"
    fail "package consumer (README embedding example): nothing to consume"
    return
  fi
  while IFS= read -r -d '' project; do
    name="$(basename "$project" .csproj)"
    found=""
    for nupkg in "$ARTIFACTS_DIR/$name".[0-9]*.nupkg; do
      if [[ -f "$nupkg" ]]; then found="$nupkg"; fi
    done
    if [[ -n "$found" ]]; then
      pass "pack: ${project#./} -> $(basename "$found")"
      if [[ -z "$version" || "$name" == Kefu.Core ]]; then
        version="$(basename "$found" .nupkg)"
        version="${version#"$name".}"
      fi
    else
      fail "pack: ${project#./} produced no $name.<version>.nupkg (is it in $SOLUTION and packable?)"
    fi
  done < <(find ./src -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z)
  if [[ -z "$version" ]]; then
    fail "package consumer (README embedding example): no Kefu package to consume"
    return
  fi
  run_package_consumer "$version"
}

# ---- benchmarks

run_benchmark_smoke() {
  local log="$WORK_DIR/benchmarks.log" name="benchmark smoke run (micro, *Engine*, dry job)" rc
  step "Smoke-running the engine benchmarks"
  (timeout --kill-after=30 "$BENCHMARK_TIMEOUT" dotnet run -c "$CONFIGURATION" --no-build --project "$BENCHMARK_DIR" \
    -- micro --filter '*Engine*' --job dry --buildTimeout 600 </dev/null) >"$log" 2>&1
  rc=$?
  if ((rc == 0)); then
    tail -n 25 "$log" | indent
    pass "$name"
  else
    tail -n 150 "$log" | indent
    if ((rc == 124 || rc == 137)); then note "timed out after ${BENCHMARK_TIMEOUT}s"; fi
    fail "$name: exit code $rc"
  fi
}

# ---- main

step "Checking the environment"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK (dotnet) is not on PATH"
  fail "environment: dotnet not found"
  finish
fi
note "dotnet $(dotnet --version 2>/dev/null), CI=$IS_CI"
if ! ensure_debian_packages "${DEBIAN_PACKAGES[@]}"; then
  fail "environment: cannot install the Debian packages ${DEBIAN_PACKAGES[*]}"
  finish
fi

step "Building $SOLUTION ($CONFIGURATION, warnings as errors)"
if ! dotnet build "$SOLUTION" -c "$CONFIGURATION" -warnaserror </dev/null; then
  fail "build of $SOLUTION"
  finish
fi

BENCHMARKS_BUILT=false
if [[ -f "$BENCHMARK_PROJECT" ]]; then
  if grep -q 'Kefu.Benchmarks.csproj' "$SOLUTION"; then
    BENCHMARKS_BUILT=true
  else
    step "Building $BENCHMARK_PROJECT (not in $SOLUTION)"
    if dotnet build "$BENCHMARK_PROJECT" -c "$CONFIGURATION" -warnaserror </dev/null; then
      BENCHMARKS_BUILT=true
    else
      fail "build of $BENCHMARK_PROJECT"
    fi
  fi
fi

shopt -s nullglob
TEST_PROJECTS=(tests/*Tests/*.csproj)
shopt -u nullglob
if ((${#TEST_PROJECTS[@]} == 0)); then
  note "warning: no test project under tests/"
fi
for project in "${TEST_PROJECTS[@]}"; do
  run_test_project "$project"
done

check_packages

if [[ "$BENCHMARKS_BUILT" == true ]]; then
  run_benchmark_smoke
elif [[ ! -f "$BENCHMARK_PROJECT" ]]; then
  note "no $BENCHMARK_PROJECT: benchmark smoke run not done"
fi

finish
