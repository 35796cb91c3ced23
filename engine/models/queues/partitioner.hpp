// How a log queue picks a message's partition from its key.
//
// splitmix64 (the default, what every scenario used before the choice existed): the splitmix64 finaliser of the
// key's number, modulo the partition count. murmur2: what Kafka's Java producer does for a record with a key
// (BuiltInPartitioner.partitionForKey: toPositive(Utils.murmur2(keyBytes)) % numPartitions), with the key
// serialised as a string serialiser would, the UTF-8 bytes of "sku-N" (the name the caches give key N too).
#pragma once
#include <cstdint>
#include <string_view>

namespace pg {

enum class QueuePartitioner : uint8_t { splitmix64, murmur2 };

// Kafka's Utils.murmur2: MurmurHash2 (Austin Appleby), 32-bit, seed 0x9747b28c, as a signed Java int.
int32_t kafka_murmur2(std::string_view bytes);
// Kafka's Utils.toPositive: the sign bit cleared (not the absolute value, so INT32_MIN maps to 0).
inline int32_t kafka_to_positive(int32_t h) { return (int32_t)((uint32_t)h & 0x7fffffffu); }
// Kafka's BuiltInPartitioner.partitionForKey: the partition of a record whose serialised key is `key_bytes`.
uint32_t kafka_partition(std::string_view key_bytes, uint32_t partitions);
// The partition of workload key `key` among `partitions` (>= 1).
uint32_t partition_for_key(QueuePartitioner partitioner, uint32_t key, uint32_t partitions);

}  // namespace pg
