// The engine against the floor (a program that prints numbers, not a test): the same M/M/3 queue (arrivals 1000/s,
// exponential service with mean 2.5 ms, three servers, 2,000,000 customers) run
//   1. by the engine, with its metrics, series and trace hash, from a scenario document;
//   2. by a bare event loop written here: a binary heap of (time, kind), the engine's own random stream and
//      exponential sampler, a FIFO line, a count; nothing else (the floor any simulator of this model pays);
//   3. by SimPy (Debian's python3-simpy), a process-based simulator as people write one in Python;
// and prints customers per second of each and the ratios. Then the whole model (Black Friday for an hour,
// bench/scenarios/black-friday-hour.json): events per second, and its ratio to the M/M/3's events per second in
// the same binary. CPU time of this process (wall time for the SimPy child). Natively and under Node:
//   build/native/bench_floor [customers]
//   node --no-experimental-fetch build/wasm/bench_floor.js [customers]     (no SimPy there)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <fstream>
#include <queue>
#include <sstream>
#include <string>
#include <vector>

#include "engine/kernel/distribution.hpp"
#include "engine/kernel/random.hpp"
#include "engine/run/simulation.hpp"
#include "engine/run/world.hpp"

using namespace pg;

namespace {

double cpu_seconds() {
#if defined(__EMSCRIPTEN__)
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
#else
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
#endif
}

constexpr double rate_per_s = 1000, mean_ms = 2.5;
constexpr int servers = 3;

struct Result {
  double customers = 0, seconds = 0, mean_response_ms = 0;
  uint64_t events = 0;
};

Result engine_run(uint64_t customers) {
  const double duration_s = (double)customers / rate_per_s;
  char doc[1024];
  std::snprintf(doc, sizeof doc,
                R"({"version": 1, "name": "M/M/3 floor", "seed": 1, "duration_s": %.0f,
  "workload": {"arrivals": {"rate_per_s": %g}, "keys": {"count": 100, "popularity": "uniform"}},
  "requests": [{"name": "job", "steps": [{"call": "server"}]}],
  "services": [{"name": "server", "instances": 1, "workers": %d, "queue_max": 1000000,
                "service_time": {"dist": "exponential", "mean_ms": %g}}]})",
                duration_s, rate_per_s, servers, mean_ms);
  const ScenarioParse parsed = parse_scenario(doc);
  if (!parsed.ok()) {
    std::fprintf(stderr, "bench scenario: %s\n", parsed.errors[0].to_string().c_str());
    std::exit(2);
  }
  const double start = cpu_seconds();
  Simulation run(parsed.scenario);
  run.run_to_end();
  Result r;
  r.seconds = cpu_seconds() - start;
  r.customers = (double)run.world().request_stats[0].completed;
  r.events = run.events_processed();
  r.mean_response_ms = run.world().request_stats[0].latency.mean() / 1e6;
  return r;
}

// The floor: arrivals and departures in a binary heap, a FIFO line of arrival times, busy servers counted.
Result bare_run(uint64_t customers) {
  struct Ev {
    time_ns at;
    uint32_t kind;   // 0 arrival, 1 departure
    uint64_t seq;    // ties in the order scheduled, as the engine breaks them
    time_ns origin;  // a departure's customer arrived then
    bool operator>(const Ev& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  const double start = cpu_seconds();
  Rng arrivals = Rng::for_stream(1, "arrivals"), service = Rng::for_stream(1, "service");
  const Distribution gap = Distribution::exponential_ms(1000.0 / rate_per_s);
  const Distribution work = Distribution::exponential_ms(mean_ms);
  std::priority_queue<Ev, std::vector<Ev>, std::greater<Ev>> heap;
  std::deque<time_ns> line;
  uint64_t seq = 0, done = 0, arrived = 0, events = 0;
  int busy = 0;
  double response_sum_ns = 0;
  heap.push({gap.sample(arrivals), 0, seq++, 0});
  while (done < customers && !heap.empty()) {
    const Ev e = heap.top();
    heap.pop();
    ++events;
    if (e.kind == 0) {
      ++arrived;
      if (arrived < customers) heap.push({e.at + gap.sample(arrivals), 0, seq++, 0});
      if (busy < servers) {
        ++busy;
        heap.push({e.at + work.sample(service), 1, seq++, e.at});
      } else {
        line.push_back(e.at);
      }
    } else {
      ++done;
      response_sum_ns += (double)(e.at - e.origin);
      if (!line.empty()) {
        heap.push({e.at + work.sample(service), 1, seq++, line.front()});
        line.pop_front();
      } else {
        --busy;
      }
    }
  }
  Result r;
  r.seconds = cpu_seconds() - start;
  r.customers = (double)done;
  r.events = events;
  r.mean_response_ms = response_sum_ns / (double)done / 1e6;
  return r;
}

#if !defined(__EMSCRIPTEN__)
// SimPy 2.3's API (Debian's python3-simpy is 2.3: processes as classes yielding hold/request/release).
const char* simpy_script = R"(import random, sys, time
from SimPy.Simulation import Process, Resource, activate, initialize, simulate, hold, request, release, now
n = int(sys.argv[1]); lam = 1000.0; mean = 0.0025
random.seed(1)
stats = [0, 0.0]
class Customer(Process):
    def visit(self, server):
        t0 = now()
        yield request, self, server
        yield hold, self, random.expovariate(1.0 / mean)
        yield release, self, server
        stats[0] += 1; stats[1] += now() - t0
class Source(Process):
    def generate(self, server):
        for _ in range(n):
            c = Customer()
            activate(c, c.visit(server))
            yield hold, self, random.expovariate(lam)
initialize()
server = Resource(capacity=3, monitored=False)
source = Source()
activate(source, source.generate(server))
start = time.process_time(); simulate(until=1e12); took = time.process_time() - start
print(stats[0], took, stats[1] / stats[0] * 1000)
)";

bool simpy_run(uint64_t customers, Result& r) {
  const std::string path = "/tmp/pg_bench_simpy.py";
  std::ofstream(path) << simpy_script;
  // Debian's Python, where the package is (a python3 earlier on PATH may be another one).
  const std::string command = "/usr/bin/python3 " + path + " " + std::to_string(customers) + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return false;
  double done = 0, seconds = 0, mean = 0;
  const int read = std::fscanf(pipe, "%lf %lf %lf", &done, &seconds, &mean);
  pclose(pipe);
  if (read != 3) return false;
  r.customers = done;
  r.seconds = seconds;
  r.mean_response_ms = mean;
  return true;
}
#endif

Result whole_model(const char* path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  const ScenarioParse parsed = parse_scenario(text.str());
  Result r;
  if (!parsed.ok()) return r;
  const double start = cpu_seconds();
  Simulation run(parsed.scenario);
  run.run_to_end();
  r.seconds = cpu_seconds() - start;
  r.events = run.events_processed();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t customers = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
  std::printf("M/M/%d, arrivals %g/s, mean service %g ms (rho %.3f), %llu customers\n", servers, rate_per_s, mean_ms,
              rate_per_s * mean_ms / 1000 / servers, (unsigned long long)customers);
  const Result bare = bare_run(customers);
  const Result engine = engine_run(customers);
  auto line = [&](const char* who, const Result& r) {
    std::printf("%-8s %10.0f customers/s  (%.2f s; mean response %.3f ms)  %.3fx the bare loop\n", who,
                r.customers / r.seconds, r.seconds, r.mean_response_ms,
                (r.customers / r.seconds) / (bare.customers / bare.seconds));
  };
  line("bare", bare);
  line("engine", engine);
  std::printf("engine   %10.0f events/s\n", (double)engine.events / engine.seconds);
#if !defined(__EMSCRIPTEN__)
  Result simpy;
  const uint64_t simpy_customers = std::min<uint64_t>(customers, 200'000);   // SimPy is slow: a tenth, the rate holds
  if (simpy_run(simpy_customers, simpy)) line("simpy", simpy);
  else std::printf("simpy    not run (python3-simpy missing: scripts/install-deps.sh installs it)\n");
#endif
  const Result whole = whole_model("bench/scenarios/black-friday-hour.json");
  if (whole.events > 0)
    std::printf("whole model (black-friday-hour.json): %.0f events/s, %.3fx the M/M/3's events/s in this binary\n",
                (double)whole.events / whole.seconds,
                ((double)whole.events / whole.seconds) / ((double)engine.events / engine.seconds));
  return 0;
}
