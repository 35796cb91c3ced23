// The slot pool (engine/kernel/slot_pool.hpp): LIFO reuse, both generation numberings, the stale-handle check, state
// carried from one occupant to the next, its own bookkeeping check.
#include "engine/kernel/slot_pool.hpp"

#include <catch2/catch.hpp>

using namespace pg;

namespace {

struct Item {
  int value = 0;
  uint32_t generation = 0;
  bool live = false;
};

struct Counted {
  uint32_t uses = 0;   // carried over: how many occupants the slot has had
  int value = 0;
  uint32_t generation = 0;
  bool live = false;
  static void carry_over(const Counted& previous, Counted& next) { next.uses = previous.uses + 1; }
};

}  // namespace

TEST_CASE("a slot pool reuses the most recently freed slot first", "[slot_pool]") {
  SlotPool<Item> pool;
  for (int i = 0; i < 5; ++i) REQUIRE(pool.allocate(Item{i}).index == (uint32_t)i);
  pool.free(1);
  pool.free(3);
  pool.free(0);
  CHECK(pool.live_count() == 2);
  CHECK(pool.allocate().index == 0);   // a stack: last freed, first reused
  CHECK(pool.allocate().index == 3);
  CHECK(pool.allocate().index == 1);
  CHECK(pool.allocate().index == 5);   // free list empty: a new slot at the end
  CHECK(pool.size() == 6);
  CHECK(pool.live_count() == 6);
  pool.check_consistent();
}

TEST_CASE("allocate resets the slot to the given value and marks it live", "[slot_pool]") {
  SlotPool<Item> pool;
  SlotHandle a = pool.allocate(Item{42});
  CHECK(pool[a.index].value == 42);
  CHECK(pool[a.index].live);
  pool.free(a.index);
  CHECK_FALSE(pool.slots()[a.index].live);
  CHECK(pool.slots()[a.index].value == 42);   // readable until reused
  SlotHandle b = pool.allocate();
  REQUIRE(b.index == a.index);
  CHECK(pool[b.index].value == 0);
}

TEST_CASE("odd_while_live numbering: +1 at allocate and at free", "[slot_pool]") {
  SlotPool<Item, Generations::odd_while_live> pool;
  std::vector<uint32_t> seen;
  for (int round = 0; round < 4; ++round) {
    SlotHandle h = pool.allocate();
    REQUIRE(h.index == 0);
    seen.push_back(h.generation);
    CHECK(pool.slots()[0].generation == h.generation);
    pool.free(h.index);
    CHECK(pool.slots()[0].generation == h.generation + 1);
  }
  CHECK(seen == std::vector<uint32_t>{1, 3, 5, 7});
}

TEST_CASE("count_frees numbering: +1 at free only", "[slot_pool]") {
  SlotPool<Item, Generations::count_frees> pool;
  std::vector<uint32_t> seen;
  for (int round = 0; round < 4; ++round) {
    SlotHandle h = pool.allocate();
    seen.push_back(h.generation);
    pool.free(h.index);
  }
  CHECK(seen == std::vector<uint32_t>{0, 1, 2, 3});
}

TEST_CASE("a handle is stale once its slot is freed, and stays stale after reuse", "[slot_pool]") {
  SlotPool<Item, Generations::count_frees> pool;
  SlotHandle old = pool.allocate();
  CHECK(pool.live(old));
  CHECK(pool.live(old.index, old.generation));
  pool.free(old.index);
  CHECK_FALSE(pool.live(old));
  CHECK_FALSE(pool.occupied(old.index));
  SlotHandle fresh = pool.allocate();
  REQUIRE(fresh.index == old.index);
  CHECK(pool.occupied(old.index));   // someone is there ...
  CHECK_FALSE(pool.live(old));       // ... but not the one the old handle names
  CHECK(pool.live(fresh));
  // Indices past the end (or no_id) are never live.
  CHECK_FALSE(pool.live(7, 0));
  CHECK_FALSE(pool.live(UINT32_MAX, 0));
  CHECK_FALSE(pool.occupied(UINT32_MAX));
}

TEST_CASE("carry_over passes slot state from one occupant to the next", "[slot_pool]") {
  SlotPool<Counted> pool;
  SlotHandle a = pool.allocate(Counted{0, 7});
  CHECK(pool[a.index].uses == 1);   // a new slot: carried over from a value-initialised one
  CHECK(pool[a.index].value == 7);
  pool.free(a.index);
  SlotHandle b = pool.allocate(Counted{100, 8});
  REQUIRE(b.index == a.index);
  CHECK(pool[b.index].uses == 2);   // the pool's value, not the caller's
  CHECK(pool[b.index].value == 8);
  SlotHandle c = pool.allocate();
  CHECK(pool[c.index].uses == 1);
}

TEST_CASE("many allocations and frees keep the bookkeeping consistent", "[slot_pool]") {
  SlotPool<Item> pool;
  std::vector<SlotHandle> live;
  uint64_t state = 12345;
  for (int step = 0; step < 20000; ++step) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    if (live.empty() || (state >> 33) % 3 != 0) {
      live.push_back(pool.allocate());
    } else {
      size_t k = (size_t)((state >> 40) % live.size());
      pool.free(live[k].index);
      CHECK_FALSE(pool.live(live[k]));
      live[k] = live.back();
      live.pop_back();
    }
  }
  for (const SlotHandle& h : live) REQUIRE(pool.live(h));
  CHECK(pool.live_count() == live.size());
  pool.check_consistent();
}
