// Sampling of durations and key popularity. Parameters come from the scenario in milliseconds and are converted
// once, at construction; samples are integer nanoseconds. Only portable arithmetic (portable_math.hpp) is used.
#pragma once
#include <cstdint>
#include <vector>

#include "engine/kernel/random.hpp"
#include "engine/kernel/sim_time.hpp"

namespace pg {

enum class DistributionKind : uint8_t { constant, uniform, exponential, lognormal, pareto, empirical };

struct Distribution {
  DistributionKind kind = DistributionKind::constant;
  double mean_ms = 1.0;     // constant, exponential, lognormal, pareto
  double cv = 1.0;          // lognormal: coefficient of variation (stddev / mean)
  double min_ms = 0.0;      // uniform
  double max_ms = 0.0;      // uniform
  double shape = 2.5;       // pareto: alpha > 1 so the mean exists
  std::vector<double> values_ms;   // empirical
  std::vector<double> weights;     // empirical (empty: equal weights)

  // Derived once by prepare(); sample() requires it.
  double mu = 0, sigma = 0, scale_ms = 0;   // lognormal mu/sigma, pareto x_m
  std::vector<double> cumulative;           // empirical, normalised to end at 1

  void prepare();
  time_ns sample(Rng& rng) const;            // >= 0
  double theoretical_mean_ms() const;
  double theoretical_variance_ms2() const;   // +inf where it does not exist (pareto with shape <= 2)

  static Distribution constant_ms(double mean_ms);
  static Distribution exponential_ms(double mean_ms);
  static Distribution uniform_ms(double min_ms, double max_ms);
  static Distribution lognormal_ms(double mean_ms, double cv);
  static Distribution pareto_ms(double mean_ms, double shape);
  static Distribution empirical_ms(std::vector<double> values_ms, std::vector<double> weights);
};

// A standard normal variate from two uniforms without sin/cos (Marsaglia's polar method; log and sqrt portable).
double sample_standard_normal(Rng& rng);

// Zipf popularity over ranks 0..n-1: P(k) proportional to 1 / (k+1)^exponent, exponent >= 0 (0 = uniform).
// Walker/Vose alias table: O(n) memory and set-up, O(1) per draw.
struct ZipfSampler {
  static constexpr uint32_t ranks_max = 1u << 22;  // 4 Mi ranks: 80 MiB of tables, still fits a WASM heap

  std::vector<double> probability;  // alias-table acceptance thresholds
  std::vector<uint32_t> alias;
  std::vector<double> pmf;          // exact P(k), for tests and the UI

  ZipfSampler() = default;
  ZipfSampler(uint32_t n, double exponent);
  uint32_t sample(Rng& rng) const;
  uint32_t size() const { return (uint32_t)pmf.size(); }
};

}  // namespace pg
