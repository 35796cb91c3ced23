// Random streams: splitmix64 mixing, FNV-1a names and xoshiro256**. Invariants: integer arithmetic only (the same
// bits on every target); a generator's state is never all zero (xoshiro's one fixed point), because it is filled
// with four outputs of the bijective mix64 at distinct inputs, at most one of which can be zero.
#include "engine/kernel/random.hpp"

namespace pg {

namespace {

constexpr uint64_t golden_gamma = 0x9E3779B97F4A7C15ull;  // splitmix64's increment: 2^64 / golden ratio, odd

// High 64 bits of the 128-bit product a * b, from 32-bit halves (no __int128, so wasm32 needs no helper call).
uint64_t multiply_high(uint64_t a, uint64_t b) {
  const uint64_t a_low = a & 0xFFFFFFFFull, a_high = a >> 32;
  const uint64_t b_low = b & 0xFFFFFFFFull, b_high = b >> 32;
  const uint64_t low_low = a_low * b_low;
  const uint64_t high_low = a_high * b_low;
  const uint64_t low_high = a_low * b_high;
  const uint64_t high_high = a_high * b_high;
  const uint64_t middle = (low_low >> 32) + (high_low & 0xFFFFFFFFull) + (low_high & 0xFFFFFFFFull);
  return high_high + (high_low >> 32) + (low_high >> 32) + (middle >> 32);
}

}  // namespace

uint64_t mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t hash_name(std::string_view name) {
  uint64_t hash = 0xCBF29CE484222325ull;  // FNV-1a 64 offset basis
  for (char c : name) {
    hash ^= (uint64_t)(unsigned char)c;
    hash *= 0x100000001B3ull;  // FNV-1a 64 prime
  }
  return hash;
}

Rng Rng::for_stream(uint64_t seed, uint64_t stream_id) {
  // Seed and stream id are mixed separately (with different offsets) so that (seed, id) and (id, seed) differ and
  // neighbouring ids land far apart; the result seeds a splitmix64 sequence that fills the state.
  uint64_t sequence = mix64(seed + golden_gamma) ^ mix64(stream_id ^ 0xD1B54A32D192ED03ull);
  Rng rng{};
  for (uint64_t& word : rng.s) {
    sequence += golden_gamma;
    word = mix64(sequence);
  }
  return rng;
}

uint64_t Rng::below(uint64_t n) {
  // Lemire (2019): the high word of x * n is uniform in [0, n) once the few low words below 2^64 mod n are rejected.
  uint64_t x = next_u64();
  uint64_t low = x * n;
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      x = next_u64();
      low = x * n;
    }
  }
  return multiply_high(x, n);
}

}  // namespace pg
