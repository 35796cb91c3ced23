// Slot pools: how the engine keeps the entities that come and go by the thousand in a run (flows, jobs at
// services, lock clients and lock messages, queue messages and deliveries).
//
// A pool is a vector of slots and a stack of free slot indices. An entity is named by a handle: its slot index and
// the slot's generation when it was allocated. Events carry handles (the index in Event::a, the generation in
// Event::b or packed into it); when one comes due, live(index, generation) says whether its entity is still
// there. A freed slot's generation has moved on, and so has a reused one's, so an old handle never matches. That
// is the one stale-handle check in the engine.
//
// Determinism: slot indices and generations travel in events, and the kernel folds every event into the trace
// hash, so the order of reuse and the numbering are part of every golden hash. Reuse is LIFO (the most recently
// freed slot first, else a new slot at the end); the numbering is the pool's Generations policy.
//
// The slot type keeps its own `uint32_t generation` and `bool live` (the views read whole slots through slots());
// only the pool writes those two. A type whose slot carries state from one occupant to the next defines
// `static void carry_over(const T& previous, T& next)`; allocate() calls it with the slot's previous occupant (a
// value-initialised T for a new slot) before the new value moves in.
#pragma once
#include <concepts>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/kernel/assert.hpp"

namespace pg {

// How a slot's generation counts. Both make a freed slot's handles stale at once; they differ only in the numbers.
enum class Generations : uint8_t {
  odd_while_live,   // +1 at allocate and +1 at free: 1, 3, 5, ... while live, even while free
  count_frees,      // +1 at free only: a live slot's generation is the number of its earlier occupants (0, 1, 2, ...)
};

struct SlotHandle {
  uint32_t index = UINT32_MAX;
  uint32_t generation = 0;
};

template <typename T>
concept PoolSlot = std::default_initializable<T> && std::movable<T> && requires(T t) {
  { t.generation } -> std::same_as<uint32_t&>;
  { t.live } -> std::same_as<bool&>;
};

template <PoolSlot T, Generations numbering = Generations::odd_while_live>
class SlotPool {
 public:
  // Puts `value` into the most recently freed slot, or a new one at the end, and returns its handle. References
  // into the pool may move (the vector can grow).
  SlotHandle allocate(T value) {
    const uint32_t index = take_slot();
    T& slot = slots_[index];
    if constexpr (requires { T::carry_over(slot, value); }) T::carry_over(slot, value);
    value.generation = numbering == Generations::odd_while_live ? slot.generation + 1 : slot.generation;
    value.live = true;
    slot = std::move(value);
    ++live_count_;
    return {index, slot.generation};
  }
  // The same with a value-initialised T, written into the slot directly: the hot paths (a flow, a job per call)
  // fill the fields after. (Building a temporary field by field and copying it whole stalls the CPU's store
  // forwarding: measured as the largest cost of Services::open_job.)
  SlotHandle allocate() {
    const uint32_t index = take_slot();
    T& slot = slots_[index];
    const uint32_t generation = numbering == Generations::odd_while_live ? slot.generation + 1 : slot.generation;
    if constexpr (requires { T::carry_over(slot, slot); }) {
      const T previous = slot;
      slot = T{};
      T::carry_over(previous, slot);
    } else {
      slot = T{};
    }
    slot.generation = generation;
    slot.live = true;
    ++live_count_;
    return {index, generation};
  }

  // Ends the slot's occupant: its handles are stale from now on. The value stays readable through slots() (and
  // through references taken before) until the slot is reused.
  void free(uint32_t index) {
    PG_ASSERT(occupied(index), "SlotPool::free of a slot that is not live");
    T& slot = slots_[index];
    slot.live = false;
    ++slot.generation;
    free_.push_back(index);
    --live_count_;
  }

  // The stale-handle check: true while the occupant the handle was made for is still in its slot.
  bool live(uint32_t index, uint32_t generation) const {
    return index < slots_.size() && slots_[index].live && slots_[index].generation == generation;
  }
  bool live(SlotHandle handle) const { return live(handle.index, handle.generation); }
  // True when the slot exists and has an occupant (whichever): for ids that carry their own identity check.
  bool occupied(uint32_t index) const { return index < slots_.size() && slots_[index].live; }

  // A live slot's value (checked in a checking build).
  T& operator[](uint32_t index) {
    PG_CHECK(occupied(index), "slot access to a free or missing slot");
    return slots_[index];
  }
  const T& operator[](uint32_t index) const {
    PG_CHECK(occupied(index), "slot access to a free or missing slot");
    return slots_[index];
  }

  // Every slot, live or free (T::live tells), indexed by slot: for the views and for whole-pool checks.
  const std::vector<T>& slots() const { return slots_; }
  uint32_t size() const { return (uint32_t)slots_.size(); }
  uint64_t live_count() const { return live_count_; }

  // Asserts the pool's own bookkeeping: each slot is either live or on the free list, once, and live_count()
  // counts the live ones. O(size): for checking builds and tests.
  void check_consistent() const {
    uint64_t live = 0;
    for (const T& slot : slots_) live += slot.live ? 1 : 0;
    PG_ASSERT(live == live_count_, "slot pool: live_count differs from the live slots");
    PG_ASSERT(live + free_.size() == slots_.size(), "slot pool: a slot is neither live nor free, or free twice");
    for (uint32_t index : free_)
      PG_ASSERT(index < slots_.size() && !slots_[index].live, "slot pool: a free slot is live");
  }

 private:
  // The most recently freed slot, or a new one at the end.
  uint32_t take_slot() {
    uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      PG_ASSERT(slots_.size() < UINT32_MAX, "slot pool full");
      index = (uint32_t)slots_.size();
      slots_.emplace_back();
    }
    PG_CHECK(!slots_[index].live, "a slot on the free list is live");
    return index;
  }

  std::vector<T> slots_;
  std::vector<uint32_t> free_;   // a stack: the most recently freed slot is reused first
  uint64_t live_count_ = 0;
};

}  // namespace pg
