// The services model against queueing theory. Each check runs R independent replications (different seeds) and
// compares the mean of their estimates with the closed form, with a tolerance of 4 standard errors estimated from
// the replications themselves, plus 2% for the bias of starting each run empty (the initial transient is
// shorter than 1% of the run length at these loads). So the tolerance follows from the run length; no number is
// tuned by hand.
#include <cmath>

#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"

using namespace pg;

namespace {

Scenario single_server(double lambda_per_s, double mean_service_ms, DistributionKind kind, int workers,
                       int queue_max, double duration_s) {
  Scenario s;
  s.name = "queue";
  s.duration_s = duration_s;
  s.workload.rate_per_s = lambda_per_s;
  s.workload.popularity = KeyPopularity::uniform;
  s.requests.push_back({"job", {StepSpec{StepKind::call, "server", {}, {}, {}}}});
  ServiceSpec service;
  service.name = "server";
  service.instances = 1;
  service.workers = workers;
  service.queue_max = queue_max;
  service.service_time = kind == DistributionKind::constant ? Distribution::constant_ms(mean_service_ms)
                                                            : Distribution::exponential_ms(mean_service_ms);
  service.service_time.prepare();
  s.services.push_back(service);
  return s;
}

struct Estimates {
  test::Replications wait_ms, response_ms, line_length, blocking, littles_gap;
};

Estimates replicate(Scenario s, int replications) {
  Estimates e;
  for (int r = 0; r < replications; ++r) {
    s.seed = 1000 + (uint64_t)r;
    Simulation sim(s);
    sim.run_to_end();
    const ServiceStats& st = sim.world().services.stats()[0];
    e.wait_ms.add(st.wait.mean() / 1e6);
    e.response_ms.add(st.latency.mean() / 1e6);
    const Instance& instance = sim.world().services.instances()[0];
    double lq = instance.line_tw.mean(0, sim.now_ns());
    e.line_length.add(lq);
    e.blocking.add((double)st.rejected / (double)st.arrivals);
    // Little's law on the same sample path: Lq = (admitted arrivals per second) x Wq.
    double admitted_per_s = (double)st.wait.count / ns_to_s(sim.now_ns());
    e.littles_gap.add(lq - admitted_per_s * st.wait.mean() / 1e9);
  }
  return e;
}

void check_close(const test::Replications& r, double expected, const char* what) {
  double tolerance = 4 * r.standard_error() + 0.02 * std::fabs(expected);
  INFO(what << ": simulated " << r.mean() << " +- " << r.standard_error() << " (se), expected " << expected
            << ", tolerance " << tolerance);
  CHECK(std::fabs(r.mean() - expected) <= tolerance);
}

}  // namespace

TEST_CASE("M/M/1 mean wait matches rho / (mu - lambda)", "[services][queueing]") {
  const double mu = 100;  // per second (10 ms mean service)
  for (double rho : {0.5, 0.8, 0.9}) {
    double lambda = rho * mu;
    Estimates e = replicate(single_server(lambda, 10, DistributionKind::exponential, 1, 1'000'000, 1000), 10);
    INFO("rho = " << rho);
    check_close(e.wait_ms, 1000 * rho / (mu - lambda), "M/M/1 Wq (ms)");
    check_close(e.response_ms, 1000 / (mu - lambda), "M/M/1 W (ms)");
    check_close(e.line_length, rho * rho / (1 - rho), "M/M/1 Lq");
  }
}

TEST_CASE("M/D/1 mean wait matches Pollaczek-Khinchine rho / (2 mu (1 - rho))", "[services][queueing]") {
  const double mu = 100;
  for (double rho : {0.5, 0.8, 0.9}) {
    Estimates e = replicate(single_server(rho * mu, 10, DistributionKind::constant, 1, 1'000'000, 1000), 10);
    INFO("rho = " << rho);
    check_close(e.wait_ms, 1000 * rho / (2 * mu * (1 - rho)), "M/D/1 Wq (ms)");
  }
}

TEST_CASE("M/M/c mean wait and response match Erlang C", "[services][queueing]") {
  struct Case { double lambda; double mean_ms; int c; };
  for (Case k : {Case{150, 10, 2}, Case{300, 10, 4}, Case{700, 10, 8}, Case{30, 100, 4}}) {
    double mu = 1000 / k.mean_ms, a = k.lambda / mu;
    double wq_s = test::erlang_c(k.c, a) / (k.c * mu - k.lambda);
    Estimates e = replicate(single_server(k.lambda, k.mean_ms, DistributionKind::exponential, k.c, 1'000'000, 600), 10);
    INFO("lambda = " << k.lambda << ", mu = " << mu << ", c = " << k.c);
    check_close(e.wait_ms, 1000 * wq_s, "M/M/c Wq (ms)");
    check_close(e.response_ms, 1000 * (wq_s + 1 / mu), "M/M/c W (ms)");
  }
}

TEST_CASE("Little's law holds for the time-weighted waiting line", "[services][queueing]") {
  Estimates e = replicate(single_server(350, 10, DistributionKind::exponential, 4, 1'000'000, 300), 6);
  // On one sample path Lq and lambda x Wq differ only by the customers still waiting at the end: tiny.
  for (double gap : e.littles_gap.values) CHECK(std::fabs(gap) < 0.01 * std::max(1.0, e.line_length.mean()));
}

TEST_CASE("M/M/c/K blocking probability matches the closed form", "[services][queueing]") {
  struct Case { double lambda; double mean_ms; int c; int line; };
  for (Case k : {Case{90, 10, 1, 4}, Case{400, 10, 4, 2}, Case{500, 10, 4, 6}}) {
    double mu = 1000 / k.mean_ms, a = k.lambda / mu;
    int capacity = k.c + k.line;
    // Stationary distribution of the birth-death chain with rates lambda and min(n, c) mu, n = 0..K.
    std::vector<double> p(capacity + 1);
    p[0] = 1;
    for (int n = 1; n <= capacity; ++n) p[n] = p[n - 1] * a / std::min(n, k.c);
    double total = 0;
    for (double v : p) total += v;
    double blocking = p[capacity] / total;
    Estimates e = replicate(single_server(k.lambda, k.mean_ms, DistributionKind::exponential, k.c, k.line, 400), 10);
    INFO("lambda = " << k.lambda << ", c = " << k.c << ", K = " << capacity);
    check_close(e.blocking, blocking, "P(block)");
  }
}
