// The work budget of one run: a deterministic ceiling on the work and the live state a run may reach, so no valid
// scenario can run for hours or exhaust memory, natively or in the page. It counts events and live things, never
// wall time, so the page and the CLI stop at the same event with the same report.
//
// Checked after every event (World::advance): the run stops at the event that crosses a limit. Events processed,
// live requests and scheduled events are compared after every event; live messages (a sum over the consumers) after
// every 16th event, which is as deterministic and keeps the check off the hot path of queue-heavy runs, and so are
// the ZooKeeper queues and lock overlaps (sums over the locks). A stopped run is finished (Simulation::finished),
// its report carries "stopped" and the CLI exits with code 4.
//
// The default limits and what they cost in memory are explained in docs/limits.md; the static limits checked at
// validation (engine/scenario/cost.hpp) are chosen together with these so that the worst valid scenario fits in 1 GB.
#pragma once
#include <cstdint>
#include <string>

#include "engine/kernel/sim_time.hpp"

namespace pg {

class World;

struct WorkBudget {
  // Events processed per run. An hour of Black Friday at its peak rate (2400 requests/s) processes 53 million events
  // in under a minute natively; this lets it finish and stops anything heavier at about a minute.
  uint64_t events = 64'000'000;
  // Flows live at once: requests in the system, their parallel branches and consumers' processing flows
  // (170-300 bytes each natively, with the job or lock client that goes with one).
  uint64_t live_requests = 1'000'000;
  // Queue messages held at once: the messages on the brokers plus the deliveries consumers hold (buffered,
  // processing or waiting for their ack; redeliveries after a visibility timeout add deliveries): 160-224 bytes each.
  uint64_t live_messages = 1'000'000;
  // Events scheduled and not processed yet (timeouts far in the future, lock messages in flight, visibility
  // timeouts): 34 bytes each in the kernel's heap, 160 with the message slot of a lock message in flight.
  uint64_t pending_events = 1'000'000;
  // Clients queued for ZooKeeper locks at once (their sequential nodes, all locks together): a lock message scans
  // its key's queue, so the queue's length multiplies the cost of every ping, check and delete.
  uint64_t zookeeper_nodes = 2048;
  // Pairs of lock holders that overlapped, counted over the run: each new holder of a key is compared with, and
  // logged against, every client that still believes it holds that key, so the pairs are the work.
  uint64_t lock_overlaps = 4'000'000;
};

enum class BudgetLimit : uint8_t {
  none, events, live_requests, live_messages, pending_events, zookeeper_nodes, lock_overlaps
};
// "events", "live_requests", "live_messages", "pending_events", "zookeeper_nodes", "lock_overlaps" (the report's
// stopped.limit).
const char* budget_limit_name(BudgetLimit limit);

struct BudgetState {
  WorkBudget limits;
  BudgetLimit crossed = BudgetLimit::none;
  uint64_t count = 0;       // the figure that crossed the limit
  uint64_t maximum = 0;     // the limit it crossed
  time_ns at_ns = 0;        // simulated time of the event that crossed it
  uint64_t at_event = 0;    // its number (events processed so far)

  bool stopped() const { return crossed != BudgetLimit::none; }
  // "the run stopped at 12.5 s: it processed 64000000 events, the limit per run"; empty when not stopped.
  std::string message() const;
};

// Queue messages on the brokers plus the deliveries consumers hold: the figure live_messages limits.
uint64_t live_messages(const World& world);
// Called by World::advance after each event. Records the crossing in world.budget and returns true when the run
// must stop; false otherwise.
bool budget_after_event(World& world);

// Seconds as "12.5" (at most three decimals, from integer nanoseconds: the same text on every platform).
std::string seconds_text(time_ns t);

}  // namespace pg
