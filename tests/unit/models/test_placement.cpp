// Placement: balance and movement properties of each algorithm against their theory, the published jump hash
// values, Maglev's table balance, bounded loads' cap, and ketama against the real libmemcached.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "engine/models/caches/placement.hpp"

#if defined(PLAYGROUND_HAVE_LIBMEMCACHED) && PLAYGROUND_HAVE_LIBMEMCACHED
#include <libmemcached/memcached.h>
#endif

namespace {

std::vector<pg::PlacementNode> make_nodes(size_t count, const std::string& prefix = "node-") {
  std::vector<pg::PlacementNode> nodes;
  for (size_t i = 0; i < count; ++i) nodes.push_back({prefix + std::to_string(i), 1});
  return nodes;
}

std::vector<uint64_t> make_key_hashes(pg::PlacementHash hash, size_t count) {
  std::vector<uint64_t> hashes;
  hashes.reserve(count);
  for (size_t i = 0; i < count; ++i) hashes.push_back(pg::placement_key_hash(hash, "key-" + std::to_string(i)));
  return hashes;
}

pg::PlacementParams params_for(pg::PlacementAlgorithm algorithm, pg::PlacementHash hash = pg::PlacementHash::fast) {
  pg::PlacementParams params;
  params.algorithm = algorithm;
  params.hash = hash;
  return params;
}

}  // namespace

TEST_CASE("jump hash matches the published reference values", "[placement][jump]") {
  // Guava's HashingTest.testConsistentHash_linearCongruentialGeneratorCompatibility ("golden values to see that
  // implementations across languages are equivalent"), computed with the Lamping-Veach algorithm.
  const int32_t golden100[] = {0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83};
  for (uint64_t key = 0; key < 20; ++key) CHECK(pg::jump_consistent_hash(key, 100) == golden100[key]);
  CHECK(pg::jump_consistent_hash(10863919174838991ull, 11) == 6);
  CHECK(pg::jump_consistent_hash(2016238256797177309ull, 11) == 3);
  CHECK(pg::jump_consistent_hash(1673758223894951030ull, 11) == 5);
  CHECK(pg::jump_consistent_hash(2, 100001) == 80343);
  CHECK(pg::jump_consistent_hash(2201, 100001) == 22152);
  CHECK(pg::jump_consistent_hash(2202, 100001) == 15018);
  CHECK(pg::jump_consistent_hash(12345, 1) == 0);
}

TEST_CASE("ring share spread shrinks as 1/sqrt(vnodes)", "[placement][ring]") {
  // With n nodes of k points each, the n*k points cut the circle into n*k exchangeable spacings, so a node's share
  // is Beta(k, (n-1)k): relative variance (n-1)/(nk+1), i.e. relative std dev sqrt((n-1)/(nk+1)) ~ 1/sqrt(k) (0.95/sqrt(k)
  // at n = 10). The spread measured over one set of 10 nodes is itself noisy (its square has a relative std dev of
  // about sqrt(2/(n-1)) = 0.47), so we average the squared spread over 30 node sets: the estimate of the variance is
  // then within about 0.47/sqrt(30) = 8.6% (one sigma), the std dev within 4.3%; the tolerance is 15% (3.5 sigma).
  const size_t node_count = 10;
  const int node_sets = 30;
  for (uint32_t vnodes : {10u, 100u, 1000u}) {
    double sum_relative_variance = 0;
    for (int set = 0; set < node_sets; ++set) {
      pg::PlacementParams params = params_for(pg::PlacementAlgorithm::ring);
      params.vnodes = vnodes;
      const pg::Placement placement(params, make_nodes(node_count, "set" + std::to_string(set) + "-node-"));
      double squares = 0;
      for (double share : placement.ring_shares()) squares += (share * double(node_count) - 1) * (share * double(node_count) - 1);
      sum_relative_variance += squares / double(node_count);
    }
    const double measured = std::sqrt(sum_relative_variance / node_sets);
    const double beta_theory = std::sqrt(double(node_count - 1) / double(node_count * vnodes + 1));
    const double rule_of_thumb = 1 / std::sqrt(double(vnodes));
    INFO("vnodes " << vnodes << ": measured " << measured << ", Beta theory " << beta_theory << ", 1/sqrt(k) "
                   << rule_of_thumb);
    CHECK(measured == Approx(beta_theory).epsilon(0.15));
    CHECK(measured / rule_of_thumb > 0.80);
    CHECK(measured / rule_of_thumb < 1.10);
  }
}

TEST_CASE("adding an 11th node moves about 1/11 of keys, except with modulo", "[placement][movement]") {
  // 100,000 keys. If the new node's expected share is p = 1/11, the moved count is binomial: relative std dev
  // sqrt((1-p)/(p*K)) = 1.0%. On top of that each algorithm's own imbalance in the new node's share:
  //   jump, rendezvous: none beyond the hash (each key picks independently): tolerance 5% (5 binomial sigma);
  //   ring with 160 vnodes: the new node's share has relative std dev about 1/sqrt(160) = 7.9% (Beta, as above),
  //     so 3 sigma of the combined 8.0% is 24%; and every moved key must go to the new node;
  //   maglev: the new node gets exactly floor/ceil(M/11) entries, but the refill also reshuffles some entries among
  //     the old nodes (Eisenbud et al. section 5.3 measure this as small for M >> N): at least 1/11 minus binomial
  //     noise (5 sigma), and below 1/11 + 20% (we measure +2.2% at 4 million keys).
  const size_t key_count = 100000;
  const double ideal = 1.0 / 11.0;
  const std::vector<uint64_t> keys = make_key_hashes(pg::PlacementHash::fast, key_count);
  struct Case {
    pg::PlacementAlgorithm algorithm;
    double low, high;
    bool only_to_added;
  };
  const Case cases[] = {
      {pg::PlacementAlgorithm::jump, ideal * 0.95, ideal * 1.05, true},
      {pg::PlacementAlgorithm::rendezvous, ideal * 0.95, ideal * 1.05, true},
      {pg::PlacementAlgorithm::ring, ideal * 0.76, ideal * 1.24, true},
      {pg::PlacementAlgorithm::maglev, ideal * 0.95, ideal * 1.20, false},
  };
  for (const Case& c : cases) {
    const pg::Placement before(params_for(c.algorithm), make_nodes(10));
    pg::Placement after = before;
    REQUIRE(after.add_node({"node-10", 1}) == pg::PlacementError::none);
    const pg::MovementStats stats = pg::movement_stats(before, after, keys);
    INFO(pg::placement_algorithm_name(c.algorithm) << ": moved " << stats.moved_fraction << ", ideal "
                                                   << stats.ideal_fraction);
    CHECK(stats.ideal_fraction == Approx(ideal));
    CHECK(stats.moved_fraction > c.low);
    CHECK(stats.moved_fraction < c.high);
    if (c.only_to_added) CHECK(stats.moved_to_added == stats.moved);
  }
  // Modulo: a key stays only if hash % 10 == hash % 11, i.e. 1/11 of keys (hash mod 110 in 0..9): 10/11 move.
  const pg::Placement before(params_for(pg::PlacementAlgorithm::modulo), make_nodes(10));
  pg::Placement after = before;
  REQUIRE(after.add_node({"node-10", 1}) == pg::PlacementError::none);
  const pg::MovementStats modulo = pg::movement_stats(before, after, keys);
  INFO("modulo: moved " << modulo.moved_fraction);
  CHECK(modulo.moved_fraction > 0.80);
}

TEST_CASE("removing a node moves only that node's keys on the ring and with rendezvous", "[placement][movement]") {
  const std::vector<uint64_t> keys = make_key_hashes(pg::PlacementHash::fast, 50000);
  for (pg::PlacementAlgorithm algorithm : {pg::PlacementAlgorithm::ring, pg::PlacementAlgorithm::rendezvous}) {
    const pg::Placement before(params_for(algorithm), make_nodes(10));
    pg::Placement after = before;
    REQUIRE(after.remove_node("node-3") == pg::PlacementError::none);
    const pg::MovementStats stats = pg::movement_stats(before, after, keys);
    CHECK(stats.moved == stats.moved_from_removed);
    CHECK(stats.ideal_fraction == Approx(0.1));
  }
}

TEST_CASE("maglev gives each node floor(M/N) or ceil(M/N) entries", "[placement][maglev]") {
  for (uint32_t table_size : {65537u, 13u, 251u}) {
    for (size_t node_count : {size_t(1), size_t(3), size_t(10), size_t(11), size_t(13)}) {
      if (node_count > table_size) continue;
      pg::PlacementParams params = params_for(pg::PlacementAlgorithm::maglev);
      params.table_size = table_size;
      const pg::Placement placement(params, make_nodes(node_count));
      std::vector<uint32_t> entries(node_count, 0);
      for (uint32_t node : placement.maglev_table()) ++entries[node];
      for (uint32_t count : entries) {
        INFO("M " << table_size << ", N " << node_count << ", entries " << count);
        CHECK(count >= table_size / node_count);
        CHECK(count <= (table_size + node_count - 1) / node_count);
      }
    }
  }
  pg::PlacementParams not_prime = params_for(pg::PlacementAlgorithm::maglev);
  not_prime.table_size = 65536;
  CHECK(pg::Placement::validate(not_prime, make_nodes(3)) == pg::PlacementError::table_size_not_prime);
}

TEST_CASE("bounded loads: no node exceeds ceil(c m / n)", "[placement][bounded]") {
  const std::vector<uint64_t> uniform = make_key_hashes(pg::PlacementHash::fast, 20000);
  // A skewed key set: every hash in the lowest 1/1000 of the ring, so plain consistent hashing would pile the keys
  // on the few nodes owning that arc and the bound must push them clockwise.
  const std::vector<uint64_t> skewed = [&] {
    std::vector<uint64_t> hashes;
    for (uint64_t hash : uniform) hashes.push_back(hash / 1000);
    return hashes;
  }();
  for (uint32_t permille : {1000u, 1100u, 1250u, 2000u}) {
    for (const std::vector<uint64_t>* keys : {&uniform, &skewed}) {
      pg::PlacementParams params = params_for(pg::PlacementAlgorithm::bounded);
      params.load_factor_permille = permille;
      const pg::Placement placement(params, make_nodes(10));
      const pg::LoadStats stats = pg::load_stats(placement.assign(*keys), 10);
      const uint64_t bound = (uint64_t(permille) * keys->size() + 10000 - 1) / 10000;  // ceil(c m / n)
      INFO("c " << permille / 1000.0 << ", max " << stats.max_keys << ", bound " << bound);
      CHECK(placement.bounded_capacity(0, keys->size()) == bound);
      CHECK(stats.max_keys <= bound);
      CHECK(stats.keys == keys->size());
      CHECK(pg::load_stats(placement.assign(*keys), placement).max_over_mean <= double(bound) * 10 / double(keys->size()));
    }
  }
  // With a generous bound nothing walks: bounded equals the plain ring.
  pg::PlacementParams loose = params_for(pg::PlacementAlgorithm::bounded);
  loose.load_factor_permille = 100000;
  const pg::Placement bounded(loose, make_nodes(10));
  const pg::Placement ring(params_for(pg::PlacementAlgorithm::ring), make_nodes(10));
  CHECK(bounded.assign(uniform) == ring.assign(uniform));
}

TEST_CASE("every algorithm maps every key to a valid node, weights shift load", "[placement]") {
  const std::vector<uint64_t> keys = make_key_hashes(pg::PlacementHash::fast, 30000);
  std::vector<pg::PlacementNode> nodes = make_nodes(4);
  nodes[0].weight = 3;  // 3 of 6 weight units: half the keys, except under jump (weights ignored)
  for (pg::PlacementAlgorithm algorithm : pg::placement_algorithms) {
    const pg::Placement placement(params_for(algorithm), nodes);
    const pg::LoadStats stats = pg::load_stats(placement.assign(keys), nodes.size());
    const double share = double(stats.keys_per_node[0]) / double(keys.size());
    INFO(pg::placement_algorithm_name(algorithm) << ": node 0 share " << share);
    if (algorithm == pg::PlacementAlgorithm::jump) {
      CHECK(share == Approx(0.25).margin(0.02));
    } else if (algorithm != pg::PlacementAlgorithm::bounded) {
      CHECK(share == Approx(0.5).margin(0.06));  // ring at 160 vnodes: node share within ~2.5 sigma
    }
  }
}

TEST_CASE("validation reports operating errors", "[placement]") {
  const pg::PlacementParams ring = params_for(pg::PlacementAlgorithm::ring);
  CHECK(pg::Placement::validate(ring, {}) == pg::PlacementError::no_nodes);
  std::vector<pg::PlacementNode> nodes = make_nodes(2);
  nodes[1].name = nodes[0].name;
  CHECK(pg::Placement::validate(ring, nodes) == pg::PlacementError::duplicate_node_name);
  nodes = make_nodes(2);
  nodes[0].weight = 0;
  CHECK(pg::Placement::validate(ring, nodes) == pg::PlacementError::weight_out_of_range);
  pg::PlacementParams ketama = params_for(pg::PlacementAlgorithm::ring, pg::PlacementHash::ketama);
  ketama.vnodes = 10;
  CHECK(pg::Placement::validate(ketama, make_nodes(2)) == pg::PlacementError::ketama_vnodes_not_multiple_of_4);
  pg::Placement placement(ring, make_nodes(2));
  CHECK(placement.add_node({"node-0", 1}) == pg::PlacementError::duplicate_node_name);
  CHECK(placement.remove_node("nope") == pg::PlacementError::unknown_node);
  CHECK(placement.remove_node("node-0") == pg::PlacementError::none);
  CHECK(placement.remove_node("node-1") == pg::PlacementError::no_nodes);
  CHECK(placement.node_count() == 1);
}

TEST_CASE("ketama hash and point layout", "[placement][ketama]") {
  // libmemcached reads the first 4 digest bytes little-endian.
  CHECK(pg::ketama_key_hash("") == 0xd98c1dd4u);  // MD5("") = d41d8cd9...
  pg::PlacementParams params = params_for(pg::PlacementAlgorithm::ring, pg::PlacementHash::ketama);
  const pg::Placement unit(params, {{"10.0.0.1:11211", 1}, {"10.0.0.2:11211", 1}, {"10.0.0.3:11211", 1}});
  CHECK(unit.ring_points().size() == 480);  // 160 points per server
  const pg::Placement weighted(params, {{"a", 1}, {"b", 2}, {"c", 1}});
  std::vector<size_t> points(3, 0);
  for (const pg::Placement::RingPoint& point : weighted.ring_points()) ++points[point.node];
  CHECK(points == std::vector<size_t>{120, 240, 120});  // floor(w/W * 40 * n) * 4
  // "host" and "host:11211" name the same points; another port does not.
  const pg::Placement bare(params, {{"10.0.0.1", 1}, {"10.0.0.2", 1}, {"10.0.0.3", 1}});
  for (size_t i = 0; i < 480; ++i) CHECK(bare.ring_points()[i].position == unit.ring_points()[i].position);
  const pg::Placement other_port(params, {{"10.0.0.1:11212", 1}, {"10.0.0.2", 1}, {"10.0.0.3", 1}});
  CHECK(other_port.ring_points()[0].position != unit.ring_points()[0].position);
}

#if defined(PLAYGROUND_HAVE_LIBMEMCACHED) && PLAYGROUND_HAVE_LIBMEMCACHED
namespace {

struct Server {
  std::string host;
  uint16_t port;
  uint32_t weight;
};

enum class LibmemcachedMode { ketama_weighted_behavior, consistent_ketama_md5 };

// Compares memcached_generate_hash (the server index libmemcached would use) with ours for `key_count` keys;
// returns the number of disagreements and checks that libmemcached's answers cover every server.
size_t count_ketama_mismatches(const std::vector<Server>& servers, LibmemcachedMode mode, size_t key_count) {
  memcached_st* memc = memcached_create(nullptr);
  REQUIRE(memc != nullptr);
  if (mode == LibmemcachedMode::ketama_weighted_behavior) {
    REQUIRE(memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1) == MEMCACHED_SUCCESS);
  } else {
    // Explicit distribution and MD5 hashes; a server weight above 1 switches libmemcached to weighted points.
    REQUIRE(memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_DISTRIBUTION, MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA) ==
            MEMCACHED_SUCCESS);
    REQUIRE(memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_KETAMA_HASH, MEMCACHED_HASH_MD5) == MEMCACHED_SUCCESS);
    REQUIRE(memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_HASH, MEMCACHED_HASH_MD5) == MEMCACHED_SUCCESS);
  }
  std::vector<pg::PlacementNode> nodes;
  for (const Server& server : servers) {
    REQUIRE(memcached_server_add_with_weight(memc, server.host.c_str(), server.port, server.weight) ==
            MEMCACHED_SUCCESS);
    nodes.push_back({server.host + ":" + std::to_string(server.port), server.weight});
  }
  const pg::Placement ours(params_for(pg::PlacementAlgorithm::ring, pg::PlacementHash::ketama), nodes);
  size_t mismatches = 0;
  std::vector<bool> seen(servers.size(), false);
  for (size_t i = 0; i < key_count; ++i) {
    const std::string key = (i % 2 == 0 ? "product:" : "user/session-") + std::to_string(i * 7919);
    const uint32_t theirs = memcached_generate_hash(memc, key.data(), key.size());
    REQUIRE(theirs < servers.size());
    seen[theirs] = true;
    if (theirs != ours.node_for_key(key)) ++mismatches;
  }
  memcached_free(memc);
  // Guard against a vacuous comparison: every server with at least half the mean share answers some keys.
  uint64_t total_weight = 0;
  for (const Server& server : servers) total_weight += server.weight;
  for (size_t i = 0; i < servers.size(); ++i)
    if (2 * servers[i].weight * servers.size() >= total_weight) CHECK(seen[i]);
  return mismatches;
}

}  // namespace

TEST_CASE("ketama equals libmemcached's weighted ketama", "[placement][ketama][libmemcached]") {
  const size_t keys = 5000;
  SECTION("host:port names with the default port, equal weights, 1 to 12 servers") {
    for (size_t count = 1; count <= 12; ++count) {
      std::vector<Server> servers;
      for (size_t i = 0; i < count; ++i) servers.push_back({"10.0.0." + std::to_string(i + 1), 11211, 1});
      INFO(count << " servers");
      CHECK(count_ketama_mismatches(servers, LibmemcachedMode::ketama_weighted_behavior, keys) == 0);
    }
  }
  SECTION("other ports and weights") {
    const std::vector<Server> servers = {{"cache-a.example", 11212, 1}, {"cache-b.example", 11211, 2},
                                         {"cache-c.example", 11213, 3}, {"10.1.2.3", 22122, 5}};
    CHECK(count_ketama_mismatches(servers, LibmemcachedMode::ketama_weighted_behavior, keys) == 0);
    CHECK(count_ketama_mismatches(servers, LibmemcachedMode::consistent_ketama_md5, keys) == 0);
  }
  SECTION("weights where libmemcached's float point count rounds down") {
    // Deterministic pseudo-random weight lists; shares like 7/31 make pct * 40 * n land just below integers.
    uint64_t state = 12345;
    for (int round = 0; round < 40; ++round) {
      std::vector<Server> servers;
      const size_t count = 2 + size_t(round % 9);
      for (size_t i = 0; i < count; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        servers.push_back({"mc" + std::to_string(round) + "-" + std::to_string(i), uint16_t(11211 + (i % 2)),
                           uint32_t(1 + (state >> 33) % 20)});
      }
      INFO("round " << round);
      CHECK(count_ketama_mismatches(servers, LibmemcachedMode::ketama_weighted_behavior, 2000) == 0);
    }
  }
}
#else
// Built without libmemcached: the cross-check must not vanish from the results, so it fails and says why.
TEST_CASE("ketama equals libmemcached's weighted ketama", "[placement][ketama][libmemcached]") {
  FAIL("built without libmemcached, so ketama is not checked against it: install libmemcached-dev "
       "(scripts/install-deps.sh does) and reconfigure (cmake -S . -B build/native)");
}
#endif
