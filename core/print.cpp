// Printing tensors like PyTorch (the format is described in print.hpp). Three steps: choose the
// elements to show, turn each into text of one common width, then lay them out in brackets.

#include "core/print.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>
#include <type_traits>
#include <vector>

#include "core/autograd.hpp"

namespace glimpse {

namespace {

constexpr int64_t kSummarizeAbove = 1000;  // elements; a larger tensor shows only its edges
constexpr int64_t kEdgeItems = 3;          // entries shown at each end of a summarized dim
constexpr std::size_t kLineWidth = 80;     // a long row wraps onto several lines
constexpr std::size_t kIndent = 7;         // the width of "tensor("
constexpr int64_t kEllipsis = -1;          // in a list of shown indices: the "..." between edges

// The indices shown along a dim: all of them, or the first and last few around an ellipsis.
std::vector<int64_t> shown_indices(int64_t size, bool summarize) {
    std::vector<int64_t> shown;
    const bool cut = summarize && size > 2 * kEdgeItems;
    for (int64_t i = 0; i < size; ++i) {
        if (cut && i == kEdgeItems) {
            shown.push_back(kEllipsis);
            i = size - kEdgeItems;
        }
        shown.push_back(i);
    }
    return shown;
}

using ShownIndices = std::vector<std::vector<int64_t>>;  // per dim

// The element offsets of the shown elements, in printing (row-major) order.
void collect_offsets(const Tensor& x, const ShownIndices& shown, std::size_t dim, int64_t offset,
                     std::vector<int64_t>& offsets) {
    if (dim == shown.size()) {
        offsets.push_back(offset);
        return;
    }
    for (int64_t i : shown[dim]) {
        if (i == kEllipsis) continue;
        collect_offsets(x, shown, dim + 1, offset + i * x.strides()[dim], offsets);
    }
}

// PyTorch's rule: scientific notation when the nonzero magnitudes span more than 1000x, or
// reach 1e8, or go below 1e-4; fixed-point otherwise.
bool needs_scientific(const std::vector<double>& values) {
    double smallest = std::numeric_limits<double>::infinity(), largest = 0;
    for (double v : values) {
        if (!std::isfinite(v) || v == 0) continue;
        smallest = std::min(smallest, std::abs(v));
        largest = std::max(largest, std::abs(v));
    }
    if (largest == 0) return false;
    return largest / smallest > 1000 || largest >= 1e8 || smallest < 1e-4;
}

std::vector<std::string> element_texts(const Tensor& x, const std::vector<int64_t>& offsets) {
    std::vector<std::string> texts;
    dispatch_all(x.dtype(), [&](auto zero) {
        using T = decltype(zero);
        const T* data = x.data<T>();
        if constexpr (std::is_floating_point_v<T>) {
            std::vector<double> values;
            for (int64_t o : offsets) values.push_back(static_cast<double>(data[o]));
            const bool scientific = needs_scientific(values);
            for (double v : values) {
                texts.push_back(scientific ? fmt::format("{:.4e}", v) : fmt::format("{:.4f}", v));
            }
        } else if constexpr (std::is_same_v<T, uint8_t>) {
            for (int64_t o : offsets) texts.push_back(data[o] ? "True" : "False");
        } else {
            for (int64_t o : offsets) texts.push_back(fmt::format("{}", data[o]));
        }
    });
    return texts;
}

// Writes nested brackets around the element texts, each padded on the left to one width.
class Layout {
  public:
    Layout(const ShownIndices& shown, const std::vector<std::string>& texts)
        : shown_(shown), texts_(texts) {
        for (const std::string& text : texts) width_ = std::max(width_, text.size());
    }

    std::string write() {
        write_dim(0);
        return std::move(out_);
    }

  private:
    // Blocks of a dim are separated by a comma, one line break per dim below it (a blank line
    // between matrices), and the indent of the opening bracket.
    void write_dim(std::size_t dim) {
        if (dim + 1 == shown_.size()) {
            write_row(dim);
            return;
        }
        const std::string separator =
            "," + std::string(shown_.size() - dim - 1, '\n') + std::string(kIndent + dim + 1, ' ');
        out_ += '[';
        for (std::size_t k = 0; k < shown_[dim].size(); ++k) {
            if (k > 0) out_ += separator;
            if (shown_[dim][k] == kEllipsis) {
                out_ += "...";
            } else {
                write_dim(dim + 1);
            }
        }
        out_ += ']';
    }

    // The last dim: elements joined by ", ", wrapped to the line width.
    void write_row(std::size_t dim) {
        const std::size_t indent = kIndent + dim;
        const std::size_t per_line = std::max<std::size_t>(1, (kLineWidth - indent) / (width_ + 2));
        out_ += '[';
        for (std::size_t k = 0; k < shown_[dim].size(); ++k) {
            if (k > 0) out_ += k % per_line == 0 ? ",\n" + std::string(indent + 1, ' ') : ", ";
            out_ += shown_[dim][k] == kEllipsis ? std::string(" ...") : padded(texts_[next_++]);
        }
        out_ += ']';
    }

    std::string padded(const std::string& text) const {
        return std::string(width_ - text.size(), ' ') + text;
    }

    const ShownIndices& shown_;
    const std::vector<std::string>& texts_;
    std::size_t width_ = 0;
    std::size_t next_ = 0;  // the next text to write
    std::string out_;
};

std::string values_text(const Tensor& x) {
    if (x.numel() == 0) return "[]";
    ShownIndices shown;
    const bool summarize = x.numel() > kSummarizeAbove;
    for (int64_t size : x.shape()) shown.push_back(shown_indices(size, summarize));
    std::vector<int64_t> offsets;
    collect_offsets(x, shown, 0, 0, offsets);
    const std::vector<std::string> texts = element_texts(x, offsets);
    if (x.dim() == 0) return texts[0];
    return Layout(shown, texts).write();
}

// ", dtype=float32, shape=[2, 2], grad_fn=<mul>": a 0-d tensor leaves out its shape, and its
// dtype too when float32.
std::string suffix(const Tensor& x) {
    std::string text;
    if (x.dim() > 0 || x.dtype() != DType::Float32) {
        text += fmt::format(", dtype={}", dtype_name(x.dtype()));
    }
    if (x.dim() > 0) text += fmt::format(", shape={}", shape_str(x.shape()));
    if (x.grad_fn()) {
        text += fmt::format(", grad_fn=<{}>", x.grad_fn()->op);
    } else if (x.requires_grad()) {
        text += ", requires_grad=True";
    }
    return text;
}

}  // namespace

std::string to_string(const Tensor& x) {
    if (!x.defined()) return "tensor(undefined)";
    return "tensor(" + values_text(x) + suffix(x) + ")";
}

std::ostream& operator<<(std::ostream& out, const Tensor& x) {
    return out << to_string(x);
}

}  // namespace glimpse

fmt::format_context::iterator fmt::formatter<glimpse::Tensor>::format(
    const glimpse::Tensor& x, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(glimpse::to_string(x), ctx);
}
