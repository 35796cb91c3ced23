// Log-linear histogram. Bucket layout: values v < 2^linear_bits (256) have bucket v. Above, with p the index of
// v's highest set bit (p >= linear_bits), the 2^p..2^(p+1)-1 range is split into 2^sub_bucket_bits buckets of width
// 2^(p - sub_bucket_bits): bucket = (p - sub_bucket_bits + 1) * 2^sub_bucket_bits + the next sub_bucket_bits bits.
// Invariants: buckets are contiguous and ordered by value; every value of a bucket is within 2^-sub_bucket_bits of
// its low end, so the bucket midpoint is within 2^-(sub_bucket_bits+1) (0.39%) of any recorded value in it;
// count equals the sum of counts[]; min <= max whenever count > 0.
#include "engine/kernel/histogram.hpp"

#include <algorithm>
#include <bit>

namespace pg {

namespace {

constexpr int sub_bucket_count = 1 << Histogram::sub_bucket_bits;

}  // namespace

int Histogram::bucket_of(int64_t value) {
  if (value < 0) value = 0;
  const uint64_t v = (uint64_t)value;
  if (v < (uint64_t(1) << linear_bits)) return (int)v;
  const int highest_bit = 63 - std::countl_zero(v);
  const int shift = highest_bit - sub_bucket_bits;
  const int sub_bucket = (int)(v >> shift) - sub_bucket_count;
  return (highest_bit - sub_bucket_bits + 1) * sub_bucket_count + sub_bucket;
}

int64_t Histogram::bucket_low(int bucket) {
  if (bucket < (1 << linear_bits)) return bucket;
  const int group = bucket >> sub_bucket_bits;  // >= 2; the highest bit index is group + sub_bucket_bits - 1
  const int shift = group - 1;
  const uint64_t low = (uint64_t)(sub_bucket_count + (bucket & (sub_bucket_count - 1))) << shift;
  return low > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)low;
}

int64_t Histogram::bucket_high(int bucket) {
  if (bucket < (1 << linear_bits)) return bucket;
  const int shift = (bucket >> sub_bucket_bits) - 1;
  const uint64_t low = (uint64_t)(sub_bucket_count + (bucket & (sub_bucket_count - 1))) << shift;
  const uint64_t high = low + ((uint64_t(1) << shift) - 1);
  return high > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)high;
}

void Histogram::record(int64_t value) {
  if (value < 0) value = 0;
  counts[(size_t)bucket_of(value)] += 1;
  count += 1;
  min = std::min(min, value);
  max = std::max(max, value);
  sum += (double)value;
}

void Histogram::merge(const Histogram& other) {
  for (size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
  count += other.count;
  min = std::min(min, other.min);
  max = std::max(max, other.max);
  sum += other.sum;
}

void Histogram::clear() { *this = Histogram{}; }

double Histogram::mean() const { return count == 0 ? 0.0 : sum / (double)count; }

int64_t Histogram::percentile(double q) const {
  if (count == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // Nearest rank: the smallest rank r (1-based) with r >= q * count, at least 1.
  const double rank_real = q * (double)count;
  uint64_t rank = (uint64_t)rank_real;
  if ((double)rank < rank_real) rank += 1;
  rank = std::clamp<uint64_t>(rank, 1, count);
  // The smallest and largest samples are known exactly: no need for a bucket midpoint.
  if (rank == 1) return min;
  if (rank == count) return max;
  uint64_t seen = 0;
  for (size_t bucket = 0; bucket < counts.size(); ++bucket) {
    seen += counts[bucket];
    if (seen >= rank) {
      const int64_t low = bucket_low((int)bucket), high = bucket_high((int)bucket);
      const int64_t midpoint = low + (high - low) / 2;
      return std::clamp(midpoint, min, max);
    }
  }
  return max;  // unreachable while count equals the sum of counts
}

}  // namespace pg
