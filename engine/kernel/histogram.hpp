// Fixed-memory log-linear histogram of non-negative integers (nanoseconds). Values below 2^linear_bits are exact;
// above, each power of two is split into 2^sub_bucket_bits equal buckets, so a recorded value's bucket spans at
// most 2^-sub_bucket_bits of it (< 1% relative error for sub_bucket_bits = 7). Memory does not grow with samples.
#pragma once
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace pg {

struct Histogram {
  static constexpr int sub_bucket_bits = 7;                          // 128 buckets per power of two
  static constexpr int linear_bits = sub_bucket_bits + 1;            // values below 256 have a bucket each
  static constexpr int bucket_count = (64 - sub_bucket_bits + 1) << sub_bucket_bits;

  std::array<uint64_t, bucket_count> counts{};
  uint64_t count = 0;
  int64_t min = INT64_MAX;
  int64_t max = 0;
  double sum = 0;   // for the mean; summed in recording order, which is deterministic

  void record(int64_t value) {          // value < 0 is recorded as 0 (inline: a few are recorded per request)
    if (value < 0) value = 0;
    counts[(size_t)bucket_of(value)] += 1;
    count += 1;
    min = std::min(min, value);
    max = std::max(max, value);
    sum += (double)value;
  }
  void merge(const Histogram& other);
  void clear();
  double mean() const;                  // 0 when empty
  // The q-quantile (0 <= q <= 1) with nearest-rank semantics, as the midpoint of its bucket, clamped to
  // [min, max]; ranks 1 and count give min and max exactly; 0 when empty.
  int64_t percentile(double q) const;

  static int bucket_of(int64_t value) {
    if (value < 0) value = 0;
    const uint64_t v = (uint64_t)value;
    if (v < (uint64_t(1) << linear_bits)) return (int)v;
    const int highest_bit = 63 - std::countl_zero(v);
    const int shift = highest_bit - sub_bucket_bits;
    const int sub_bucket = (int)(v >> shift) - (1 << sub_bucket_bits);
    return (highest_bit - sub_bucket_bits + 1) * (1 << sub_bucket_bits) + sub_bucket;
  }
  static int64_t bucket_low(int bucket);
  static int64_t bucket_high(int bucket);  // inclusive
};

}  // namespace pg
