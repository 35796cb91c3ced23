// Distributed locks: each row of the locks issue's table, over many seeds. The scenarios are small flash sales
// (3 hot keys, a few seconds) built from one base document so each row differs from the base in one or two fields.
// The expectations are exact counts from the history checker (no tolerances): "> 0" rows are built so the failure
// has many chances per run (several pauses, each longer than the TTL, over keys that are almost always held), and
// "== 0" rows are invariants that must hold in every run.
#include <algorithm>
#include <string>

#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"

namespace pg {
namespace {

using json = nlohmann::json;

constexpr int seeds = 20;

// 120 checkouts/s for 7 s on 3 keys of 150 units each (demand ~840 > stock 450: the stock sells out), then no
// arrivals for 1 s so every flow ends before the report (drained).
json base(const std::string& kind) {
  json s = json::parse(R"({
    "version": 1, "name": "locks test", "seed": 1, "duration_s": 8,
    "workload": { "arrivals": { "rate_per_s": 120, "schedule": [ { "at_s": 7, "rate_per_s": 0 } ] },
                  "keys": { "count": 3, "popularity": "uniform" } },
    "requests": [ { "name": "checkout", "steps": [ { "call": "gateway" }, { "call": "order" },
                    { "lock": "inventory", "inside": [ { "call": "inventory-db" } ] } ] } ],
    "services": [
      { "name": "gateway", "instances": 2, "workers": 64, "service_time": { "dist": "constant", "mean_ms": 1 } },
      { "name": "order", "instances": 2, "workers": 64, "service_time": { "dist": "exponential", "mean_ms": 2 } },
      { "name": "inventory-db", "instances": 1, "workers": 64,
        "service_time": { "dist": "exponential", "mean_ms": 10 } } ],
    "locks": [ { "name": "inventory", "kind": "redis", "ttl_ms": 300, "stock_per_key": 150, "network_ms": 1,
                 "acquire": { "retry_ms": 5, "give_up_ms": 3000 } } ]
  })");
  s["locks"][0]["kind"] = kind;
  return s;
}

// Pauses of order#1, each longer than the TTL, while stock is left.
void add_pauses(json& s, double for_ms = 700, std::vector<double> at_s = {0.5, 1.5, 2.5, 3.5}) {
  s["faults"] = json::array();
  for (double at : at_s) s["faults"].push_back({{"at_s", at}, {"kind", "pause"}, {"target", "order#1"}, {"for_ms", for_ms}});
}

struct Run {
  json report;
  std::unique_ptr<Simulation> simulation;
  const json& lock() const { return report["locks"]["inventory"]; }
  int64_t get(const char* field) const { return lock()[field].get<int64_t>(); }
  const LockState& state() const { return simulation->world().locks.locks()[0]; }
};

Run run(json document, uint64_t seed) {
  document["seed"] = seed;
  Scenario scenario = test::parse_or_fail(document.dump());
  Run r;
  r.simulation = std::make_unique<Simulation>(scenario);
  r.simulation->run_to_end();
  r.report = r.simulation->report();
  return r;
}

// Invariants every run keeps, whatever the lock: stock is conserved and every completed checkout is accounted for.
void check_conservation(const Run& r, uint32_t keys = 3, int64_t stock_per_key = 150) {
  const json& lock = r.lock();
  int64_t initial = keys * stock_per_key;
  CHECK(lock["sold"].get<int64_t>() + lock["remaining"].get<int64_t>() == initial);
  // The store's own count: what it has left plus the decrements it lost equals what it handed out.
  int64_t store_left = 0;
  for (uint32_t key = 0; key < keys; ++key) store_left += r.simulation->world().locks.stock(0, key);
  CHECK(initial - store_left + lock["lost_updates"].get<int64_t>() ==
        lock["sold"].get<int64_t>() + lock["oversold"].get<int64_t>());
  CHECK(lock["store_remaining"].get<int64_t>() == store_left);   // the report gives the store's count too
  // Drained: every checkout ended; each completed one sold, found no stock, or was refused as stale.
  const json& checkout = r.report["requests"]["checkout"];
  CHECK(checkout["in_flight"].get<int64_t>() == 0);
  CHECK(checkout["completed"].get<int64_t>() == lock["sold"].get<int64_t>() + lock["oversold"].get<int64_t>() +
                                                    lock["sold_out"].get<int64_t>() +
                                                    lock["stale_rejected"].get<int64_t>());
  CHECK(lock["waiters"].get<int64_t>() == 0);
  CHECK(lock["holders"].get<int64_t>() == 0);
}

}  // namespace

TEST_CASE("no lock: concurrent buyers of the last units oversell", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(base("none"), seed);
    check_conservation(r);
    CHECK(r.get("oversold") > 0);
    CHECK(r.get("lost_updates") > 0);
  }
}

// While stock lasts, a lost update makes the store show units that were sold: the report's remaining (initial minus
// true sales) and store_remaining (the store's own count) part by exactly the lost updates. With a lock they agree.
TEST_CASE("the report gives the true remaining stock and the store's count after lost updates", "[locks]") {
  for (const char* kind : {"none", "redis"}) {
    json s = base(kind);
    s["locks"][0]["stock_per_key"] = 1000;   // 3000 units against about 840 checkouts: never sold out
    for (uint64_t seed = 1; seed <= seeds; ++seed) {
      INFO(kind << " seed " << seed);
      Run r = run(s, seed);
      CHECK(r.get("oversold") == 0);
      CHECK(r.get("sold") + r.get("remaining") == 3000);
      CHECK(r.get("store_remaining") == r.get("remaining") + r.get("lost_updates"));
      if (std::string(kind) == "none") CHECK(r.get("store_remaining") > r.get("remaining"));
      else CHECK(r.get("store_remaining") == r.get("remaining"));
    }
  }
}

TEST_CASE("redis lock without pauses: no overlap, nothing oversold", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(base("redis"), seed);
    check_conservation(r);
    CHECK(r.get("overlaps") == 0);
    CHECK(r.get("oversold") == 0);
    CHECK(r.get("lost_updates") == 0);
    CHECK(r.get("remaining") == 0);   // demand exceeds stock: everything is sold, exactly once
  }
}

TEST_CASE("redis lock, holder paused longer than the TTL: two holders and an oversold item", "[locks]") {
  json s = base("redis");
  add_pauses(s);
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r);
    CHECK(r.get("expired_while_held") > 0);
    CHECK(r.get("overlaps") > 0);
    CHECK(r.get("oversold") > 0);
  }
}

TEST_CASE("the same with fencing tokens: stale writes rejected, nothing oversold", "[locks]") {
  json s = base("redis");
  add_pauses(s);
  s["locks"][0]["fencing"] = true;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r);
    CHECK(r.get("overlaps") > 0);        // the lock still fails; the store catches it
    CHECK(r.get("stale_rejected") > 0);
    CHECK(r.get("oversold") == 0);
    CHECK(r.get("lost_updates") == 0);
  }
}

TEST_CASE("release by plain DEL after the own lease expired deletes another client's lock", "[locks]") {
  json s = base("redis");
  add_pauses(s);
  s["locks"][0]["release"] = "del";
  json safe = s;
  safe["locks"][0]["release"] = "compare_and_delete";
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r);
    CHECK(r.get("foreign_deletes") > 0);
    CHECK(r.get("third_holders") > 0);
    Run c = run(safe, seed);
    CHECK(c.get("foreign_deletes") == 0);
    CHECK(c.get("third_holders") == 0);
  }
}

namespace {
// A constructed Redlock case (Kleppmann's): 5 instances, ttl 1 s; checkouts A at 0.2 s and B at 0.4 s. inventory/3
// and /4 are down when A acquires, so A holds 0, 1, 2; then inventory/2 crashes at 0.3 s and restarts 20 ms later;
// B wins 2, 3, 4 while A still works (500 ms in inventory-db).
json redlock_case(bool persistence, double restart_delay_ms) {
  json s = json::parse(R"({
    "version": 1, "name": "redlock restart", "seed": 1, "duration_s": 3,
    "workload": { "arrivals": { "process": "constant", "rate_per_s": 5, "schedule": [ { "at_s": 0.5, "rate_per_s": 0 } ] },
                  "keys": { "count": 1, "popularity": "uniform" } },
    "requests": [ { "name": "checkout", "steps": [ { "call": "order" },
                    { "lock": "inventory", "inside": [ { "call": "inventory-db" } ] } ] } ],
    "services": [
      { "name": "order", "instances": 2, "workers": 8, "service_time": { "dist": "exponential", "mean_ms": 1 } },
      { "name": "inventory-db", "instances": 1, "workers": 8, "service_time": { "dist": "constant", "mean_ms": 500 } } ],
    "locks": [ { "name": "inventory", "kind": "redlock", "instances": 5, "ttl_ms": 1000, "drift_ms": 12,
                 "stock_per_key": 100, "network_ms": 1, "acquire": { "retry_ms": 10, "give_up_ms": 2500 } } ],
    "faults": [ { "at_s": 0, "kind": "crash", "target": "inventory/3", "for_ms": 350 },
                { "at_s": 0, "kind": "crash", "target": "inventory/4", "for_ms": 350 },
                { "at_s": 0.3, "kind": "crash", "target": "inventory/2", "for_ms": 20 } ]
  })");
  s["locks"][0]["persistence"] = persistence;
  s["locks"][0]["restart_delay_ms"] = restart_delay_ms;
  return s;
}
}  // namespace

TEST_CASE("redlock: an instance that restarts empty lets a second majority form", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run lost = run(redlock_case(false, 0), seed);
    CHECK(lost.get("overlaps") > 0);
    CHECK(lost.get("expired_while_held") > 0);   // A's majority shrank to 2 of 5 under it
    Run delayed = run(redlock_case(false, 1000), seed);   // silent for a TTL after the restart
    CHECK(delayed.get("overlaps") == 0);
    Run persisted = run(redlock_case(true, 0), seed);
    CHECK(persisted.get("overlaps") == 0);
    CHECK(delayed.get("acquired") + delayed.get("gave_up") == 2);
  }
}

TEST_CASE("redlock without faults behaves like a lock", "[locks]") {
  json s = base("redlock");
  for (uint64_t seed = 1; seed <= seeds / 2; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r);
    CHECK(r.get("overlaps") == 0);
    CHECK(r.get("oversold") == 0);
  }
}

TEST_CASE("zookeeper: FIFO grants, one wake-up per release, no overlap while sessions live", "[locks]") {
  json s = base("zookeeper");
  s["locks"][0]["acquire"]["give_up_ms"] = 60000;   // nobody leaves the queue: every wake-up is a grant
  // Pauses of 1.5 s, 0.5 s apart: a client pings every 4/3 s, so it is silent at most 4/3 + 1.5 s < the 4 s
  // session timeout, and sessions survive. The queue behind a paused holder drains at the end (longer run).
  add_pauses(s, 1500, {0.5, 2.5, 4.5});
  s["duration_s"] = 20;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r);
    CHECK(r.get("overlaps") == 0);
    CHECK(r.get("oversold") == 0);
    CHECK(r.get("session_expiries") == 0);
    CHECK(r.get("fifo_violations") == 0);
    CHECK(r.get("spurious_wakeups") == 0);
    CHECK(r.get("wakeups") > 0);
    CHECK(r.get("wakeups") <= r.get("node_deletes"));   // each deletion wakes at most its one watcher
    CHECK(r.get("gave_up") == 0);
    // FIFO, from the timeline: per key, grants in start order carry increasing node numbers.
    const LockState& lock = r.state();
    std::vector<uint64_t> last(3, 0);
    for (uint64_t i = 0; i < lock.intervals.size(); ++i) {
      const LockInterval& interval = lock.intervals.at(i);
      CHECK(interval.token > last[interval.key]);
      last[interval.key] = interval.token;
    }
  }
}

TEST_CASE("zookeeper: a holder paused past its session timeout loses its node", "[locks]") {
  json s = base("zookeeper");
  s["locks"][0]["session_timeout_ms"] = 400;
  add_pauses(s, 700);
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r);
    CHECK(r.get("session_expiries") > 0);
    CHECK(r.get("overlaps") > 0);
  }
}

TEST_CASE("atomic decrement: nothing oversold and the highest checkout throughput", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds / 2; ++seed) {
    INFO("seed " << seed);
    json a = base("atomic");
    // Overload the hot keys (3 keys, 300 checkouts/s): the locks serialise each key, the atomic store does not.
    a["workload"]["arrivals"]["rate_per_s"] = 300;
    a["locks"][0]["acquire"]["give_up_ms"] = 500;
    Run atomic = run(a, seed);
    check_conservation(atomic);
    CHECK(atomic.get("oversold") == 0);
    CHECK(atomic.get("lost_updates") == 0);
    int64_t best = atomic.report["requests"]["checkout"]["completed"].get<int64_t>();
    for (const char* kind : {"none", "redis", "redlock", "zookeeper"}) {
      INFO(kind);
      json other = a;
      other["locks"][0]["kind"] = kind;
      Run r = run(other, seed);
      int64_t completed = r.report["requests"]["checkout"]["completed"].get<int64_t>();
      // No lock completes as many (it never waits) but oversells; every real lock completes fewer.
      if (std::string(kind) == "none") CHECK(completed <= best);
      else CHECK(completed < best);
    }
  }
}

TEST_CASE("lock history is bounded and the scenario round-trips", "[locks]") {
  json s = base("redis");
  add_pauses(s);
  s["locks"][0]["persistence"] = true;
  s["locks"][0]["restart_delay_ms"] = 250;
  s["locks"][0]["request_timeout_ms"] = 20;
  Scenario scenario = test::parse_or_fail(s.dump());
  Scenario again = test::parse_or_fail(scenario_to_text(scenario));
  CHECK(scenario_to_json(again) == scenario_to_json(scenario));
  CHECK(again.locks[0].persistence);
  CHECK(again.locks[0].restart_delay_ms == 250);
  Run r = run(s, 3);
  CHECK(r.state().intervals.size() <= 256);
  CHECK(r.state().intervals.pushed() > 256);
  CHECK(r.state().pauses.size() > 0);
  bool logged = false;
  for (const LogEntry& e : r.simulation->world().log_entries)
    logged = logged || e.text.find("expired while its holder") != std::string::npos;
  CHECK(logged);
}

TEST_CASE("clock drift on the redis instance expires leases early", "[locks]") {
  json s = base("redis");
  s["locks"][0]["ttl_ms"] = 300;
  s["faults"] = json::array({{{"at_s", 0.5}, {"kind", "clock_drift"}, {"target", "inventory/0"}, {"factor", 50},
                              {"for_ms", 2000}}});
  for (uint64_t seed = 1; seed <= seeds / 4; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r);
    // 300 ms of lease pass in 6 ms of real time: holders (~20 ms) outlive their leases.
    CHECK(r.get("expired_while_held") > 0);
    CHECK(r.get("overlaps") > 0);
  }
}

// ---- the article's lock: SETNX with no expiry, a busy spin ------------------------------------------------------

// One hot key with plenty of stock, one order process whose crash at 3 s (for 0.5 s) kills whoever holds the key;
// clients spin (retry_ms 0) and give up after 2 s; arrivals stop at 7 s and the run lasts until every flow ended.
json crash_sale(double ttl_ms) {
  json s = base("redis");
  s["duration_s"] = 12;
  s["workload"]["keys"]["count"] = 1;
  s["services"][1]["instances"] = 1;
  s["locks"][0]["ttl_ms"] = ttl_ms;
  s["locks"][0]["stock_per_key"] = 100000;
  s["locks"][0]["acquire"] = {{"retry_ms", 0}, {"give_up_ms", 2000}};
  s["faults"] = json::array({{{"at_s", 3}, {"kind", "crash"}, {"target", "order#0"}, {"for_s", 0.5}}});
  return s;
}

// Grants (belief intervals) that started after `t_ns`, among the most recent ones the ring keeps.
uint64_t grants_after(const Run& r, time_ns t_ns) {
  uint64_t n = 0;
  const RecentRing<LockInterval>& intervals = r.state().intervals;
  for (uint64_t i = 0; i < intervals.size(); ++i) n += intervals.at(i).start_ns > t_ns ? 1 : 0;
  return n;
}

TEST_CASE("ttl_ms 0 is no expiry: a crashed holder keeps the key, every later checkout gives up", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds / 2; ++seed) {
    INFO("seed " << seed);
    Run r = run(crash_sale(0), seed);
    CHECK(r.get("acquired") > 100);                   // the sale ran until the crash
    CHECK(grants_after(r, ms_to_ns(3000)) == 0);      // and not one grant after it
    CHECK(r.get("gave_up") > 300);                    // 4 s of arrivals after the restart wait and give up
    CHECK(r.get("overlaps") == 0);
    CHECK(r.get("expired_while_held") == 0);
    CHECK(r.state().servers[0].leases.size() == 1);  // the dead holder's key is still there at the end
    CHECK(r.report["requests"]["checkout"]["in_flight"].get<int64_t>() == 0);
  }
}

TEST_CASE("the same sale with a TTL recovers after the holder's crash", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds / 2; ++seed) {
    INFO("seed " << seed);
    Run r = run(crash_sale(300), seed);
    CHECK(grants_after(r, ms_to_ns(3500)) > 100);     // the lease ran out; checkouts after the restart sell again
    CHECK(r.get("overlaps") == 0);
    CHECK(r.state().servers[0].leases.empty());
  }
}

TEST_CASE("a busy spin (retry_ms 0) loads the lock server far more than a backoff client", "[locks]") {
  // One hot key, held ~14 ms per checkout at 120 checkouts/s: there are always waiters.
  json backoff = base("redis");
  backoff["workload"]["keys"]["count"] = 1;
  json spin = backoff;
  spin["locks"][0]["acquire"]["retry_ms"] = 0;
  for (uint64_t seed = 1; seed <= seeds / 4; ++seed) {
    INFO("seed " << seed);
    Run a = run(spin, seed), b = run(backoff, seed);
    CHECK(a.get("overlaps") == 0);
    INFO("spin " << a.lock()["ops_per_s"] << " ops/s, backoff " << b.lock()["ops_per_s"]);
    CHECK(a.lock()["ops_per_s"].get<double>() > 10 * b.lock()["ops_per_s"].get<double>());
  }
}

TEST_CASE("a busy spin on a zero-latency network still advances time, one try per 5 us at most", "[locks]") {
  for (double retry_ms : {0.0, 1e-9}) {   // a spin, and a backoff far below a nanosecond
    INFO("retry_ms " << retry_ms);
    json s = base("redis");
    s["locks"][0]["network_ms"] = 0;
    s["locks"][0]["acquire"]["retry_ms"] = retry_ms;
    Run r = run(s, 1);
    // A try in zero simulated time would repeat until the work budget stopped the run at the first contention.
    CHECK(!r.report.contains("stopped"));
    check_conservation(r);
    CHECK(r.get("ops") > 100000);   // it did spin
  }
}

}  // namespace pg

// ---- issue 20, locks as real systems behave: replicas and failover, the watchdog, the herd --------------------

namespace pg {
namespace {

// A constructed case (as the Redis docs describe it): one key, a primary with one replica 100 ms behind, Sentinel
// promoting it 50 ms after the primary dies. Checkout A arrives at 0.2 s and holds the key for ~500 ms (inventory-db);
// the primary crashes at 0.25 s, before A's SET reached the replica; checkout B arrives at 0.4 s and gets the key from
// the promoted replica while A still works.
json failover_case() {
  return json::parse(R"({
    "version": 1, "name": "redis failover", "seed": 1, "duration_s": 3,
    "workload": { "arrivals": { "process": "constant", "rate_per_s": 5, "schedule": [ { "at_s": 0.5, "rate_per_s": 0 } ] },
                  "keys": { "count": 1, "popularity": "uniform" } },
    "requests": [ { "name": "checkout", "steps": [ { "call": "order" },
                    { "lock": "inventory", "inside": [ { "call": "inventory-db" } ] } ] } ],
    "services": [
      { "name": "order", "instances": 2, "workers": 8, "service_time": { "dist": "exponential", "mean_ms": 1 } },
      { "name": "inventory-db", "instances": 1, "workers": 8, "service_time": { "dist": "constant", "mean_ms": 500 } } ],
    "locks": [ { "name": "inventory", "kind": "redis", "ttl_ms": 2000, "stock_per_key": 100, "network_ms": 1,
                 "acquire": { "retry_ms": 10, "give_up_ms": 2500 },
                 "replicas": { "count": 1, "replication_ms": 100, "failover_ms": 50 } } ],
    "faults": [ { "at_s": 0.25, "kind": "crash", "target": "inventory/0", "for_ms": 1000 } ]
  })");
}

}  // namespace

TEST_CASE("redis failover before replication: a second client takes the lock from the promoted replica", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(failover_case(), seed);
    check_conservation(r, 1, 100);
    CHECK(r.get("failovers") == 1);
    CHECK(r.state().primary == 1);
    CHECK(r.get("lost_in_failover") == 1);   // A's key never reached the replica
    CHECK(r.get("overlaps") == 1);           // B got it while A still worked
    CHECK(r.get("lost_updates") == 1);       // both read 100 and wrote 99
    CHECK(r.get("acquired") == 2);
  }
}

TEST_CASE("redis failover with WAIT for the replica: nothing is granted that the replica lacks, no overlap",
          "[locks]") {
  json s = failover_case();
  s["locks"][0]["replicas"]["wait"] = 1;
  s["locks"][0]["replicas"]["wait_timeout_ms"] = 200;   // longer than the lag, so WAIT is answered in time
  s["locks"][0]["request_timeout_ms"] = 300;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r, 1, 100);
    CHECK(r.get("failovers") == 1);
    CHECK(r.get("lost_in_failover") == 0);
    CHECK(r.get("overlaps") == 0);
    CHECK(r.get("lost_updates") == 0);
    // While the old primary is down the new one has no replica, so WAIT 1 times out until it rejoins at 1.25 s;
    // then both checkouts get the lock, one after the other.
    CHECK(r.get("wait_timeouts") > 0);
    CHECK(r.get("acquired") == 2);
  }
}

TEST_CASE("redis WAIT that times out: the client releases and retries, nobody uses a lock WAIT did not confirm",
          "[locks]") {
  json s = failover_case();
  s["faults"] = json::array();
  s["locks"][0]["replicas"]["wait"] = 1;
  s["locks"][0]["replicas"]["wait_timeout_ms"] = 50;   // shorter than the 100 ms lag: WAIT always finds 0 replicas
  s["locks"][0]["request_timeout_ms"] = 300;
  for (uint64_t seed = 1; seed <= seeds / 4; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r, 1, 100);
    CHECK(r.get("wait_timeouts") > 0);
    CHECK(r.get("acquired") == 0);
    CHECK(r.get("gave_up") == 2);
    CHECK(r.state().servers[0].leases.empty());   // every SET that WAIT did not confirm was released
  }
}

// Fencing does not stop the second holder (the failover still makes two), but the store rejects the stale one's
// write: the report's oversold and lost_updates stay 0 while overlaps and stale_rejected are 1.
TEST_CASE("redis failover with fencing tokens: two holders, the stale write rejected, no lost update", "[locks]") {
  json s = failover_case();
  s["locks"][0]["fencing"] = true;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r, 1, 100);
    CHECK(r.get("overlaps") == 1);
    CHECK(r.get("stale_rejected") == 1);
    CHECK(r.get("oversold") == 0);
    CHECK(r.get("lost_updates") == 0);
  }
}

TEST_CASE("redis primary back before the failover: no promotion, and without persistence it comes back empty",
          "[locks]") {
  json s = failover_case();
  s["faults"][0]["for_ms"] = 20;   // shorter than failover_ms
  json persisted = s;
  persisted["locks"][0]["persistence"] = true;
  for (uint64_t seed = 1; seed <= seeds / 4; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    check_conservation(r, 1, 100);
    CHECK(r.get("failovers") == 0);
    CHECK(r.state().primary == 0);
    CHECK(r.get("expired_while_held") == 1);   // A's key is gone, and the replica copied the empty primary
    CHECK(r.get("overlaps") == 1);
    Run p = run(persisted, seed);
    CHECK(p.get("failovers") == 0);
    CHECK(p.get("overlaps") == 0);
  }
}

namespace {
// Checkouts whose inventory-db call (1.5 s) outlasts a 1 s lease, while order#1 stops for `pause_ms` four times.
json watchdog_case(double renew_every_ms, double pause_ms) {
  json s = base("redis");
  s["duration_s"] = 16;
  s["workload"]["arrivals"]["rate_per_s"] = 20;
  s["services"][2]["service_time"] = {{"dist", "constant"}, {"mean_ms", 1500}};
  s["locks"][0]["ttl_ms"] = 1000;
  s["locks"][0]["acquire"] = {{"retry_ms", 20}, {"give_up_ms", 3000}};
  if (renew_every_ms > 0) s["locks"][0]["watchdog"] = {{"renew_every_ms", renew_every_ms}};
  add_pauses(s, pause_ms, {0.5, 2.5, 4.5, 6.5});
  return s;
}
}  // namespace

TEST_CASE("watchdog: renewals carry a lease through long work and a pause shorter than the lease", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    // Redisson's ratio: renewed every third of the lease. A pause of 500 ms plus at most 333 ms since the last
    // renewal stays under the 1 s lease.
    Run with = run(watchdog_case(333, 500), seed);
    check_conservation(with);
    CHECK(with.get("renewals") > 0);
    CHECK(with.get("expired_while_held") == 0);
    CHECK(with.get("overlaps") == 0);
    CHECK(with.get("oversold") == 0);
    // Without the watchdog the same 1 s lease runs out under the 1.5 s call.
    Run without = run(watchdog_case(0, 500), seed);
    check_conservation(without);
    CHECK(without.get("expired_while_held") > 0);
    CHECK(without.get("overlaps") > 0);
    CHECK(!without.lock().contains("renewals"));
  }
}

TEST_CASE("watchdog: a pause longer than the lease still loses it (the renewal timer is paused too)", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds / 2; ++seed) {
    INFO("seed " << seed);
    Run r = run(watchdog_case(333, 1500), seed);
    check_conservation(r);
    CHECK(r.get("expired_while_held") > 0);
    CHECK(r.get("overlaps") > 0);
  }
  // And without the watchdog, a lease short enough for the work alone (300 ms, the work ~15 ms) does not survive
  // the 500 ms pause the watchdog carried above.
  for (uint64_t seed = 1; seed <= seeds / 2; ++seed) {
    INFO("seed " << seed);
    json s = base("redis");
    add_pauses(s, 500);
    Run r = run(s, seed);
    CHECK(r.get("overlaps") > 0);
  }
}

namespace {
// The ZooKeeper flash sale of the FIFO test: every release has a line of waiters behind it.
json zookeeper_queue(const char* recipe) {
  json s = base("zookeeper");
  s["locks"][0]["acquire"]["give_up_ms"] = 60000;
  s["locks"][0]["recipe"] = recipe;
  add_pauses(s, 1500, {0.5, 2.5, 4.5});
  s["duration_s"] = 20;
  return s;
}
}  // namespace

TEST_CASE("zookeeper herd recipe: each release wakes every waiter, the predecessor recipe wakes one", "[locks]") {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run herd = run(zookeeper_queue("herd"), seed);
    Run one = run(zookeeper_queue("predecessor"), seed);
    check_conservation(herd);
    check_conservation(one);
    for (const Run* r : {&herd, &one}) {
      CHECK(r->get("overlaps") == 0);
      CHECK(r->get("fifo_violations") == 0);
      CHECK(r->get("releases") > 0);
    }
    double herd_rate = herd.lock()["wakeups_per_release"].get<double>();
    double one_rate = one.lock()["wakeups_per_release"].get<double>();
    INFO("wake-ups per release: herd " << herd_rate << ", predecessor " << one_rate);
    CHECK(one_rate <= 1.0);
    CHECK(one.get("spurious_wakeups") == 0);
    CHECK(herd_rate > 5.0);
    // Every wake-up but the one that gets the lock is for nothing: the woken client checks and waits again.
    CHECK(herd.get("spurious_wakeups") >= herd.get("wakeups") - herd.get("releases"));
    CHECK(herd.get("ops") > 2 * one.get("ops"));
  }
}

}  // namespace pg

// ---- Redlock clients that limit their work to the validity time, and the client's own clock ---------------------

namespace pg {
namespace {
// The GC-pause flash sale on Redlock: order#1 stops for 400 ms eight times, its holders' 300 ms leases run out.
json redlock_pauses(bool check_validity, double client_clock_rate) {
  json s = base("redlock");
  add_pauses(s, 400, {0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75});
  s["locks"][0]["check_validity"] = check_validity;
  if (client_clock_rate != 1)
    s["faults"].push_back({{"at_s", 0}, {"kind", "clock_drift"}, {"target", "order#1"}, {"factor", client_clock_rate}});
  return s;
}
}  // namespace

// The metric is the store's: lost_updates and oversold. overlaps (belief intervals) stay above 0 in every row, since
// a paused holder believes until it wakes up and checks.
TEST_CASE("redlock clients that check the validity time before writing: no lost update, unless their clock is slow",
          "[locks]") {
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    INFO("seed " << seed);
    Run unchecked = run(redlock_pauses(false, 1), seed);
    check_conservation(unchecked);
    CHECK(unchecked.get("overlaps") > 0);
    CHECK(unchecked.get("lost_updates") > 0);
    CHECK(unchecked.get("oversold") > 0);
    CHECK(!unchecked.lock().contains("validity_aborts"));
    // The paused holder wakes up, sees on its clock that over 400 ms have passed (> 300 ms), writes nothing.
    Run checked = run(redlock_pauses(true, 1), seed);
    CHECK(checked.get("overlaps") > 0);
    CHECK(checked.get("validity_aborts") > 0);
    CHECK(checked.get("lost_updates") == 0);
    CHECK(checked.get("oversold") == 0);
    // order#1's clock runs at a tenth of the right rate: the 400 ms pause looks like 40 ms, the check passes.
    Run slow_clock = run(redlock_pauses(true, 0.1), seed);
    CHECK(slow_clock.get("overlaps") > 0);
    CHECK(slow_clock.get("lost_updates") > 0);
    CHECK(slow_clock.get("oversold") > 0);
  }
}

TEST_CASE("a client whose clock runs fast finds a majority too slow and retries (Redlock's validity by its clock)",
          "[locks]") {
  // order#0 and order#1 both run their clocks 100 times too fast: a 2 ms acquire looks like 200 ms; with a 150 ms
  // TTL no majority is ever valid, and nobody gets the lock.
  json s = base("redlock");
  s["locks"][0]["ttl_ms"] = 150;
  s["faults"] = json::array({{{"at_s", 0}, {"kind", "clock_drift"}, {"target", "order"}, {"factor", 100}}});
  for (uint64_t seed = 1; seed <= seeds / 4; ++seed) {
    INFO("seed " << seed);
    Run r = run(s, seed);
    CHECK(r.get("acquired") == 0);
    CHECK(r.get("quorum_failures") > 0);
    Run right = run(base("redlock"), seed);
    CHECK(right.get("acquired") > 0);
  }
}

}  // namespace pg

// ---- the ZooKeeper ensemble can fail ---------------------------------------------------------------------------

namespace pg {
namespace {
// The ZooKeeper flash sale with a 3-server ensemble; `down` of its servers crash at 1 s for 6 s (longer than the
// 4 s session timeout).
json zookeeper_outage(std::vector<std::string> down) {
  json s = base("zookeeper");
  s["duration_s"] = 20;
  s["locks"][0]["acquire"]["give_up_ms"] = 60000;
  s["locks"][0]["ensemble"] = 3;
  s["faults"] = json::array();
  for (const std::string& server : down)
    s["faults"].push_back({{"at_s", 1}, {"kind", "crash"}, {"target", server}, {"for_ms", 6000}});
  return s;
}
}  // namespace

TEST_CASE("zookeeper ensemble: one server down changes nothing, a lost quorum stops every grant until it is back",
          "[locks]") {
  for (uint64_t seed = 1; seed <= seeds / 2; ++seed) {
    INFO("seed " << seed);
    Run whole = run(zookeeper_outage({}), seed);
    Run one = run(zookeeper_outage({"inventory/1"}), seed);
    CHECK(one.lock() == whole.lock());   // the same lock report (the trace differs by the fault's own events)
    CHECK(one.report["requests"] == whole.report["requests"]);
    CHECK(one.get("unavailable_ms") == 0);
    Run two = run(zookeeper_outage({"inventory/1", "inventory/2"}), seed);
    check_conservation(two);
    CHECK(two.lock()["unavailable_ms"].get<double>() == 6000);
    CHECK(two.get("overlaps") == 0);
    CHECK(two.get("session_expiries") == 0);   // no leader, no expiry; then a fresh timeout for every session
    // No grant while the quorum is gone (the samples of 3 s to 7 s cover 2 s to 7 s), grants again after it.
    json series = two.simulation->report(true)["series"];
    const json& t = series["t_s"];
    const json& acquired = series["locks"]["inventory"]["acquired_per_s"];
    REQUIRE(t.size() == acquired.size());
    double during = 0, after = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      double at = t[i].get<double>();
      if (at > 2.5 && at < 7.5) during += acquired[i].get<double>();
      if (at > 7.5 && at < 9.5) after += acquired[i].get<double>();
    }
    CHECK(during == 0);
    CHECK(after > 0);
    CHECK(two.get("acquired") == whole.get("acquired"));   // every checkout got it in the end (nobody gave up)
  }
}

}  // namespace pg
