// Caches: placement of keys on cache nodes, LRU per node, hits, misses and cold keys after membership changes.
// (Placeholder until its model issue lands: the interface the world calls is fixed here.)
#pragma once
#include <cstdint>

#include <nlohmann/json.hpp>

#include "engine/event_queue.hpp"
#include "engine/scenario.hpp"

namespace pg {

class World;

class Caches {
 public:
  void init(World& world, const Scenario& scenario);
  void handle(World& world, const Event& event);
  // Applies (begin = true) or ends a fault aimed at this model; returns false if the target is not one of ours.
  bool apply_fault(World& world, const FaultSpec& fault, bool begin);
  void sample(World& world, time_ns interval_ns);
  nlohmann::json report(const World& world) const;
  // A cache step: calls World::flow_continue(flow, /*take_alt=*/hit) when the lookup is done.
  void lookup(World& world, uint32_t flow_id, uint32_t cache_id);
  // After on_miss: stores the flow's key, then continues the flow.
  void fill(World& world, uint32_t flow_id, uint32_t cache_id);
};

}  // namespace pg
