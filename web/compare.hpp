// The page's Compare (A/B): the scenario the page holds is A; B is A with a list of changes (the short links' patch
// text, engine/codec/link_patch.hpp), so every later change to A (an edit, an intervention) reaches B too, and a
// link carries B as those changes ("&b=<changes>" after the scenario). B runs beside A under the same seed and
// random streams (common random numbers: the same arrivals and keys wherever the change does not touch them) and
// follows A's clock; the views overlay or split the two runs. Over N seeds the pairs run in the Sweep's workers and
// the table gives each metric's means and the mean paired difference B - A with its 95% confidence half-width, the
// numbers `playground-cli compare` prints for the same two scenarios. No ImGui, GL or browser here
// (tests/unit/web/test_compare.cpp).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/run/simulation.hpp"
#include "engine/scenario/scenario.hpp"
#include "web/sweep.hpp"

namespace pgweb {

class Compare {
 public:
  using WallClock = std::function<double()>;   // seconds, monotonic
  explicit Compare(WallClock clock = {});
  ~Compare();

  // Starts comparing A with a B that has no change yet. Returns the problems (none expected for a valid A).
  std::vector<std::string> start(const pg::Scenario& a);
  // Starts (or replaces) B as A with the changes a link carried; refused (problems, state unchanged) when they do
  // not apply or the result does not validate.
  std::vector<std::string> start_with_changes(const pg::Scenario& a, const std::string& changes);
  void stop();
  bool active() const { return active_; }

  // A changed: B is A with the same changes again, and its run starts over. When the changes no longer fit the
  // new A (an item they name was removed), comparing stops and the problem is returned.
  std::vector<std::string> rebase(const pg::Scenario& a);
  // B was edited (the parameter editors while they edit B): its changes become the difference from A.
  std::vector<std::string> set_b(const pg::Scenario& a, const pg::Scenario& b);

  const pg::Scenario& b() const { return b_; }
  const std::string& changes() const { return changes_; }   // "" while B equals A
  // The changes one per line ("services.1.instances=3"), for the panel.
  std::vector<std::string> change_lines() const;

  // B's run follows A's clock: rebuilt when A went back in time (or B changed), then simulated forward towards
  // a_now_ns for at most wall_budget_s. Results do not depend on how the work is sliced.
  void follow(pg::time_ns a_now_ns, double wall_budget_s);
  const pg::Simulation* sim_b() const { return sim_b_.get(); }
  bool caught_up(pg::time_ns a_now_ns) const { return sim_b_ && (sim_b_->now_ns() >= a_now_ns || sim_b_->finished()); }
  // B's report with series, refreshed at most every refresh_s of wall time (charts read it every frame).
  const nlohmann::json& report_b(double refresh_s);

  // ---- over seeds: the pairs run in workers (the page starts them from runs().jobs_json()) ----
  std::vector<std::string> start_seeds(const pg::Scenario& a, int seeds, std::vector<std::string> metrics);
  Sweep& runs() { return runs_; }
  const Sweep& runs() const { return runs_; }

  // One metric: A's and B's values on the shown runs, and over seeds (once those are complete) both means and the
  // mean paired difference with its 95% half-width.
  struct Row {
    std::string metric;
    bool has_now = false;
    double a_now = 0, b_now = 0;
    bool has_seeds = false;
    double a_mean = 0, b_mean = 0, diff_mean = 0, diff_ci95 = 0;
  };
  std::vector<Row> rows(const nlohmann::json& report_a, const nlohmann::json& report_b,
                        const std::vector<std::string>& metrics) const;
  // The metrics a table lists by default: the exercise's goal metrics, then each request type's mean and p99.
  static std::vector<std::string> default_metrics(const pg::Scenario& a, const nlohmann::json& report_a);

 private:
  std::vector<std::string> adopt(const pg::Scenario& a, const std::string& changes);
  WallClock clock_;
  bool active_ = false;
  std::string changes_;
  pg::Scenario b_;
  std::unique_ptr<pg::Simulation> sim_b_;
  nlohmann::json report_b_;
  double report_at_s_ = -1;
  Sweep runs_;
};

// The "b" parameter of a link's fragment ("#s=...&b=<changes>"): true when present (the changes may be empty).
bool fragment_compare_changes(const std::string& link, std::string& changes);

}  // namespace pgweb
