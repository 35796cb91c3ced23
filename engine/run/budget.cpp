// The work budget of one run: see budget.hpp.
#include "engine/run/budget.hpp"

#include "engine/run/world.hpp"

namespace pg {

const char* budget_limit_name(BudgetLimit limit) {
  switch (limit) {
    case BudgetLimit::none: return "none";
    case BudgetLimit::events: return "events";
    case BudgetLimit::live_requests: return "live_requests";
    case BudgetLimit::live_messages: return "live_messages";
    case BudgetLimit::pending_events: return "pending_events";
    case BudgetLimit::zookeeper_nodes: return "zookeeper_nodes";
    case BudgetLimit::lock_overlaps: return "lock_overlaps";
  }
  return "?";
}

std::string seconds_text(time_ns t) {
  if (t < 0) t = 0;
  int64_t ms = (t + ns_per_ms / 2) / ns_per_ms;
  std::string text = std::to_string(ms / 1000);
  int64_t fraction = ms % 1000;
  if (fraction) {
    std::string digits = std::to_string(1000 + fraction).substr(1);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return text;
}

std::string BudgetState::message() const {
  if (!stopped()) return "";
  std::string head = "the run stopped at " + seconds_text(at_ns) + " s: ";
  std::string n = std::to_string(count), max = std::to_string(maximum);
  switch (crossed) {
    case BudgetLimit::events: return head + "it processed " + n + " events, the limit per run";
    case BudgetLimit::live_requests:
      return head + n + " requests were in the system at once (counting parallel branches and consumers' work); " +
             "the limit is " + max;
    case BudgetLimit::live_messages:
      return head + n + " queue messages were held at once (on the brokers and by consumers); the limit is " + max;
    case BudgetLimit::pending_events:
      return head + n + " events were scheduled and waiting at once; the limit is " + max;
    case BudgetLimit::zookeeper_nodes:
      return head + n + " clients were queued for ZooKeeper locks at once (each lock message scans its key's " +
             "queue); the limit is " + max;
    case BudgetLimit::lock_overlaps:
      return head + n + " pairs of lock holders overlapped (each new holder is compared with every other one); " +
             "the limit is " + max + " per run";
    case BudgetLimit::none: break;
  }
  return "";
}

uint64_t live_messages(const World& world) {
  uint64_t total = 0;
  for (const QueueStats& st : world.queues.stats()) total += st.held > 0 ? (uint64_t)st.held : 0;
  for (size_t c = 0; c < world.queues.consumers().size(); ++c) total += world.queues.in_flight((uint32_t)c);
  return total;
}

bool budget_after_event(World& world) {
  BudgetState& b = world.budget;
  const WorkBudget& limits = b.limits;
  const uint64_t processed = world.kernel.processed;
  BudgetLimit crossed = BudgetLimit::none;
  uint64_t count = 0, maximum = 0;
  if (processed >= limits.events) {
    crossed = BudgetLimit::events;
    count = processed;
    maximum = limits.events;
  } else if (world.flows_live() > limits.live_requests) {
    crossed = BudgetLimit::live_requests;
    count = world.flows_live();
    maximum = limits.live_requests;
  } else if (world.kernel.queue.size() > limits.pending_events) {
    crossed = BudgetLimit::pending_events;
    count = world.kernel.queue.size();
    maximum = limits.pending_events;
  } else if ((processed & 15) == 0) {
    // Sums over the queues' consumers and over the locks: every 16th event, which is as deterministic.
    if (!world.scenario.queues.empty()) {
      uint64_t messages = live_messages(world);
      if (messages > limits.live_messages) {
        crossed = BudgetLimit::live_messages;
        count = messages;
        maximum = limits.live_messages;
      }
    }
    if (crossed == BudgetLimit::none && !world.scenario.locks.empty()) {
      uint64_t nodes = 0, overlaps = 0;
      for (const LockState& lock : world.locks.locks()) {
        nodes += lock.zk_node_key.size();
        overlaps += lock.stats.overlaps;
      }
      if (nodes > limits.zookeeper_nodes) {
        crossed = BudgetLimit::zookeeper_nodes;
        count = nodes;
        maximum = limits.zookeeper_nodes;
      } else if (overlaps > limits.lock_overlaps) {
        crossed = BudgetLimit::lock_overlaps;
        count = overlaps;
        maximum = limits.lock_overlaps;
      }
    }
  }
  if (crossed == BudgetLimit::none) return false;
  b.crossed = crossed;
  b.count = count;
  b.maximum = maximum;
  b.at_ns = world.kernel.now_ns;
  b.at_event = processed;
  return true;
}

}  // namespace pg
