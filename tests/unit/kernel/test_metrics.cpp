// Metric primitives: a time-weighted mean worked by hand, and the Series ring buffer before and after wrapping.
#include <catch2/catch.hpp>

#include "engine/kernel/metrics.hpp"

using namespace pg;

TEST_CASE("TimeWeighted mean, worked by hand", "[metrics]") {
  // Value 0 on [0, 10), 2 on [10, 30), 5 on [30, 40): area = 0*10 + 2*20 + 5*10 = 90 over 40 ns -> 2.25.
  TimeWeighted queue_length;
  queue_length.set(10, 2);
  queue_length.set(30, 5);
  CHECK(queue_length.mean(0, 40) == 2.25);
  CHECK(queue_length.max_value == 5);
  // The time since the last change counts at the current value: 90 + 5 * 20 over 60.
  CHECK(queue_length.mean(0, 60) == Approx(190.0 / 60));
  // add() changes the value relative to the current one: 5 - 3 = 2 on [40, 50).
  queue_length.add(40, -3);
  CHECK(queue_length.value == 2);
  CHECK(queue_length.mean(0, 50) == Approx((90.0 + 2 * 10) / 50));
  // An empty interval gives the current value.
  CHECK(queue_length.mean(50, 50) == 2);
}

TEST_CASE("Series keeps the newest capacity points", "[metrics]") {
  Series series(1'000'000, 4);
  CHECK(series.size() == 0);
  for (int i = 1; i <= 3; ++i) series.push(i);
  CHECK(series.size() == 3);
  CHECK(series.first_index() == 0);
  CHECK(series.at(0) == 1);
  CHECK(series.at(2) == 3);

  for (int i = 4; i <= 10; ++i) series.push(i);  // wraps around the ring more than once
  CHECK(series.pushed == 10);
  CHECK(series.size() == 4);
  CHECK(series.first_index() == 6);
  for (uint64_t i = 0; i < 4; ++i) CHECK(series.at(i) == (double)(7 + i));
  CHECK(series.values.size() == 4);  // storage never grows past capacity
}
