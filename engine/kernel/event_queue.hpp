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

// Branch-free: the bitwise operators evaluate both sides, so the compiler can select without a jump (the heap's
// comparisons are unpredictable, and a mispredicted branch costs more than the comparison).
inline bool event_before(const Event& x, const Event& y) {
  return (x.time < y.time) | ((x.time == y.time) & (x.seq < y.seq));
}

// A 4-ary min-heap: half the depth of a binary heap, and the four children of a node share a cache line or two,
// which matters once thousands of requests are in flight. (time, seq) is a total order (seq is unique), so the heap
// pops exactly the sequence a sort would give, whatever its internal layout.
class EventQueue {
 public:
  void push(const Event& e) {
    heap_.push_back(e);
    Event* h = heap_.data();
    size_t i = heap_.size() - 1;
    while (i > 0) {
      size_t parent = (i - 1) / arity;
      if (!event_before(e, h[parent])) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = e;
  }
  const Event& top() const { return heap_.front(); }
  // Removes the top: the last event moves down from the root along the smaller children. The smallest of four
  // children is found as a tournament of two pairs, without branches (measured with bench_kernel's hold model and a
  // mix of short delays and long timeouts like a run's: 1.1-1.3x faster than a loop over the children). Moving the
  // hole to a leaf first (Floyd's bottom-up pop) was faster on the hold model but slower on that mix: a run's
  // queue keeps its far timeouts at the bottom, and the last event usually stops above them.
  void pop() {
    PG_ASSERT(!heap_.empty(), "pop from an empty event queue");
    const Event last = heap_.back();
    heap_.pop_back();
    const size_t n = heap_.size();
    if (n == 0) return;
    Event* h = heap_.data();
    size_t i = 0;
    for (;;) {
      const size_t first = arity * i + 1;
      size_t best;
      if (first + 3 < n) {   // four children
        const size_t a = first + (size_t)event_before(h[first + 1], h[first]);
        const size_t b = first + 2 + (size_t)event_before(h[first + 3], h[first + 2]);
        best = event_before(h[b], h[a]) ? b : a;
      } else if (first < n) {
        best = first;
        for (size_t c = first + 1; c < n; ++c)
          if (event_before(h[c], h[best])) best = c;
      } else {
        break;
      }
      if (!event_before(h[best], last)) break;
      h[i] = h[best];
      i = best;
    }
    h[i] = last;
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
