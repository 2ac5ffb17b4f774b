#include "core/packed_weights.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

namespace glimpse {

namespace {

// One packed copy and what it was packed from.
template <typename T>
struct PackedEntry {
    std::weak_ptr<Storage> storage;  // expired when the weight's data is gone
    uint64_t version;
    const T* data;
    Shape shape;
    bool transposed;
    std::unique_ptr<kernels::PackedMatrix<T>> packed;

    bool packs(const Tensor& w, bool transposed_w) const {
        return storage.lock() == w.impl()->storage && data == w.data<T>() && shape == w.shape() &&
               transposed == transposed_w;
    }
};

}  // namespace

struct PackedWeightCache {
    std::vector<PackedEntry<float>> floats;
    std::vector<PackedEntry<double>> doubles;

    template <typename T>
    std::vector<PackedEntry<T>>& entries() {
        if constexpr (std::is_same_v<T, float>) {
            return floats;
        } else {
            return doubles;
        }
    }
};

namespace {

thread_local PackedWeightCache* open_cache = nullptr;  // the outermost scope's

}  // namespace

WeightPacking::WeightPacking() {
    if (open_cache != nullptr) return;
    cache_ = std::make_unique<PackedWeightCache>();
    open_cache = cache_.get();
}

WeightPacking::~WeightPacking() {
    if (cache_ && open_cache == cache_.get()) open_cache = nullptr;
}

template <typename T>
const kernels::PackedMatrix<T>* packed_weight(const Tensor& w, bool transposed) {
    if (open_cache == nullptr || w.dim() != 2 || !w.is_contiguous()) return nullptr;
    std::vector<PackedEntry<T>>& entries = open_cache->entries<T>();
    auto entry = std::find_if(entries.begin(), entries.end(),
                              [&](const PackedEntry<T>& e) { return e.packs(w, transposed); });
    if (entry != entries.end() && entry->version == w.version()) return entry->packed.get();
    // W [rows, cols] row-major: op(W) is [cols, rows] read transposed, or W as it is.
    const int64_t rows = w.size(0), cols = w.size(1);
    auto packed = std::make_unique<kernels::PackedMatrix<T>>(
        transposed, transposed ? cols : rows, transposed ? rows : cols, w.data<T>(), cols);
    if (entry == entries.end()) {  // else the weight changed in place since: packed again
        entry = entries.insert(entries.end(),
                               {w.impl()->storage, 0, w.data<T>(), w.shape(), transposed, nullptr});
    }
    entry->version = w.version();
    entry->packed = std::move(packed);
    return entry->packed.get();
}

template const kernels::PackedMatrix<float>* packed_weight<float>(const Tensor&, bool);
template const kernels::PackedMatrix<double>* packed_weight<double>(const Tensor&, bool);

}  // namespace glimpse
