#include "engine/models/queues/partitioner.hpp"

#include <string>

#include "engine/kernel/random.hpp"

namespace pg {

int32_t kafka_murmur2(std::string_view bytes) {
  // Unsigned arithmetic wraps the way Java's int multiplication does; >> on uint32_t is Java's >>>.
  const uint32_t m = 0x5bd1e995u, seed = 0x9747b28cu;
  const uint32_t length = (uint32_t)bytes.size();
  auto byte = [&](uint32_t i) { return (uint32_t)(uint8_t)bytes[i]; };
  uint32_t h = seed ^ length;
  for (uint32_t i = 0; i + 4 <= length; i += 4) {
    uint32_t k = byte(i) | byte(i + 1) << 8 | byte(i + 2) << 16 | byte(i + 3) << 24;
    k *= m;
    k ^= k >> 24;
    k *= m;
    h *= m;
    h ^= k;
  }
  const uint32_t tail = length & ~3u;
  switch (length % 4) {
    case 3: h ^= byte(tail + 2) << 16; [[fallthrough]];
    case 2: h ^= byte(tail + 1) << 8; [[fallthrough]];
    case 1:
      h ^= byte(tail);
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return (int32_t)h;
}

uint32_t kafka_partition(std::string_view key_bytes, uint32_t partitions) {
  return (uint32_t)kafka_to_positive(kafka_murmur2(key_bytes)) % partitions;
}

uint32_t partition_for_key(QueuePartitioner partitioner, uint32_t key, uint32_t partitions) {
  if (partitioner == QueuePartitioner::murmur2) return kafka_partition("sku-" + std::to_string(key), partitions);
  return (uint32_t)(mix64(key) % (uint64_t)partitions);
}

}  // namespace pg
