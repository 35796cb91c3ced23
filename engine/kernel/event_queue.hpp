// The kernel's event queue: a min-heap ordered by (time, insertion sequence), so events at equal times run
// in the order they were scheduled and no comparison ever depends on memory addresses.
#pragma once
#include <cstdint>
#include <vector>

#include "engine/kernel/assert.hpp"
#include "engine/kernel/sim_time.hpp"

namespace pg {

struct Event {
  time_ns time;
  uint64_t seq;     // insertion order; the tie-breaker
  uint32_t kind;    // see engine/kernel/event_kinds.hpp
  uint32_t a;       // usually an entity id
  uint64_t b;       // a second id, a generation or a payload
};

inline bool event_before(const Event& x, const Event& y) {
  return x.time < y.time || (x.time == y.time && x.seq < y.seq);
}

// A 4-ary min-heap: half the depth of a binary heap, and the four children of a node share a cache line or two,
// which matters once thousands of requests are in flight.
class EventQueue {
 public:
  void push(const Event& e) {
    heap_.push_back(e);
    size_t i = heap_.size() - 1;
    while (i > 0) {
      size_t parent = (i - 1) / arity;
      if (!event_before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  const Event& top() const { return heap_.front(); }
  void pop() {
    PG_ASSERT(!heap_.empty(), "pop from an empty event queue");
    Event last = heap_.back();
    heap_.pop_back();
    size_t n = heap_.size();
    if (n == 0) return;
    size_t i = 0;
    for (;;) {
      size_t first = arity * i + 1;
      if (first >= n) break;
      size_t best = first;
      size_t end = first + arity < n ? first + arity : n;
      for (size_t c = first + 1; c < end; ++c)
        if (event_before(heap_[c], heap_[best])) best = c;
      if (!event_before(heap_[best], last)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = last;
  }
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  void clear() { heap_.clear(); }

 private:
  static constexpr size_t arity = 4;
  std::vector<Event> heap_;
};

// Clock, queue and trace hash. Models schedule events; the world pops and dispatches them.
struct Kernel {
  time_ns now_ns = 0;
  uint64_t next_seq = 0;
  uint64_t processed = 0;
  uint64_t trace_hash = 0x9e3779b97f4a7c15ull;
  EventQueue queue;

  void schedule(time_ns at_ns, uint32_t kind, uint32_t a, uint64_t b = 0) {
    PG_ASSERT(at_ns >= now_ns, "events cannot be scheduled in the past");
    queue.push(Event{at_ns, next_seq++, kind, a, b});
  }
  void schedule_after(time_ns delay_ns, uint32_t kind, uint32_t a, uint64_t b = 0) {
    schedule(now_ns + (delay_ns > 0 ? delay_ns : 0), kind, a, b);
  }
  // Folds an event into the running trace hash (a multiply-xorshift mix per field: cheap, order-sensitive).
  void fold(const Event& e) {
    uint64_t h = trace_hash;
    h = (h ^ (uint64_t)e.time) * 0x100000001b3ull;
    h = (h ^ ((uint64_t)e.kind << 32 | e.a)) * 0xff51afd7ed558ccdull;
    h = (h ^ e.b) * 0xc4ceb9fe1a85ec53ull;
    trace_hash = h ^ (h >> 29);
  }
  // Pops the next event if it is not later than until_ns; advances the clock and the hash.
  bool pop_next(time_ns until_ns, Event& out) {
    if (queue.empty() || queue.top().time > until_ns) return false;
    out = queue.top();
    queue.pop();
    PG_ASSERT(out.time >= now_ns, "simulated time never goes backwards");
    now_ns = out.time;
    ++processed;
    fold(out);
    return true;
  }
};

}  // namespace pg
