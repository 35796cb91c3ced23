// Writes zh-CN.txt, the Chinese column of the page's string table and of the engine-text patterns, which the page
// fetches together with the Chinese font (web/translate.hpp). Built with both columns (without
// PGWEB_CHINESE_FETCHED) and run under Node at build time: write-chinese-texts.js OUTPUT.
#include <cstdio>
#include <string>

#include "web/translate.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write-chinese-texts OUTPUT\n");
    return 2;
  }
  const std::string file = pgweb::chinese_texts_file();
  std::FILE* out = std::fopen(argv[1], "wb");
  if (!out || std::fwrite(file.data(), 1, file.size(), out) != file.size() || std::fclose(out) != 0) {
    std::fprintf(stderr, "write-chinese-texts: cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
