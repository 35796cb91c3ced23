// Metric primitives: time-weighted averages and fixed-interval time series in bounded ring buffers.
#pragma once
#include <cstdint>
#include <vector>

#include "engine/kernel/assert.hpp"
#include "engine/kernel/sim_time.hpp"

namespace pg {

// Integral of a piecewise-constant value over simulated time, for means such as the waiting-line length.
struct TimeWeighted {
  double value = 0;
  time_ns last_change_ns = 0;
  double area = 0;   // value * ns
  double max_value = 0;

  void set(time_ns now_ns, double new_value) {   // inline: set at every start, end and queueing of a call
    PG_ASSERT(now_ns >= last_change_ns, "TimeWeighted::set with time going backwards");
    area += value * (double)(now_ns - last_change_ns);
    value = new_value;
    last_change_ns = now_ns;
    max_value = max_value < new_value ? new_value : max_value;
  }
  void add(time_ns now_ns, double delta) { set(now_ns, value + delta); }
  double mean(time_ns start_ns, time_ns now_ns) const;  // mean over [start_ns, now_ns]
};

// A time series sampled every interval_ns, keeping at most capacity points (the oldest are dropped).
struct Series {
  time_ns interval_ns = 0;
  uint32_t capacity = 0;
  std::vector<double> values;   // ring buffer storage
  uint64_t pushed = 0;          // total points ever pushed

  Series() = default;
  Series(time_ns interval, uint32_t cap);
  void push(double v);
  uint64_t size() const;        // min(pushed, capacity)
  uint64_t first_index() const; // index (since start) of the oldest kept point
  double at(uint64_t i) const;  // i in [0, size()): i = 0 is the oldest kept point
};

}  // namespace pg
