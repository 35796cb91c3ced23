// MD5 message digest (RFC 1321, Rivest 1992). Used only where a real system's layout depends on it: the ketama
// point layout and key hash of libketama/libmemcached. Not for security. Invariant: the digest of a byte string is
// the same on every platform (integer arithmetic, explicit little-endian packing).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pg {

using Md5Digest = std::array<uint8_t, 16>;

// Incremental MD5: update() any number of times, then finish() once.
class Md5 {
 public:
  Md5();
  void update(const void* data, size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }
  // Pads, appends the bit length and returns the digest. The object must not be updated afterwards.
  Md5Digest finish();

 private:
  void process_block(const uint8_t* block);

  uint32_t state_[4];
  uint64_t length_bytes_ = 0;
  uint8_t buffer_[64] = {};
  size_t buffered_ = 0;
  bool finished_ = false;
};

// The MD5 digest of a whole string.
Md5Digest md5(std::string_view text);

// Lower-case hexadecimal form of a digest (32 characters), as md5sum prints it.
std::string md5_hex(const Md5Digest& digest);

}  // namespace pg
