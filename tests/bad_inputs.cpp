#include "tests/bad_inputs.hpp"

#include <doctest/doctest.h>

#include <exception>
#include <typeinfo>

#include "core/error.hpp"

namespace glimpse::testing {

void check_bad_inputs(const std::vector<BadInput>& table) {
    for (const BadInput& bad : table) {
        INFO("bad input: ", bad.name);
        try {
            bad.call();
            FAIL_CHECK("accepted without an error");
        } catch (const Error& e) {
            CHECK(std::string(e.what()) == bad.expected);
        } catch (const std::exception& e) {
            FAIL_CHECK("threw ", typeid(e).name(), " instead of glimpse::Error: ", e.what());
        } catch (...) {
            FAIL_CHECK("threw something that is not a std::exception");
        }
    }
}

}  // namespace glimpse::testing
