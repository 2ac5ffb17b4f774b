// Tutorial 01: tensors — shapes, strides, views and broadcasting.
//
// A tensor is a block of numbers in memory (its storage) plus a description of how to read it:
// a shape (how many elements along each dim), strides (how many elements to skip in storage to
// move one step along each dim) and an offset (where the first element is). Almost everything
// that looks like moving data around — transposing, slicing, adding a dim — only changes that
// description. This chapter shows it by printing the description next to the numbers.

#include "glimpse.hpp"
#include "tutorials/tutorial.hpp"

using namespace glimpse;

// Storage, shape, strides and offset of a tensor, on one line.
static void describe_layout(std::string_view name, const Tensor& t) {
    fmt::print("{:<12} shape={} strides={} offset={} contiguous={}\n", name, shape_str(t.shape()),
               shape_str(t.strides()), t.offset(), t.is_contiguous() ? "yes" : "no");
}

static bool same_storage(const Tensor& a, const Tensor& b) {
    return a.impl()->storage == b.impl()->storage;
}

int main(int argc, char** argv) {
    tutorial::Chapter chapter(argc, argv, "Tutorial 01: tensors, strides, views, broadcasting");

    chapter.step("a tensor is storage + shape + strides");
    // Six numbers in memory, read as 2 rows of 3. Row-major: the last dim moves fastest, so
    // stepping one column skips 1 element and stepping one row skips 3.
    Tensor x = tensor({1, 2, 3, 4, 5, 6}, {2, 3});
    fmt::print("{}\n", x);
    describe_layout("x", x);
    fmt::print("element [i, j] lives at offset + i*{} + j*{}\n", x.strides()[0], x.strides()[1]);

    chapter.step("transpose is a view: swap the strides, copy nothing");
    Tensor xt = x.t();  // [3, 2]
    fmt::print("{}\n", xt);
    describe_layout("x.t()", xt);
    fmt::print("same storage as x: {}\n", same_storage(x, xt) ? "yes" : "no");
    fmt::print(
        "Reading xt row by row now jumps around storage: it is not contiguous.\n"
        "Writing through a view changes the original: fill row 1 of x's transpose...\n");
    fill_(xt.select(1, 1), 0.0);  // xt[:, 1] is x[1, :]
    fmt::print("{}\n", x);

    chapter.step("narrow, select and expand are views too");
    Tensor grid = arange(0.0, 12.0, 1.0).view({3, 4});  // [3, 4]
    fmt::print("{}\n", grid);
    Tensor middle = grid.narrow(1, 1, 2);  // columns 1..2: [3, 2]
    describe_layout("narrow", middle);
    Tensor row = grid.select(0, 2);  // row 2: [4]
    describe_layout("select", row);
    // expand repeats an extent-1 dim without copying: its stride becomes 0, so every step along
    // it reads the same element again.
    Tensor column = tensor({10, 20, 30}, {3, 1});  // [3, 1]
    Tensor repeated = column.expand({3, 4});       // [3, 4]
    describe_layout("expand", repeated);
    fmt::print("{}\n", repeated);

    chapter.step("reshape: a view when the data is contiguous, a copy when it is not");
    Tensor flat = grid.reshape({12});
    fmt::print("grid.reshape([12]) shares storage: {}\n", same_storage(grid, flat) ? "yes" : "no");
    Tensor flat_t = grid.t().reshape({12});
    fmt::print(
        "grid.t().reshape([12]) shares storage: {} (the order of elements differs, so it "
        "must copy)\n",
        same_storage(grid, flat_t) ? "yes" : "no");
    fmt::print("{}\n", flat_t);

    chapter.step("broadcasting: align shapes from the right; extent 1 stretches");
    // [3, 1] + [4]  ->  [3, 1] + [1, 4]  ->  [3, 4]
    Tensor offsets = tensor({0.5, 1.5, 2.5, 3.5}, {4});
    Tensor table = column + offsets;
    fmt::print("[3, 1] + [4] = {}\n", shape_str(table.shape()));
    fmt::print("{}\n", table);
    fmt::print("Shapes that do not broadcast are an error, naming both shapes:\n");
    try {
        tensor({1, 2, 3}, {3}) + offsets;
    } catch (const Error& e) {
        fmt::print("  glimpse::Error: {}\n", e.what());
    }

    chapter.step("dtypes: float32 to train, float64 to check gradients, int64 for indices");
    Tensor wide = x.to(DType::Float64);
    fmt::print("{}\n", wide);
    Tensor indices = arange(5);
    fmt::print("{}\n", indices);

    chapter.step("randomness you can repeat: one seeded generator");
    const int64_t n = chapter.quick ? 3 : 5;
    manual_seed(42);
    Tensor first = randn({n});
    manual_seed(42);
    Tensor second = randn({n});
    fmt::print("{}\n{}\n", first, second);
    fmt::print("identical after the same seed: {}\n",
               first.to_vector() == second.to_vector() ? "yes" : "no");

    fmt::print(
        "\nNext: tutorial 02 builds a graph of ops on these tensors and differentiates it.\n");
    return 0;
}
