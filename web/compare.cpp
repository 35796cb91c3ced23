// The page's Compare (see compare.hpp).
#include "web/compare.hpp"

#include <algorithm>
#include <chrono>

#include "engine/classroom/exercise.hpp"
#include "engine/codec/link.hpp"
#include "engine/codec/link_patch.hpp"
#include "engine/run/replications.hpp"
#include "engine/run/variants.hpp"
#include "engine/scenario/parameter_path.hpp"

namespace pgweb {

namespace {

double steady_now_s() {
  using steady = std::chrono::steady_clock;
  return std::chrono::duration<double>(steady::now().time_since_epoch()).count();
}

std::vector<std::string> error_lines(const std::vector<pg::ValidationError>& errors) {
  std::vector<std::string> out;
  for (const pg::ValidationError& e : errors) out.push_back(e.to_string());
  return out;
}

}  // namespace

Compare::Compare(WallClock clock) : clock_(clock ? std::move(clock) : WallClock(steady_now_s)) {}
Compare::~Compare() = default;

// B = A patched with `changes`, validated as a loaded file is; on success the state takes it (and B's run starts
// over), otherwise nothing changes.
std::vector<std::string> Compare::adopt(const pg::Scenario& a, const std::string& changes) {
  const nlohmann::json a_json = pg::scenario_to_json(a);
  pg::PatchApply patched = pg::json_patch_apply(a_json, changes);
  if (!patched.ok()) return {patched.error};
  pg::ScenarioParse parsed = pg::parse_scenario_json(patched.document);
  if (!parsed.ok()) return error_lines(parsed.errors);
  b_ = std::move(parsed.scenario);
  changes_ = pg::json_patch_diff(a_json, pg::scenario_to_json(b_));   // the canonical form of what was given
  active_ = true;
  sim_b_.reset();
  report_b_ = nlohmann::json();
  runs_ = Sweep();
  return {};
}

std::vector<std::string> Compare::start(const pg::Scenario& a) { return adopt(a, ""); }

std::vector<std::string> Compare::start_with_changes(const pg::Scenario& a, const std::string& changes) {
  if (changes.size() > pg::limits::patch_text_bytes_max) return {"the changes are longer than a link may carry"};
  return adopt(a, changes);
}

void Compare::stop() {
  active_ = false;
  changes_.clear();
  sim_b_.reset();
  report_b_ = nlohmann::json();
  runs_.cancel();
}

std::vector<std::string> Compare::rebase(const pg::Scenario& a) {
  if (!active_) return {};
  std::vector<std::string> problems = adopt(a, changes_);
  if (!problems.empty()) stop();
  return problems;
}

std::vector<std::string> Compare::set_b(const pg::Scenario& a, const pg::Scenario& b) {
  const nlohmann::json a_json = pg::scenario_to_json(a);
  return adopt(a, pg::json_patch_diff(a_json, pg::scenario_to_json(b)));
}

std::vector<std::string> Compare::change_lines() const {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < changes_.size()) {
    size_t end = changes_.find('~', start);
    if (end == std::string::npos) end = changes_.size();
    out.push_back(changes_.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

void Compare::follow(pg::time_ns a_now_ns, double wall_budget_s) {
  if (!active_) return;
  if (!sim_b_ || sim_b_->now_ns() > a_now_ns) {
    sim_b_ = std::make_unique<pg::Simulation>(b_);
    report_b_ = nlohmann::json();
  }
  const double start_s = clock_();
  constexpr uint64_t events_per_look = 4096;   // a look at the wall clock every few hundred microseconds at most
  while (!caught_up(a_now_ns)) {
    const uint64_t done = sim_b_->advance(events_per_look, a_now_ns);
    if (done < events_per_look && sim_b_->now_ns() >= a_now_ns) break;
    if (clock_() - start_s >= wall_budget_s) break;
  }
}

const nlohmann::json& Compare::report_b(double refresh_s) {
  if (!sim_b_) {
    report_b_ = nlohmann::json();
    return report_b_;
  }
  const double now_s = clock_();
  if (report_b_.is_null() || now_s - report_at_s_ >= refresh_s) {
    report_b_ = sim_b_->report(true);
    report_at_s_ = now_s;
  }
  return report_b_;
}

std::vector<std::string> Compare::start_seeds(const pg::Scenario& a, int seeds, std::vector<std::string> metrics) {
  if (!active_) return {"start comparing first"};
  SweepSpec spec;
  spec.seeds = seeds;
  spec.seed_base = 1;   // as playground-cli compare: seeds 1..N, the same for A and B
  spec.metrics = std::move(metrics);
  return runs_.start_variants({a, b_}, {"A", "B"}, spec);
}

std::vector<Compare::Row> Compare::rows(const nlohmann::json& report_a, const nlohmann::json& report_b,
                                        const std::vector<std::string>& metrics) const {
  std::vector<Row> out;
  const std::vector<std::string>& seeded = runs_.spec().metrics;
  for (const std::string& metric : metrics) {
    Row row;
    row.metric = metric;
    row.has_now = pg::report_metric(report_a, metric, row.a_now) && pg::report_metric(report_b, metric, row.b_now);
    const auto at = std::find(seeded.begin(), seeded.end(), metric);
    if (runs_.complete() && at != seeded.end()) {
      const size_t m = (size_t)(at - seeded.begin());
      const std::vector<double> a = runs_.samples(0, m), b = runs_.samples(1, m);
      const std::vector<double> d = pg::paired_differences(a, b);
      row.has_seeds = !d.empty();
      row.a_mean = pg::sample_mean(a);
      row.b_mean = pg::sample_mean(b);
      row.diff_mean = pg::sample_mean(d);
      row.diff_ci95 = pg::ci95_half_width(d);
    }
    out.push_back(row);
  }
  return out;
}

std::vector<std::string> Compare::default_metrics(const pg::Scenario& a, const nlohmann::json& report_a) {
  std::vector<std::string> out;
  for (const pg::GoalSpec& goal : a.goals)
    if (std::find(out.begin(), out.end(), goal.metric) == out.end()) out.push_back(goal.metric);
  for (const std::string& metric : pg::default_report_metrics(report_a))
    if (std::find(out.begin(), out.end(), metric) == out.end()) out.push_back(metric);
  return out;
}

bool fragment_compare_changes(const std::string& link, std::string& changes) {
  const size_t hash = link.find('#');
  std::string_view rest = hash == std::string::npos ? std::string_view(link) : std::string_view(link).substr(hash + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view part = rest.substr(0, amp);
    if (part.substr(0, 2) == "b=") {
      changes = pg::link_percent_decoded(part.substr(2));
      while (!changes.empty() && (changes.back() == ' ' || changes.back() == '\n' || changes.back() == '\t'))
        changes.pop_back();
      return true;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return false;
}

}  // namespace pgweb
