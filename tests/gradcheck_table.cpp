#include "tests/gradcheck_table.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <string_view>

#include "core/error.hpp"

namespace glimpse::testing {

namespace {

struct Row {
    std::string name;
    std::string dtype;
    double max_abs_error;
    double max_rel_error;
    std::string result;  // PASS, FAIL, or ERROR when gradcheck threw
};

// The rows of this run, printed when the program exits if GLIMPSE_GRADCHECK_TABLE=1.
class Table {
  public:
    void add(Row row) { rows_.push_back(std::move(row)); }
    ~Table() {
        const char* wanted = std::getenv("GLIMPSE_GRADCHECK_TABLE");
        if (wanted != nullptr && std::string_view(wanted) == "1") print();
    }

  private:
    void print() const {
        std::size_t width = std::string_view("check").size();
        for (const Row& row : rows_) width = std::max(width, row.name.size());
        fmt::print("\n{:<{}}  {:<7}  {:>8}  {:>8}  {}\n", "check", width, "dtype", "max abs",
                   "max rel", "result");
        for (const Row& row : rows_) {
            fmt::print("{:<{}}  {:<7}  {:>8.1e}  {:>8.1e}  {}\n", row.name, width, row.dtype,
                       row.max_abs_error, row.max_rel_error, row.result);
        }
        const auto passed = std::count_if(rows_.begin(), rows_.end(),
                                          [](const Row& row) { return row.result == "PASS"; });
        fmt::print("{} gradient checks: {} passed, {} failed\n", rows_.size(), passed,
                   rows_.size() - passed);
    }

    std::vector<Row> rows_;
};

Table& table() {
    static Table rows;
    return rows;
}

std::string dtype_of(const std::vector<Tensor>& inputs) {
    for (const Tensor& x : inputs) {
        if (x.defined() && is_floating(x.dtype())) return std::string(dtype_name(x.dtype()));
    }
    return "-";
}

}  // namespace

void check_gradient(const std::string& name, const Function& f, const std::vector<Tensor>& inputs,
                    const GradcheckOptions& options) {
    const std::string dtype = dtype_of(inputs);
    try {
        const GradcheckResult result = gradcheck(f, inputs, options);
        CHECK_MESSAGE(result.passed, name << ": " << result.summary());
        table().add({name, dtype, result.max_abs_error, result.max_rel_error,
                     result.passed ? "PASS" : "FAIL"});
    } catch (const Error& error) {
        FAIL_CHECK(name << ": " << error.what());
        const double nan = std::numeric_limits<double>::quiet_NaN();
        table().add({name, dtype, nan, nan, "ERROR"});
    }
}

double Inputs::number(double low, double high) {
    return low + (high - low) * generator_.uniform();
}

int64_t Inputs::extent(int64_t low, int64_t high) {
    return generator_.integer(low, high + 1);
}

Shape Inputs::shape(std::size_t rank) {
    Shape result(rank);
    for (int64_t& e : result) e = extent(2, 4);
    return result;
}

Tensor Inputs::uniform(const Shape& shape, double low, double high) {
    return glimpse::uniform(shape, low, high, DType::Float64, generator_).requires_grad_();
}

Tensor Inputs::avoiding(const Shape& shape, const std::vector<double>& kinks, double low,
                        double high, double margin) {
    const auto near_a_kink = [&](double v) {
        return std::any_of(kinks.begin(), kinks.end(),
                           [&](double kink) { return std::abs(v - kink) < margin; });
    };
    std::vector<double> values(numel(shape));
    for (double& v : values) {
        do v = number(low, high);
        while (near_a_kink(v));
    }
    return tensor(values, shape, DType::Float64).requires_grad_();
}

Tensor Inputs::distinct(const Shape& shape) {
    std::vector<double> values(numel(shape));
    std::iota(values.begin(), values.end(), 0.0);
    for (std::size_t k = values.size(); k > 1; --k) {  // Fisher-Yates shuffle
        std::swap(values[k - 1], values[generator_.integer(0, static_cast<int64_t>(k))]);
    }
    const double middle = static_cast<double>(values.size()) / 2;
    for (double& v : values) v = 0.1 * (v - middle) + number(-0.01, 0.01);
    return tensor(values, shape, DType::Float64).requires_grad_();
}

}  // namespace glimpse::testing
