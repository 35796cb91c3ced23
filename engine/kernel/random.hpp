// Random streams. One scenario seed owns all randomness; every entity (an arrival process, a service instance, a
// consumer) draws from its own stream, derived from (seed, stream id), so adding an entity leaves the others'
// numbers unchanged (common random numbers across variants of a scenario). Integer arithmetic only: identical on
// g++/x86-64 and em++/wasm32.
#pragma once
#include <cstdint>
#include <string_view>

namespace pg {

// The splitmix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
uint64_t mix64(uint64_t x);

// FNV-1a 64 of a name: stable ids for streams named after entities ("service/order/instance/1").
uint64_t hash_name(std::string_view name);

// xoshiro256** (Blackman, Vigna 2018), seeded through splitmix64.
struct Rng {
  uint64_t s[4];

  static Rng for_stream(uint64_t seed, uint64_t stream_id);
  static Rng for_stream(uint64_t seed, std::string_view stream_name) { return for_stream(seed, hash_name(stream_name)); }

  uint64_t next_u64() {   // inline, as the two below: several draws per request
    const uint64_t result = rotate_left(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotate_left(s[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double next_double() { return (double)(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe to take a logarithm of.
  double next_double_open0() { return (double)((next_u64() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). n > 0.
  uint64_t below(uint64_t n);

 private:
  static uint64_t rotate_left(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
};

}  // namespace pg
