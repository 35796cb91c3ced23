// Metric primitives. TimeWeighted integrates a piecewise-constant value; its time never goes backwards (PG_ASSERT).
// Series keeps at most capacity points in a ring: storage grows to capacity once and never beyond, and point i
// (counted since the start) lives in values[i % capacity].
#include "engine/kernel/metrics.hpp"

#include <algorithm>

#include "engine/kernel/assert.hpp"

namespace pg {

// ---- TimeWeighted -----------------------------------------------------------------------------------------------

double TimeWeighted::mean(time_ns start_ns, time_ns now_ns) const {
  // area holds the integral since the integration started, which the caller names start_ns.
  PG_ASSERT(now_ns >= last_change_ns, "TimeWeighted::mean before the last change");
  if (now_ns <= start_ns) return value;
  const double total = area + value * (double)(now_ns - last_change_ns);
  return total / (double)(now_ns - start_ns);
}

// ---- Series -----------------------------------------------------------------------------------------------------

Series::Series(time_ns interval, uint32_t cap) : interval_ns(interval), capacity(cap) {
  PG_ASSERT(interval > 0 && cap > 0, "Series needs interval_ns > 0 and capacity > 0");
}

void Series::push(double v) {
  PG_ASSERT(capacity > 0, "Series::push on a default-constructed series");
  if (values.size() < capacity) {
    values.push_back(v);
  } else {
    values[(size_t)(pushed % capacity)] = v;
  }
  pushed += 1;
}

uint64_t Series::size() const { return std::min<uint64_t>(pushed, capacity); }

uint64_t Series::first_index() const { return pushed - size(); }

double Series::at(uint64_t i) const {
  PG_ASSERT(i < size(), "Series::at index out of range");
  return values[(size_t)((first_index() + i) % capacity)];
}

}  // namespace pg
