// The `place` sub-command of playground-cli (see cli/place.cpp for its arguments).
#pragma once

// argv[0] is "place". Returns the process exit code: 0 on success, 2 on bad arguments.
int cli_place(int argc, char** argv);
