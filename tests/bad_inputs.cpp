#include "tests/bad_inputs.hpp"

#include <doctest/doctest.h>

#include <exception>
#include <typeinfo>

#include "core/error.hpp"

namespace glimpse::testing {

namespace {

std::string with_dir_named(std::string message, const std::string& dir) {
    if (dir.empty()) return message;
    for (std::size_t at = message.find(dir); at != std::string::npos;
         at = message.find(dir, at + 5)) {
        message.replace(at, dir.size(), "{dir}");
    }
    return message;
}

}  // namespace

void check_bad_inputs(const std::vector<BadInput>& table, const std::string& dir) {
    for (const BadInput& bad : table) {
        INFO("bad input: ", bad.name);
        try {
            bad.call();
            FAIL_CHECK("accepted without an error");
        } catch (const Error& e) {
            CHECK(with_dir_named(e.what(), dir) == bad.expected);
        } catch (const std::exception& e) {
            FAIL_CHECK("threw ", typeid(e).name(), " instead of glimpse::Error: ", e.what());
        } catch (...) {
            FAIL_CHECK("threw something that is not a std::exception");
        }
    }
}

}  // namespace glimpse::testing
