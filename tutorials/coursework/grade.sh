#!/usr/bin/env bash
# Runs the coursework checker once per assignment (so that a crash stays within one) and prints
# the grading summary: "a1 8/9, a2 0/7 (not implemented), ..., total 8/16".
# usage: grade.sh CHECKER JSONL [aN ...]     (every assignment when none is given)
# JSONL is rewritten: one JSON line per test, one per assignment, and a last one for the total.
# Exit status 0 when every test of every assignment run passed.
set -uo pipefail
checker=$1
jsonl=$2
shift 2
ids=("$@")
[ ${#ids[@]} -gt 0 ] || mapfile -t ids < <("$checker" --assignments)
: >"$jsonl"
status=0
for id in "${ids[@]}"; do
    "$checker" "$id" --jsonl "$jsonl"
    rc=$?
    if [ "$rc" -gt 1 ]; then
        total=$("$checker" "$id" --list | wc -l)
        echo "$id crashed (exit status $rc): 0/$total"
        printf '{"assignment": "%s", "passed": 0, "total": %d, "not_implemented": 0, "crashed": true}\n' \
            "$id" "$total" >>"$jsonl"
    fi
    [ "$rc" -eq 0 ] || status=1
done
# The assignment lines: {"assignment": "a1", "passed": 8, "total": 9, "not_implemented": 0...}
awk -F'[:,]' '/"passed"/ {
    id = $2; gsub(/[" ]/, "", id)
    passed = $4 + 0; total = $6 + 0; missing = $8 + 0
    note = /"crashed"/ ? " (crashed)" : (missing == total ? " (not implemented)" : "")
    line = line (line == "" ? "" : ", ") id " " passed "/" total note
    all_passed += passed; all_total += total
} END {
    print "grading: " line ", total " all_passed "/" all_total
    printf "{\"assignment\": \"total\", \"passed\": %d, \"total\": %d}\n", all_passed, all_total >> FILENAME
}' "$jsonl"
echo "(JSON lines for an autograder: $jsonl)"
exit "$status"
