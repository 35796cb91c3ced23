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

void Histogram::merge(const Histogram& other) {
  for (size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
  count += other.count;
  min = std::min(min, other.min);
  max = std::max(max, other.max);
  sum += other.sum;
}

// Only the buckets from min's to max's can hold counts (record and merge keep every value counted within [min, max]),
// so only they are zeroed: the interval histograms are cleared at every sample, and the whole array is 57 KB.
void Histogram::clear() {
  if (count > 0) std::fill(counts.begin() + bucket_of(min), counts.begin() + bucket_of(max) + 1, uint64_t(0));
  count = 0;
  min = INT64_MAX;
  max = 0;
  sum = 0;
}

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
  for (size_t bucket = (size_t)bucket_of(min); bucket < counts.size(); ++bucket) {   // none below min's is counted
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
