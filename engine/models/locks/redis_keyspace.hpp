// The key-value semantics of one Redis instance as the lock model uses them: SET key value NX [PX ttl], GET, DEL,
// the compare-and-delete Lua script of the Redis docs ("Distributed locks with Redis"), the watchdog's renewal
// script (PEXPIRE only while the value is still ours) and PTTL, each at a given time of the instance's own clock.
//
// Keys are the lock model's key numbers and values its client values (a 64-bit number; Redis sees its decimal
// text). A key whose TTL has run out is gone for every command, as Redis expires keys on access; the lock model
// also removes such keys itself (its lease-check events stand for Redis' active expiry) and must see each removal,
// so it asks expired() before a command and removes an expired key through erase().
//
// One difference from Redis, kept on purpose: a key expires when the clock reaches its expiry time (now >= expiry,
// in nanoseconds); Redis 7.0 keeps it through the millisecond of its expiry (now > expiry, in milliseconds). The
// conformance test (tests/unit/models/test_redis_conformance.cpp) runs the same command traces against a real
// redis-server and never asks within a few milliseconds of an expiry, so the two agree exactly there.
#pragma once
#include <cstdint>
#include <map>
#include <optional>

#include "engine/kernel/sim_time.hpp"

namespace pg {

struct RedisEntry {
  uint64_t value = 0;                 // the client's random value (the lock model's owner: slot << 32 | generation)
  time_ns expires_ns = time_never;    // in the instance's own clock; time_never: no expiry (SET without PX)
  // The lock model's bookkeeping for the key, not Redis state: the fencing token of the grant and the one lease-check
  // event that is current (engine/models/locks/locks.cpp).
  uint64_t token = 0;
  time_ns check_at_ns = 0;
};

class RedisKeyspace {
 public:
  using Map = std::map<uint32_t, RedisEntry>;

  // True when `key` exists but its TTL has run out at `now`: Redis would delete it on this access.
  bool expired(uint32_t key, time_ns now) const;
  // SET key value NX PX ttl, or SET key value NX (ttl_ns time_never: no expiry, SETNX without EXPIRE): the new
  // entry when the key was absent, null (Redis' nil) when it is taken.
  RedisEntry* set_nx_px(uint32_t key, uint64_t value, time_ns ttl_ns, time_ns now);
  // GET: the value, or nothing (nil).
  std::optional<uint64_t> get(uint32_t key, time_ns now) const;
  // DEL: 1 when a key was removed, 0 when there was none.
  int del(uint32_t key, time_ns now);
  // if redis.call("get",KEYS[1]) == ARGV[1] then return redis.call("del",KEYS[1]) else return 0 end
  int compare_and_delete(uint32_t key, uint64_t value, time_ns now);
  // if redis.call("get",KEYS[1]) == ARGV[1] then return redis.call("pexpire",KEYS[1],ARGV[2]) else return 0 end
  // (a watchdog's lease renewal): 1 when the TTL was set to ttl_ns from now, 0 when the key is not ours.
  int pexpire_if_value(uint32_t key, uint64_t value, time_ns ttl_ns, time_ns now);
  // PTTL: the milliseconds left (rounded down, at least 0), -1 for a key without expiry, -2 for no key.
  int64_t pttl_ms(uint32_t key, time_ns now) const;

  // The entry of a key, expired or not (null when absent): the lock model's own view, no Redis command.
  const RedisEntry* find(uint32_t key) const;
  RedisEntry* find(uint32_t key);
  // Removes a key whatever it holds (an expiry the model has seen, a replica's copy being replaced).
  void erase(uint32_t key) { entries_.erase(key); }
  // Stores an entry as it is (a replica applying its primary's write; Redis 7 propagates SET ... PXAT, an
  // absolute expiry time).
  void put(uint32_t key, const RedisEntry& entry) { entries_[key] = entry; }
  void clear() { entries_.clear(); }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  size_t count(uint32_t key) const { return entries_.count(key); }
  const Map& entries() const { return entries_; }
  Map::const_iterator begin() const { return entries_.begin(); }
  Map::const_iterator end() const { return entries_.end(); }

 private:
  // The live entry of a key (null when absent or expired); an expired one is removed, as Redis does on access.
  RedisEntry* live(uint32_t key, time_ns now);
  Map entries_;
};

}  // namespace pg
