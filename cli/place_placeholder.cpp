// Placeholder for `playground-cli place` until the placement module lands (the ring issue replaces this file).
#include <cstdio>

int cli_place(int, char**) {
  std::fputs("place: not built yet\n", stderr);
  return 1;
}
