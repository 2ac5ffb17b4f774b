// Not for including: the Makefile precompiles this header and gives it to every unit of the fast
// build (-include), so the standard library and fmt are parsed once rather than in each of two
// hundred units. Each unit still includes what it uses: the sanitizer and debug builds have no
// precompiled header and prove it. Listed: what at least eight units include, but for <filesystem>
// and <fstream>: every unit given a header pays for its pending template instantiations again (GCC
// does them at the end of each unit), 0.15 s for these two, and only two of the library's units use
// them.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
