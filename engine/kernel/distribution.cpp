// Sampling of durations (integer nanoseconds) and Zipf ranks. Invariants: every sample is in [0, sample_ns_max];
// only portable arithmetic is used (portable_math.hpp, integer Rng), so a seed gives the same samples on every
// target; each draw consumes a number of Rng outputs that depends only on the Rng's own values.
#include "engine/kernel/distribution.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <limits>
#include <utility>

#include "engine/kernel/portable_math.hpp"

namespace pg {

namespace {

// About 11.6 simulated days: far beyond any scenario, far below INT64_MAX, so sums of samples cannot overflow.
constexpr double sample_ns_max = 1e15;

// A programmer error (parameters the scenario validator should have rejected): stays on in release and WASM.
void require(bool condition, const char* message) {
  if (!condition) {
    std::fprintf(stderr, "distribution: %s\n", message);
    std::abort();
  }
}

// Milliseconds to nanoseconds, rounded to nearest, clamped to [0, sample_ns_max] (NaN gives 0).
time_ns ms_to_sample_ns(double ms) {
  const double ns = ms * 1e6;
  if (!(ns > 0)) return 0;
  if (ns >= sample_ns_max) return (time_ns)sample_ns_max;
  return (time_ns)(ns + 0.5);
}

}  // namespace

// ---- Distribution -----------------------------------------------------------------------------------------------

void Distribution::prepare() {
  switch (kind) {
    case DistributionKind::constant:
    case DistributionKind::exponential:
      require(mean_ms >= 0, "mean_ms must be >= 0");
      break;
    case DistributionKind::uniform:
      require(min_ms >= 0 && min_ms <= max_ms, "uniform needs 0 <= min_ms <= max_ms");
      break;
    case DistributionKind::lognormal: {
      require(mean_ms > 0 && cv >= 0, "lognormal needs mean_ms > 0 and cv >= 0");
      const double sigma_squared = pm_log(1.0 + cv * cv);
      sigma = pm_sqrt(sigma_squared);
      mu = pm_log(mean_ms) - 0.5 * sigma_squared;
      break;
    }
    case DistributionKind::pareto:
      require(mean_ms > 0 && shape > 1, "pareto needs mean_ms > 0 and shape > 1");
      scale_ms = mean_ms * (shape - 1) / shape;
      break;
    case DistributionKind::empirical: {
      require(!values_ms.empty(), "empirical needs at least one value");
      require(weights.empty() || weights.size() == values_ms.size(), "empirical needs one weight per value");
      cumulative.assign(values_ms.size(), 0.0);
      double total = 0;
      for (size_t i = 0; i < values_ms.size(); ++i) {
        const double weight = weights.empty() ? 1.0 : weights[i];
        require(weight >= 0 && values_ms[i] >= 0, "empirical values and weights must be >= 0");
        total += weight;
        cumulative[i] = total;
      }
      require(total > 0, "empirical weights must not all be zero");
      for (double& c : cumulative) c /= total;
      // Entries after the last positive weight equal total / total == 1 exactly; force the end in any case.
      cumulative.back() = 1.0;
      break;
    }
  }
}

time_ns Distribution::sample(Rng& rng) const {
  switch (kind) {
    case DistributionKind::constant:
      return ms_to_sample_ns(mean_ms);
    case DistributionKind::uniform:
      return ms_to_sample_ns(min_ms + (max_ms - min_ms) * rng.next_double());
    case DistributionKind::exponential:
      return ms_to_sample_ns(-mean_ms * pm_log(rng.next_double_open0()));
    case DistributionKind::lognormal:
      return ms_to_sample_ns(pm_exp(mu + sigma * sample_standard_normal(rng)));
    case DistributionKind::pareto:
      // Inverse transform: U in (0, 1] gives x_m * U^(-1/shape) >= x_m.
      return ms_to_sample_ns(scale_ms * pm_pow(rng.next_double_open0(), -1.0 / shape));
    case DistributionKind::empirical: {
      require(cumulative.size() == values_ms.size(), "empirical sample() before prepare()");
      // The first value whose cumulative weight exceeds u; zero-weight values are never chosen.
      const double u = rng.next_double();
      const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
      const size_t index = std::min((size_t)(it - cumulative.begin()), values_ms.size() - 1);
      return ms_to_sample_ns(values_ms[index]);
    }
  }
  return 0;
}

double Distribution::theoretical_mean_ms() const {
  switch (kind) {
    case DistributionKind::constant:
    case DistributionKind::exponential:
    case DistributionKind::lognormal:
    case DistributionKind::pareto:
      return mean_ms;
    case DistributionKind::uniform:
      return 0.5 * (min_ms + max_ms);
    case DistributionKind::empirical: {
      double total = 0, weighted = 0;
      for (size_t i = 0; i < values_ms.size(); ++i) {
        const double weight = weights.empty() ? 1.0 : weights[i];
        total += weight;
        weighted += weight * values_ms[i];
      }
      return total > 0 ? weighted / total : 0.0;
    }
  }
  return 0;
}

double Distribution::theoretical_variance_ms2() const {
  switch (kind) {
    case DistributionKind::constant:
      return 0;
    case DistributionKind::uniform:
      return (max_ms - min_ms) * (max_ms - min_ms) / 12.0;
    case DistributionKind::exponential:
      return mean_ms * mean_ms;
    case DistributionKind::lognormal:
      return (cv * mean_ms) * (cv * mean_ms);
    case DistributionKind::pareto: {
      if (shape <= 2) return std::numeric_limits<double>::infinity();
      const double x_m = mean_ms * (shape - 1) / shape;
      return x_m * x_m * shape / ((shape - 1) * (shape - 1) * (shape - 2));
    }
    case DistributionKind::empirical: {
      const double mean = theoretical_mean_ms();
      double total = 0, weighted = 0;
      for (size_t i = 0; i < values_ms.size(); ++i) {
        const double weight = weights.empty() ? 1.0 : weights[i];
        total += weight;
        weighted += weight * (values_ms[i] - mean) * (values_ms[i] - mean);
      }
      return total > 0 ? weighted / total : 0.0;
    }
  }
  return 0;
}

Distribution Distribution::constant_ms(double mean) {
  Distribution d;
  d.kind = DistributionKind::constant;
  d.mean_ms = mean;
  d.prepare();
  return d;
}

Distribution Distribution::exponential_ms(double mean) {
  Distribution d;
  d.kind = DistributionKind::exponential;
  d.mean_ms = mean;
  d.prepare();
  return d;
}

Distribution Distribution::uniform_ms(double low_ms, double high_ms) {
  Distribution d;
  d.kind = DistributionKind::uniform;
  d.min_ms = low_ms;
  d.max_ms = high_ms;
  d.mean_ms = 0.5 * (low_ms + high_ms);
  d.prepare();
  return d;
}

Distribution Distribution::lognormal_ms(double mean, double coefficient_of_variation) {
  Distribution d;
  d.kind = DistributionKind::lognormal;
  d.mean_ms = mean;
  d.cv = coefficient_of_variation;
  d.prepare();
  return d;
}

Distribution Distribution::pareto_ms(double mean, double alpha) {
  Distribution d;
  d.kind = DistributionKind::pareto;
  d.mean_ms = mean;
  d.shape = alpha;
  d.prepare();
  return d;
}

Distribution Distribution::empirical_ms(std::vector<double> values, std::vector<double> value_weights) {
  Distribution d;
  d.kind = DistributionKind::empirical;
  d.values_ms = std::move(values);
  d.weights = std::move(value_weights);
  d.prepare();
  d.mean_ms = d.theoretical_mean_ms();
  return d;
}

// ---- Normal variates --------------------------------------------------------------------------------------------

double sample_standard_normal(Rng& rng) {
  // Marsaglia's polar method: a point uniform in the unit disc (accepted with probability pi/4) gives a normal
  // variate without sin/cos. Only the first of the pair is returned, so the function keeps no state.
  for (;;) {
    const double u = 2.0 * rng.next_double() - 1.0;
    const double v = 2.0 * rng.next_double() - 1.0;
    const double s = u * u + v * v;
    if (s > 0 && s < 1) return u * pm_sqrt(-2.0 * pm_log(s) / s);
  }
}

// ---- Zipf -------------------------------------------------------------------------------------------------------

ZipfSampler::ZipfSampler(uint32_t n, double exponent) {
  require(n > 0 && n <= ranks_max, "zipf needs 1 <= n <= ZipfSampler::ranks_max");
  require(exponent >= 0, "zipf needs exponent >= 0");
  pmf.resize(n);
  double total = 0;
  for (uint32_t k = 0; k < n; ++k) {
    pmf[k] = pm_pow((double)k + 1.0, -exponent);
    total += pmf[k];
  }
  for (double& p : pmf) p /= total;

  // Vose's alias method: columns scaled to mean 1; each under-full column is topped up by one over-full column.
  // The work lists are stacks filled in rank order, so the table depends only on (n, exponent).
  probability.resize(n);
  alias.resize(n);
  std::vector<double> scaled(n);
  std::vector<uint32_t> small, large;
  for (uint32_t k = 0; k < n; ++k) {
    scaled[k] = pmf[k] * (double)n;
    (scaled[k] < 1.0 ? small : large).push_back(k);
  }
  while (!small.empty() && !large.empty()) {
    const uint32_t under = small.back();
    small.pop_back();
    const uint32_t over = large.back();
    probability[under] = scaled[under];
    alias[under] = over;
    scaled[over] = (scaled[over] + scaled[under]) - 1.0;
    if (scaled[over] < 1.0) {
      large.pop_back();
      small.push_back(over);
    }
  }
  // What remains is full up to rounding error.
  for (const std::vector<uint32_t>* rest : {&large, &small}) {
    for (uint32_t k : *rest) {
      probability[k] = 1.0;
      alias[k] = k;
    }
  }
}

uint32_t ZipfSampler::sample(Rng& rng) const {
  require(!probability.empty(), "zipf sample() on an empty sampler");
  const uint32_t column = (uint32_t)rng.below(probability.size());
  return rng.next_double() < probability[column] ? column : alias[column];
}

}  // namespace pg
