// The failure path of PG_ASSERT and PG_CHECK (engine/kernel/assert.hpp): out of line and cold, so a check in a hot loop
// costs a compare and a branch that is never taken.
#include "engine/kernel/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace pg {

[[gnu::cold, gnu::noinline]] void assertion_failed(const char* file, int line, const char* condition,
                                                   const char* message) {
  std::fprintf(stderr, "%s:%d: engine assertion failed: %s: %s\n", file, line, condition, message);
  std::fflush(stderr);
  std::abort();
}

}  // namespace pg
