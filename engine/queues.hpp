// Queues: SQS-like, log-like and AMQP-like queues with consumers; delivery, acks, duplicates and loss.
// (Placeholder until its model issue lands: the interface the world calls is fixed here.)
#pragma once
#include <cstdint>

#include <nlohmann/json.hpp>

#include "engine/event_queue.hpp"
#include "engine/scenario.hpp"

namespace pg {

class World;

class Queues {
 public:
  void init(World& world, const Scenario& scenario);
  void handle(World& world, const Event& event);
  // Applies (begin = true) or ends a fault aimed at this model; returns false if the target is not one of ours.
  bool apply_fault(World& world, const FaultSpec& fault, bool begin);
  void sample(World& world, time_ns interval_ns);
  nlohmann::json report(const World& world) const;
  // A publish step: enqueues a message for the flow's key, then continues the flow (or fails it when full).
  void publish(World& world, uint32_t flow_id, uint32_t queue_id);
  // A consumer's processing flow ended (ok or failed).
  void consumer_flow_done(World& world, uint32_t queue_id, uint64_t token, bool ok);
};

}  // namespace pg
