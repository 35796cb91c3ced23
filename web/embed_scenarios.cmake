# Turns every scenarios/*.json (and scenarios/index.json, when present) into one C++ source that defines the
# app's built-in scenario library: `pgweb::embedded_scenarios[]` (file name, bytes, size) and its count.
# Run at build time: cmake -DSCENARIO_DIR=<folder> -DOUTPUT=<file.cpp> -P embed_scenarios.cmake
# The app lists whatever exists, so scenarios written later need no code change, only a rebuild.
if(NOT SCENARIO_DIR OR NOT OUTPUT)
  message(FATAL_ERROR "embed_scenarios.cmake needs -DSCENARIO_DIR and -DOUTPUT")
endif()
file(GLOB files RELATIVE "${SCENARIO_DIR}" "${SCENARIO_DIR}/*.json")
list(SORT files)
set(arrays "")
set(table "")
set(index 0)
foreach(name ${files})
  file(READ "${SCENARIO_DIR}/${name}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR byte_count "${hex_length} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" bytes "${bytes}")
  # A trailing 0 so the text is also a C string.
  string(APPEND arrays "const unsigned char scenario_${index}[] = {\n${bytes}0x00\n};\n")
  string(APPEND table "    {\"${name}\", reinterpret_cast<const char*>(scenario_${index}), ${byte_count}},\n")
  math(EXPR index "${index} + 1")
endforeach()
if(index EQUAL 0)
  set(table "    {nullptr, nullptr, 0},\n")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${SCENARIO_DIR}/*.json by web/embed_scenarios.cmake; do not edit.\n"
  "#include \"web/library.hpp\"\n"
  "namespace {\n${arrays}}  // namespace\n"
  "namespace pgweb {\n"
  "const EmbeddedFile embedded_scenarios[] = {\n${table}};\n"
  "const size_t embedded_scenario_count = ${index};\n"
  "}  // namespace pgweb\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
