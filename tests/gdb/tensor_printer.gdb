# Commands for `make test-gdb` (tests/gdb/run_printer_test.sh starts gdb stopped in inspect_here):
# each section prints one tensor of tensor_printer_program.cpp through core/tensor_gdb.py; the
# last calls glimpse::debug_print, whose text goes to the program's own output.
up-silently
echo == float32_matrix\n
print matrix
echo == transposed_view\n
print transposed
echo == narrowed_view\n
print narrowed
echo == float64_leaf_with_grad\n
print weight
echo == result_of_an_op\n
print squared
echo == int64_first_16_values\n
print counts
echo == bool_mask\n
print mask
echo == zero_dim\n
print number
echo == undefined\n
print undefined
echo == end_of_prints\n
call glimpse::debug_print(squared)
call glimpse::debug_print(transposed)
