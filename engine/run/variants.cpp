// Variants of a scenario for a sweep: see variants.hpp.
#include "engine/run/variants.hpp"

#include <cstdint>
#include <cstdio>

#include "engine/run/replications.hpp"
#include "engine/scenario/number_text.hpp"

namespace pg {

namespace {

bool numeric(const FieldInfo& info) {
  return info.type == FieldType::integer || info.type == FieldType::count || info.type == FieldType::number;
}

std::string number_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

}  // namespace

Variant scenario_with_number(const Scenario& base, const std::string& path, const std::string& value_text) {
  Variant out;
  const FieldAddress* address = nullptr;
  const std::vector<FieldAddress> addresses = field_addresses(base);
  for (const FieldAddress& a : addresses)
    if (a.path == path) address = &a;
  if (!address) {
    out.errors.push_back("\"" + path + "\" names no field of the scenario (paths look like /services/order/workers)");
    return out;
  }
  const FieldInfo& info = *address->ref.info;
  if (!numeric(info)) {
    out.errors.push_back(path + ": not a number field; only numbers can be swept");
    return out;
  }
  std::optional<double> value = parse_decimal_text(value_text, info.min, info.max);
  if (value && info.type != FieldType::number && static_cast<double>(static_cast<int64_t>(*value)) != *value)
    value.reset();   // a whole-number field: 4.5 workers is refused rather than truncated
  if (!value) {
    out.errors.push_back(path + ": \"" + value_text + "\" is not a " +
                         (info.type == FieldType::number ? "number" : "whole number") + " from " +
                         number_text(info.min) + " to " + number_text(info.max));
    return out;
  }
  Scenario changed = base;
  visit_field(changed, address->ref, [&](const auto& row, auto& spec) { return set_field_number(row, spec, *value); });
  ScenarioParse parse = parse_scenario(scenario_to_text(changed));
  if (!parse.ok()) {
    for (const ValidationError& e : parse.errors) out.errors.push_back(path + " = " + value_text + ": " + e.to_string());
    return out;
  }
  out.scenario = std::move(parse.scenario);
  return out;
}

std::vector<FieldAddress> sweepable_fields(const Scenario& scenario) {
  std::vector<FieldAddress> out;
  for (FieldAddress& a : field_addresses(scenario))
    if (numeric(*a.ref.info)) out.push_back(std::move(a));
  return out;
}

std::vector<std::string> default_report_metrics(const nlohmann::json& report) {
  std::vector<std::string> metrics;
  auto requests = report.find("requests");
  if (requests == report.end() || !requests->is_object()) return metrics;
  for (auto it = requests->begin(); it != requests->end(); ++it) {
    if (it.key().find('.') != std::string::npos) continue;
    metrics.push_back("requests." + it.key() + ".latency_ms.mean");
    metrics.push_back("requests." + it.key() + ".latency_ms.p99");
  }
  return metrics;
}

std::string csv_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", value);
  return buffer;
}

std::string sweep_csv(const std::vector<std::string>& values, uint64_t seeds, uint64_t seed_base,
                      const std::vector<std::string>& metrics, const std::vector<std::vector<double>>& runs,
                      bool summary) {
  std::string out = summary ? "value" : "value,seed";
  for (const std::string& m : metrics) {
    out.append(",").append(m);
    if (summary) out.append("_mean,").append(m).append("_ci95");
  }
  out += "\n";
  for (size_t v = 0; v < values.size(); ++v) {
    if (summary) {
      out += values[v];
      for (size_t m = 0; m < metrics.size(); ++m) {
        std::vector<double> samples;
        for (uint64_t i = 0; i < seeds; ++i) samples.push_back(runs[v * seeds + i][m]);
        out.append(",").append(csv_number(sample_mean(samples))).append(",").append(csv_number(ci95_half_width(samples)));
      }
      out += "\n";
      continue;
    }
    for (uint64_t i = 0; i < seeds; ++i) {
      out.append(values[v]).append(",").append(std::to_string(seed_base + i));
      for (double value : runs[v * seeds + i]) out.append(",").append(csv_number(value));
      out += "\n";
    }
  }
  return out;
}

std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const size_t first = part.find_first_not_of(" \t"), last = part.find_last_not_of(" \t");
    parts.push_back(first == std::string::npos ? std::string() : part.substr(first, last - first + 1));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

}  // namespace pg
