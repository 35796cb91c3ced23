// The cache model: LRU order and bounds, ownership changes measured against the placement module's own
// statistics, modulo vs ring through the model, and the hit-ratio dip / database storm / recovery when a cache
// node crashes during a sale.
#include <algorithm>
#include <list>

#include "engine/models/caches/caches.hpp"
#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"

using namespace pg;
using json = nlohmann::json;

namespace {

// Mean of a series over the samples whose time t_s lies in (from_s, to_s]: the sample at t covers (t - 1 s, t].
double window_mean(const json& t_s, const json& values, double from_s, double to_s) {
  double sum = 0;
  int n = 0;
  for (size_t i = 0; i < t_s.size(); ++i) {
    double t = t_s[i].get<double>();
    if (t > from_s && t <= to_s) {
      sum += values[i].get<double>();
      ++n;
    }
  }
  REQUIRE(n > 0);
  return sum / n;
}

double window_min(const json& t_s, const json& values, double from_s, double to_s) {
  double m = 1e300;
  for (size_t i = 0; i < t_s.size(); ++i) {
    double t = t_s[i].get<double>();
    if (t > from_s && t <= to_s) m = std::min(m, values[i].get<double>());
  }
  return m;
}

std::vector<uint64_t> sku_hashes(PlacementHash hash, uint32_t count) {
  std::vector<uint64_t> out;
  for (uint32_t k = 0; k < count; ++k) out.push_back(placement_key_hash(hash, "sku-" + std::to_string(k)));
  return out;
}

}  // namespace

TEST_CASE("LRU evicts the least recently used key", "[caches]") {
  LruCache lru(3);
  REQUIRE(lru.insert(1) == LruCache::no_key);
  REQUIRE(lru.insert(2) == LruCache::no_key);
  REQUIRE(lru.insert(3) == LruCache::no_key);
  REQUIRE(lru.touch(1));        // order now 1, 3, 2 (most recent first)
  REQUIRE(lru.insert(4) == 2);  // 2 was least recent
  REQUIRE_FALSE(lru.contains(2));
  REQUIRE(lru.insert(3) == LruCache::no_key);  // present: a touch, nothing leaves
  REQUIRE(lru.insert(5) == 1);
  std::vector<uint32_t> order;
  lru.for_each_recent([&](uint32_t k) { order.push_back(k); return true; });
  REQUIRE(order == std::vector<uint32_t>{5, 3, 4});
  REQUIRE_FALSE(lru.touch(99));
  lru.clear();
  REQUIRE(lru.size() == 0);
  REQUIRE(lru.most_recent() == LruCache::no_key);
}

TEST_CASE("LRU matches a reference list under random operations and never exceeds its capacity", "[caches]") {
  Rng rng = Rng::for_stream(5, "lru-test");
  LruCache lru(50);
  std::list<uint32_t> reference;  // most recent first
  uint32_t capacity = 50;
  for (int op = 0; op < 200000; ++op) {
    uint32_t key = (uint32_t)rng.below(200);
    auto it = std::find(reference.begin(), reference.end(), key);
    uint64_t action = rng.below(100);
    if (action < 45) {
      bool hit = lru.touch(key);
      REQUIRE(hit == (it != reference.end()));
      if (hit) reference.splice(reference.begin(), reference, it);
    } else if (action < 90) {
      uint32_t evicted = lru.insert(key);
      if (it != reference.end()) {
        REQUIRE(evicted == LruCache::no_key);
        reference.splice(reference.begin(), reference, it);
      } else {
        uint32_t expected = LruCache::no_key;
        if (reference.size() == capacity) {
          expected = reference.back();
          reference.pop_back();
        }
        REQUIRE(evicted == expected);
        reference.push_front(key);
      }
    } else if (action < 98) {
      REQUIRE(lru.erase(key) == (it != reference.end()));
      if (it != reference.end()) reference.erase(it);
    } else {
      capacity = 1 + (uint32_t)rng.below(80);
      lru.set_capacity(capacity);
      while (reference.size() > capacity) reference.pop_back();
    }
    REQUIRE(lru.size() <= lru.capacity());
    REQUIRE(lru.size() == reference.size());
    if (op % 997 == 0) {
      std::vector<uint32_t> order;
      lru.for_each_recent([&](uint32_t k) { order.push_back(k); return true; });
      REQUIRE(order == std::vector<uint32_t>(reference.begin(), reference.end()));
    }
  }
}

TEST_CASE("keys moved by each membership change equal the placement module's movement statistics", "[caches]") {
  // Add e, remove b (a node in the middle of the list), crash c and let it come back: every algorithm, every change.
  for (PlacementAlgorithm algorithm : placement_algorithms) {
    std::string name(placement_algorithm_name(algorithm));
    INFO(name);
    std::string text = R"({ "version": 1, "duration_s": 5, "seed": 3,
      "workload": { "arrivals": { "rate_per_s": 200 }, "keys": { "count": 5000, "popularity": "zipf" } },
      "requests": [ { "name": "r", "steps": [ { "cache": "c", "on_miss": [ { "call": "db" } ] } ] } ],
      "services": [ { "name": "db", "workers": 8, "service_time": { "dist": "constant", "mean_ms": 1 } } ],
      "caches": [ { "name": "c", "nodes": [ "a", "b", "c", "d" ], "weights": [ 1, 2, 1, 1 ], "capacity_keys": 500,
                    "placement": { "algorithm": ")" + name + R"(", "vnodes": 40, "hash": "fast", "table_size": 1009 } } ],
      "faults": [ { "at_s": 1, "kind": "add_node", "target": "c", "node": "e" },
                  { "at_s": 2, "kind": "remove_node", "target": "c", "node": "b" },
                  { "at_s": 3, "kind": "crash", "target": "c", "for_s": 1 } ] })";
    Scenario s = test::parse_or_fail(text);
    Simulation sim(s);
    sim.run_to_end();
    const Caches& caches = sim.world().caches;
    const CacheState& c = caches.cache(0);
    REQUIRE(c.changes.size() == 4);

    PlacementParams params = cache_placement_params(s.caches[0].placement);
    std::vector<uint64_t> hashes = sku_hashes(params.hash, 5000);
    using Nodes = std::vector<PlacementNode>;
    std::vector<Nodes> lists = {
        {{"a", 1}, {"b", 2}, {"c", 1}, {"d", 1}},
        {{"a", 1}, {"b", 2}, {"c", 1}, {"d", 1}, {"e", 1}},
        {{"a", 1}, {"c", 1}, {"d", 1}, {"e", 1}},
        {{"a", 1}, {"d", 1}, {"e", 1}},
        {{"a", 1}, {"c", 1}, {"d", 1}, {"e", 1}},  // c returns to its place in the membership order
    };
    uint64_t total = 0;
    for (size_t i = 0; i < 4; ++i) {
      Placement before(params, lists[i]), after(params, lists[i + 1]);
      MovementStats expected = movement_stats(before, after, hashes);
      INFO("change " << i << " " << membership_change_name(c.changes[i].kind));
      REQUIRE(c.changes[i].moved == expected.moved);
      REQUIRE(c.changes[i].ideal_fraction == expected.ideal_fraction);
      total += expected.moved;
    }
    REQUIRE(c.keys_moved == total);

    // The ring view's ownership is the placement's, and it covers the key space once.
    const Placement* placement = caches.placement(0);
    REQUIRE(placement != nullptr);
    std::vector<uint32_t> owners = placement->assign(hashes);
    uint64_t owned = 0;
    for (uint32_t k = 0; k < 5000; ++k)
      REQUIRE(caches.nodes()[caches.owner(0, k)].name == placement->nodes()[owners[k]].name);
    for (uint32_t id : c.node_ids) owned += caches.nodes()[id].owned_keys;
    REQUIRE(owned == 5000);
    REQUIRE(c.hits + c.misses == c.lookups);
    for (uint32_t id : c.node_ids) REQUIRE(caches.nodes()[id].lru.size() <= 500u);
  }
}

TEST_CASE("adding a node through the cache model: the ring moves about 1/(n+1) of the keys, modulo most", "[caches]") {
  Scenario s = test::load("scenarios/ring-modulo-vs-ring-add-node.json");
  Simulation sim(s);
  sim.run_to_end();
  json report = sim.report(true);
  const json& ring = report["caches"]["ring-cache"];
  const json& modulo = report["caches"]["modulo-cache"];
  double keys = s.workload.key_count;
  double ring_moved = ring["keys_moved"].get<double>() / keys;
  double modulo_moved = modulo["keys_moved"].get<double>() / keys;
  // 3 -> 4 nodes. Ring ideal 1/4; the new node's share of a 160-point ketama ring has a relative standard
  // deviation of about 1/sqrt(160) = 8%, i.e. 0.02 absolute, plus 0.0043 from sampling 10000 keys: 3 sd = 0.065.
  REQUIRE(ring["keys_moved_ideal"].get<double>() == Approx(keys / 4).margin(1));
  REQUIRE(ring_moved == Approx(0.25).margin(0.065));
  // Modulo: a key stays only if h mod 3 == h mod 4, i.e. h mod 12 < 3: 1/4 stay, 3/4 move (sd 0.0043; 5 sd).
  REQUIRE(modulo_moved == Approx(0.75).margin(0.022));

  // The dip follows the movement: in the second after the change, modulo loses most of its hits, the ring a quarter.
  const json& series = report["series"];
  const json& t = series["t_s"];
  double ring_before = window_mean(t, series["caches"]["ring-cache"]["hit_ratio"], 25, 30);
  double modulo_before = window_mean(t, series["caches"]["modulo-cache"]["hit_ratio"], 25, 30);
  double ring_dip = window_min(t, series["caches"]["ring-cache"]["hit_ratio"], 30, 33);
  double modulo_dip = window_min(t, series["caches"]["modulo-cache"]["hit_ratio"], 30, 33);
  REQUIRE(modulo_dip < ring_dip);
  REQUIRE(ring_before - ring_dip < modulo_before - modulo_dip);
  // Modulo's first second after the change keeps at most the hits of the keys that stayed (1/4) plus refills.
  REQUIRE(modulo_dip < modulo_before * 0.75);
}

TEST_CASE("a cache node crash during the sale: hit-ratio dip, database storm, recovery", "[caches]") {
  Scenario s = test::load("scenarios/ring-cache-node-dies-during-sale.json");
  Simulation sim(s);
  sim.run_to_end();
  json report = sim.report(true);
  const json& series = report["series"];
  const json& t = series["t_s"];
  const json& hit_ratio = series["caches"]["product-cache"]["hit_ratio"];
  const json& db = series["services"]["product-db"]["throughput_per_s"];
  const json& misses = series["caches"]["product-cache"]["misses_per_s"];

  // Windows at the same arrival rate (the sale runs 20-50 s): before the crash (20, 25], the crash (25, 35], and
  // 10 s after cache-b is back (40, 50].
  double ratio_before = window_mean(t, hit_ratio, 20, 25);
  double ratio_crash = window_mean(t, hit_ratio, 25, 35);
  double ratio_after = window_mean(t, hit_ratio, 40, 50);
  INFO("hit ratio before " << ratio_before << ", crash " << ratio_crash << ", after " << ratio_after);
  REQUIRE(ratio_crash < ratio_before);
  // The dip in the first seconds must stand out of the noise: a per-second ratio at 1200 lookups/s and a ratio
  // near 0.7 has a sampling sd of sqrt(0.7 * 0.3 / 1200) = 0.013, a difference of two about 0.019; 0.05 is > 2.5 sd.
  // (cache-b served a third of the hits, but its hottest keys refill within milliseconds on their new owners.)
  REQUIRE(window_min(t, hit_ratio, 25, 27) < ratio_before - 0.05);
  REQUIRE(window_min(t, hit_ratio, 35, 37) < ratio_before - 0.05);  // coming back empty: a second dip
  // Recovery: by then the moved-back keys are warm again. Per-second ratios have a sampling sd of about 0.013
  // (0.006 for a 5-sample mean, 0.004 for 10); the cache keeps warming, so the after level should not be lower.
  REQUIRE(ratio_after > ratio_crash);
  REQUIRE(ratio_after >= ratio_before - 0.02);

  double db_before = window_mean(t, db, 20, 25);
  double db_crash = window_mean(t, db, 25, 35);
  double db_after = window_mean(t, db, 40, 50);
  INFO("product-db throughput before " << db_before << ", crash " << db_crash << ", after " << db_after);
  REQUIRE(db_crash > db_before);
  REQUIRE(db_after < db_crash);
  REQUIRE(window_mean(t, misses, 25, 35) > window_mean(t, misses, 20, 25));

  // cache-b is empty while down and comes back empty; it never holds more than its capacity.
  const json& b_keys = series["caches"]["product-cache"]["per_node"]["cache-b"]["keys"];
  REQUIRE(window_mean(t, b_keys, 26, 35) == 0);
  for (const std::string node : {"cache-a", "cache-b", "cache-c"})
    for (const json& v : series["caches"]["product-cache"]["per_node"][node]["keys"]) REQUIRE(v.get<double>() <= 2000);
  const json& cache = report["caches"]["product-cache"];
  REQUIRE(cache["membership_changes"] == 2);
  REQUIRE(cache["changes"][0]["kind"] == "crash");
  REQUIRE(cache["changes"][1]["kind"] == "recover");
  // Removing one of three equal nodes moves exactly its keys: its share, ideally 1/3 (sd about 8% of it with 160
  // ketama points, 3 sd = 0.08); the same keys come back to it on recovery.
  REQUIRE(cache["changes"][0]["ideal_fraction"].get<double>() == Approx(1.0 / 3).margin(1e-6));
  REQUIRE(cache["changes"][0]["moved_fraction"].get<double>() == Approx(1.0 / 3).margin(0.08));
  REQUIRE(cache["changes"][0]["keys_moved"] == cache["changes"][1]["keys_moved"]);
}

TEST_CASE("virtual nodes even out the request load; bounded loads cap it", "[caches]") {
  Scenario s = test::load("scenarios/ring-virtual-nodes-even-out-load.json");
  Simulation sim(s);
  sim.run_to_end();
  json report = sim.report();
  double few = report["caches"]["few-vnodes"]["load_max_over_mean"].get<double>();
  double many = report["caches"]["many-vnodes"]["load_max_over_mean"].get<double>();
  double bounded = report["caches"]["bounded"]["load_max_over_mean"].get<double>();
  INFO("max/mean: 4 points " << few << ", 160 points " << many << ", bounded " << bounded);
  REQUIRE(many < few);
  REQUIRE(report["caches"]["many-vnodes"]["load_stddev_over_mean"].get<double>() <
          report["caches"]["few-vnodes"]["load_stddev_over_mean"].get<double>());
  // Bounded on the same 4-point ring: no node owns more than ceil(1.1 * 20000 / 5) = 4400 keys; with uniform
  // popularity its requests follow its keys: about 10000 lookups per cache, at most 2200 on a node, a relative sd of
  // 1/sqrt(2200) = 2.1%; 4 sd of 1.1 is 0.093.
  for (const auto& [node, v] : report["caches"]["bounded"]["per_node"].items()) REQUIRE(v["owned_keys"] <= 4400);
  REQUIRE(bounded <= 1.1 + 0.093);
  REQUIRE(bounded < few);
}

TEST_CASE("cache membership edge cases: every node down, a timed add_node, a capacity change", "[caches]") {
  std::string text = R"({ "version": 1, "duration_s": 10, "seed": 4,
    "workload": { "arrivals": { "rate_per_s": 300 }, "keys": { "count": 1000, "popularity": "zipf" } },
    "requests": [ { "name": "r", "steps": [ { "cache": "c", "on_miss": [ { "call": "db" } ] } ] } ],
    "services": [ { "name": "db", "workers": 8, "service_time": { "dist": "constant", "mean_ms": 1 } } ],
    "caches": [ { "name": "c", "nodes": [ "a", "b" ], "capacity_keys": 300 } ],
    "faults": [ { "at_s": 2, "kind": "crash", "target": "a", "for_s": 2 },
                { "at_s": 2.5, "kind": "crash", "target": "b", "for_s": 1 },
                { "at_s": 5, "kind": "add_node", "target": "c", "node": "x", "for_s": 2 },
                { "at_s": 5.5, "kind": "remove_node", "target": "c", "node": "nobody" } ],
    "interventions": [ { "at_s": 8, "kind": "set", "path": "/caches/c/capacity_keys", "value": 50 } ] })";
  Scenario s = test::parse_or_fail(text);
  Simulation sim(s);
  sim.run_until(s_to_ns(3));
  const Caches& caches = sim.world().caches;
  // 2.5-3.5 s: no node is live, every lookup goes straight to the database.
  REQUIRE(caches.placement(0) == nullptr);
  REQUIRE(caches.owner(0, 0) == no_id);
  sim.run_until(s_to_ns(6));
  REQUIRE(caches.live_nodes(0).size() == 3);  // a, b and x
  sim.run_to_end();
  const CacheState& c = caches.cache(0);
  REQUIRE(c.unavailable > 0);
  REQUIRE(c.hits + c.misses == c.lookups);
  // crash a, crash b, b back, a back, x joins, x leaves at the end of its 2 s; removing an unknown node is no change.
  REQUIRE(c.change_count == 6);
  REQUIRE(c.changes[1].live_nodes == 0);
  REQUIRE(c.changes[1].ideal_fraction == 1.0);
  REQUIRE(c.changes[5].kind == MembershipChangeKind::remove);
  REQUIRE(caches.live_nodes(0).size() == 2);
  for (uint32_t id : c.node_ids) REQUIRE(caches.nodes()[id].lru.size() <= 50u);
  // Key 0 is the most popular Zipf rank, so the hottest key.
  auto hot = caches.hot_keys(0, 3);
  REQUIRE(hot.size() == 3);
  REQUIRE(hot[0].first == 0);
  REQUIRE(hot[0].second >= hot[1].second);
  REQUIRE(hot[1].second >= hot[2].second);
}

TEST_CASE("a cache whose placement cannot be built is a path-named validation error", "[caches]") {
  auto errors_of = [](const std::string& caches) {
    std::string text = R"({ "version": 1, "caches": [ )" + caches + R"( ] })";
    std::vector<std::string> out;
    for (const ValidationError& e : parse_scenario(text).errors) out.push_back(e.to_string());
    return out;
  };
  auto first = [](const std::vector<std::string>& errors) { return errors.empty() ? std::string() : errors[0]; };
  REQUIRE_THAT(first(errors_of(R"({ "name": "c", "nodes": [ "a" ], "placement": { "vnodes": 10 } })")),
               Catch::StartsWith("/caches/0/placement: ") && Catch::Contains("4"));
  REQUIRE_THAT(first(errors_of(R"({ "name": "c", "nodes": [ "a", "a" ] })")), Catch::StartsWith("/caches/0/nodes: "));
  REQUIRE_THAT(first(errors_of(R"({ "name": "c", "nodes": [ "a" ], "placement": { "algorithm": "maglev", "table_size": 100 } })")),
               Catch::StartsWith("/caches/0/placement: "));
  REQUIRE(errors_of(R"({ "name": "c", "nodes": [ "a", "b" ], "placement": { "vnodes": 12 } })").empty());
}
