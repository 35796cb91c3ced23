// Adversarial scenarios, natively (a program that prints numbers, not a test; ./test does not run it). Runs every
// row of tests/unit/adversarial_rows.hpp with the default work budget, each in a forked child so rows do not share
// a peak, and prints per row: the outcome, events processed, wall seconds and peak RSS (wait4's ru_maxrss), with
// PASS when the outcome is the row's and the row was refused, or finished or stopped within 60 s and 1 GB
// (issue 15's Done-when; docs/limits.md). A row that runs also writes its report with series, as
// `playground-cli run --series` does, so the peak counts it.
//   build/native/bench_adversarial                  every row
//   build/native/bench_adversarial --row NAME       one row (repeatable)
//   build/native/bench_adversarial --list           the rows' names and classes
//   build/native/bench_adversarial --timeout S      kill a row's child after S wall seconds (default 180)
//   build/native/bench_adversarial --unit-costs     bytes per unit of live state (the figures of engine/scenario/cost.hpp)
// Exit status 0 when every row passed.
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "engine/models/caches/caches.hpp"
#include "engine/kernel/event_queue.hpp"
#include "engine/kernel/metrics.hpp"
#include "engine/models/caches/placement.hpp"
#include "engine/kernel/random.hpp"
#include "engine/run/simulation.hpp"
#include "engine/run/world.hpp"
#include "tests/unit/adversarial_rows.hpp"

using namespace pg;
using pg::adversarial::Outcome;
using pg::adversarial::Row;
using json = nlohmann::json;

namespace {

constexpr double wall_limit_s = 60;
constexpr double rss_limit_mb = 1024;

// ---- one child per measurement --------------------------------------------------------------------------------------

struct ChildResult {
  bool exited = false;      // exited normally (status 0) and wrote its line
  int signal = 0;           // killed by this signal (SIGALRM: the timeout)
  std::string line;         // what the child wrote
  double wall_s = 0;
  double peak_mb = 0;       // ru_maxrss of the child
};

// Runs `work` in a forked child that writes one line to a pipe; the parent waits with wait4 and reads the child's
// own peak RSS, so every measurement starts from a fresh process.
ChildResult in_child(const std::function<std::string()>& work, unsigned timeout_s) {
  ChildResult result;
  int fds[2];
  if (pipe(fds) != 0) {
    std::perror("pipe");
    std::exit(3);
  }
  std::fflush(stdout);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(3);
  }
  if (pid == 0) {
    close(fds[0]);
    alarm(timeout_s);   // SIGALRM's default action ends the child
    std::string line = work();
    line += "\n";
    size_t off = 0;
    while (off < line.size()) {
      ssize_t n = write(fds[1], line.data() + off, line.size() - off);
      if (n <= 0) break;
      off += (size_t)n;
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) result.line.append(buffer, (size_t)n);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.peak_mb = (double)usage.ru_maxrss / 1024.0;   // KB on Linux
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) result.exited = true;
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  while (!result.line.empty() && result.line.back() == '\n') result.line.pop_back();
  return result;
}

double peak_rss_mb_self() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return (double)usage.ru_maxrss / 1024.0;
}

// ---- the rows -------------------------------------------------------------------------------------------------------

// In the child: "outcome<TAB>events<TAB>limit<TAB>detail".
std::string run_row(const Row& row) {
  ScenarioParse parse = parse_scenario(row.text);
  if (!parse.ok()) {
    std::string detail;
    for (const ValidationError& e : parse.errors)   // the error naming the row's limit, when there is one
      if (detail.empty() && e.path == row.path && e.message.find(row.figure) != std::string::npos)
        detail = e.to_string();
    if (detail.empty()) detail = parse.errors.front().to_string();
    return std::string("refused\t0\t-\t") + detail;
  }
  Simulation simulation(parse.scenario);
  simulation.run_to_end();
  // What `playground-cli run --series` writes: the report with every series point, counted in the peak.
  std::string report = simulation.report(true).dump(2);
  char events[32];
  std::snprintf(events, sizeof events, "%" PRIu64, simulation.events_processed());
  if (simulation.stopped_by_budget())
    return std::string("stops\t") + events + "\t" + budget_limit_name(simulation.world().budget.crossed) + "\t" +
           simulation.budget_message();
  return std::string("finishes\t") + events + "\t-\tran to " + seconds_text(simulation.now_ns()) + " s (report " +
         std::to_string(report.size() / 1024) + " KiB)";
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == '\t') out.emplace_back();
    else out.back() += c;
  }
  return out;
}

bool run_rows(const std::vector<Row>& rows, unsigned timeout_s) {
  std::printf("%-28s %-22s %-22s %10s %8s %9s  %s\n", "row", "expected", "outcome", "events", "wall s", "peak MB",
              "result");
  int failed = 0;
  for (const Row& row : rows) {
    ChildResult r = in_child([&] { return run_row(row); }, timeout_s);
    std::string expected = adversarial::outcome_name(row.outcome);
    if (row.outcome == Outcome::stops) expected += std::string(" (") + budget_limit_name(row.limit) + ")";
    std::string outcome = "crashed", events = "-", detail;
    bool matches = false;
    if (r.exited) {
      std::vector<std::string> f = split_tabs(r.line);
      f.resize(4);
      outcome = f[0];
      events = f[1];
      detail = f[3];
      if (outcome == "stops") outcome += " (" + f[2] + ")";
      matches = outcome == expected;
      if (row.outcome == Outcome::refused)
        matches = matches && detail.rfind(row.path + ":", 0) == 0 && detail.find(row.figure) != std::string::npos;
    } else if (r.signal == SIGALRM) {
      outcome = "timed out";
      detail = "killed after " + std::to_string(timeout_s) + " s";
    } else if (r.signal) {
      outcome = "signal " + std::to_string(r.signal);
    }
    bool pass = matches && r.wall_s <= wall_limit_s && r.peak_mb <= rss_limit_mb;
    if (!pass) ++failed;
    std::printf("%-28s %-22s %-22s %10s %8.2f %9.1f  %s\n", row.name.c_str(), expected.c_str(), outcome.c_str(),
                events.c_str(), r.wall_s, r.peak_mb, pass ? "PASS" : "FAIL");
    if (!detail.empty()) std::printf("    %s\n", detail.c_str());
    std::fflush(stdout);
  }
  std::printf("%zu rows, %d failed (limits: %.0f s wall, %.0f MB peak RSS per row)\n", rows.size(), failed,
              wall_limit_s, rss_limit_mb);
  return failed == 0;
}

// ---- unit costs -----------------------------------------------------------------------------------------------------

struct UnitMeasure {
  double baseline_mb = 0, peak_mb = 0;
  double units = 0;
};

std::string unit_line(const UnitMeasure& m) {
  char line[128];
  std::snprintf(line, sizeof line, "%.0f\t%.1f\t%.1f", m.units, m.baseline_mb, m.peak_mb);
  return line;
}

// A simulation built from `doc`, measured after construction and again after running to `until_s`; `count`
// reads the units from the world then.
UnitMeasure measure_run(const json& doc, double until_s, const std::function<double(const World&)>& count) {
  ScenarioParse parse = parse_scenario(doc.dump());
  if (!parse.ok()) {
    std::fprintf(stderr, "unit-costs: invalid scenario: %s\n", parse.errors.front().to_string().c_str());
    std::exit(3);
  }
  WorkBudget budget;   // unbounded here: the point is to reach a million units
  budget.events = UINT64_MAX;
  budget.live_requests = budget.live_messages = budget.pending_events = UINT64_MAX;
  budget.zookeeper_nodes = budget.lock_overlaps = UINT64_MAX;
  Simulation simulation(parse.scenario, budget);
  simulation.run_until(0);
  UnitMeasure m;
  m.baseline_mb = peak_rss_mb_self();
  simulation.run_until(s_to_ns(until_s));
  m.peak_mb = peak_rss_mb_self();
  m.units = count(simulation.world());
  return m;
}

json unit_scenario(double duration_s, double rate, json steps) {
  json s = adversarial::build::scenario("unit cost", duration_s, rate, std::move(steps));
  s["workload"]["arrivals"]["process"] = "constant";
  return s;
}

struct UnitCost {
  const char* name;
  const char* what;
  std::function<UnitMeasure()> measure;
};

std::vector<UnitCost> unit_costs() {
  using namespace adversarial::build;
  std::vector<UnitCost> out;
  auto flows = [](const World& w) { return (double)w.flows_live(); };

  out.push_back({"waiting-request", "a request waiting at a service (its flow, job and line entry)", [=] {
                   json s = unit_scenario(10, 200000, json::array({call("s")}));
                   s["services"] = json::array({service("s", 1, 1, 1000000, 3600000)});
                   return measure_run(s, 5, flows);
                 }});
  out.push_back({"parallel-branch", "a parallel branch waiting at a service (branch flow, job, line entry)", [=] {
                   json branches = json::array();
                   for (int b = 0; b < 8; ++b) branches.push_back(json::array({call("s")}));
                   json s = unit_scenario(10, 200000, json::array({{{"parallel", branches}}}));
                   s["services"] = json::array({service("s", 2, 1, 1000000, 3600000)});
                   return measure_run(s, 0.625, flows);
                 }});
  out.push_back({"lock-waiter", "a request waiting for a redis lock (flow, lock client, its retry event)", [=] {
                   json s = unit_scenario(10, 200000,
                                          json::array({{{"lock", "l"}, {"inside", json::array({call("s")})}}}));
                   keys(s, 1);
                   s["services"] = json::array({service("s", 1, 1, 10, 3600000)});
                   s["locks"] = json::array({{{"name", "l"}, {"kind", "redis"}, {"ttl_ms", 3600000},
                                              {"acquire", {{"retry_ms", 60000}, {"give_up_ms", 3600000}}}}});
                   return measure_run(s, 5, flows);
                 }});
  out.push_back({"zookeeper-waiter", "a request waiting in a ZooKeeper queue (flow, client, node, session events)",
                 [=] {
                   json s = unit_scenario(10, 200000,
                                          json::array({{{"lock", "l"}, {"inside", json::array({call("s")})}}}));
                   keys(s, 1);
                   s["services"] = json::array({service("s", 1, 1, 10, 3600000)});
                   s["locks"] = json::array({{{"name", "l"}, {"kind", "zookeeper"}, {"session_timeout_ms", 3600000},
                                              {"acquire", {{"give_up_ms", 3600000}}}}});
                   return measure_run(s, 1, flows);
                 }});
  out.push_back({"lock-message", "a redlock message in flight (its event and message slot)", [=] {
                   json s = unit_scenario(10, 100000, json::array({{{"lock", "l"}, {"inside", json::array()}}}));
                   keys(s, 31250);
                   s["locks"] = json::array({{{"name", "l"}, {"kind", "redlock"}, {"instances", 15},
                                              {"network_ms", 10000}, {"request_timeout_ms", 60000}}});
                   return measure_run(s, 0.66, [](const World& w) { return (double)w.kernel.queue.size(); });
                 }});
  out.push_back({"lock-key", "a lock key used so far (the store's and the checker's state)", [=] {
                   json s = unit_scenario(10, 200000, json::array({{{"lock", "l"}, {"inside", json::array()}}}));
                   keys(s, 500000);
                   s["locks"] = json::array({{{"name", "l"}, {"kind", "atomic"}, {"network_ms", 0}}});
                   return measure_run(s, 7.5, [](const World& w) { return (double)w.locks.locks()[0].keys.size(); });
                 }});
  out.push_back({"lock-holder", "a holder of a redis lock key (flow, job, client, lease, key state)", [=] {
                   json s = unit_scenario(10, 200000,
                                          json::array({{{"lock", "l"}, {"inside", json::array({call("s")})}}}));
                   keys(s, 250000);
                   s["services"] = json::array({service("s", 64, 1024, 0, 3600000)});
                   s["locks"] = json::array({{{"name", "l"}, {"kind", "redis"}, {"ttl_ms", 3600000},
                                              {"acquire", {{"give_up_ms", 0}}}}});
                   return measure_run(s, 1, [](const World& w) { return (double)w.locks.locks()[0].holders; });
                 }});
  out.push_back({"redlock-holder", "a holder of a redlock key on 15 instances (as above, 15 leases)", [=] {
                   json s = unit_scenario(10, 200000,
                                          json::array({{{"lock", "l"}, {"inside", json::array({call("s")})}}}));
                   keys(s, 31250);
                   s["services"] = json::array({service("s", 64, 1024, 0, 3600000)});
                   s["locks"] = json::array({{{"name", "l"}, {"kind", "redlock"}, {"instances", 15},
                                              {"ttl_ms", 3600000}, {"acquire", {{"give_up_ms", 0}}}}});
                   return measure_run(s, 1, [](const World& w) { return (double)w.locks.locks()[0].holders; });
                 }});
  out.push_back({"queue-message", "a message on a broker (slot, id index, ready line)", [=] {
                   json s = unit_scenario(10, 200000, json::array({{{"publish", "q"}}}));
                   s["queues"] = json::array({{{"name", "q"}, {"max_length", 1000000}, {"consumers", {{"count", 0}}}}});
                   return measure_run(s, 5, [](const World& w) { return (double)w.queues.stats()[0].held; });
                 }});
  out.push_back({"delivery", "a delivery held by a consumer, with its message and processing flow", [=] {
                   json s = unit_scenario(10, 200000, json::array({{{"publish", "q"}}}));
                   s["services"] = json::array({service("slow", 64, 1024, 0, 3600000)});
                   s["queues"] = json::array({{{"name", "q"},
                                               {"max_length", 1000000},
                                               {"visibility_timeout_ms", 3600000},
                                               {"consumers", {{"count", 256}, {"prefetch", 1000},
                                                              {"steps", json::array({call("slow")})}}}}});
                   return measure_run(s, 1.28, [](const World& w) {
                     double held = 0;
                     for (size_t c = 0; c < w.queues.consumers().size(); ++c)
                       held += (double)w.queues.in_flight((uint32_t)c);
                     return held;
                   });
                 }});
  out.push_back({"pending-timeout", "a call's pending timeout event (the call itself done)", [=] {
                   json s = unit_scenario(10, 200000, json::array({call("s")}));
                   s["services"] = json::array({service("s", 8, 64, 1000, 0.001, 3600000)});
                   return measure_run(s, 5, [](const World& w) { return (double)w.kernel.queue.size(); });
                 }});
  out.push_back({"cached-key", "a key in a node's LRU (slot and hash table)", [] {
                   UnitMeasure m;
                   LruCache lru(1000000);
                   m.baseline_mb = peak_rss_mb_self();
                   for (uint32_t k = 0; k < 1000000; ++k) lru.insert(k * 2654435761u % 4000000000u);
                   m.peak_mb = peak_rss_mb_self();
                   m.units = lru.size();
                   return m;
                 }});
  out.push_back({"event", "a scheduled event in the kernel's heap", [] {
                   UnitMeasure m;
                   Kernel kernel;
                   Rng rng = Rng::for_stream(1, "unit");
                   m.baseline_mb = peak_rss_mb_self();
                   for (uint32_t i = 0; i < 1000000; ++i) kernel.schedule((time_ns)rng.below(1'000'000'000), 1, i);
                   m.peak_mb = peak_rss_mb_self();
                   m.units = (double)kernel.queue.size();
                   return m;
                 }});
  out.push_back({"ring-point", "a ring point of a cache's placement (4M points: 64 nodes x 1000 x weight 64)", [] {
                   UnitMeasure m;
                   PlacementParams params;
                   params.hash = PlacementHash::fast;
                   params.vnodes = 1000;
                   std::vector<PlacementNode> nodes;
                   for (int i = 0; i < 64; ++i) nodes.push_back({"n" + std::to_string(i), 64});
                   m.baseline_mb = peak_rss_mb_self();
                   Placement placement(params, nodes);
                   m.peak_mb = peak_rss_mb_self();
                   m.units = (double)placement.ring_points().size();
                   return m;
                 }});
  out.push_back({"series-point", "a time-series point", [] {
                   UnitMeasure m;
                   Series series(1, 1000000);
                   m.baseline_mb = peak_rss_mb_self();
                   for (uint32_t i = 0; i < 1000000; ++i) series.push(i);
                   m.peak_mb = peak_rss_mb_self();
                   m.units = (double)series.size();
                   return m;
                 }});
  return out;
}

bool run_unit_costs(unsigned timeout_s) {
  std::printf("%-18s %10s %12s %10s %8s  %s\n", "unit", "units", "baseline MB", "peak MB", "B/unit", "what");
  bool ok = true;
  for (const UnitCost& u : unit_costs()) {
    ChildResult r = in_child([&] { return unit_line(u.measure()); }, timeout_s);
    if (!r.exited) {
      std::printf("%-18s failed (%s)\n", u.name, r.signal ? "signal" : "exit");
      ok = false;
      continue;
    }
    std::vector<std::string> f = split_tabs(r.line);
    f.resize(3);
    double units = std::atof(f[0].c_str()), base = std::atof(f[1].c_str()), peak = std::atof(f[2].c_str());
    double per_unit = units > 0 ? (peak - base) * 1024 * 1024 / units : 0;
    std::printf("%-18s %10.0f %12.1f %10.1f %8.0f  %s\n", u.name, units, base, peak, per_unit, u.what);
    std::fflush(stdout);
  }
  return ok;
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: bench_adversarial [--row NAME]... [--list] [--timeout SECONDS] [--unit-costs]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> only;
  bool list = false, units = false;
  unsigned timeout_s = 180;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--row" && i + 1 < argc) only.push_back(argv[++i]);
    else if (arg == "--timeout" && i + 1 < argc) {
      int t = std::atoi(argv[++i]);
      if (t < 1) usage();
      timeout_s = (unsigned)t;
    } else if (arg == "--list") list = true;
    else if (arg == "--unit-costs") units = true;
    else usage();
  }
  if (units) return run_unit_costs(timeout_s) ? 0 : 1;
  std::vector<Row> rows = adversarial::rows();
  if (list) {
    for (const Row& row : rows) std::printf("%-28s %s\n", row.name.c_str(), row.what.c_str());
    return 0;
  }
  if (!only.empty()) {
    std::vector<Row> chosen;
    for (const std::string& name : only) {
      bool found = false;
      for (const Row& row : rows)
        if (row.name == name) {
          chosen.push_back(row);
          found = true;
        }
      if (!found) {
        std::fprintf(stderr, "bench_adversarial: no row named \"%s\" (--list names them)\n", name.c_str());
        return 2;
      }
    }
    rows = chosen;
  }
  return run_rows(rows, timeout_s) ? 0 : 1;
}
