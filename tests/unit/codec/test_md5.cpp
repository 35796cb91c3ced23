// MD5 against the test suite of RFC 1321 (appendix A.5), fed whole and byte by byte.
#include <catch2/catch.hpp>

#include <string>

#include "engine/codec/md5.hpp"

TEST_CASE("md5 matches the RFC 1321 test suite", "[md5]") {
  struct Vector { const char* input; const char* digest; };
  const Vector vectors[] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (const Vector& vector : vectors) {
    INFO("input: \"" << vector.input << "\"");
    CHECK(pg::md5_hex(pg::md5(vector.input)) == vector.digest);
    pg::Md5 incremental;
    for (const char* p = vector.input; *p != 0; ++p) incremental.update(p, 1);
    CHECK(pg::md5_hex(incremental.finish()) == vector.digest);
  }
}

TEST_CASE("md5 handles inputs around the 56-byte padding boundary", "[md5]") {
  // Lengths 55, 56 and 64 exercise one-block and two-block padding; digests from md5sum.
  CHECK(pg::md5_hex(pg::md5(std::string(55, 'a'))) == "ef1772b6dff9a122358552954ad0df65");
  CHECK(pg::md5_hex(pg::md5(std::string(56, 'a'))) == "3b0c8ac703f828b04c6c197006d17218");
  CHECK(pg::md5_hex(pg::md5(std::string(64, 'a'))) == "014842d480b571495a4a0363793f7367");
}
