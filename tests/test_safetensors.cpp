// The safetensors format in memory: the exact bytes glimpse writes, round trips of every dtype,
// headers written by other tools, and every way a corrupt file is refused with a clear Error.

#include <doctest/doctest.h>

#include <cstring>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/safetensors.hpp"

using namespace glimpse;

namespace {

// A file of the given header text and data: the 8-byte little-endian length, then both.
std::string file_with(const std::string& header, const std::string& data = "") {
    std::string bytes(8, '\0');
    const uint64_t length = header.size();
    std::memcpy(bytes.data(), &length, 8);
    return bytes + header + data;
}

// The bytes of float32 values as the machine (little-endian) holds them.
std::string f32_bytes(const std::vector<float>& values) {
    return std::string(reinterpret_cast<const char*>(values.data()), values.size() * 4);
}

// The error message that parsing `bytes` gives.
std::string parse_error(const std::string& bytes) {
    try {
        nn::parse_safetensors(bytes, "test.safetensors");
    } catch (const Error& error) {
        return error.what();
    }
    return "no error";
}

std::string header_error(const std::string& header, const std::string& data = "") {
    return parse_error(file_with(header, data));
}

const std::string kTensorW = R"("w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";

}  // namespace

TEST_CASE("safetensors: the bytes follow the spec: length, JSON header padded to 8, data") {
    const std::vector<nn::NamedTensor> tensors = {{"w", tensor({1, 2, 3, 4, 5, 6}, {2, 3})},
                                                  {"b", tensor({-1, 0.5}, {2})}};
    const std::string bytes = nn::serialize_safetensors(tensors, {{"format", "pt"}});
    const std::string header = R"({"__metadata__":{"format":"pt"},)"
                               R"("w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
                               R"("b":{"dtype":"F32","shape":[2],"data_offsets":[24,32]}})";
    const std::string padding((8 - header.size() % 8) % 8, ' ');
    CHECK(bytes == file_with(header + padding, f32_bytes({1, 2, 3, 4, 5, 6, -1, 0.5})));
    CHECK((8 + header.size() + padding.size()) % 8 == 0);  // the data starts aligned
}

TEST_CASE("safetensors: every dtype, 0-d, empty and non-contiguous tensors round-trip exactly") {
    const std::vector<nn::NamedTensor> tensors = {
        {"f32", tensor({1.5, -2, 3e-8}, {3})},
        {"f64", tensor({0.1, 1e300, -0.0, 4}, {2, 2}, DType::Float64)},
        {"i64", tensor({-5, 9007199254740993.0, 7}, {3}, DType::Int64)},
        {"mask", tensor({1, 0, 0, 1, 1, 0}, {2, 3}, DType::Bool)},
        {"scalar", scalar_tensor(2.5)},
        {"empty", zeros({0, 4})},
        {"transposed", tensor({1, 2, 3, 4, 5, 6}, {2, 3}).t()},
        {"quote\"back\\slash\nnewline é", ones({1})},
        {"", ones({2})},  // JSON allows an empty key
    };
    const nn::Metadata metadata = {{"epoch", "3"}, {"note", "tab\there \"quoted\""}};
    const std::string bytes = nn::serialize_safetensors(tensors, metadata);
    const nn::TensorFile file = nn::parse_safetensors(bytes);
    REQUIRE(file.tensors.size() == tensors.size());
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        CAPTURE(tensors[i].first);
        CHECK(file.tensors[i].first == tensors[i].first);
        CHECK(file.tensors[i].second.dtype() == tensors[i].second.dtype());
        CHECK(file.tensors[i].second.shape() == tensors[i].second.shape());
        CHECK(file.tensors[i].second.to_vector() == tensors[i].second.to_vector());
    }
    CHECK(file.metadata == metadata);
    CHECK(nn::serialize_safetensors(file.tensors, file.metadata) == bytes);  // byte for byte
}

TEST_CASE("safetensors: headers as other writers make them are read") {
    // Spaces, fields in another order, header order unlike data order, \u escapes (one a
    // surrogate pair), no metadata, padding.
    const std::string header =
        " {\"b\" : {\"data_offsets\": [8, 12], \"shape\": [1], \"dtype\": \"F32\"},\n"
        " \"\\u00e9\\ud83d\\ude00\": {\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}   ";
    const nn::TensorFile file =
        nn::parse_safetensors(file_with(header.substr(1), f32_bytes({1, 2, 3})));
    REQUIRE(file.tensors.size() == 2);
    CHECK(file.tensors[0].first == "\xc3\xa9\xf0\x9f\x98\x80");  // in data order: é😀 first
    CHECK(file.tensors[0].second.to_vector() == std::vector<double>{1, 2});
    CHECK(file.tensors[1].first == "b");
    CHECK(file.metadata.empty());
    CHECK(nn::parse_safetensors(file_with("{}")).tensors.empty());
}

TEST_CASE("safetensors: a file too short or with a header length past its end") {
    CHECK(parse_error("") ==
          "test.safetensors: 0 bytes is too short for a safetensors file, which starts with an "
          "8-byte header length");
    CHECK(parse_error(std::string(7, '\0')).find("7 bytes is too short") != std::string::npos);
    CHECK(parse_error(file_with("{}").substr(0, 9)) ==
          "test.safetensors: the header length 2 runs past the end of the file (9 bytes)");
    std::string huge(8, '\xff');
    CHECK(parse_error(huge + "{}") ==
          "test.safetensors: the header length 18446744073709551615 runs past the end of the "
          "file (10 bytes)");
}

TEST_CASE("safetensors: invalid JSON in the header says what and where") {
    const auto error = [](const std::string& header) { return header_error(header); };
    CHECK(error("") ==
          "test.safetensors: invalid header at byte 0: the header must start with '{'");
    CHECK(error(" {}") ==
          "test.safetensors: invalid header at byte 0: the header must start with '{'");
    CHECK(error("{\"w\" {}}") == "test.safetensors: invalid header at byte 5: expected ':'");
    CHECK(error("{\"__metadata__\":{},}").find("expected '\"'") != std::string::npos);
    CHECK(error("{\"w") == "test.safetensors: invalid header at byte 3: unterminated string");
    CHECK(error("{\"a\\qb\":1}") ==
          "test.safetensors: invalid header at byte 5: invalid escape '\\q'");
    CHECK(error("{\"a\tb\":1}").find("control character in a string") != std::string::npos);
    CHECK(error("{\"\\u12\"}").find("\\u needs four hex digits") != std::string::npos);
    CHECK(error("{\"\\ud83d\":1}").find("unpaired UTF-16 surrogate") != std::string::npos);
    CHECK(error("{\"\\ude00\":1}").find("unpaired UTF-16 surrogate") != std::string::npos);
    CHECK(error("{" + kTensorW + "} x") ==
          "test.safetensors: invalid header at byte 55: unexpected bytes after the JSON object");
    CHECK(error("{" + kTensorW + "," + kTensorW + "}").find("the key 'w' appears twice") !=
          std::string::npos);
    CHECK(error("{\"w\":[1]}").find("expected '{'") != std::string::npos);
}

TEST_CASE("safetensors: a tensor's description must have exactly its three fields") {
    const auto error = [](const std::string& tensor) {
        return header_error("{\"w\":" + tensor + "}");
    };
    CHECK(error(R"({"dtype":"F32","shape":[2]})") ==
          "test.safetensors: invalid header at byte 32: tensor 'w' needs dtype, shape and "
          "data_offsets");
    CHECK(error(R"({"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1})")
              .find("tensor 'w' has an unknown field 'extra'") != std::string::npos);
    CHECK(error(R"({"dtype":"F32","dtype":"F32"})").find("the key 'dtype' appears twice") !=
          std::string::npos);
    CHECK(error(R"({"dtype":"F32","shape":[2],"data_offsets":[0,4,8]})")
              .find("data_offsets must be [begin, end]") != std::string::npos);
    CHECK(error(R"({"dtype":F32})").find("expected '\"'") != std::string::npos);
    CHECK(error(R"({"dtype":"F32","shape":[-2],"data_offsets":[0,8]})")
              .find("expected a non-negative integer") != std::string::npos);
    CHECK(error(R"({"dtype":"F32","shape":[2.0],"data_offsets":[0,8]})")
              .find("got a fraction or an exponent") != std::string::npos);
    CHECK(error(R"({"dtype":"F32","shape":[02],"data_offsets":[0,8]})")
              .find("an integer with a leading zero") != std::string::npos);
    CHECK(error(R"({"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,8]})")
              .find("an integer too large for 64 bits") != std::string::npos);
    CHECK(error(R"({"dtype":"F32","shape":[2,],"data_offsets":[0,8]})")
              .find("expected a non-negative integer") != std::string::npos);
}

TEST_CASE("safetensors: metadata values must be strings") {
    CHECK(header_error(R"({"__metadata__":{"epoch":3}})") ==
          "test.safetensors: invalid header at byte 25: __metadata__ value of 'epoch' must be a "
          "string");
    CHECK(header_error(R"({"__metadata__":"pt"})").find("expected '{'") != std::string::npos);
}

TEST_CASE("safetensors: dtypes, sizes and offsets are checked against the data") {
    const std::string eight = f32_bytes({1, 2});
    CHECK(header_error(R"({"w":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}})", eight) ==
          "test.safetensors: tensor 'w' has dtype 'F16'; glimpse reads F32, F64, I64 and BOOL");
    CHECK(header_error(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", eight) ==
          "test.safetensors: tensor 'w' is [3] F32, 12 bytes, but its data_offsets [0, 8] hold 8");
    CHECK(header_error(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", eight) ==
          "test.safetensors: tensor 'w' has data_offsets [8, 0], which run backwards");
    CHECK(header_error(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", eight) ==
          "test.safetensors: tensor 'w' has data_offsets [0, 16] past the end of the data (8 "
          "bytes)");
    CHECK(header_error(
              R"({"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}})",
              eight) ==
          "test.safetensors: tensor 'w' has shape [4611686018427387904, 4], too large");
    CHECK(header_error(
              R"({"w":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,8]}})", eight)
              .find("too large") != std::string::npos);
    // Huge extents beside a 0 make an empty tensor, but strides must still fit.
    CHECK(header_error(R"({"w":{"dtype":"F32","shape":[0,4294967296,4294967296],)"
                       R"("data_offsets":[0,0]}})")
              .find("too large") != std::string::npos);
    CHECK(nn::parse_safetensors(file_with(R"({"w":{"dtype":"F32","shape":[0,4294967296],)"
                                          R"("data_offsets":[0,0]}})"))
              .tensors[0]
              .second.numel() == 0);
}

TEST_CASE("safetensors: tensors must tile the data: no overlap, no gap, nothing after") {
    const std::string sixteen = f32_bytes({1, 2, 3, 4});
    CHECK(header_error(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},)"
                       R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                       sixteen) == "test.safetensors: tensors 'a' [0, 12] and 'b' [8, 16] overlap");
    CHECK(header_error(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                       R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                       sixteen) == "test.safetensors: bytes 4..8 of the data belong to no tensor");
    CHECK(header_error(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                       R"("b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                       sixteen)
              .find("overlap") != std::string::npos);
    CHECK(header_error("{" + kTensorW + "}", sixteen) ==
          "test.safetensors: the data has 8 bytes after the last tensor's end (8 of 16)");
    CHECK(header_error("{}", "x") ==
          "test.safetensors: the data has 1 bytes after the last tensor's end (0 of 1)");
}

TEST_CASE("safetensors: a BOOL tensor holds only 0 and 1") {
    CHECK(header_error(R"({"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}})",
                       std::string("\x01\x00\x02", 3)) ==
          "test.safetensors: tensor 'm' (BOOL) holds the byte 2 at element 2; a bool is 0 or 1");
}

TEST_CASE("safetensors: the writer refuses names it could not read back") {
    const Tensor t = zeros({1});
    CHECK_THROWS_WITH_AS(nn::serialize_safetensors({{"a", t}, {"a", t}}),
                         "safetensors: the name 'a' is given twice", Error);
    CHECK_THROWS_WITH_AS(nn::serialize_safetensors({{"__metadata__", t}}),
                         "safetensors: '__metadata__' cannot name a tensor: the header keeps it "
                         "for the metadata",
                         Error);
    CHECK_THROWS_WITH_AS(nn::serialize_safetensors({{"u", Tensor()}}),
                         "safetensors: tensor 'u' is undefined", Error);
}
