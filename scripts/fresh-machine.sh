#!/usr/bin/env bash
# The README's promise, checked as a new user meets it: the repository cloned alone into an empty folder (nothing
# beside it, so no ../shared), Asterisk's files hidden (/usr/share/asterisk under an empty tmpfs, in a private mount
# namespace made with `unshare -rm`, no root needed), no ARI_URL, and then the README's two commands:
#
#   npm ci && npm run demo
#   npm test
#
# Usage: scripts/fresh-machine.sh [--skip-test] [REPOSITORY]   (default: the repository this script is in; its
# committed HEAD is what gets cloned). --skip-test runs only the first command (the test suite runs this way, since
# it is itself inside `npm test`). Prints one `fresh-machine:` line per step and ends with `fresh-machine: PASS` or
# `fresh-machine: FAIL (...)`; exits 0 on PASS, 1 on FAIL, 3 when `unshare -rm` is not usable here.
set -uo pipefail

skip_test=0
if [ "${1:-}" = "--skip-test" ]; then skip_test=1; shift; fi
repo=${1:-"$(cd "$(dirname "$0")/.." && pwd)"}

say() { echo "fresh-machine: $*"; }

if [ "${FRESH_MACHINE_INSIDE:-}" != 1 ]; then
  if ! unshare -rm true 2>/dev/null; then
    say "cannot run: unshare -rm (a user and mount namespace) is not permitted here"
    exit 3
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/ari-voicemail-fresh-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  say "cloning $(git -C "$repo" rev-parse --short HEAD) alone into an empty folder"
  if ! git clone --quiet --no-hardlinks "$repo" "$work/ari-voicemail"; then
    say "FAIL (git clone)"
    exit 1
  fi
  # The rest runs in its own mount namespace, where /usr/share/asterisk is an empty tmpfs.
  FRESH_MACHINE_INSIDE=1 unshare -rm env -u ARI_URL -u ARI_USERNAME -u ARI_PASSWORD \
    bash "$work/ari-voicemail/scripts/fresh-machine.sh" $([ $skip_test = 1 ] && echo --skip-test) "$work/ari-voicemail"
  exit $?
fi

# Inside the namespace, in the clone.
cd "$repo" || exit 1
if [ -d /usr/share/asterisk ]; then
  mount -t tmpfs tmpfs /usr/share/asterisk || { say "FAIL (cannot hide /usr/share/asterisk)"; exit 1; }
fi
[ -e /usr/share/asterisk/sounds ] && { say "FAIL (Asterisk's sounds still visible)"; exit 1; }
[ -e ../shared ] && { say "FAIL (something is beside the clone: ../shared)"; exit 1; }
say "Asterisk's files hidden, nothing beside the clone, ARI_URL unset"

log=$(mktemp)
failures=()
started=$SECONDS
if npm ci --no-audit --no-fund >"$log" 2>&1 && npm run demo >>"$log" 2>&1; then
  say "npm ci && npm run demo: passed ($((SECONDS - started)) s)"
else
  tail -n 30 "$log"
  say "npm ci && npm run demo: FAILED ($((SECONDS - started)) s)"
  failures+=("demo")
fi

if [ $skip_test = 1 ]; then
  say "npm test: not run (--skip-test)"
else
  started=$SECONDS
  if npm test >"$log" 2>&1; then result=passed; else result=FAILED; failures+=("npm test"); fi
  sed -i 's/\x1b\[[0-9;]*m//g' "$log" # colours off, so that lines can be read
  [ "$result" = FAILED ] && grep -E 'FAIL|Error' "$log" | head -n 30
  summary=$(grep -E '^vitest: ' "$log" | tail -n 1)
  skips=$(grep -oE 'skipped: .*' "$log" | sort -u | wc -l)
  say "npm test: $result ($((SECONDS - started)) s): ${summary:-no summary line}; $skips 'skipped:' lines"
  grep -oE 'skipped: .*' "$log" | sort -u | sed 's/^/fresh-machine:   /'
fi
rm -f "$log"

if [ ${#failures[@]} -eq 0 ]; then
  say "PASS"
  exit 0
fi
say "FAIL (${failures[*]})"
exit 1
