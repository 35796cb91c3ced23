// The report of a run. Everything here reads the world; nothing changes it.
#include "engine/run/report.hpp"

#include <cmath>
#include <cstdio>

#include "engine/run/world.hpp"

namespace pg {

using json = nlohmann::json;

double report_round(double value) {
  if (!std::isfinite(value)) return 0;
  // Six significant digits, via text so the result is the same everywhere (printf rounding is exact in both libcs).
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return std::strtod(buffer, nullptr);
}

json histogram_ms_json(const Histogram& h) {
  return {{"count", h.count},
          {"mean", report_round(h.mean() / 1e6)},
          {"p50", report_round(ns_to_ms(h.percentile(0.5)))},
          {"p90", report_round(ns_to_ms(h.percentile(0.9)))},
          {"p99", report_round(ns_to_ms(h.percentile(0.99)))},
          {"p999", report_round(ns_to_ms(h.percentile(0.999)))},
          {"max", report_round(ns_to_ms(h.count ? h.max : 0))}};
}

json series_json(const Series& series) {
  json out = json::array();
  for (uint64_t i = 0; i < series.size(); ++i) out.push_back(report_round(series.at(i)));
  return out;
}

json World::report(bool with_series) const {
  json out;
  out["scenario"] = scenario.name;
  out["seed"] = scenario.seed;
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", (unsigned long long)kernel.trace_hash);
  out["trace_hash"] = hash;
  out["events"] = kernel.processed;
  out["simulated_s"] = report_round(ns_to_s(kernel.now_ns));
  double elapsed_s = std::max(ns_to_s(kernel.now_ns), 1e-9);

  json requests = json::object();
  for (size_t i = 0; i < scenario.requests.size(); ++i) {
    const RequestStats& r = request_stats[i];
    json failed_by = json::object();
    for (size_t k = 1; k < (size_t)FailReason::count; ++k)
      if (r.failed_by[k]) failed_by[fail_reason_name((FailReason)k)] = r.failed_by[k];
    requests[scenario.requests[i].name] = {
        {"arrivals", r.arrivals},   {"completed", r.completed},
        {"failed", r.failed},       {"failed_by", failed_by},
        {"in_flight", r.in_flight}, {"throughput_per_s", report_round((double)r.completed / elapsed_s)},
        {"latency_ms", histogram_ms_json(r.latency)}};
  }
  out["requests"] = requests;

  for (const Mechanism* model : mechanisms()) out[model->name()] = model->report(*this);

  if (with_series) {
    json series;
    series["interval_ms"] = report_round(ns_to_ms(time_axis.interval_ns));
    series["t_s"] = series_json(time_axis);
    json rs = json::object();
    for (size_t i = 0; i < scenario.requests.size(); ++i) {
      const RequestStats& r = request_stats[i];
      rs[scenario.requests[i].name] = {{"throughput_per_s", series_json(r.throughput)},
                                       {"failures_per_s", series_json(r.failures)},
                                       {"p50_ms", series_json(r.p50_ms)},
                                       {"p99_ms", series_json(r.p99_ms)}};
    }
    series["requests"] = rs;
    for (const Mechanism* model : mechanisms()) series[model->name()] = model->series_report();
    out["series"] = series;
  }
  return out;
}

}  // namespace pg
