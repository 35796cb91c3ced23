# Turns every scenarios/*.json (and scenarios/index.json, when present) into one C++ source that defines the
# built-in scenario library: `<NAMESPACE>::embedded_scenarios[]` (file name, bytes, size) and its count, and the
# short links' table and archive (every <LINK_DIR>/*.json, engine/codec/link_bases.hpp) as
# `<NAMESPACE>::embedded_link_files[]` and its count.
# Run at build time: cmake -DSCENARIO_DIR=<folder> -DOUTPUT=<file.cpp> [-DLINK_DIR=<folder>] [-DNAMESPACE=pgweb]
#   [-DHEADER=web/library.hpp] -P embed_scenarios.cmake
# The page uses the defaults; the CLI passes its own namespace and header (cli/builtin.hpp), so one generator
# serves both. The app lists whatever exists, so scenarios written later need no code change, only a rebuild.
if(NOT SCENARIO_DIR OR NOT OUTPUT)
  message(FATAL_ERROR "embed_scenarios.cmake needs -DSCENARIO_DIR and -DOUTPUT")
endif()
if(NOT NAMESPACE)
  set(NAMESPACE pgweb)
endif()
if(NOT HEADER)
  set(HEADER web/library.hpp)
endif()

# Appends to `arrays` one byte array per file of dir and sets <table_var> to the table's rows and <count_var>.
# `compact`: every line break and the indentation after it are left out. A JSON string cannot hold a raw line break,
# so only the layout between tokens goes, and whoever reads the text parses it (the library, the short links'
# canonical text): about 2.4 KB less of the page's gzipped download. The short links' archive is hashed as it is
# written, so it is embedded byte for byte.
function(embed_folder dir prefix table_var count_var compact)
  file(GLOB files RELATIVE "${dir}" "${dir}/*.json")
  list(SORT files)
  set(table "")
  set(index 0)
  foreach(name ${files})
    if(compact)
      file(READ "${dir}/${name}" content)
      string(REGEX REPLACE "\r?\n *" "" content "${content}")
      # A key's colon and the blank after it: a quote not preceded by a backslash ends a string.
      string(REGEX REPLACE "([^\\])\": " "\\1\":" content "${content}")
      string(HEX "${content}" hex)
    else()
      file(READ "${dir}/${name}" hex HEX)
    endif()
    string(LENGTH "${hex}" hex_length)
    math(EXPR byte_count "${hex_length} / 2")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" bytes "${bytes}")
    # A trailing 0 so the text is also a C string.
    string(APPEND arrays "const unsigned char ${prefix}_${index}[] = {\n${bytes}0x00\n};\n")
    string(APPEND table "    {\"${name}\", reinterpret_cast<const char*>(${prefix}_${index}), ${byte_count}},\n")
    math(EXPR index "${index} + 1")
  endforeach()
  if(index EQUAL 0)
    set(table "    {nullptr, nullptr, 0},\n")
  endif()
  set(arrays "${arrays}" PARENT_SCOPE)
  set(${table_var} "${table}" PARENT_SCOPE)
  set(${count_var} ${index} PARENT_SCOPE)
endfunction()

set(arrays "")
embed_folder("${SCENARIO_DIR}" scenario scenario_table scenario_count ON)
set(link_table "    {nullptr, nullptr, 0},\n")
set(link_count 0)
if(LINK_DIR AND IS_DIRECTORY "${LINK_DIR}")
  embed_folder("${LINK_DIR}" link link_table link_count OFF)
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${SCENARIO_DIR}/*.json by web/embed_scenarios.cmake; do not edit.\n"
  "#include \"${HEADER}\"\n"
  "namespace {\n${arrays}}  // namespace\n"
  "namespace ${NAMESPACE} {\n"
  "const EmbeddedFile embedded_scenarios[] = {\n${scenario_table}};\n"
  "const size_t embedded_scenario_count = ${scenario_count};\n"
  "const EmbeddedFile embedded_link_files[] = {\n${link_table}};\n"
  "const size_t embedded_link_file_count = ${link_count};\n"
  "}  // namespace ${NAMESPACE}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
