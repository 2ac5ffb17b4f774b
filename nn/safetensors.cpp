// safetensors: the writer, then the reader. The reader is a small JSON parser for exactly the
// header's grammar (objects, strings, non-negative integers), then checks of every entry against
// the data, and only then the copies into tensors.

#include "nn/safetensors.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <set>

#include "core/error.hpp"

namespace glimpse::nn {

// safetensors data is little-endian; glimpse copies it as the machine holds it.
static_assert(std::endian::native == std::endian::little, "safetensors I/O needs little-endian");

namespace {

constexpr std::pair<DType, std::string_view> kDTypeNames[] = {
    {DType::Float32, "F32"}, {DType::Float64, "F64"}, {DType::Int64, "I64"}, {DType::Bool, "BOOL"}};

std::string_view safetensors_name(DType dtype) {
    for (const auto& [d, name] : kDTypeNames) {
        if (d == dtype) return name;
    }
    throw Error(fmt::format("safetensors: dtype {} has no safetensors name", dtype_name(dtype)));
}

std::optional<DType> dtype_named(std::string_view name) {
    for (const auto& [d, n] : kDTypeNames) {
        if (n == name) return d;
    }
    return std::nullopt;
}

// The bytes of a contiguous tensor's elements (bool: one byte each, 0 or 1).
std::string_view raw_bytes(const Tensor& contiguous) {
    if (contiguous.numel() == 0) return {};
    const auto* first = reinterpret_cast<const char*>(contiguous.impl()->storage->data) +
                        contiguous.offset() * dtype_size(contiguous.dtype());
    return {first, static_cast<std::size_t>(contiguous.numel()) * dtype_size(contiguous.dtype())};
}

// ---------------------------------------------------------------------------------------------
// Writing

// s as a JSON string: quoted, with quotes, backslashes and control characters escaped.
std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        } else {
            out += c;
        }
    }
    return out + "\"";
}

void check_names(const std::vector<NamedTensor>& tensors) {
    std::set<std::string> seen;
    for (const auto& [name, tensor] : tensors) {
        if (name == "__metadata__") {
            throw Error(
                "safetensors: '__metadata__' cannot name a tensor: the header keeps it "
                "for the metadata");
        }
        if (!seen.insert(name).second) {
            throw Error(fmt::format("safetensors: the name '{}' is given twice", name));
        }
        if (!tensor.defined()) {
            throw Error(fmt::format("safetensors: tensor '{}' is undefined", name));
        }
    }
}

std::string metadata_json(const Metadata& metadata) {
    std::vector<std::string> pairs;
    for (const auto& [key, value] : metadata) {
        pairs.push_back(json_string(key) + ":" + json_string(value));
    }
    return fmt::format("\"__metadata__\":{{{}}}", fmt::join(pairs, ","));
}

}  // namespace

std::string serialize_safetensors(const std::vector<NamedTensor>& tensors,
                                  const Metadata& metadata) {
    check_names(tensors);
    std::vector<std::string> members;
    if (!metadata.empty()) members.push_back(metadata_json(metadata));
    std::vector<Tensor> data;  // contiguous copies where the tensors are views
    uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        data.push_back(tensor.detach().contiguous());
        const uint64_t end = offset + raw_bytes(data.back()).size();
        members.push_back(fmt::format(
            "{}:{{\"dtype\":\"{}\",\"shape\":[{}],\"data_offsets\":[{},{}]}}", json_string(name),
            safetensors_name(tensor.dtype()), fmt::join(tensor.shape(), ","), offset, end));
        offset = end;
    }
    std::string header = fmt::format("{{{}}}", fmt::join(members, ","));
    header.append((8 - header.size() % 8) % 8, ' ');  // so that the data starts 8-byte aligned

    std::string out(8, '\0');
    const uint64_t length = header.size();
    std::memcpy(out.data(), &length, 8);
    out += header;
    for (const Tensor& t : data) out += raw_bytes(t);
    return out;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Reading, step 1: the header's JSON

// One tensor as the header describes it, before any check against the data.
struct Entry {
    std::string name;
    std::string dtype;
    std::vector<uint64_t> shape;
    std::vector<uint64_t> offsets;  // [begin, end) when valid
};

struct Header {
    std::vector<Entry> entries;
    Metadata metadata;
};

class HeaderParser {
  public:
    HeaderParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

    Header parse() {
        if (text_.empty() || text_[0] != '{') fail("the header must start with '{'");
        Header header;
        members([&](const std::string& key) {
            if (key == "__metadata__") {
                header.metadata = metadata();
            } else {
                header.entries.push_back(entry(key));
            }
        });
        skip_space();  // the padding
        if (pos_ != text_.size()) fail("unexpected bytes after the JSON object");
        return header;
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(fmt::format("{}: invalid header at byte {}: {}", source_, pos_, what));
    }

    void skip_space() {
        while (pos_ < text_.size() &&
               std::string_view(" \t\n\r").find(text_[pos_]) != std::string_view::npos) {
            ++pos_;
        }
    }

    bool consume(char c) {
        skip_space();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    void expect(char c) {
        if (!consume(c)) fail(fmt::format("expected '{}'", c));
    }

    // { "key": value, ... }: calls on_member(key) to parse each value; keys must be unique.
    template <typename F>
    void members(F on_member) {
        expect('{');
        if (consume('}')) return;
        std::set<std::string> keys;
        do {
            skip_space();
            const std::string key = string();
            if (!keys.insert(key).second) fail(fmt::format("the key '{}' appears twice", key));
            expect(':');
            on_member(key);
        } while (consume(','));
        expect('}');
    }

    std::string string() {
        expect('"');
        std::string out;
        while (true) {
            if (pos_ >= text_.size()) fail("unterminated string");
            const char c = text_[pos_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
            if (c == '\\') {
                escape(out);
            } else {
                out += c;
            }
        }
    }

    // After a backslash: \" \\ \/ \b \f \n \r \t or \uXXXX (a UTF-16 surrogate pair for code
    // points above U+FFFF), appended as UTF-8.
    void escape(std::string& out) {
        if (pos_ >= text_.size()) fail("unterminated string");
        const char c = text_[pos_++];
        const std::string_view from = "\"\\/bfnrt", to = "\"\\/\b\f\n\r\t";
        if (const auto k = from.find(c); k != std::string_view::npos) {
            out += to[k];
            return;
        }
        if (c != 'u') fail(fmt::format("invalid escape '\\{}'", c));
        uint32_t code = hex4();
        if (code >= 0xDC00 && code <= 0xDFFF) fail("unpaired UTF-16 surrogate");
        if (code >= 0xD800 && code <= 0xDBFF) {
            if (!(consume('\\') && pos_ < text_.size() && text_[pos_++] == 'u')) {
                fail("unpaired UTF-16 surrogate");
            }
            const uint32_t low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("unpaired UTF-16 surrogate");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, code);
    }

    uint32_t hex4() {
        if (text_.size() - pos_ < 4) fail("\\u needs four hex digits");
        uint32_t value = 0;
        for (int i = 0; i < 4; ++i) {
            const auto digit =
                std::string_view("0123456789abcdef0123456789ABCDEF").find(text_[pos_++]);
            if (digit == std::string_view::npos) fail("\\u needs four hex digits");
            value = value * 16 + static_cast<uint32_t>(digit % 16);
        }
        return value;
    }

    static void append_utf8(std::string& out, uint32_t code) {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    // A JSON number that is a non-negative integer: no sign, fraction, exponent or leading 0.
    uint64_t integer() {
        skip_space();
        const auto is_digit = [&](std::size_t i) {
            return i < text_.size() && text_[i] >= '0' && text_[i] <= '9';
        };
        if (!is_digit(pos_)) fail("expected a non-negative integer");
        if (text_[pos_] == '0' && is_digit(pos_ + 1)) fail("an integer with a leading zero");
        uint64_t value = 0;
        while (is_digit(pos_)) {
            const auto digit = static_cast<uint64_t>(text_[pos_++] - '0');
            if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
                fail("an integer too large for 64 bits");
            }
            value = value * 10 + digit;
        }
        if (pos_ < text_.size() &&
            std::string_view(".eE").find(text_[pos_]) != std::string_view::npos) {
            fail("expected an integer, got a fraction or an exponent");
        }
        return value;
    }

    std::vector<uint64_t> integers() {
        expect('[');
        std::vector<uint64_t> values;
        if (consume(']')) return values;
        do values.push_back(integer());
        while (consume(','));
        expect(']');
        return values;
    }

    Entry entry(const std::string& name) {
        Entry e{name, "", {}, {}};
        bool has_dtype = false, has_shape = false, has_offsets = false;
        members([&](const std::string& field) {
            if (field == "dtype") {
                skip_space();
                e.dtype = string();
                has_dtype = true;
            } else if (field == "shape") {
                e.shape = integers();
                has_shape = true;
            } else if (field == "data_offsets") {
                e.offsets = integers();
                has_offsets = true;
                if (e.offsets.size() != 2) fail("data_offsets must be [begin, end]");
            } else {
                fail(fmt::format("tensor '{}' has an unknown field '{}'", name, field));
            }
        });
        if (!has_dtype || !has_shape || !has_offsets) {
            fail(fmt::format("tensor '{}' needs dtype, shape and data_offsets", name));
        }
        return e;
    }

    Metadata metadata() {
        Metadata values;
        members([&](const std::string& key) {
            skip_space();
            if (pos_ >= text_.size() || text_[pos_] != '"') {
                fail(fmt::format("__metadata__ value of '{}' must be a string", key));
            }
            values[key] = string();
        });
        return values;
    }

    std::string_view text_;
    const std::string& source_;
    std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Reading, step 2: every entry against the data

// A checked entry: a known dtype, a shape whose bytes its offsets hold, inside the data.
struct Checked {
    std::string name;
    DType dtype;
    Shape shape;
    uint64_t begin, end;
};

Checked check_entry(const Entry& e, uint64_t data_size, const std::string& source) {
    const auto fail = [&](const std::string& what) {
        throw Error(fmt::format("{}: tensor '{}' {}", source, e.name, what));
    };
    const std::optional<DType> dtype = dtype_named(e.dtype);
    if (!dtype) fail(fmt::format("has dtype '{}'; glimpse reads F32, F64, I64 and BOOL", e.dtype));
    // The product of the nonzero extents must fit int64, so that strides do, even when an
    // extent of 0 leaves the tensor empty.
    uint64_t span = 1;
    bool empty = false;
    for (uint64_t extent : e.shape) {
        empty = empty || extent == 0;
        if (extent != 0 && (__builtin_mul_overflow(span, extent, &span) ||
                            span > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))) {
            fail(fmt::format("has shape [{}], too large", fmt::join(e.shape, ", ")));
        }
    }
    uint64_t bytes = 0;
    if (!empty && __builtin_mul_overflow(span, dtype_size(*dtype), &bytes)) {
        fail(fmt::format("has shape [{}], too large", fmt::join(e.shape, ", ")));
    }
    const uint64_t begin = e.offsets[0], end = e.offsets[1];
    if (end < begin) {
        fail(fmt::format("has data_offsets [{}, {}], which run backwards", begin, end));
    }
    if (end - begin != bytes) {
        fail(fmt::format("is [{}] {}, {} bytes, but its data_offsets [{}, {}] hold {}",
                         fmt::join(e.shape, ", "), e.dtype, bytes, begin, end, end - begin));
    }
    if (end > data_size) {
        fail(fmt::format("has data_offsets [{}, {}] past the end of the data ({} bytes)", begin,
                         end, data_size));
    }
    return {e.name, *dtype, Shape(e.shape.begin(), e.shape.end()), begin, end};
}

// Sorts the entries by their place in the data and checks that they tile it: no overlaps, no
// gaps, nothing after the last one.
void check_tiling(std::vector<Checked>& entries, uint64_t data_size, const std::string& source) {
    std::stable_sort(entries.begin(), entries.end(), [](const Checked& a, const Checked& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t covered = 0;  // the data before this is some tensor's
    const Checked* previous = nullptr;
    for (const Checked& e : entries) {
        if (e.begin < covered) {
            throw Error(fmt::format("{}: tensors '{}' [{}, {}] and '{}' [{}, {}] overlap", source,
                                    previous->name, previous->begin, previous->end, e.name, e.begin,
                                    e.end));
        }
        if (e.begin > covered) {
            throw Error(fmt::format("{}: bytes {}..{} of the data belong to no tensor", source,
                                    covered, e.begin));
        }
        covered = e.end;
        previous = &e;
    }
    if (covered != data_size) {
        throw Error(fmt::format("{}: the data has {} bytes after the last tensor's end ({} of {})",
                                source, data_size - covered, covered, data_size));
    }
}

// ---------------------------------------------------------------------------------------------
// Reading, step 3: the copies

Tensor copy_out(const Checked& e, std::string_view data, const std::string& source) {
    Tensor t = glimpse::empty(e.shape, e.dtype);
    const std::string_view bytes = data.substr(e.begin, e.end - e.begin);
    if (e.dtype == DType::Bool) {
        const auto bad =
            std::find_if(bytes.begin(), bytes.end(), [](char b) { return b != 0 && b != 1; });
        if (bad != bytes.end()) {
            throw Error(
                fmt::format("{}: tensor '{}' (BOOL) holds the byte {} at element {}; a "
                            "bool is 0 or 1",
                            source, e.name, static_cast<unsigned char>(*bad), bad - bytes.begin()));
        }
    }
    if (!bytes.empty()) std::memcpy(t.impl()->storage->data, bytes.data(), bytes.size());
    return t;
}

}  // namespace

TensorFile parse_safetensors(std::string_view bytes, const std::string& source) {
    if (bytes.size() < 8) {
        throw Error(
            fmt::format("{}: {} bytes is too short for a safetensors file, which starts "
                        "with an 8-byte header length",
                        source, bytes.size()));
    }
    uint64_t length = 0;
    std::memcpy(&length, bytes.data(), 8);
    if (length > bytes.size() - 8) {
        throw Error(fmt::format("{}: the header length {} runs past the end of the file ({} bytes)",
                                source, length, bytes.size()));
    }
    Header header = HeaderParser(bytes.substr(8, length), source).parse();
    const std::string_view data = bytes.substr(8 + length);

    std::vector<Checked> entries;
    for (const Entry& e : header.entries) entries.push_back(check_entry(e, data.size(), source));
    check_tiling(entries, data.size(), source);

    TensorFile file{{}, std::move(header.metadata)};
    for (const Checked& e : entries) {
        // Bool bytes are checked during the copy, but nothing escapes before all are done.
        file.tensors.emplace_back(e.name, copy_out(e, data, source));
    }
    return file;
}

}  // namespace glimpse::nn
