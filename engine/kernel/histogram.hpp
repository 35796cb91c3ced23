// Fixed-memory log-linear histogram of non-negative integers (nanoseconds). Values below 2^linear_bits are exact;
// above, each power of two is split into 2^sub_bucket_bits equal buckets, so a recorded value's bucket spans at
// most 2^-sub_bucket_bits of it (< 1% relative error for sub_bucket_bits = 7). Memory does not grow with samples.
#pragma once
#include <array>
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

  void record(int64_t value);           // value < 0 is recorded as 0
  void merge(const Histogram& other);
  void clear();
  double mean() const;                  // 0 when empty
  // The q-quantile (0 <= q <= 1) with nearest-rank semantics, as the midpoint of its bucket, clamped to
  // [min, max]; ranks 1 and count give min and max exactly; 0 when empty.
  int64_t percentile(double q) const;

  static int bucket_of(int64_t value);
  static int64_t bucket_low(int bucket);
  static int64_t bucket_high(int bucket);  // inclusive
};

}  // namespace pg
