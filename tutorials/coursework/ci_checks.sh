#!/usr/bin/env bash
# CI for the coursework, from the repository root: every checker must pass on the instructor's
# solutions, and must reject the untouched skeletons (every test "not implemented", nothing
# crashing) and each deliberately wrong solution (check_wrong.sh). Counted as tests: each
# solution test that passes; each assignment whose skeleton is reported wholly not implemented;
# each wrong solution rejected for the reasons its file names. Everything else is a failure.
# Ends with one line "coursework: N passed, M failed"; exit status 0 when M is 0.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=build/coursework
passed=0
failed=0
rm -f "$out"/*/grades.jsonl "$out/wrong.log"

# Counts the lines of FILE matching a pattern; a FILE that was never written (the build failed)
# counts as one failure.
count() {
    if [ -f "$2" ]; then grep -c "$1" "$2"; else echo 0; fi
}
missing() {
    [ -f "$1" ] && return 1
    echo "coursework: $1 was not written (see the build output above)"
    failed=$((failed + 1))
}

make -j2 check SOLUTIONS=1
solved=$out/tutorials_coursework_solutions/grades.jsonl
missing "$solved"
passed=$((passed + $(count '"status": "pass"' "$solved")))
failed=$((failed + $(count '"status": "\(fail\|not implemented\)"' "$solved")))
failed=$((failed + $(count '"crashed"' "$solved")))

make -j2 check WORK=tutorials/coursework
skeleton=$out/tutorials_coursework/grades.jsonl
missing "$skeleton"
while read -r line; do
    id=$(sed 's/.*"assignment": "\([^"]*\)".*/\1/' <<<"$line")
    total=$(sed 's/.*"total": \([0-9]*\).*/\1/' <<<"$line")
    missing=$(sed 's/.*"not_implemented": \([0-9]*\).*/\1/' <<<"$line")
    if [ "$missing" = "$total" ] && ! grep -q '"crashed"' <<<"$line"; then
        passed=$((passed + 1))
        echo "skeleton rejected as expected: $id (all $total tests not implemented)"
    else
        failed=$((failed + 1))
        echo "skeleton NOT rejected as expected: $id: $line"
    fi
done < <(grep -s '"not_implemented"' "$skeleton")

make -j2 check WRONG=1 2>&1 | tee "$out/wrong.log"
if ! grep -q '^wrong solutions: ' "$out/wrong.log"; then
    echo "coursework: the wrong solutions were not all built and run (see above)"
    failed=$((failed + 1))
fi
passed=$((passed + $(count '^rejected as expected: ' "$out/wrong.log")))
failed=$((failed + $(count '^NOT rejected as expected: ' "$out/wrong.log")))

echo "coursework: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
