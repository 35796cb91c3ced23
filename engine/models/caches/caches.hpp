// Caches: key placement on cache nodes (engine/models/caches/placement.hpp), an LRU per node, hits, misses, and keys that go
// cold when membership changes.
//
// The model, as a memcached client such as libmemcached sees it:
// - A `cache` step looks the flow's key ("sku-<key>", hashed with the cache's placement hash) up on the node the
//   placement picks among the live nodes. The lookup costs the cache's service time (one delay per operation,
//   sampled from the node's own random stream; no queueing at the node: memcached serves thousands of concurrent
//   connections, so a node is not the bottleneck these lessons are about). A hit continues past the on_miss
//   steps; a miss runs them (e.g. a product-db call) and then `fill` stores the key on the node that owns it at
//   fill time (a fire-and-forget set, as in cache-aside with noreply: it costs the request nothing).
// - Ownership is computed for the whole workload key space at every membership change: owner[key] is a node id.
//   So lookups are O(1), the ring view can colour every key by owner, and each change is measured (keys moved
//   against the ideal). For `bounded` this is the real bounded-loads assignment of the key space (keys in id
//   order, Placement::assign), not the plain ring owner: the batch is exactly the key space we know.
// - Membership: a node is live when it is a member (config, add_node, not remove_node) and up (not crashed).
//   A crashed node is ejected from the placement, as libmemcached's auto-eject does, and its keys go to the next
//   owner per the algorithm; it loses its contents and comes back empty. The live list keeps membership order
//   (the config order, added nodes after), so a node that comes back takes its old place (modulo and jump depend
//   on the order). A key that moves away stays in its old node's LRU until evicted, as in memcached: a node that
//   rejoins with old contents (remove then add within a run) would serve stale data; here it always rejoins
//   empty, because remove_node and crash both drop the contents.
// Invariants: per node, lru.size() <= capacity at all times; per cache, hits + misses = lookups; the keys of
// the key space per live node sum to key_count; memory is O(capacity) per node plus O(key_count) per cache.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/kernel/event_queue.hpp"
#include "engine/run/model.hpp"
#include "engine/run/flow.hpp"
#include "engine/kernel/metrics.hpp"
#include "engine/models/caches/cache_placement.hpp"
#include "engine/models/caches/placement.hpp"
#include "engine/kernel/random.hpp"
#include "engine/scenario/parameter_path.hpp"
#include "engine/scenario/scenario.hpp"

namespace pg {


// A least-recently-used set of keys with a fixed capacity: O(1) lookup, touch, insert and eviction. Keys live in
// slots of flat arrays linked into one intrusive doubly linked list (most recent at the head); an open-addressing
// table (linear probing, backward-shift deletion) maps key -> slot. Slots grow on demand up to the capacity and
// the table stays at most twice the next power of two, so memory is bounded by the capacity, not by the key space.
class LruCache {
 public:
  static constexpr uint32_t no_key = UINT32_MAX;  // also the empty marker: keys must be below it

  explicit LruCache(uint32_t capacity = 1) : capacity_(capacity < 1 ? 1 : capacity) {}

  uint32_t capacity() const { return capacity_; }
  uint32_t size() const { return size_; }
  bool contains(uint32_t key) const { return find(key) != npos; }
  // A hit: moves the key to the most recent position. False when absent.
  bool touch(uint32_t key);
  // Stores the key as the most recent (touches it if present). Returns the evicted key, or no_key.
  uint32_t insert(uint32_t key);
  bool erase(uint32_t key);
  // Drops every key and releases the memory (a crashed node).
  void clear();
  // Shrinking evicts least recent keys until size <= capacity. capacity >= 1.
  void set_capacity(uint32_t capacity);
  uint32_t most_recent() const { return head_ == nil ? no_key : key_[head_]; }
  uint32_t least_recent() const { return tail_ == nil ? no_key : key_[tail_]; }
  // Visits keys from the most recent to the least recent; f(key) returns false to stop.
  template <typename F>
  void for_each_recent(F f) const {
    for (uint32_t s = head_; s != nil; s = next_[s])
      if (!f(key_[s])) return;
  }

 private:
  static constexpr uint32_t nil = UINT32_MAX;
  static constexpr uint32_t npos = UINT32_MAX;
  uint32_t find(uint32_t key) const;  // table position, or npos
  uint32_t table_home(uint32_t key) const;
  void table_insert(uint32_t key, uint32_t slot);
  void table_erase(uint32_t position);
  void table_grow();
  void link_front(uint32_t slot);
  void unlink(uint32_t slot);

  uint32_t capacity_;
  uint32_t size_ = 0;
  uint32_t head_ = nil, tail_ = nil;
  std::vector<uint32_t> key_, prev_, next_;  // per slot
  std::vector<uint32_t> free_slots_;          // slots released by erase
  std::vector<uint32_t> table_key_, table_slot_;
  uint32_t table_bits_ = 0;
};

// One node of one cache. Node records are never deleted (a removed node keeps its counters), so node ids are
// stable for the run; a re-added node reuses its record.
struct CacheNode {
  std::string name;
  uint32_t cache = 0;
  uint32_t weight = 1;
  bool member = true;          // in the membership list (config or add_node, not remove_node)
  bool up = true;              // not crashed
  uint32_t epoch = 0;          // bumped whenever the node loses its contents: in-flight lookups then miss
  double slow_factor = 1;      // a `slow` fault multiplies the lookup time
  LruCache lru;
  Rng rng;                     // stream "cache/<cache>/<node>"
  uint64_t requests = 0, hits = 0, misses = 0, fills = 0, evictions = 0, unreachable = 0;
  uint64_t owned_keys = 0;     // keys of the workload key space the placement gives it now
  uint64_t interval_requests = 0;
  Series requests_per_s, keys_stored;
  bool live() const { return member && up; }
};

struct MovedKey {
  uint32_t key;
  uint32_t from, to;  // node ids; no_id when no node was (or is) live
};

enum class MembershipChangeKind : uint8_t { add, remove, crash, recover };
const char* membership_change_name(MembershipChangeKind kind);

// One rebuild of a cache's ownership, measured over the workload's key space.
struct MembershipChange {
  time_ns at_ns = 0;
  MembershipChangeKind kind = MembershipChangeKind::add;
  std::string node;
  uint32_t live_nodes = 0;      // after the change
  uint64_t keys = 0;            // key_count
  uint64_t moved = 0;           // keys whose owner changed
  double moved_fraction = 0;
  double ideal_fraction = 0;    // ideal_moved_fraction(before, after): w/(W+w) on a join, w/W on a leave
};

struct CacheState {
  CacheSpec spec;
  PlacementParams params;
  std::vector<uint32_t> node_ids;   // every node record of this cache, in creation order (report order)
  std::vector<uint32_t> members;    // member node ids in membership order
  std::vector<uint32_t> live;       // live node ids; index = the placement's node index
  std::optional<Placement> placement;  // over the live nodes; empty while no node is live
  std::vector<uint32_t> owner;      // per key of the key space: node id, no_id while no node is live
  std::vector<uint32_t> key_requests;  // lookups per key (hot keys)
  uint64_t lookups = 0, hits = 0, misses = 0, unavailable = 0, fills = 0;
  uint64_t keys_moved = 0;          // summed over membership changes
  double keys_moved_ideal = 0;      // sum of ideal_fraction * key_count
  uint64_t change_count = 0;
  std::vector<MembershipChange> changes;   // the most recent, oldest first (bounded)
  std::vector<MovedKey> last_moved;        // keys moved by the last change, in key order (bounded)
  uint64_t interval_hits = 0, interval_misses = 0;
  double last_hit_ratio = 0;
  Series hit_ratio, hits_per_s, misses_per_s;
};


class Caches final : public Mechanism {
 public:
  const char* name() const override { return "caches"; }
  static constexpr size_t changes_kept = 256;
  static constexpr size_t moved_keys_kept = 4096;

  void init(ModelContext& ctx, const Scenario& scenario) override;
  void handle(ModelContext& ctx, const Event& event) override;
  // Applies (begin = true) or ends a fault aimed at this model; returns false if the target is not one of ours.
  // crash/slow: target = node name (in every cache that has it). add_node/remove_node: target = cache, node =
  // node name (add_node: `value` 1..100 is the weight, else 1); with for_ms the change is undone at the end.
  // set: /caches/<name>/capacity_keys.
  bool apply_fault(ModelContext& ctx, const FaultSpec& fault, bool begin) override;
  // A `set` of one of this model's fields, resolved by engine/scenario/parameter_path.hpp.
  void apply_set(ModelContext& ctx, const ParameterRef& ref, const FaultSpec& fault) override;
  void sample(ModelContext& ctx, time_ns interval_ns) override;
  nlohmann::json report(const ModelContext& ctx) const override;
  // Asserts the invariants above (hits + misses never exceed lookups, equal once no lookup is in flight; LRU
  // sizes within capacity; the live nodes own the whole key space). World::check_invariants calls it.
  void check_invariants(const ModelContext& ctx) const override;
  // The series section's "caches" entry: per cache hit_ratio, hits_per_s, misses_per_s and per node
  // requests_per_s and keys, aligned with the report's t_s.
  nlohmann::json series_report() const override;
  // A cache step: calls World::flow_continue(flow, /*take_alt=*/hit) when the lookup is done.
  void lookup(ModelContext& ctx, uint32_t flow_id, uint32_t cache_id);
  // After on_miss: stores the flow's key, then continues the flow.
  void fill(ModelContext& ctx, uint32_t flow_id, uint32_t cache_id);

  // ---- const views (the ring view, charts, tests) ----
  size_t cache_count() const { return caches_.size(); }
  uint32_t find(const std::string& cache_name) const;  // no_id when absent
  const CacheState& cache(uint32_t cache_id) const { return caches_[cache_id]; }
  const std::vector<CacheNode>& nodes() const { return nodes_; }   // all caches' nodes; CacheNode::cache says whose
  uint32_t find_node(uint32_t cache_id, const std::string& node_name) const;  // no_id when absent
  // The live placement (ring points: placement->ring_points(), node index i = live_nodes(c)[i]); null if none.
  const Placement* placement(uint32_t cache_id) const {
    return caches_[cache_id].placement ? &*caches_[cache_id].placement : nullptr;
  }
  const std::vector<uint32_t>& live_nodes(uint32_t cache_id) const { return caches_[cache_id].live; }
  // The node that owns key k now (no_id while no node is live).
  uint32_t owner(uint32_t cache_id, uint32_t key) const;
  // The hash of key k ("sku-<k>") with the cache's placement hash: where the ring view draws its dot.
  uint64_t key_hash(uint32_t cache_id, uint32_t key) const;
  const MembershipChange* last_change(uint32_t cache_id) const {
    return caches_[cache_id].changes.empty() ? nullptr : &caches_[cache_id].changes.back();
  }
  // The most looked-up keys: up to n (key, lookups), most first, ties by key id. O(key_count).
  std::vector<std::pair<uint32_t, uint64_t>> hot_keys(uint32_t cache_id, size_t n) const;

 private:
  uint32_t make_node(ModelContext& ctx, uint32_t cache_id, const std::string& name, uint32_t weight);
  // Rebuilds ownership from the members that are up and records the change; on a placement error (e.g. too
  // many ring points) nothing changes and the error is returned.
  PlacementError rebuild(ModelContext& ctx, uint32_t cache_id, MembershipChangeKind kind, const std::string& node);
  void lose_contents(CacheNode& node);
  bool set_member(ModelContext& ctx, uint32_t cache_id, const std::string& node_name, bool member, uint32_t weight);
  uint32_t owner_of(const CacheState& c, uint32_t key) const;

  std::vector<CacheState> caches_;
  std::vector<CacheNode> nodes_;
  std::vector<uint64_t> key_hashes_[2];  // per PlacementHash: the hashes of "sku-0" .. "sku-<key_count - 1>"
  uint32_t key_count_ = 0;
  uint64_t samples_taken_ = 0;
  time_ns series_interval_ns_ = 0;
  uint32_t series_capacity_ = 0;
};

}  // namespace pg
