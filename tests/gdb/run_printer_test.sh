#!/bin/sh
# make test-gdb: runs tests/gdb/tensor_printer_program under gdb in batch mode with the Tensor
# printer loaded, stops in inspect_here() after every tensor is made, prints each one
# (tests/gdb/tensor_printer.gdb) and calls glimpse::debug_print. Each "== name" section of
# tests/gdb/tensor_printer.expected must match gdb's text exactly; the debug_print section is the
# program's own output. Ends with a summary line in doctest's form, which .ci/run counts.
#
#     sh tests/gdb/run_printer_test.sh PROGRAM PRINTER
set -u
program=$1
printer=$2
expected=tests/gdb/tensor_printer.expected
actual=$program.out
program_output=$program.program-output

gdb -batch -nx -x "$printer" -ex 'break inspect_here' -ex "run > $program_output" \
    -x tests/gdb/tensor_printer.gdb "$program" >"$actual" 2>&1
{ echo "== debug_print"; cat "$program_output" 2>/dev/null; } >>"$actual"

# The lines of section $1 of file $2: from "== $1" up to the next "== " line.
section() {
    awk -v header="== $1" '$0 == header { on = 1; next } /^== / { on = 0 } on' "$2"
}

passed=0
failed=0
for name in $(sed -n 's/^== //p' "$expected"); do
    want=$(section "$name" "$expected")
    got=$(section "$name" "$actual")
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'gdb printer FAILED: %s\n  expected:\n%s\n  gdb printed:\n%s\n' "$name" "$want" "$got"
    fi
done
if [ "$passed" = 0 ]; then
    failed=$((failed + 1))
    echo "gdb printer FAILED: no cases found in $expected"
fi
[ "$failed" = 0 ] || echo "(gdb's whole output: $actual)"
echo "[gdb] test cases: $((passed + failed)) | $passed passed | $failed failed | 0 skipped"
[ "$failed" = 0 ]
