// Caches: placement, per-node LRU, hits and misses, membership changes measured over the key space. See caches.hpp.
#include "engine/models/caches/caches.hpp"
#include "engine/kernel/cold_code.hpp"

#include <algorithm>
#include <cstdio>

#include "engine/kernel/assert.hpp"
#include "engine/kernel/event_kinds.hpp"
#include "engine/kernel/portable_math.hpp"
#include "engine/run/report.hpp"
#include "engine/scenario/scenario_fields.hpp"

namespace pg {

using json = nlohmann::json;

// ---- LruCache -----------------------------------------------------------------------------------------------------

uint32_t LruCache::table_home(uint32_t key) const {
  // Fibonacci hashing: the top table_bits_ bits of key * 2^64/phi spread consecutive key ids over the table.
  return (uint32_t)((uint64_t(key) * 0x9E3779B97F4A7C15ull) >> (64 - table_bits_));
}

uint32_t LruCache::find(uint32_t key) const {
  if (table_key_.empty()) return npos;
  uint32_t mask = (uint32_t)table_key_.size() - 1;
  for (uint32_t i = table_home(key);; i = (i + 1) & mask) {
    if (table_key_[i] == key) return i;
    if (table_key_[i] == no_key) return npos;
  }
}

void LruCache::table_grow() {
  // At most half full: probes stay short. The table never exceeds 2 * next_pow2(capacity) entries.
  uint32_t bits = std::max<uint32_t>(table_bits_, 4);
  while ((uint64_t(1) << bits) < uint64_t(size_ + 1) * 2) ++bits;
  if (bits == table_bits_ && !table_key_.empty()) return;
  table_bits_ = bits;
  table_key_.assign(size_t(1) << bits, no_key);
  table_slot_.assign(size_t(1) << bits, nil);
  for (uint32_t s = head_; s != nil; s = next_[s]) table_insert(key_[s], s);
}

void LruCache::table_insert(uint32_t key, uint32_t slot) {
  uint32_t mask = (uint32_t)table_key_.size() - 1;
  uint32_t i = table_home(key);
  while (table_key_[i] != no_key) i = (i + 1) & mask;
  table_key_[i] = key;
  table_slot_[i] = slot;
}

void LruCache::table_erase(uint32_t position) {
  // Backward-shift deletion (Knuth 6.4, algorithm R): no tombstones, so lookups never slow down with churn.
  uint32_t mask = (uint32_t)table_key_.size() - 1;
  uint32_t hole = position;
  for (uint32_t j = (hole + 1) & mask; table_key_[j] != no_key; j = (j + 1) & mask) {
    uint32_t home = table_home(table_key_[j]);
    // Entry j may fill the hole unless its home lies cyclically in (hole, j].
    bool home_between = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (home_between) continue;
    table_key_[hole] = table_key_[j];
    table_slot_[hole] = table_slot_[j];
    hole = j;
  }
  table_key_[hole] = no_key;
  table_slot_[hole] = nil;
}

void LruCache::link_front(uint32_t slot) {
  prev_[slot] = nil;
  next_[slot] = head_;
  if (head_ != nil) prev_[head_] = slot;
  head_ = slot;
  if (tail_ == nil) tail_ = slot;
}

void LruCache::unlink(uint32_t slot) {
  if (prev_[slot] != nil) next_[prev_[slot]] = next_[slot];
  else head_ = next_[slot];
  if (next_[slot] != nil) prev_[next_[slot]] = prev_[slot];
  else tail_ = prev_[slot];
  prev_[slot] = next_[slot] = nil;
}

bool LruCache::touch(uint32_t key) {
  uint32_t position = find(key);
  if (position == npos) return false;
  uint32_t slot = table_slot_[position];
  if (slot != head_) {
    unlink(slot);
    link_front(slot);
  }
  return true;
}

uint32_t LruCache::insert(uint32_t key) {
  PG_ASSERT(key != no_key, "LruCache::insert of the empty-slot marker");
  if (touch(key)) return no_key;
  uint32_t evicted = no_key;
  uint32_t slot;
  if (size_ >= capacity_) {
    // Full: the least recent key leaves and its slot takes the new key.
    slot = tail_;
    evicted = key_[slot];
    table_erase(find(evicted));
    unlink(slot);
    --size_;
  } else if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = (uint32_t)key_.size();
    key_.push_back(no_key);
    prev_.push_back(nil);
    next_.push_back(nil);
  }
  key_[slot] = key;
  ++size_;
  table_grow();
  table_insert(key, slot);
  link_front(slot);
  return evicted;
}

bool LruCache::erase(uint32_t key) {
  uint32_t position = find(key);
  if (position == npos) return false;
  uint32_t slot = table_slot_[position];
  table_erase(position);
  unlink(slot);
  key_[slot] = no_key;
  free_slots_.push_back(slot);
  --size_;
  return true;
}

void LruCache::clear() {
  std::vector<uint32_t>().swap(key_);
  std::vector<uint32_t>().swap(prev_);
  std::vector<uint32_t>().swap(next_);
  std::vector<uint32_t>().swap(free_slots_);
  std::vector<uint32_t>().swap(table_key_);
  std::vector<uint32_t>().swap(table_slot_);
  table_bits_ = 0;
  size_ = 0;
  head_ = tail_ = nil;
}

void LruCache::set_capacity(uint32_t capacity) {
  capacity_ = capacity < 1 ? 1 : capacity;
  while (size_ > capacity_) erase(least_recent());
  // Slots past the new capacity may stay allocated until clear(); the bound is the largest capacity set.
}

// ---- placement inputs -----------------------------------------------------------------------------------------------

const char* membership_change_name(MembershipChangeKind kind) {
  switch (kind) {
    case MembershipChangeKind::add: return "add";
    case MembershipChangeKind::remove: return "remove";
    case MembershipChangeKind::crash: return "crash";
    case MembershipChangeKind::recover: return "recover";
  }
  return "?";
}

// ---- setup ----------------------------------------------------------------------------------------------------------

namespace {
// Lookup-done events carry the flow generation (bits 0-31), the node id (32-47) and the node's epoch (48-63),
// so a lookup that was in flight when its node crashed comes back as a miss (the client sees a dropped
// connection and falls back to the database).
constexpr uint32_t node_ids_max = 1u << 16;
uint64_t pack_lookup(uint32_t generation, uint32_t node, uint32_t epoch) {
  return uint64_t(generation) | (uint64_t(node) << 32) | (uint64_t(epoch & 0xffff) << 48);
}
}  // namespace

uint32_t Caches::make_node(ModelContext& ctx, uint32_t cache_id, const std::string& name, uint32_t weight) {
  CacheState& c = caches_[cache_id];
  CacheNode n;
  n.name = name;
  n.cache = cache_id;
  n.weight = weight;
  n.lru = LruCache((uint32_t)c.spec.capacity_keys);
  n.rng = ctx.stream("cache/" + c.spec.name + "/" + name);
  n.requests_per_s = Series(series_interval_ns_, series_capacity_);
  n.keys_stored = Series(series_interval_ns_, series_capacity_);
  // A node added mid-run has had no requests and no keys so far: pad so its series line up with t_s.
  for (uint64_t i = 0; i < std::min<uint64_t>(samples_taken_, series_capacity_); ++i) {
    n.requests_per_s.push(0);
    n.keys_stored.push(0);
  }
  nodes_.push_back(std::move(n));
  uint32_t id = (uint32_t)nodes_.size() - 1;
  c.node_ids.push_back(id);
  return id;
}

PG_COLD_CODE void Caches::init(ModelContext& ctx, const Scenario& scenario) {
  series_interval_ns_ = ctx.time_axis.interval_ns;
  series_capacity_ = ctx.time_axis.capacity;
  key_count_ = scenario.workload.key_count;
  caches_.resize(scenario.caches.size());
  for (uint32_t id = 0; id < scenario.caches.size(); ++id) {
    CacheState& c = caches_[id];
    c.spec = scenario.caches[id];
    c.params = cache_placement_params(c.spec.placement);
    c.hit_ratio = Series(series_interval_ns_, series_capacity_);
    c.hits_per_s = Series(series_interval_ns_, series_capacity_);
    c.misses_per_s = Series(series_interval_ns_, series_capacity_);
    c.key_requests.assign(key_count_, 0);
    std::vector<uint64_t>& hashes = key_hashes_[(size_t)c.params.hash];
    if (hashes.empty()) {
      hashes.resize(key_count_);
      for (uint32_t k = 0; k < key_count_; ++k)
        hashes[k] = placement_key_hash(c.params.hash, "sku-" + std::to_string(k));
    }
    for (const PlacementNode& pn : cache_placement_nodes(c.spec)) c.members.push_back(make_node(ctx, id, pn.name, pn.weight));
    c.live = c.members;
    // The scenario validator checked these nodes and parameters.
    std::vector<PlacementNode> live_nodes;
    for (uint32_t n : c.live) live_nodes.push_back({nodes_[n].name, nodes_[n].weight});
    c.placement.emplace(c.params, std::move(live_nodes));
    std::vector<uint32_t> owners = c.placement->assign(hashes);
    c.owner.resize(key_count_);
    for (uint32_t k = 0; k < key_count_; ++k) {
      c.owner[k] = c.live[owners[k]];
      ++nodes_[c.owner[k]].owned_keys;
    }
  }
}

// ---- membership -----------------------------------------------------------------------------------------------------

void Caches::lose_contents(CacheNode& node) {
  node.lru.clear();
  ++node.epoch;
}

PlacementError Caches::rebuild(ModelContext& ctx, uint32_t cache_id, MembershipChangeKind kind, const std::string& node) {
  CacheState& c = caches_[cache_id];
  std::vector<uint32_t> live;
  std::vector<PlacementNode> live_nodes;
  for (uint32_t n : c.members)
    if (nodes_[n].up) {
      live.push_back(n);
      live_nodes.push_back({nodes_[n].name, nodes_[n].weight});
    }
  std::optional<Placement> placement;
  std::vector<uint32_t> owner(key_count_, no_id);
  if (!live.empty()) {
    PlacementError error = Placement::validate(c.params, live_nodes);
    if (error != PlacementError::none) return error;
    placement.emplace(c.params, std::move(live_nodes));
    std::vector<uint32_t> owners = placement->assign(key_hashes_[(size_t)c.params.hash]);
    for (uint32_t k = 0; k < key_count_; ++k) owner[k] = live[owners[k]];
  }

  MembershipChange change;
  change.at_ns = ctx.now();
  change.kind = kind;
  change.node = node;
  change.live_nodes = (uint32_t)live.size();
  change.keys = key_count_;
  c.last_moved.clear();
  for (uint32_t n : c.node_ids) nodes_[n].owned_keys = 0;
  for (uint32_t k = 0; k < key_count_; ++k) {
    if (owner[k] != no_id) ++nodes_[owner[k]].owned_keys;
    if (owner[k] == c.owner[k]) continue;
    ++change.moved;
    if (c.last_moved.size() < moved_keys_kept) c.last_moved.push_back({k, c.owner[k], owner[k]});
  }
  change.moved_fraction = key_count_ ? double(change.moved) / double(key_count_) : 0.0;
  if (c.placement && placement) change.ideal_fraction = ideal_moved_fraction(*c.placement, *placement);
  else change.ideal_fraction = (c.placement || placement) ? 1.0 : 0.0;  // every key gains or loses its owner

  c.owner = std::move(owner);
  c.placement = std::move(placement);
  c.live = std::move(live);
  c.keys_moved += change.moved;
  c.keys_moved_ideal += change.ideal_fraction * double(key_count_);
  ++c.change_count;
  if (c.changes.size() >= changes_kept) c.changes.erase(c.changes.begin());
  char text[160];
  std::snprintf(text, sizeof text, "%s %s: %s; %llu of %llu keys change owner (%.1f%%, ideal %.1f%%)",
                c.spec.name.c_str(), node.c_str(), membership_change_name(kind),
                (unsigned long long)change.moved, (unsigned long long)change.keys, change.moved_fraction * 100,
                change.ideal_fraction * 100);
  ctx.log(text);
  c.changes.push_back(std::move(change));
  return PlacementError::none;
}

bool Caches::set_member(ModelContext& ctx, uint32_t cache_id, const std::string& node_name, bool member, uint32_t weight) {
  CacheState& c = caches_[cache_id];
  uint32_t id = find_node(cache_id, node_name);
  if (member) {
    if (id != no_id && nodes_[id].member) {
      ctx.log(c.spec.name + ": add_node " + node_name + " ignored, it is already a member");
      return true;
    }
    if (c.members.size() >= limits::cache_nodes_max || (id == no_id && nodes_.size() >= node_ids_max)) {
      ctx.log(c.spec.name + ": add_node " + node_name + " refused, too many nodes");
      return true;
    }
    bool created = id == no_id;
    if (created) id = make_node(ctx, cache_id, node_name, weight);
    CacheNode& n = nodes_[id];
    uint32_t old_weight = n.weight;
    n.weight = weight;
    n.member = true;
    lose_contents(n);  // a new (or returning) node starts empty
    c.members.push_back(id);
    PlacementError error = rebuild(ctx, cache_id, MembershipChangeKind::add, node_name);
    if (error != PlacementError::none) {
      c.members.pop_back();
      nodes_[id].member = false;
      nodes_[id].weight = old_weight;
      ctx.log(c.spec.name + ": add_node " + node_name + " refused: " + std::string(placement_error_message(error)));
    }
    return true;
  }
  if (id == no_id || !nodes_[id].member) {
    ctx.log(c.spec.name + ": remove_node " + node_name + " ignored, it is not a member");
    return true;
  }
  CacheNode& n = nodes_[id];
  n.member = false;
  lose_contents(n);  // decommissioned: its memory is gone
  c.members.erase(std::find(c.members.begin(), c.members.end(), id));
  rebuild(ctx, cache_id, MembershipChangeKind::remove, node_name);  // removing never exceeds a limit
  return true;
}

void Caches::apply_set(ModelContext& ctx, const ParameterRef& ref, const FaultSpec& f) {
  CacheState& c = caches_[ref.item];
  set_field_number(cache_fields()[ref.field], c.spec, f.value);
  if (std::string_view(ref.info->path) == "capacity_keys")
    for (uint32_t n : c.node_ids) {
      uint32_t before = nodes_[n].lru.size();
      nodes_[n].lru.set_capacity((uint32_t)c.spec.capacity_keys);
      nodes_[n].evictions += before - nodes_[n].lru.size();
    }
  ctx.log("set " + f.path + " = " + std::to_string(c.spec.capacity_keys));
}

PG_COLD_CODE bool Caches::apply_fault(ModelContext& ctx, const FaultSpec& f, bool begin) {
  switch (f.kind) {
    case FaultKind::add_node:
    case FaultKind::remove_node: {
      uint32_t cache_id = find(f.target);
      if (cache_id == no_id) return false;
      if (f.node.empty()) {
        if (begin) ctx.log(f.target + ": add_node/remove_node needs a node name; ignored");
        return true;
      }
      // A timed change is undone when it ends: add for a while = add, then remove.
      bool add = (f.kind == FaultKind::add_node) == begin;
      uint32_t weight = f.value >= 1 && f.value <= 100 ? (uint32_t)f.value : 1u;
      if (!add) weight = 1;
      uint32_t existing = find_node(cache_id, f.node);
      if (add && f.kind == FaultKind::remove_node && existing != no_id) weight = nodes_[existing].weight;
      return set_member(ctx, cache_id, f.node, add, weight);
    }
    default: break;
  }
  // Node faults: the target is a node name, in every cache that has a node of that name.
  bool found = false;
  for (uint32_t cache_id = 0; cache_id < caches_.size(); ++cache_id) {
    uint32_t id = find_node(cache_id, f.target);
    if (id == no_id) continue;
    found = true;
    CacheNode& n = nodes_[id];
    switch (f.kind) {
      case FaultKind::crash:
        if (begin == !n.up) break;  // already in that state (overlapping crash faults)
        n.up = !begin;
        lose_contents(n);  // crashing drops the memory; coming back starts empty
        if (n.member)
          rebuild(ctx, cache_id, begin ? MembershipChangeKind::crash : MembershipChangeKind::recover, n.name);
        else ctx.log(n.name + (begin ? " crashed (not a member)" : " is back (not a member)"));
        break;
      case FaultKind::slow:
        n.slow_factor = begin ? f.factor : 1.0;
        ctx.log(n.name + (begin ? " is slow" : " is no longer slow"));
        break;
      default:
        if (begin) ctx.log(n.name + ": this fault kind is not modelled for cache nodes; ignored");
        break;
    }
  }
  return found;
}

// ---- operations -----------------------------------------------------------------------------------------------------

uint32_t Caches::owner_of(const CacheState& c, uint32_t key) const {
  if (key < c.owner.size()) return c.owner[key];
  // A key outside the workload key space (a consumer flow's own key): the plain placement owner.
  if (!c.placement) return no_id;
  return c.live[c.placement->node_for_key("sku-" + std::to_string(key))];
}

void Caches::lookup(ModelContext& ctx, uint32_t flow_id, uint32_t cache_id) {
  PG_ASSERT(cache_id < caches_.size(), "cache lookup: cache id out of range");
  PG_ASSERT(ctx.flow_exists(flow_id), "cache lookup: the flow has ended");
  CacheState& c = caches_[cache_id];
  const Flow& f = ctx.flow(flow_id);
  ++c.lookups;
  if (f.key < c.key_requests.size()) ++c.key_requests[f.key];
  uint32_t node = owner_of(c, f.key);
  if (node == no_id) {
    // No live node: the client has no server to ask and goes to the database at once.
    ++c.unavailable;
    ++c.misses;
    ++c.interval_misses;
    ctx.flow_continue(flow_id, false);
    return;
  }
  CacheNode& n = nodes_[node];
  ++n.requests;
  ++n.interval_requests;
  time_ns delay = c.spec.service_time.sample(n.rng);
  if (n.slow_factor != 1.0) delay = (time_ns)((double)delay * n.slow_factor + 0.5);
  ctx.kernel.schedule_after(delay, ev::cache_lookup_done, flow_id, pack_lookup(f.generation, node, n.epoch));
}

void Caches::handle(ModelContext& ctx, const Event& event) {
  if (event.kind != ev::cache_lookup_done) {
    PG_ASSERT(false, "unknown cache event");
    return;
  }
  uint32_t flow_id = event.a;
  uint32_t generation = (uint32_t)event.b;
  uint32_t node = (uint32_t)(event.b >> 32) & 0xffff;
  uint32_t epoch = (uint32_t)(event.b >> 48);
  if (!ctx.flow_live(flow_id, generation)) return;
  PG_ASSERT(node < nodes_.size(), "cache_lookup_done: node id out of range");
  CacheNode& n = nodes_[node];
  CacheState& c = caches_[n.cache];
  const Flow& f = ctx.flow(flow_id);
  bool hit = false;
  if (n.live() && (n.epoch & 0xffff) == epoch) {
    const std::string& caller = ctx.caller_name(f.last_service);
    if (ctx.partitioned(caller, n.name)) ++n.unreachable;  // the client times out and treats it as a miss
    else hit = n.lru.touch(f.key);
  }
  if (hit) {
    ++n.hits;
    ++c.hits;
    ++c.interval_hits;
  } else {
    ++n.misses;
    ++c.misses;
    ++c.interval_misses;
  }
  ctx.flow_continue(flow_id, hit);
}

void Caches::fill(ModelContext& ctx, uint32_t flow_id, uint32_t cache_id) {
  PG_ASSERT(cache_id < caches_.size(), "cache fill: cache id out of range");
  PG_ASSERT(ctx.flow_exists(flow_id), "cache fill: the flow has ended");
  CacheState& c = caches_[cache_id];
  uint32_t key = ctx.flow(flow_id).key;
  uint32_t node = owner_of(c, key);
  if (node != no_id) {
    CacheNode& n = nodes_[node];
    ++n.fills;
    ++c.fills;
    if (n.lru.insert(key) != LruCache::no_key) ++n.evictions;
  }
  ctx.flow_continue(flow_id, false);
}

// ---- metrics --------------------------------------------------------------------------------------------------------

void Caches::sample(ModelContext&, time_ns interval_ns) {
  double seconds = ns_to_s(interval_ns);
  for (CacheState& c : caches_) {
    uint64_t total = c.interval_hits + c.interval_misses;
    // An interval without lookups repeats the previous ratio: there is nothing to measure, and a drop to 0 would
    // look like a cold cache.
    if (total > 0) c.last_hit_ratio = double(c.interval_hits) / double(total);
    c.hit_ratio.push(c.last_hit_ratio);
    c.hits_per_s.push(double(c.interval_hits) / seconds);
    c.misses_per_s.push(double(c.interval_misses) / seconds);
    c.interval_hits = c.interval_misses = 0;
  }
  for (CacheNode& n : nodes_) {
    n.requests_per_s.push(double(n.interval_requests) / seconds);
    n.keys_stored.push(double(n.lru.size()));
    n.interval_requests = 0;
  }
  ++samples_taken_;
}

void Caches::check_invariants(const ModelContext&) const {
  for (const CacheState& c : caches_) {
    PG_ASSERT(c.hits + c.misses <= c.lookups, "a cache counts more hits and misses than lookups");
    uint64_t owned = 0;
    for (uint32_t n : c.live) owned += nodes_[n].owned_keys;
    PG_ASSERT(owned == (c.live.empty() ? 0 : key_count_), "a cache's live nodes do not own the key space exactly");
  }
  for (const CacheNode& n : nodes_)
    PG_ASSERT(n.lru.size() <= n.lru.capacity(), "a cache node holds more keys than its capacity");
}

uint32_t Caches::find(const std::string& cache_name) const {
  for (uint32_t i = 0; i < caches_.size(); ++i)
    if (caches_[i].spec.name == cache_name) return i;
  return no_id;
}

uint32_t Caches::find_node(uint32_t cache_id, const std::string& node_name) const {
  for (uint32_t id : caches_[cache_id].node_ids)
    if (nodes_[id].name == node_name) return id;
  return no_id;
}

uint32_t Caches::owner(uint32_t cache_id, uint32_t key) const { return owner_of(caches_[cache_id], key); }

uint64_t Caches::key_hash(uint32_t cache_id, uint32_t key) const {
  const CacheState& c = caches_[cache_id];
  const std::vector<uint64_t>& hashes = key_hashes_[(size_t)c.params.hash];
  if (key < hashes.size()) return hashes[key];
  return placement_key_hash(c.params.hash, "sku-" + std::to_string(key));
}

std::vector<std::pair<uint32_t, uint64_t>> Caches::hot_keys(uint32_t cache_id, size_t n) const {
  const std::vector<uint32_t>& counts = caches_[cache_id].key_requests;
  std::vector<uint32_t> keys(counts.size());
  for (uint32_t k = 0; k < keys.size(); ++k) keys[k] = k;
  n = std::min(n, keys.size());
  auto hotter = [&](uint32_t a, uint32_t b) { return counts[a] != counts[b] ? counts[a] > counts[b] : a < b; };
  std::partial_sort(keys.begin(), keys.begin() + (std::ptrdiff_t)n, keys.end(), hotter);
  std::vector<std::pair<uint32_t, uint64_t>> out;
  for (size_t i = 0; i < n; ++i) out.push_back({keys[i], counts[keys[i]]});
  return out;
}

PG_COLD_CODE json Caches::report(const ModelContext&) const {
  json out = json::object();
  for (const CacheState& c : caches_) {
    // Request load over the current members, each against its weighted fair share of the requests they served.
    double total_requests = 0, total_weight = 0;
    for (uint32_t id : c.members) {
      total_requests += double(nodes_[id].requests);
      total_weight += nodes_[id].weight;
    }
    double max_over_mean = 0, stddev_over_mean = 0;
    if (total_requests > 0 && !c.members.empty()) {
      double sum_sq = 0;
      for (uint32_t id : c.members) {
        double share = total_requests * nodes_[id].weight / total_weight;
        double ratio = double(nodes_[id].requests) / share;
        max_over_mean = std::max(max_over_mean, ratio);
        sum_sq += (ratio - 1) * (ratio - 1);
      }
      stddev_over_mean = pm_sqrt(sum_sq / double(c.members.size()));
    }
    json per_node = json::object();
    for (uint32_t id : c.node_ids) {
      const CacheNode& n = nodes_[id];
      ReportObject node;
      node.put("requests", n.requests).put("hits", n.hits).put("misses", n.misses).put("keys", n.lru.size());
      node.put("owned_keys", n.owned_keys).put("fills", n.fills).put("evictions", n.evictions);
      node.put("unreachable", n.unreachable).put("live", n.live());
      per_node[n.name] = node.take();
    }
    json changes = json::array();
    for (const MembershipChange& m : c.changes) {
      ReportObject change;
      change.round("at_s", ns_to_s(m.at_ns)).put("kind", membership_change_name(m.kind)).put("node", m.node);
      change.put("live_nodes", m.live_nodes).put("keys_moved", m.moved);
      change.round("moved_fraction", m.moved_fraction).round("ideal_fraction", m.ideal_fraction);
      changes.push_back(change.take());
    }
    uint64_t lookups = c.hits + c.misses;
    ReportObject o;
    o.put("lookups", c.lookups).put("hits", c.hits).put("misses", c.misses);
    o.round("hit_ratio", lookups ? double(c.hits) / double(lookups) : 0.0);
    o.put("unavailable", c.unavailable).put("fills", c.fills).put("keys_moved", c.keys_moved);
    o.round("keys_moved_ideal", c.keys_moved_ideal).round("load_max_over_mean", max_over_mean);
    o.round("load_stddev_over_mean", stddev_over_mean).put("membership_changes", c.change_count);
    o.put("changes", std::move(changes)).put("per_node", std::move(per_node));
    out[c.spec.name] = o.take();
  }
  return out;
}

PG_COLD_CODE json Caches::series_report() const {
  json out = json::object();
  for (const CacheState& c : caches_) {
    json per_node = json::object();
    for (uint32_t id : c.node_ids) {
      ReportObject node;
      node.put("requests_per_s", series_json(nodes_[id].requests_per_s)).put("keys", series_json(nodes_[id].keys_stored));
      per_node[nodes_[id].name] = node.take();
    }
    ReportObject o;
    o.put("hit_ratio", series_json(c.hit_ratio)).put("hits_per_s", series_json(c.hits_per_s));
    o.put("misses_per_s", series_json(c.misses_per_s)).put("per_node", std::move(per_node));
    out[c.spec.name] = o.take();
  }
  return out;
}

}  // namespace pg
