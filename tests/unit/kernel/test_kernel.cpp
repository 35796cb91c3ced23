// The kernel: event order, the clock, run control and determinism of the trace hash.
#include <filesystem>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "engine/kernel/event_queue.hpp"
#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"

using namespace pg;

TEST_CASE("events run in (time, insertion) order and the clock never goes back", "[kernel]") {
  Kernel kernel;
  Rng rng = Rng::for_stream(1, "test");
  for (uint32_t i = 0; i < 10000; ++i) kernel.schedule((time_ns)rng.below(1000), 1, i);
  Event e, previous{};
  bool first = true;
  uint64_t count = 0;
  while (kernel.pop_next(time_never, e)) {
    if (!first) {
      REQUIRE(e.time >= previous.time);
      if (e.time == previous.time) REQUIRE(e.seq > previous.seq);
    }
    REQUIRE(kernel.now_ns == e.time);
    previous = e;
    first = false;
    ++count;
  }
  REQUIRE(count == 10000);
  REQUIRE(kernel.processed == 10000);
}

TEST_CASE("the event queue pops exactly what a sorted list of (time, seq) would, at every size", "[kernel]") {
  // Pushes and pops interleaved as a run does them (many events at equal times, a queue that grows to tens of
  // thousands and drains again), checked against the standard library's binary heap of (time, seq) pairs.
  Kernel kernel;
  std::priority_queue<std::pair<time_ns, uint64_t>, std::vector<std::pair<time_ns, uint64_t>>, std::greater<>> reference;
  Rng rng = Rng::for_stream(7, "queue-order");
  auto push = [&](time_ns at) {
    const uint64_t seq = kernel.next_seq;
    kernel.schedule(at, 1, (uint32_t)seq, seq * 3);
    reference.push({at, seq});
  };
  uint64_t popped = 0;
  for (int phase = 0; phase < 6; ++phase) {
    const uint32_t pushes_per_pop = phase % 2 == 0 ? 3 : 0;   // grow, then drain
    for (int step = 0; step < 12000; ++step) {
      for (uint32_t k = 0; k < pushes_per_pop; ++k)
        push(kernel.now_ns + (rng.below(4) == 0 ? 0 : (time_ns)rng.below(phase < 2 ? 50 : 5000)));
      Event e;
      if (reference.empty()) {
        REQUIRE_FALSE(kernel.pop_next(time_never, e));
        continue;
      }
      REQUIRE(kernel.pop_next(time_never, e));
      const auto expected = reference.top();
      reference.pop();
      REQUIRE(e.time == expected.first);
      REQUIRE(e.seq == expected.second);
      REQUIRE(e.a == (uint32_t)expected.second);
      REQUIRE(e.b == expected.second * 3);
      ++popped;
    }
    REQUIRE(kernel.queue.size() == reference.size());
  }
  REQUIRE(popped > 50000);
}

TEST_CASE("pop_next stops at the horizon", "[kernel]") {
  Kernel kernel;
  kernel.schedule(10, 1, 0);
  kernel.schedule(20, 1, 1);
  Event e;
  REQUIRE(kernel.pop_next(15, e));
  REQUIRE(e.a == 0);
  REQUIRE_FALSE(kernel.pop_next(15, e));
  REQUIRE(kernel.pop_next(20, e));
  REQUIRE(e.a == 1);
}

TEST_CASE("the simulated clock advances with run control", "[kernel]") {
  Scenario s = test::load("tests/scenarios/mm1.json");
  s.duration_s = 10;
  Simulation sim(s);
  REQUIRE(sim.now_ns() == 0);
  sim.run_until(2 * ns_per_s);
  REQUIRE(sim.now_ns() == 2 * ns_per_s);
  uint64_t before = sim.events_processed();
  REQUIRE(sim.step(5) == 5);
  REQUIRE(sim.events_processed() == before + 5);
  REQUIRE(sim.now_ns() > 2 * ns_per_s);
  sim.run_to_end();
  REQUIRE(sim.finished());
  REQUIRE(sim.now_ns() == 10 * ns_per_s);
}


TEST_CASE("every scenario gives the same trace hash twice in one process, whatever the slicing", "[kernel][determinism]") {
  std::vector<std::string> files = test::repository_scenarios();
  REQUIRE(!files.empty());
  for (const std::string& file : files) {
    INFO(file);
    Scenario s = test::load(file);
    Simulation a(s);
    a.run_to_end();
    // The second run advances in small, uneven slices, as the browser does frame by frame.
    Simulation b(s);
    Rng slices = Rng::for_stream(99, "slices");
    while (!b.finished()) b.advance(1 + slices.below(5000), b.now_ns() + (time_ns)slices.below(50 * ns_per_ms));
    REQUIRE(a.trace_hash() == b.trace_hash());
    REQUIRE(a.events_processed() == b.events_processed());
    REQUIRE(a.report().dump() == b.report().dump());
    Scenario other = s;
    other.seed = s.seed + 1;
    Simulation c(other);
    c.run_to_end();
    REQUIRE(c.trace_hash() != a.trace_hash());
  }
}
