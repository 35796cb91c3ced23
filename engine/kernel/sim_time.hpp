// Simulated time: a signed 64-bit count of nanoseconds since the start of a run. Floating-point milliseconds or
// seconds appear only at the edges, where a person reads or types them (scenario JSON, the report, the UI).
#pragma once
#include <cstdint>

namespace pg {

using time_ns = int64_t;

constexpr time_ns ns_per_us = 1'000;
constexpr time_ns ns_per_ms = 1'000'000;
constexpr time_ns ns_per_s = 1'000'000'000;
constexpr time_ns time_never = INT64_MAX;

// Rounds to the nearest nanosecond; callers validate ranges before converting, so no overflow here.
inline time_ns ms_to_ns(double ms) { return (time_ns)(ms * 1e6 + (ms >= 0 ? 0.5 : -0.5)); }
inline time_ns s_to_ns(double s) { return (time_ns)(s * 1e9 + (s >= 0 ? 0.5 : -0.5)); }
inline double ns_to_ms(time_ns t) { return (double)t / 1e6; }
inline double ns_to_s(time_ns t) { return (double)t / 1e9; }

}  // namespace pg
