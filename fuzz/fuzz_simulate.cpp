// libFuzzer harness: the whole engine on arbitrary scenarios. Every document parse_scenario accepts is shrunk to
// what a fuzzer can afford (at most 4096 keys, small rings and tables: construction work, not behaviour) and run for
// a bounded amount of work: a small work budget, a few thousand events, in slices with World::check_invariants
// after each. scripts/fuzz.sh compiles the engine with PG_CHECKS=1, so conservation and every model's invariants
// are also checked at each sample and liveness on every slot access. Then the report is written, with series.
// A run must never crash, trip a sanitizer or an engine assertion, throw, process more events than its budget,
// move its clock backwards or past the end, or stop without saying why; and the same scenario run twice gives the
// same trace hash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/scenario/scenario.hpp"
#include "engine/run/simulation.hpp"
#include "engine/run/world.hpp"

namespace {

[[noreturn]] void fail(const char* what, const pg::Scenario& s) {
  std::fprintf(stderr, "fuzz_simulate: %s\n--- scenario ---\n%s\n", what, pg::scenario_to_text(s, -1).c_str());
  std::abort();
}

constexpr uint32_t keys_max = 4096;
constexpr uint64_t events_max = 4000;
constexpr uint64_t slice = 500;

pg::WorkBudget small_budget() {
  pg::WorkBudget b;
  b.events = events_max;
  b.live_requests = 2000;
  b.live_messages = 2000;
  b.pending_events = 8000;
  b.zookeeper_nodes = 256;
  b.lock_overlaps = 4000;
  return b;
}

// Fewer keys and smaller placements: what construction costs, which the static bounds allow to be large.
void shrink(pg::Scenario& s) {
  if (s.workload.key_count > keys_max) s.workload.key_count = keys_max;
  for (pg::CacheSpec& c : s.caches) {
    if (c.placement.vnodes > 40) c.placement.vnodes = 40;   // a multiple of 4, as ketama needs
    if (c.placement.table_size > 65537) c.placement.table_size = 65537;   // a prime, above 1024 nodes
  }
}

struct Run {
  uint64_t events = 0, hash = 0;
  bool stopped = false;
};

Run run(const pg::Scenario& s) {
  pg::Simulation simulation(s, small_budget());
  pg::time_ns last = simulation.now_ns();
  uint64_t slices = 0;
  while (!simulation.finished()) {
    uint64_t done = simulation.step(slice);
    simulation.world().check_invariants();
    if (simulation.now_ns() < last) fail("the clock went backwards", s);
    if (simulation.now_ns() > simulation.end_ns()) fail("the clock passed the end of the run", s);
    last = simulation.now_ns();
    if (simulation.events_processed() > events_max) fail("more events than the work budget allows", s);
    if (done == 0 && !simulation.finished()) fail("advance made no progress before the end", s);
    if (++slices > events_max / slice + 2) fail("the run went on past its event budget", s);
  }
  if (simulation.stopped_by_budget() && simulation.budget_message().empty()) fail("a stop without a message", s);
  nlohmann::json report = simulation.report(true);
  if (simulation.stopped_by_budget() != report.contains("stopped")) fail("the report and the stop disagree", s);
  if (report.dump().empty()) fail("an empty report", s);
  if (simulation.trace_hash_hex().size() != 16) fail("a trace hash that is not 16 hex digits", s);
  return {simulation.events_processed(), simulation.trace_hash(), simulation.stopped_by_budget()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  pg::ScenarioParse parse = pg::parse_scenario(text);
  if (!parse.ok()) return 0;
  pg::Scenario s = parse.scenario;
  shrink(s);
  // The shrunk scenario is valid too (fewer keys and points only lower the bounds); one that is not is skipped.
  pg::ScenarioParse shrunk = pg::parse_scenario(pg::scenario_to_text(s, -1));
  if (!shrunk.ok()) return 0;
  try {
    const Run first = run(shrunk.scenario);
    const Run second = run(shrunk.scenario);
    if (first.events != second.events || first.hash != second.hash || first.stopped != second.stopped)
      fail("the same scenario ran differently twice", shrunk.scenario);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "exception: %s\n", e.what());
    fail("the engine threw", shrunk.scenario);
  }
  return 0;
}
