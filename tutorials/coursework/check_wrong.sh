#!/usr/bin/env bash
# Proves that each deliberately wrong solution is rejected, and for the right reason: its checker
# (built by `make check WRONG=1`, one binary per file of wrong/) must exit with a failure, not a
# crash, and must report FAIL for every test that the file's header names in a line
#   // The checker must fail: <test name>
# usage: check_wrong.sh BINARIES_DIR WRONG_SOURCES_DIR
# Ends with "wrong solutions: N rejected as expected, M not"; exit status 0 when M is 0.
set -uo pipefail
binaries=$1
sources=$2
rejected=0
missed=0
for source in "$sources"/a[0-9]_*.cpp; do
    name=$(basename "$source" .cpp)
    id=${name%%_*}
    output=$("$binaries/$name" "$id" 2>&1)
    rc=$?
    problems=()
    [ "$rc" -eq 1 ] || problems+=("the checker exited with status $rc, expected 1 (a failure)")
    mapfile -t expected < <(sed -n 's|^// The checker must fail: ||p' "$source")
    [ ${#expected[@]} -gt 0 ] || problems+=("the file names no test that must fail")
    for test in "${expected[@]}"; do
        grep -qxF "  FAIL  $test" <<<"$output" || problems+=("not FAIL: $test")
    done
    if [ ${#problems[@]} -eq 0 ]; then
        rejected=$((rejected + 1))
        echo "rejected as expected: wrong/$name.cpp"
        # Each FAIL and the first lines of what it says.
        awk '/^  FAIL  / { shown = 0; print "    " $0; next }
             /^        / && shown < 3 && shown >= 0 { shown++; print "    " $0; next }
             { shown = -1 }' <<<"$output"
    else
        missed=$((missed + 1))
        echo "NOT rejected as expected: wrong/$name.cpp"
        printf '    %s\n' "${problems[@]}"
        sed 's/^/    | /' <<<"$output"
    fi
done
echo "wrong solutions: $rejected rejected as expected, $missed not"
[ "$missed" -eq 0 ]
