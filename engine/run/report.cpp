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

ReportObject& ReportObject::put(const char* key, bool v) { value_[key] = v; return *this; }
ReportObject& ReportObject::put(const char* key, long long v) { value_[key] = (int64_t)v; return *this; }
ReportObject& ReportObject::put(const char* key, unsigned long long v) { value_[key] = (uint64_t)v; return *this; }
ReportObject& ReportObject::put(const char* key, double v) { value_[key] = v; return *this; }
ReportObject& ReportObject::put(const char* key, const char* v) { value_[key] = v; return *this; }
ReportObject& ReportObject::put(const char* key, const std::string& v) { value_[key] = v; return *this; }
ReportObject& ReportObject::put(const char* key, json&& v) { value_[key] = std::move(v); return *this; }
ReportObject& ReportObject::put(const char* key, const json& v) { value_[key] = v; return *this; }

json histogram_ms_json(const Histogram& h) {
  ReportObject o;
  o.put("count", h.count).round("mean", h.mean() / 1e6).round("p50", ns_to_ms(h.percentile(0.5)));
  o.round("p90", ns_to_ms(h.percentile(0.9))).round("p99", ns_to_ms(h.percentile(0.99)));
  o.round("p999", ns_to_ms(h.percentile(0.999))).round("max", ns_to_ms(h.count ? h.max : 0));
  return o.take();
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
    ReportObject o;
    o.put("arrivals", r.arrivals).put("completed", r.completed).put("failed", r.failed);
    o.put("failed_by", std::move(failed_by)).put("in_flight", r.in_flight);
    o.round("throughput_per_s", (double)r.completed / elapsed_s).put("latency_ms", histogram_ms_json(r.latency));
    requests[scenario.requests[i].name] = o.take();
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
      ReportObject o;
      o.put("throughput_per_s", series_json(r.throughput)).put("failures_per_s", series_json(r.failures));
      o.put("p50_ms", series_json(r.p50_ms)).put("p99_ms", series_json(r.p99_ms));
      rs[scenario.requests[i].name] = o.take();
    }
    series["requests"] = rs;
    for (const Mechanism* model : mechanisms()) series[model->name()] = model->series_report();
    out["series"] = series;
  }
  return out;
}

}  // namespace pg
