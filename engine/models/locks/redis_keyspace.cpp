// One Redis instance's key-value semantics for locks. See redis_keyspace.hpp.
#include "engine/models/locks/redis_keyspace.hpp"

namespace pg {

bool RedisKeyspace::expired(uint32_t key, time_ns now) const {
  auto it = entries_.find(key);
  return it != entries_.end() && now >= it->second.expires_ns;
}

RedisEntry* RedisKeyspace::live(uint32_t key, time_ns now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (now >= it->second.expires_ns) {
    entries_.erase(it);
    return nullptr;
  }
  return &it->second;
}

RedisEntry* RedisKeyspace::set_nx_px(uint32_t key, uint64_t value, time_ns ttl_ns, time_ns now) {
  if (live(key, now)) return nullptr;
  RedisEntry entry;
  entry.value = value;
  entry.expires_ns = ttl_ns == time_never ? time_never : now + ttl_ns;
  return &(entries_[key] = entry);
}

std::optional<uint64_t> RedisKeyspace::get(uint32_t key, time_ns now) const {
  auto it = entries_.find(key);
  if (it == entries_.end() || now >= it->second.expires_ns) return std::nullopt;
  return it->second.value;
}

int RedisKeyspace::del(uint32_t key, time_ns now) {
  if (!live(key, now)) return 0;
  entries_.erase(key);
  return 1;
}

int RedisKeyspace::compare_and_delete(uint32_t key, uint64_t value, time_ns now) {
  RedisEntry* entry = live(key, now);
  if (!entry || entry->value != value) return 0;
  entries_.erase(key);
  return 1;
}

int RedisKeyspace::pexpire_if_value(uint32_t key, uint64_t value, time_ns ttl_ns, time_ns now) {
  RedisEntry* entry = live(key, now);
  if (!entry || entry->value != value) return 0;
  entry->expires_ns = now + ttl_ns;
  return 1;
}

int64_t RedisKeyspace::pttl_ms(uint32_t key, time_ns now) const {
  auto it = entries_.find(key);
  if (it == entries_.end() || now >= it->second.expires_ns) return -2;
  if (it->second.expires_ns == time_never) return -1;
  return (it->second.expires_ns - now) / ns_per_ms;
}

const RedisEntry* RedisKeyspace::find(uint32_t key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

RedisEntry* RedisKeyspace::find(uint32_t key) {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace pg
