// The report: one JSON object summarising a run (its fields: README.md, "The report"). Goals read its paths.
#pragma once
#include <nlohmann/json.hpp>

#include "engine/kernel/histogram.hpp"
#include "engine/kernel/metrics.hpp"

namespace pg {

// {"count","mean","p50","p90","p99","p999","max"} in milliseconds (count is an integer).
nlohmann::json histogram_ms_json(const Histogram& histogram);
// The kept points of a series as an array of numbers.
nlohmann::json series_json(const Series& series);
// Rounds a decimal for the report so that text output is short and identical on every platform.
double report_round(double value);

// A report object built one member at a time by out-of-line calls. nlohmann's initializer lists ({{"key", value},
// ...}) expand to several kilobytes of WebAssembly per object; these calls cost a few bytes per member. The members'
// JSON types are what the initializer lists gave (a bool stays a bool, an unsigned count an unsigned number, a
// double a float), and the object is a map, so the text written is the same whatever order members are added in.
class ReportObject {
 public:
  ReportObject() : value_(nlohmann::json::object()) {}
  ReportObject& put(const char* key, bool v);
  ReportObject& put(const char* key, int v) { return put(key, (long long)v); }
  ReportObject& put(const char* key, long v) { return put(key, (long long)v); }
  ReportObject& put(const char* key, long long v);
  ReportObject& put(const char* key, unsigned v) { return put(key, (unsigned long long)v); }
  ReportObject& put(const char* key, unsigned long v) { return put(key, (unsigned long long)v); }
  ReportObject& put(const char* key, unsigned long long v);
  ReportObject& put(const char* key, double v);
  ReportObject& put(const char* key, const char* v);
  ReportObject& put(const char* key, const std::string& v);
  ReportObject& put(const char* key, nlohmann::json&& v);
  ReportObject& put(const char* key, const nlohmann::json& v);
  ReportObject& round(const char* key, double v) { return put(key, report_round(v)); }   // a decimal, rounded
  nlohmann::json take() { return std::move(value_); }
 private:
  nlohmann::json value_;
};

}  // namespace pg
