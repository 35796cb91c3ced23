// Kernel benchmark (a program that prints numbers, not a test): the classic hold model — a queue kept at a fixed
// size, each step pops the earliest event and schedules one at now + a random increment — and a full-model run of
// the shop scenario. Prints events per second. Build natively and with Emscripten (run under Node) to compare.
//   build/native/bench_kernel [scenario.json]
//   node --no-experimental-fetch build/wasm/bench_kernel.js [scenario.json]
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "engine/kernel/event_queue.hpp"
#include "engine/kernel/random.hpp"
#include "engine/run/simulation.hpp"

using namespace pg;

// CPU time of this process: on a shared machine wall time also counts other programs' turns on the cores.
static double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
struct Timer {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = cpu_seconds();
  double wall_s() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count(); }
  // Emscripten's process CPU clock does not advance under Node: wall time stands in for it there.
  double cpu_s() const {
    double used = cpu_seconds() - cpu;
    return used > 0 ? used : wall_s();
  }
};

// One slice of the hold model. Kept out of line and called repeatedly, as the app calls advance() once per frame:
// V8 cannot replace a running WebAssembly function with its optimised version (no on-stack replacement), so one
// call that loops for seconds would be measured in the baseline compiler's code.
[[gnu::noinline]] static void hold_slice(Kernel& kernel, Rng& rng, uint64_t events) {
  Event e;
  for (uint64_t i = 0; i < events; ++i) {
    kernel.pop_next(time_never, e);
    kernel.schedule(e.time + 1 + (time_ns)rng.below(1'000'000), 1, e.a);
  }
}

static void hold_model(uint32_t queue_size, uint64_t events) {
  Kernel kernel;
  Rng rng = Rng::for_stream(1, "hold");
  for (uint32_t i = 0; i < queue_size; ++i) kernel.schedule((time_ns)rng.below(1'000'000), 1, i);
  const uint64_t slice = 100'000;
  Timer timer;
  for (uint64_t done = 0; done < events; done += slice) hold_slice(kernel, rng, slice);
  double cpu = timer.cpu_s(), wall = timer.wall_s();
  std::printf("hold model, %6u events queued: %6.1f M events/s of CPU time (%.1f M/s wall; %llu events, hash %016llx)\n",
              queue_size, (double)events / cpu / 1e6, (double)events / wall / 1e6, (unsigned long long)events,
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
  Timer timer;
  Simulation sim(parse.scenario);
  while (!sim.finished()) sim.advance(100'000, sim.end_ns());   // in slices, as the app runs it
  double cpu = timer.cpu_s();
  std::printf("full model, %s: %.2f M events/s of CPU time (%llu events, %.0f simulated s in %.3f s CPU, hash %s)\n",
              path, (double)sim.events_processed() / cpu / 1e6, (unsigned long long)sim.events_processed(),
              ns_to_s(sim.now_ns()), cpu, sim.trace_hash_hex().c_str());
  return 0;
}
