// Raw DEFLATE (RFC 1951) without zlib: a decoder for stored, fixed-Huffman and dynamic-Huffman blocks, and a small
// encoder (LZ77 with a hash chain, fixed Huffman codes). Share links carry deflate-raw data and the browser build
// cannot link zlib (Emscripten's zlib is a downloaded "port"), so both directions live here, in plain integer code:
// the same input gives the same bytes natively and in WebAssembly.
// Invariants: the decoder never reads past its input, never writes more than output_max bytes (a decompression
// bomb stops at the cap with a message) and never throws; every failure is a status with a message.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pg {

enum class InflateStatus : uint8_t {
  ok,         // a final block was read; output holds everything (bytes after the final block are ignored)
  truncated,  // the input ended before the final block did
  invalid,    // the data is not valid DEFLATE (message says which rule)
  too_large,  // the output would exceed output_max; output holds the first output_max bytes
};

struct InflateResult {
  InflateStatus status = InflateStatus::invalid;
  std::string output;
  std::string message;  // empty when ok
  size_t input_used = 0;  // bytes of input up to the end of the final block (ok only)
  bool ok() const { return status == InflateStatus::ok; }
};

// Decodes raw DEFLATE data (no zlib or gzip header).
InflateResult inflate_raw(std::string_view input, size_t output_max);

// Encodes raw DEFLATE data: greedy LZ77 matches (hash chains over a 32 KiB window, lengths 3..258) coded with the
// fixed Huffman codes of RFC 1951 3.2.6, in one final block. Deterministic; about 3-6x on scenario JSON.
std::string deflate_raw(std::string_view input);

}  // namespace pg
