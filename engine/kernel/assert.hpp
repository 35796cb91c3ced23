// Assertions that run. The engine's invariants are checked in every build: release, WebAssembly and the tests.
//
// PG_ASSERT(condition, "message")  always on. On failure it prints file:line, the condition and the message to
//   standard error and aborts. It guards what is cheap to check and fatal to get wrong: preconditions at the
//   models' entry points (ids in range, handles live), the kernel's clock never going backwards, and the
//   bookkeeping a model relies on (a job it frees is in its instance's running list, a message it removes is
//   held). A run that stops at a broken invariant says where; a run that goes on would print wrong numbers.
// PG_CHECK(condition, "message")   the same check, only in a checking build (compile definition PG_CHECKS=1; the
//   native unit tests are one, through the engine_checked library): for checks that cost too much to run on every
//   event in every run, such as conservation over every service and request type at each sample, or liveness on
//   every slot access. Elsewhere it compiles to nothing and does not evaluate its condition.
// pg::checking_build is true in a checking build, for code that exists only to check (if constexpr).
#pragma once

namespace pg {

#if defined(PG_CHECKS) && PG_CHECKS
inline constexpr bool checking_build = true;
#else
inline constexpr bool checking_build = false;
#endif

// Prints "file:line: engine assertion failed: condition: message" to stderr and aborts.
[[noreturn]] void assertion_failed(const char* file, int line, const char* condition, const char* message);

}  // namespace pg

#define PG_ASSERT(condition, message)                                                                   \
  (__builtin_expect(static_cast<bool>(condition), 1)                                                    \
       ? static_cast<void>(0)                                                                          \
       : ::pg::assertion_failed(__FILE__, __LINE__, #condition, message))

#if defined(PG_CHECKS) && PG_CHECKS
#define PG_CHECK(condition, message) PG_ASSERT(condition, message)
#else
// Unevaluated: names in the condition still count as used, so a check-only variable draws no warning.
#define PG_CHECK(condition, message) static_cast<void>(sizeof(static_cast<bool>(condition)))
#endif
