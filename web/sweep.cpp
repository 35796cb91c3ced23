// The page's Sweep (see sweep.hpp).
#include "web/sweep.hpp"

#include <algorithm>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "engine/run/replications.hpp"
#include "engine/run/variants.hpp"

namespace pgweb {

std::vector<std::string> Sweep::start(const pg::Scenario& base, const SweepSpec& spec) {
  *this = Sweep();
  std::vector<std::string> problems;
  if (spec.seeds < 1 || spec.seeds > seeds_max)
    problems.push_back("seeds: must be a whole number from 1 to " + std::to_string(seeds_max));
  if (spec.metrics.empty()) problems.push_back("metric: name a report path, such as requests.checkout.latency_ms.p99");
  std::vector<std::string> values = pg::split_values(spec.values);
  if (spec.values.find_first_not_of(" ,\t") == std::string::npos) problems.push_back("values: give values such as 1,2,4");
  if (values.size() * (size_t)std::max(spec.seeds, 1) > runs_max)
    problems.push_back("values x seeds: at most " + std::to_string(runs_max) + " runs");
  if (!problems.empty()) return problems;
  std::vector<pg::Scenario> variants;
  for (const std::string& text : values) {
    pg::Variant variant = pg::scenario_with_number(base, spec.path, text);
    if (!variant.scenario) {
      problems.insert(problems.end(), variant.errors.begin(), variant.errors.end());
      continue;
    }
    variants.push_back(std::move(*variant.scenario));
  }
  if (!problems.empty()) return problems;
  spec_ = spec;
  values_ = std::move(values);
  variants_ = std::move(variants);
  for (const pg::Scenario& v : variants_) variant_texts_.push_back(pg::scenario_to_text(v, -1));
  runs_.assign(variants_.size() * (size_t)spec.seeds, Run());
  return {};
}

std::vector<std::string> Sweep::start_variants(std::vector<pg::Scenario> variants, std::vector<std::string> names,
                                               const SweepSpec& spec) {
  *this = Sweep();
  std::vector<std::string> problems;
  if (spec.seeds < 1 || spec.seeds > seeds_max)
    problems.push_back("seeds: must be a whole number from 1 to " + std::to_string(seeds_max));
  if (spec.metrics.empty()) problems.push_back("metric: name a report path, such as requests.checkout.latency_ms.p99");
  if (variants.empty() || variants.size() != names.size()) problems.push_back("no scenarios to run");
  if (variants.size() * (size_t)std::max(spec.seeds, 1) > runs_max)
    problems.push_back("scenarios x seeds: at most " + std::to_string(runs_max) + " runs");
  if (!problems.empty()) return problems;
  spec_ = spec;
  values_ = std::move(names);
  variants_ = std::move(variants);
  for (const pg::Scenario& v : variants_) variant_texts_.push_back(pg::scenario_to_text(v, -1));
  runs_.assign(variants_.size() * (size_t)spec.seeds, Run());
  return {};
}

std::string Sweep::jobs_json() const {
  nlohmann::json runs = nlohmann::json::array();
  for (size_t id = 0; id < runs_.size(); ++id)
    runs.push_back({{"id", id},
                    {"variant", id / (size_t)spec_.seeds},
                    {"seed", std::to_string(spec_.seed_base + id % (size_t)spec_.seeds)}});
  return nlohmann::json{{"metrics", spec_.metrics}, {"variants", variant_texts_}, {"runs", runs}}.dump();
}

void Sweep::result(size_t id, const std::string& answer_json) {
  if (!running() || id >= runs_.size() || runs_[id].done) return;
  const nlohmann::json answer = nlohmann::json::parse(answer_json, nullptr, false);
  const std::string value = values_[id / (size_t)spec_.seeds];
  const std::string seed = std::to_string(spec_.seed_base + id % (size_t)spec_.seeds);
  if (answer.is_object() && answer.contains("missing") && answer["missing"].is_string()) {
    error_ = (spec_.path.empty() ? value : spec_.path + " = " + value) + ", seed " + seed + ": the report has no number at \"" +
             answer["missing"].get<std::string>() + "\"";
    return;
  }
  if (!answer.is_object() || !answer.contains("values") || !answer["values"].is_array() ||
      answer["values"].size() != spec_.metrics.size()) {
    error_ = answer.is_object() && answer.contains("error") && answer["error"].is_string()
                 ? answer["error"].get<std::string>()
                 : "a worker gave an answer the page cannot read";
    return;
  }
  for (const nlohmann::json& v : answer["values"]) runs_[id].metrics.push_back(v.is_number() ? v.get<double>() : 0.0);
  if (answer.value("stopped", false)) stopped_ = true;
  runs_[id].done = true;
  ++done_;
}

void Sweep::fail(const std::string& why) {
  if (running()) error_ = why;
}

void Sweep::cancel() { cancelled_ = true; }

std::vector<Sweep::Point> Sweep::points(size_t metric) const {
  std::vector<Point> out;
  if (metric >= spec_.metrics.size()) return out;
  for (size_t v = 0; v < values_.size(); ++v) {
    Point p;
    p.value_text = values_[v];
    p.x = std::strtod(values_[v].c_str(), nullptr);
    std::vector<double> samples;
    for (int k = 0; k < spec_.seeds; ++k) {
      const Run& run = runs_[v * (size_t)spec_.seeds + (size_t)k];
      if (run.done) samples.push_back(run.metrics[metric]);
    }
    p.complete = samples.size() == (size_t)spec_.seeds;
    p.mean = pg::sample_mean(samples);
    p.ci95 = pg::ci95_half_width(samples);
    out.push_back(p);
  }
  return out;
}

std::vector<double> Sweep::samples(size_t variant, size_t metric) const {
  std::vector<double> out;
  if (variant >= values_.size() || metric >= spec_.metrics.size()) return out;
  for (int k = 0; k < spec_.seeds; ++k) {
    const Run& run = runs_[variant * (size_t)spec_.seeds + (size_t)k];
    if (!run.done) return {};
    out.push_back(run.metrics[metric]);
  }
  return out;
}

std::string Sweep::csv(bool summary) const {
  if (!complete()) return "";
  std::vector<std::vector<double>> metrics;
  for (const Run& run : runs_) metrics.push_back(run.metrics);
  return pg::sweep_csv(values_, (uint64_t)spec_.seeds, spec_.seed_base, spec_.metrics, metrics, summary);
}

pg::Scenario Sweep::run_scenario(size_t value, int k) const {
  pg::Scenario scenario = variants_.at(value);
  scenario.seed = spec_.seed_base + (uint64_t)k;
  return scenario;
}

std::string Sweep::state_json() const {
  nlohmann::json out = nlohmann::json::object();   // member by member: smaller code than one initialiser
  out["started"] = started();
  out["running"] = running();
  out["complete"] = complete();
  out["done"] = done_;
  out["total"] = runs_.size();
  out["error"] = error_;
  out["stopped"] = stopped_;
  out["cancelled"] = cancelled_;
  if (!started()) return out.dump();
  out["param"] = spec_.path;
  out["seeds"] = spec_.seeds;
  out["metrics"] = spec_.metrics;
  nlohmann::json points = nlohmann::json::array();
  for (size_t m = 0; m < spec_.metrics.size(); ++m) {
    nlohmann::json list = nlohmann::json::array();
    for (const Point& p : this->points(m)) {
      nlohmann::json point = nlohmann::json::object();
      point["value"] = p.value_text;
      point["complete"] = p.complete;
      point["mean"] = p.mean;
      point["ci95"] = p.ci95;
      list.push_back(std::move(point));
    }
    points.push_back(list);
  }
  out["points"] = points;
  out["csv"] = csv(false);
  out["summary_csv"] = csv(true);
  return out.dump();
}

}  // namespace pgweb
