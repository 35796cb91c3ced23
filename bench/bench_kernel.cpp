// Kernel benchmark (a program that prints numbers, not a test): the classic hold model — a queue kept at a fixed
// size, each step pops the earliest event and schedules one at now + a random increment — and a full-model run of
// the shop scenario. Prints events per second. Build natively and with Emscripten (run under Node) to compare.
//   build/native/bench_kernel [scenario.json]
//   node --no-experimental-fetch build/wasm/bench_kernel.js [scenario.json]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/event_queue.hpp"
#include "engine/random.hpp"
#include "engine/simulation.hpp"

using namespace pg;

static double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

static void hold_model(uint32_t queue_size, uint64_t events) {
  Kernel kernel;
  Rng rng = Rng::for_stream(1, "hold");
  for (uint32_t i = 0; i < queue_size; ++i) kernel.schedule((time_ns)rng.below(1'000'000), 1, i);
  auto start = std::chrono::steady_clock::now();
  Event e;
  for (uint64_t i = 0; i < events; ++i) {
    kernel.pop_next(time_never, e);
    kernel.schedule(e.time + 1 + (time_ns)rng.below(1'000'000), 1, e.a);
  }
  double s = seconds_since(start);
  std::printf("hold model, %7u events queued: %6.1f M events/s  (%llu events in %.3f s, hash %016llx)\n",
              queue_size, (double)events / s / 1e6, (unsigned long long)events, s,
              (unsigned long long)kernel.trace_hash);
}

int main(int argc, char** argv) {
  for (uint32_t size : {16u, 1024u, 65536u}) hold_model(size, 20'000'000);
  const char* path = argc > 1 ? argv[1] : "scenarios/shop-spike.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::printf("(no %s: skipping the full-model run)\n", path);
    return 0;
  }
  std::ostringstream text;
  text << in.rdbuf();
  ScenarioParse parse = parse_scenario(text.str());
  if (!parse.ok()) {
    std::printf("%s: invalid: %s\n", path, parse.errors[0].to_string().c_str());
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  Simulation sim(parse.scenario);
  sim.run_to_end();
  double s = seconds_since(start);
  std::printf("full model, %s: %.2f M events/s (%llu events, %.0f simulated s in %.3f s, hash %s)\n", path,
              (double)sim.events_processed() / s / 1e6, (unsigned long long)sim.events_processed(),
              ns_to_s(sim.now_ns()), s, sim.trace_hash_hex().c_str());
  return 0;
}
