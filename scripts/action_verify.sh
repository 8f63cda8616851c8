#!/usr/bin/env bash
# The step of the haircut GitHub action (action.yml at the repository root), runnable locally.
#
# One `haircut verify` of the publication: the text report in the log, JUnit XML to $HAIRCUT_JUNIT, the markdown
# report to $GITHUB_STEP_SUMMARY, and exit-code=<0|1|2> to $GITHUB_OUTPUT. Exit 1 (not valid) and exit 2 (could not
# run) each fail the step with their own ::error annotation.
#
# Environment (the action's inputs):
#   HAIRCUT_PUBLICATION   the publication directory (required)
#   HAIRCUT_KEYS          the keys file you pinned (required)
#   HAIRCUT_PREVIOUS      the venue's previous statement.dsse.json (optional)
#   HAIRCUT_MAX_ERRORS    how many errors the reports list (default 20)
#   HAIRCUT_LOG_PROOF     the statement's transparency-log proof (optional, with HAIRCUT_LOG_POLICY)
#   HAIRCUT_LOG_POLICY    the log policy you pinned (optional)
#   HAIRCUT_JUNIT         where to write the JUnit report (default haircut-junit.xml)
# Deno 2.9.6 is installed from npm when `deno` is missing or another version.
set -uo pipefail

DENO_VERSION=2.9.6
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# A GitHub annotation's message: %, CR and LF escaped.
annotation_text() {
  local s="$1"
  s="${s//'%'/'%25'}"
  s="${s//$'\r'/'%0D'}"
  s="${s//$'\n'/'%0A'}"
  printf '%s' "$s"
}

fail_to_run() {
  echo "::error title=haircut could not run::$(annotation_text "$1")"
  echo "exit-code=2" >>"${GITHUB_OUTPUT:-/dev/null}"
  exit 2
}

[ -n "${HAIRCUT_PUBLICATION:-}" ] || fail_to_run "the publication input is required"
[ -n "${HAIRCUT_KEYS:-}" ] || fail_to_run "the keys input is required"
if [ -n "${HAIRCUT_LOG_PROOF:-}" ] && [ -z "${HAIRCUT_LOG_POLICY:-}" ]; then
  fail_to_run "log-proof needs log-policy (the log's origin and keys you pinned)"
fi

if ! deno --version 2>/dev/null | grep -q "^deno $DENO_VERSION "; then
  npm install -g --allow-scripts=deno "deno@$DENO_VERSION" >&2 || fail_to_run "could not install deno $DENO_VERSION from npm"
fi

junit="${HAIRCUT_JUNIT:-haircut-junit.xml}"
args=(verify "$HAIRCUT_PUBLICATION" --keys "$HAIRCUT_KEYS" --max-errors "${HAIRCUT_MAX_ERRORS:-20}" --quiet --junit "$junit")
writes="$junit"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  args+=(--markdown "$GITHUB_STEP_SUMMARY")
  writes="$writes,$GITHUB_STEP_SUMMARY"
fi
[ -n "${HAIRCUT_PREVIOUS:-}" ] && args+=(--previous "$HAIRCUT_PREVIOUS")
# Passed only when given, so that the action runs on a haircut without the log flags.
[ -n "${HAIRCUT_LOG_PROOF:-}" ] && args+=(--log-proof "$HAIRCUT_LOG_PROOF")
[ -n "${HAIRCUT_LOG_POLICY:-}" ] && args+=(--log-policy "$HAIRCUT_LOG_POLICY")

stderr_file="$(mktemp)"
trap 'rm -f "$stderr_file"' EXIT
# Write permission only for the two report files, which verify opens before it drops write permission altogether.
# haircut's own deno.json and frozen lockfile apply, whatever the working directory.
deno run --config "$root/deno.json" --no-prompt --quiet --allow-read --allow-write="$writes" "$root/src/cli/main.ts" "${args[@]}" 2>"$stderr_file"
code=$?
cat "$stderr_file" >&2

case "$code" in
  0)
    echo "exit-code=0" >>"${GITHUB_OUTPUT:-/dev/null}"
    echo "haircut: the publication in $HAIRCUT_PUBLICATION is valid"
    ;;
  1)
    echo "exit-code=1" >>"${GITHUB_OUTPUT:-/dev/null}"
    echo "::error title=haircut: publication NOT valid::$(annotation_text "$HAIRCUT_PUBLICATION failed verification: a signature, the statement, a leaf or the root is wrong. The step summary and $junit list the error codes.")"
    exit 1
    ;;
  2) fail_to_run "haircut verify could not run on $HAIRCUT_PUBLICATION (nothing was verified): $(tr -s '\n' ' ' <"$stderr_file" | sed 's/ $//')" ;;
  *) fail_to_run "haircut verify ended with exit code $code" ;;
esac
