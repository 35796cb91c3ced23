// Key placement: which cache node owns a key, and how ownership changes when a node joins or leaves.
// Pure functions of (parameters, node list, key): no simulation state, no randomness, integer arithmetic for every
// hash and every placement decision (the two floating-point steps that real systems define in floating point, the
// jump hash and libmemcached's weighted point count, are IEEE-754 operations that give the same bits on g++/x86-64
// and em++/wasm32; see placement.cpp). Node indices follow the node list order; removing a node shifts the later
// ones down by one, so compare placements by node name, not index, across membership changes.
//
// Algorithms and sources:
//   modulo      hash % total weight: the naive scheme, shown to explain why not (almost every key moves).
//   ring        consistent hashing with virtual nodes (Karger et al., "Consistent Hashing and Random Trees",
//               STOC 1997); with hash=ketama the point layout of libketama / libmemcached's weighted ketama mode.
//   jump        jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm",
//               2014). Buckets only: weights are ignored, and only the last node can leave without extra moves.
//   rendezvous  highest random weight (Thaler and Ravishankar, "Using Name-Based Mappings to Increase Hit Rates",
//               1998); weight w is w independent scores per node, so a node wins with probability w / total.
//   maglev      Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load
//               Balancer", NSDI 2016): prime table size M, each node gets floor(M/N) or ceil(M/N) entries
//               (weight w takes w turns per round).
//   bounded     consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, SODA 2018): the ring,
//               but each node holds at most ceil(c * m * w / W) of the m keys; a key walks clockwise past full
//               nodes. Depends on the whole key set, so it has a batch API (assign).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pg {

enum class PlacementAlgorithm : uint8_t { modulo, ring, jump, rendezvous, maglev, bounded };
// ketama: MD5 points and key hash, 32-bit ring, as libmemcached. fast: 64-bit FNV-1a + splitmix64, 64-bit ring.
enum class PlacementHash : uint8_t { ketama, fast };

inline constexpr PlacementAlgorithm placement_algorithms[] = {
    PlacementAlgorithm::modulo, PlacementAlgorithm::ring,   PlacementAlgorithm::jump,
    PlacementAlgorithm::rendezvous, PlacementAlgorithm::maglev, PlacementAlgorithm::bounded};

std::string_view placement_algorithm_name(PlacementAlgorithm algorithm);
std::optional<PlacementAlgorithm> parse_placement_algorithm(std::string_view name);
std::string_view placement_hash_name(PlacementHash hash);
std::optional<PlacementHash> parse_placement_hash(std::string_view name);

// Input limits (the validator reports them as operating errors; see PlacementError).
inline constexpr size_t placement_nodes_max = 1024;
inline constexpr uint32_t placement_weight_max = 1000;
inline constexpr uint32_t placement_vnodes_max = 10000;
inline constexpr uint64_t placement_ring_points_max = uint64_t(1) << 22;
inline constexpr uint32_t placement_table_size_max = 1u << 24;
inline constexpr uint32_t placement_load_factor_permille_max = 100000;  // c <= 100
inline constexpr uint64_t placement_batch_keys_max = uint64_t(1) << 32;

// A cache node. With hash=ketama the name is what libmemcached formats: "host" or "host:port"; port 11211 is the
// default and is left out of the point names, as libmemcached does ("host-0", but "host:11212-0").
struct PlacementNode {
  std::string name;
  uint32_t weight = 1;  // 1..placement_weight_max
};

struct PlacementParams {
  PlacementAlgorithm algorithm = PlacementAlgorithm::ring;
  PlacementHash hash = PlacementHash::fast;
  // ring/bounded: points per node. fast: vnodes * weight points. ketama: libmemcached's rule, vnodes per node at
  // the mean weight, rounded down to a multiple of 4 (one MD5 digest gives 4 points); 160 is libmemcached's.
  uint32_t vnodes = 160;
  uint32_t table_size = 65537;           // maglev: a prime, at least the node count
  uint32_t load_factor_permille = 1250;  // bounded: c = 1 + eps, in thousandths (1250 is c = 1.25), >= 1000
};

// Operating errors: a scenario or a command line asked for something impossible. Values, never exceptions.
enum class PlacementError : uint8_t {
  none,
  no_nodes,
  too_many_nodes,
  empty_node_name,
  duplicate_node_name,
  weight_out_of_range,
  vnodes_out_of_range,
  ketama_vnodes_not_multiple_of_4,
  too_many_ring_points,
  table_size_out_of_range,
  table_size_not_prime,
  load_factor_out_of_range,
  unknown_node,
};
std::string_view placement_error_message(PlacementError error);

// ---- key hashes ---------------------------------------------------------------------------------------------------
// libmemcached's ketama key hash: MD5 of the key, first 4 digest bytes read little-endian.
uint32_t ketama_key_hash(std::string_view key);
// FNV-1a 64 of the bytes, then the splitmix64 finaliser so every output bit depends on every input bit.
uint64_t fast_key_hash(std::string_view key);
uint64_t placement_key_hash(PlacementHash hash, std::string_view key);
// Lamping and Veach's jump consistent hash, exactly the paper's code: a bucket in [0, buckets). buckets >= 1.
int32_t jump_consistent_hash(uint64_t key, int32_t buckets);
// True when n is prime (trial division; n <= placement_table_size_max).
bool is_prime(uint32_t n);

// ---- placement ----------------------------------------------------------------------------------------------------
class Placement {
 public:
  // One point of the ring (ring and bounded): keys hashing in (previous point, position] belong to node.
  struct RingPoint {
    uint64_t position;
    uint32_t node;
  };

  static PlacementError validate(const PlacementParams& params, std::span<const PlacementNode> nodes);
  // The node list must pass validate(); a list that does not is a programmer error (PG_ASSERT aborts).
  Placement(const PlacementParams& params, std::vector<PlacementNode> nodes);

  const PlacementParams& params() const { return params_; }
  const std::vector<PlacementNode>& nodes() const { return nodes_; }
  size_t node_count() const { return nodes_.size(); }
  std::optional<uint32_t> find_node(std::string_view name) const;
  // The weight the algorithm honours: 1 for jump (buckets only), the node's weight otherwise.
  uint32_t effective_weight(uint32_t node) const;

  // Membership changes rebuild the structures; on an error nothing changes.
  PlacementError add_node(const PlacementNode& node);  // appended: index node_count() - 1
  PlacementError remove_node(std::string_view name);   // later nodes move down one index

  uint64_t key_hash(std::string_view key) const { return placement_key_hash(params_.hash, key); }
  // The node of one key. For bounded this is the plain ring owner, since a load bound needs the key set.
  uint32_t node_for_hash(uint64_t key_hash) const;
  uint32_t node_for_key(std::string_view key) const { return node_for_hash(key_hash(key)); }
  // The nodes of a batch of keys, in order. For bounded, the keys arrive in this order and each takes the first
  // node clockwise from its hash whose load is below bounded_capacity(node, key_hashes.size()); a repeated hash
  // counts as another key. For the other algorithms, node_for_hash of each.
  std::vector<uint32_t> assign(std::span<const uint64_t> key_hashes) const;
  // bounded: the most keys node may hold out of `keys`: ceil(c * keys * w / W) (ceil(c m / n) at equal weights).
  uint64_t bounded_capacity(uint32_t node, uint64_t keys) const;

  // Views for inspection and drawing.
  std::span<const RingPoint> ring_points() const { return ring_; }  // sorted by (position, node)
  std::span<const uint32_t> maglev_table() const { return maglev_table_; }
  // ring/bounded: the fraction of the hash space each node owns (statistics only, floating point).
  std::vector<double> ring_shares() const;

 private:
  void rebuild();
  void build_ring();
  void build_maglev();
  uint32_t ring_owner_index(uint64_t key_hash) const;  // index into ring_ of the first point >= key_hash, wrapped

  PlacementParams params_;
  std::vector<PlacementNode> nodes_;
  std::vector<uint64_t> node_hashes_;    // fast_key_hash(name): seeds for rendezvous and maglev
  std::vector<uint64_t> weight_prefix_;  // modulo: cumulative weights
  std::vector<RingPoint> ring_;
  std::vector<uint32_t> maglev_table_;
};

// ---- statistics (floating point, for reports only) ----------------------------------------------------------------
// Loads are measured against each node's fair share: keys * w / W (the mean, keys / n, when weights are equal).
struct LoadStats {
  std::vector<uint64_t> keys_per_node;
  uint64_t keys = 0;
  uint64_t max_keys = 0;
  double mean_keys = 0;
  double max_over_mean = 0;     // the largest keys_i / fair share_i
  double stddev_over_mean = 0;  // population standard deviation of keys_i / fair share_i
};
LoadStats load_stats(std::span<const uint32_t> assignment, size_t node_count);  // equal weights
LoadStats load_stats(std::span<const uint32_t> assignment, std::span<const uint32_t> weights);
// The placement's effective weights (jump ignores weights).
LoadStats load_stats(std::span<const uint32_t> assignment, const Placement& placement);

struct MovementStats {
  uint64_t keys = 0;
  uint64_t moved = 0;              // keys whose owner's name differs between the two placements
  double moved_fraction = 0;       // moved / keys
  double ideal_fraction = 0;       // the least any scheme must move: see ideal_moved_fraction
  uint64_t moved_to_added = 0;     // moved keys whose new owner is a node absent before
  uint64_t moved_from_removed = 0; // moved keys whose old owner is a node absent after
};
// The fewest keys that must move for the shares to follow the weights: the total variation distance between the
// two weight distributions (w / (W + w) when a node of weight w joins, w / W when it leaves; 1/(n+1), 1/n unweighted).
double ideal_moved_fraction(const Placement& before, const Placement& after);
MovementStats movement_stats(const Placement& before, const Placement& after, std::span<const uint64_t> key_hashes);

}  // namespace pg
