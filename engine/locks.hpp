// Locks: lock services (redis, redlock, zookeeper, none, atomic), clients, the inventory store and the history checker.
// (Placeholder until its model issue lands: the interface the world calls is fixed here.)
#pragma once
#include <cstdint>

#include <nlohmann/json.hpp>

#include "engine/event_queue.hpp"
#include "engine/scenario.hpp"

namespace pg {

class World;

class Locks {
 public:
  void init(World& world, const Scenario& scenario);
  void handle(World& world, const Event& event);
  // Applies (begin = true) or ends a fault aimed at this model; returns false if the target is not one of ours.
  bool apply_fault(World& world, const FaultSpec& fault, bool begin);
  void sample(World& world, time_ns interval_ns);
  nlohmann::json report(const World& world) const;
  // A lock step: acquires the lock for the flow's key, then World::flow_continue (or flow_fail on give-up).
  void acquire(World& world, uint32_t flow_id, uint32_t lock_id);
  // After the inside steps: writes the inventory (decrement) and releases, then continues the flow.
  void release(World& world, uint32_t flow_id, uint32_t lock_id);
};

}  // namespace pg
