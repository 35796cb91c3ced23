// Key placement algorithms (see placement.hpp for the sources). Every structure is rebuilt from (params, nodes) on
// a membership change, so a placement depends only on its inputs, never on the order of earlier changes.
#include "engine/models/caches/placement.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "engine/kernel/assert.hpp"
#include "engine/codec/md5.hpp"

namespace pg {
namespace {

constexpr uint64_t golden_gamma = 0x9e3779b97f4a7c15ull;  // splitmix64's increment: 2^64 / golden ratio

// The splitmix64 finaliser (Steele, Lea and Flood, "Fast Splittable Pseudorandom Number Generators", 2014).
constexpr uint64_t splitmix64_finalise(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The i-th output of a splitmix64 generator seeded with `seed`: independent-looking 64-bit values per (seed, i).
constexpr uint64_t splitmix64_output(uint64_t seed, uint64_t i) { return splitmix64_finalise(seed + golden_gamma * (i + 1)); }

// Seeds that make maglev's offset and skip two different hash functions of the node name (the paper uses two).
constexpr uint64_t maglev_offset_seed = 0x6d61676c65762d6full;  // "maglev-o"
constexpr uint64_t maglev_skip_seed = 0x6d61676c65762d73ull;    // "maglev-s"

uint32_t load_le32(const uint8_t* p) {
  return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

// The host part of libmemcached's point names: "host" for the default port 11211 (or none), "host:port" otherwise.
std::string ketama_point_prefix(std::string_view name) {
  const size_t colon = name.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == name.size() || name.size() - colon - 1 > 5) return std::string(name);
  uint32_t port = 0;
  for (size_t i = colon + 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return std::string(name);
    port = port * 10 + uint32_t(name[i] - '0');
  }
  if (port > 65535) return std::string(name);
  const std::string_view host = name.substr(0, colon);
  if (port == 0 || port == 11211) return std::string(host);  // libmemcached turns port 0 into 11211
  return std::string(host) + ":" + std::to_string(port);
}

// libmemcached's weighted ketama point count for one server (hosts.cc, update_continuum): binary32 arithmetic,
// evaluated in the same order. IEEE-754 makes each float operation correctly rounded, and with FLT_EVAL_METHOD 0
// and -ffp-contract=off nothing is fused or widened, so the count is the same on x86-64 and wasm32.
static_assert(FLT_EVAL_METHOD == 0, "ketama point counts need plain binary32 evaluation");
uint32_t ketama_points_for(uint32_t weight, uint64_t total_weight, size_t node_count, uint32_t vnodes) {
  const float share = float(weight) / float(total_weight);
  const float quarter_points = share * float(vnodes) / 4.0f * float(node_count) + 0.0000000001f;
  return uint32_t(std::floor(quarter_points)) * 4;
}

}  // namespace

// ---- names --------------------------------------------------------------------------------------------------------
std::string_view placement_algorithm_name(PlacementAlgorithm algorithm) {
  switch (algorithm) {
    case PlacementAlgorithm::modulo: return "modulo";
    case PlacementAlgorithm::ring: return "ring";
    case PlacementAlgorithm::jump: return "jump";
    case PlacementAlgorithm::rendezvous: return "rendezvous";
    case PlacementAlgorithm::maglev: return "maglev";
    case PlacementAlgorithm::bounded: return "bounded";
  }
  return "?";
}

std::optional<PlacementAlgorithm> parse_placement_algorithm(std::string_view name) {
  for (PlacementAlgorithm algorithm : placement_algorithms)
    if (placement_algorithm_name(algorithm) == name) return algorithm;
  return std::nullopt;
}

std::string_view placement_hash_name(PlacementHash hash) { return hash == PlacementHash::ketama ? "ketama" : "fast"; }

std::optional<PlacementHash> parse_placement_hash(std::string_view name) {
  if (name == "ketama") return PlacementHash::ketama;
  if (name == "fast") return PlacementHash::fast;
  return std::nullopt;
}

std::string_view placement_error_message(PlacementError error) {
  switch (error) {
    case PlacementError::none: return "no error";
    case PlacementError::no_nodes: return "the node list is empty";
    case PlacementError::too_many_nodes: return "more nodes than placement_nodes_max (1024)";
    case PlacementError::empty_node_name: return "a node name is empty";
    case PlacementError::duplicate_node_name: return "two nodes have the same name";
    case PlacementError::weight_out_of_range: return "a node weight is outside 1..1000";
    case PlacementError::vnodes_out_of_range: return "vnodes is outside 1..10000";
    case PlacementError::ketama_vnodes_not_multiple_of_4: return "ketama vnodes must be a multiple of 4";
    case PlacementError::too_many_ring_points: return "the ring would have more than 4194304 points";
    case PlacementError::table_size_out_of_range: return "table_size is below the node count or above 16777216";
    case PlacementError::table_size_not_prime: return "table_size must be prime";
    case PlacementError::load_factor_out_of_range: return "load_factor is outside 1..100";
    case PlacementError::unknown_node: return "no node has that name";
  }
  return "?";
}

// ---- hashes -------------------------------------------------------------------------------------------------------
uint32_t ketama_key_hash(std::string_view key) { return load_le32(md5(key).data()); }

uint64_t fast_key_hash(std::string_view key) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64 offset basis and prime (Fowler, Noll, Vo)
  for (char c : key) {
    h ^= uint8_t(c);
    h *= 0x100000001b3ull;
  }
  return splitmix64_finalise(h);
}

uint64_t placement_key_hash(PlacementHash hash, std::string_view key) {
  return hash == PlacementHash::ketama ? uint64_t(ketama_key_hash(key)) : fast_key_hash(key);
}

// The paper's code, step for step. Its one floating-point division and product are IEEE-754 binary64 operations,
// correctly rounded on every target we build for, so the bucket is the same natively and in WASM (and matches the
// published values of Guava and the paper's C++).
int32_t jump_consistent_hash(uint64_t key, int32_t buckets) {
  PG_ASSERT(buckets >= 1, "jump_consistent_hash needs at least one bucket");
  int64_t b = -1;
  int64_t j = 0;
  while (j < buckets) {
    b = j;
    key = key * 2862933555777941757ull + 1;
    j = int64_t(double(b + 1) * (double(int64_t(1) << 31) / double((key >> 33) + 1)));
  }
  return int32_t(b);
}

bool is_prime(uint32_t n) {
  if (n < 2) return false;
  for (uint32_t d = 2; uint64_t(d) * d <= n; ++d)
    if (n % d == 0) return false;
  return true;
}

// ---- validation and construction ----------------------------------------------------------------------------------
PlacementError Placement::validate(const PlacementParams& params, std::span<const PlacementNode> nodes) {
  if (nodes.empty()) return PlacementError::no_nodes;
  if (nodes.size() > placement_nodes_max) return PlacementError::too_many_nodes;
  std::vector<std::string_view> names;
  uint64_t total_weight = 0;
  for (const PlacementNode& node : nodes) {
    if (node.name.empty()) return PlacementError::empty_node_name;
    if (node.weight < 1 || node.weight > placement_weight_max) return PlacementError::weight_out_of_range;
    names.push_back(node.name);
    total_weight += node.weight;
  }
  std::sort(names.begin(), names.end());
  if (std::adjacent_find(names.begin(), names.end()) != names.end()) return PlacementError::duplicate_node_name;

  const bool uses_ring = params.algorithm == PlacementAlgorithm::ring || params.algorithm == PlacementAlgorithm::bounded;
  if (uses_ring) {
    if (params.vnodes < 1 || params.vnodes > placement_vnodes_max) return PlacementError::vnodes_out_of_range;
    if (params.hash == PlacementHash::ketama && params.vnodes % 4 != 0) return PlacementError::ketama_vnodes_not_multiple_of_4;
    // ketama hands out about vnodes * node_count points in total whatever the weights; fast gives vnodes per weight.
    const uint64_t points = params.hash == PlacementHash::ketama ? uint64_t(params.vnodes) * nodes.size()
                                                                 : uint64_t(params.vnodes) * total_weight;
    if (points > placement_ring_points_max) return PlacementError::too_many_ring_points;
  }
  if (params.algorithm == PlacementAlgorithm::maglev) {
    if (params.table_size < nodes.size() || params.table_size > placement_table_size_max)
      return PlacementError::table_size_out_of_range;
    if (!is_prime(params.table_size)) return PlacementError::table_size_not_prime;
  }
  if (params.algorithm == PlacementAlgorithm::bounded &&
      (params.load_factor_permille < 1000 || params.load_factor_permille > placement_load_factor_permille_max))
    return PlacementError::load_factor_out_of_range;
  return PlacementError::none;
}

Placement::Placement(const PlacementParams& params, std::vector<PlacementNode> nodes)
    : params_(params), nodes_(std::move(nodes)) {
  PG_ASSERT(validate(params_, nodes_) == PlacementError::none,
            "Placement constructed with an invalid node list or parameters; call Placement::validate first");
  rebuild();
}

std::optional<uint32_t> Placement::find_node(std::string_view name) const {
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) return uint32_t(i);
  return std::nullopt;
}

uint32_t Placement::effective_weight(uint32_t node) const {
  PG_ASSERT(node < nodes_.size(), "effective_weight: node index out of range");
  return params_.algorithm == PlacementAlgorithm::jump ? 1 : nodes_[node].weight;
}

PlacementError Placement::add_node(const PlacementNode& node) {
  std::vector<PlacementNode> next = nodes_;
  next.push_back(node);
  const PlacementError error = validate(params_, next);
  if (error != PlacementError::none) return error;
  nodes_ = std::move(next);
  rebuild();
  return PlacementError::none;
}

PlacementError Placement::remove_node(std::string_view name) {
  const std::optional<uint32_t> index = find_node(name);
  if (!index) return PlacementError::unknown_node;
  std::vector<PlacementNode> next = nodes_;
  next.erase(next.begin() + *index);
  const PlacementError error = validate(params_, next);
  if (error != PlacementError::none) return error;
  nodes_ = std::move(next);
  rebuild();
  return PlacementError::none;
}

void Placement::rebuild() {
  node_hashes_.clear();
  weight_prefix_.clear();
  ring_.clear();
  maglev_table_.clear();
  uint64_t total_weight = 0;
  for (const PlacementNode& node : nodes_) {
    node_hashes_.push_back(fast_key_hash(node.name));
    total_weight += node.weight;
    weight_prefix_.push_back(total_weight);
  }
  switch (params_.algorithm) {
    case PlacementAlgorithm::ring:
    case PlacementAlgorithm::bounded: build_ring(); break;
    case PlacementAlgorithm::maglev: build_maglev(); break;
    case PlacementAlgorithm::modulo:
    case PlacementAlgorithm::jump:
    case PlacementAlgorithm::rendezvous: break;
  }
}

// ---- ring ---------------------------------------------------------------------------------------------------------
// ketama: for server i, points_i = libmemcached's count; point names "<prefix>-<j>" for j < points_i / 4, each MD5
// digest giving 4 little-endian 32-bit points. fast: vnodes * weight points, the outputs of splitmix64 seeded with
// the name's hash. Sorted by (position, node index): equal positions go to the lower index, as libmemcached's qsort
// comparator does, so lookups (first point >= key hash) agree with it.
void Placement::build_ring() {
  const uint64_t total_weight = weight_prefix_.back();
  for (uint32_t node = 0; node < nodes_.size(); ++node) {
    if (params_.hash == PlacementHash::ketama) {
      const uint32_t points = ketama_points_for(nodes_[node].weight, total_weight, nodes_.size(), params_.vnodes);
      const std::string prefix = ketama_point_prefix(nodes_[node].name);
      for (uint32_t j = 0; j < points / 4; ++j) {
        const Md5Digest digest = md5(prefix + "-" + std::to_string(j));
        for (size_t x = 0; x < 4; ++x) ring_.push_back(RingPoint{load_le32(digest.data() + 4 * x), node});
      }
    } else {
      const uint64_t points = uint64_t(params_.vnodes) * nodes_[node].weight;
      for (uint64_t j = 0; j < points; ++j) ring_.push_back(RingPoint{splitmix64_output(node_hashes_[node], j), node});
    }
  }
  PG_ASSERT(!ring_.empty() && ring_.size() <= placement_ring_points_max, "ring point count out of range");
  std::sort(ring_.begin(), ring_.end(), [](const RingPoint& a, const RingPoint& b) {
    return a.position != b.position ? a.position < b.position : a.node < b.node;
  });
}

uint32_t Placement::ring_owner_index(uint64_t key_hash) const {
  const auto it = std::lower_bound(ring_.begin(), ring_.end(), key_hash,
                                   [](const RingPoint& point, uint64_t hash) { return point.position < hash; });
  return it == ring_.end() ? 0 : uint32_t(it - ring_.begin());
}

std::vector<double> Placement::ring_shares() const {
  PG_ASSERT(!ring_.empty(), "ring_shares needs the ring or bounded algorithm");
  std::vector<double> shares(nodes_.size(), 0.0);
  // The point at k owns (point k-1, point k]; point 0 also owns the wrap-around arc after the last point.
  const bool ketama = params_.hash == PlacementHash::ketama;
  const double space = ketama ? 4294967296.0 : 18446744073709551616.0;
  for (size_t k = 0; k < ring_.size(); ++k) {
    const uint64_t previous = ring_[k == 0 ? ring_.size() - 1 : k - 1].position;
    uint64_t arc = ring_[k].position - previous;  // modulo 2^64
    if (ketama) arc &= 0xffffffffull;             // modulo 2^32
    if (k == 0 && arc == 0) {                     // all points at one position: it owns everything
      shares[ring_[k].node] += 1.0;
      continue;
    }
    shares[ring_[k].node] += double(arc) / space;
  }
  return shares;
}

// ---- maglev -------------------------------------------------------------------------------------------------------
// Eisenbud et al. 2016, section 3.4: node i's preference list is permutation[i][j] = (offset + j * skip) mod M with
// skip in [1, M - 1], a full permutation because M is prime. Nodes take turns claiming their next free preferred
// entry until the table is full, so entry counts differ by at most one (per unit of weight).
void Placement::build_maglev() {
  const uint64_t table_size = params_.table_size;
  constexpr uint32_t empty = UINT32_MAX;
  maglev_table_.assign(size_t(table_size), empty);
  std::vector<uint64_t> offset(nodes_.size());
  std::vector<uint64_t> skip(nodes_.size());
  std::vector<uint64_t> next(nodes_.size(), 0);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    offset[i] = splitmix64_finalise(node_hashes_[i] ^ maglev_offset_seed) % table_size;
    skip[i] = table_size == 1 ? 1 : splitmix64_finalise(node_hashes_[i] ^ maglev_skip_seed) % (table_size - 1) + 1;
  }
  uint64_t filled = 0;
  while (true) {
    for (uint32_t node = 0; node < nodes_.size(); ++node) {
      for (uint32_t turn = 0; turn < nodes_[node].weight; ++turn) {
        // offset + next * skip < 2^48 since M <= 2^24; the entry itself fits size_t on wasm32.
        size_t entry = size_t((offset[node] + next[node] * skip[node]) % table_size);
        while (maglev_table_[entry] != empty) {
          ++next[node];
          entry = size_t((offset[node] + next[node] * skip[node]) % table_size);
        }
        maglev_table_[entry] = node;
        ++next[node];
        if (++filled == table_size) return;
      }
    }
  }
}

// ---- lookups ------------------------------------------------------------------------------------------------------
uint32_t Placement::node_for_hash(uint64_t key_hash) const {
  switch (params_.algorithm) {
    case PlacementAlgorithm::modulo: {
      // Slot = hash mod total weight; node i owns weight_i consecutive slots (hash % n when unweighted).
      const uint64_t slot = key_hash % weight_prefix_.back();
      return uint32_t(std::upper_bound(weight_prefix_.begin(), weight_prefix_.end(), slot) - weight_prefix_.begin());
    }
    case PlacementAlgorithm::ring:
    case PlacementAlgorithm::bounded: return ring_[ring_owner_index(key_hash)].node;
    case PlacementAlgorithm::jump: return uint32_t(jump_consistent_hash(key_hash, int32_t(nodes_.size())));
    case PlacementAlgorithm::rendezvous: {
      // Highest score wins; a node of weight w draws w scores. Ties go to the lower index (strict comparison).
      uint64_t best_score = 0;
      uint32_t best_node = 0;
      bool first = true;
      for (uint32_t node = 0; node < nodes_.size(); ++node) {
        for (uint32_t copy = 0; copy < nodes_[node].weight; ++copy) {
          const uint64_t score = splitmix64_finalise(key_hash ^ splitmix64_output(node_hashes_[node], copy));
          if (first || score > best_score) {
            best_score = score;
            best_node = node;
            first = false;
          }
        }
      }
      return best_node;
    }
    case PlacementAlgorithm::maglev: return maglev_table_[size_t(key_hash % maglev_table_.size())];
  }
  return 0;
}

uint64_t Placement::bounded_capacity(uint32_t node, uint64_t keys) const {
  PG_ASSERT(node < nodes_.size(), "bounded_capacity: node index out of range");
  PG_ASSERT(keys <= placement_batch_keys_max, "bounded_capacity: more keys than placement_batch_keys_max");
  // ceil(c * m * w / W) with c = permille / 1000; below 2^63: 1e5 * 2^32 * 1e3 < 2^59.
  const uint64_t numerator = uint64_t(params_.load_factor_permille) * keys * nodes_[node].weight;
  const uint64_t denominator = 1000 * weight_prefix_.back();
  return (numerator + denominator - 1) / denominator;
}

// Bounded loads (Mirrokni, Thorup, Zadimoghaddam 2018): the sum of capacities is at least c * m >= m, so the
// clockwise walk always finds a node with room.
std::vector<uint32_t> Placement::assign(std::span<const uint64_t> key_hashes) const {
  std::vector<uint32_t> owners(key_hashes.size());
  if (params_.algorithm != PlacementAlgorithm::bounded) {
    for (size_t k = 0; k < key_hashes.size(); ++k) owners[k] = node_for_hash(key_hashes[k]);
    return owners;
  }
  std::vector<uint64_t> capacity(nodes_.size());
  for (uint32_t node = 0; node < nodes_.size(); ++node) capacity[node] = bounded_capacity(node, key_hashes.size());
  std::vector<uint64_t> load(nodes_.size(), 0);
  for (size_t k = 0; k < key_hashes.size(); ++k) {
    uint32_t point = ring_owner_index(key_hashes[k]);
    for (size_t steps = 0; load[ring_[point].node] >= capacity[ring_[point].node]; ++steps) {
      PG_ASSERT(steps < ring_.size(), "bounded: every node is full (capacities below the key count)");
      point = point + 1 == ring_.size() ? 0 : point + 1;
    }
    owners[k] = ring_[point].node;
    ++load[owners[k]];
  }
  return owners;
}

// ---- statistics ---------------------------------------------------------------------------------------------------
LoadStats load_stats(std::span<const uint32_t> assignment, std::span<const uint32_t> weights) {
  PG_ASSERT(!weights.empty(), "load_stats needs at least one node");
  LoadStats stats;
  stats.keys_per_node.assign(weights.size(), 0);
  for (uint32_t node : assignment) {
    PG_ASSERT(node < weights.size(), "load_stats: node index out of range");
    ++stats.keys_per_node[node];
  }
  stats.keys = assignment.size();
  stats.max_keys = *std::max_element(stats.keys_per_node.begin(), stats.keys_per_node.end());
  stats.mean_keys = double(stats.keys) / double(weights.size());
  if (stats.keys == 0) return stats;
  uint64_t total_weight = 0;
  for (uint32_t weight : weights) total_weight += weight;
  double sum_squares = 0;
  for (size_t node = 0; node < weights.size(); ++node) {
    const double fair_share = double(stats.keys) * double(weights[node]) / double(total_weight);
    const double relative = double(stats.keys_per_node[node]) / fair_share;
    stats.max_over_mean = std::max(stats.max_over_mean, relative);
    sum_squares += (relative - 1) * (relative - 1);
  }
  stats.stddev_over_mean = std::sqrt(sum_squares / double(weights.size()));
  return stats;
}

LoadStats load_stats(std::span<const uint32_t> assignment, size_t node_count) {
  const std::vector<uint32_t> weights(node_count, 1);
  return load_stats(assignment, weights);
}

LoadStats load_stats(std::span<const uint32_t> assignment, const Placement& placement) {
  std::vector<uint32_t> weights(placement.node_count());
  for (uint32_t node = 0; node < placement.node_count(); ++node) weights[node] = placement.effective_weight(node);
  return load_stats(assignment, weights);
}

double ideal_moved_fraction(const Placement& before, const Placement& after) {
  auto total = [](const Placement& placement) {
    uint64_t sum = 0;
    for (uint32_t node = 0; node < placement.node_count(); ++node) sum += placement.effective_weight(node);
    return double(sum);
  };
  const double total_before = total(before);
  const double total_after = total(after);
  // Total variation distance: the share each name loses, summed. Names only in `after` only gain.
  double lost = 0;
  for (uint32_t node = 0; node < before.node_count(); ++node) {
    const double share_before = double(before.effective_weight(node)) / total_before;
    const std::optional<uint32_t> later = after.find_node(before.nodes()[node].name);
    const double share_after = later ? double(after.effective_weight(*later)) / total_after : 0.0;
    if (share_before > share_after) lost += share_before - share_after;
  }
  return lost;
}

MovementStats movement_stats(const Placement& before, const Placement& after, std::span<const uint64_t> key_hashes) {
  PG_ASSERT(before.params().hash == after.params().hash, "movement_stats: the placements hash keys differently");
  constexpr uint32_t absent = UINT32_MAX;
  std::vector<uint32_t> before_to_after(before.node_count(), absent);
  for (uint32_t node = 0; node < before.node_count(); ++node)
    before_to_after[node] = after.find_node(before.nodes()[node].name).value_or(absent);
  std::vector<bool> after_is_new(after.node_count());
  for (uint32_t node = 0; node < after.node_count(); ++node)
    after_is_new[node] = !before.find_node(after.nodes()[node].name).has_value();

  const std::vector<uint32_t> owners_before = before.assign(key_hashes);
  const std::vector<uint32_t> owners_after = after.assign(key_hashes);
  MovementStats stats;
  stats.keys = key_hashes.size();
  for (size_t k = 0; k < key_hashes.size(); ++k) {
    if (before_to_after[owners_before[k]] == owners_after[k]) continue;
    ++stats.moved;
    if (before_to_after[owners_before[k]] == absent) ++stats.moved_from_removed;
    if (after_is_new[owners_after[k]]) ++stats.moved_to_added;
  }
  stats.moved_fraction = stats.keys == 0 ? 0.0 : double(stats.moved) / double(stats.keys);
  stats.ideal_fraction = ideal_moved_fraction(before, after);
  return stats;
}

}  // namespace pg
