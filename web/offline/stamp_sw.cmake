# Writes the site's service worker (sw.js) from web/offline/sw.js.in with the versions of the files it caches: the
# first 16 hex digits of a SHA-256 over each file's own SHA-256. Any change to one of them changes sw.js, and a
# browser that has the site installed fetches the new files on its next visit (docs/offline.md).
# Run at build time, after the app is linked: cmake -DSITE=<site folder> -DTEMPLATE=<sw.js.in> -P stamp_sw.cmake
if(NOT SITE OR NOT TEMPLATE)
  message(FATAL_ERROR "stamp_sw.cmake needs -DSITE and -DTEMPLATE")
endif()

function(files_version out)
  set(hashes "")
  foreach(name ${ARGN})
    if(NOT EXISTS "${SITE}/${name}")
      message(FATAL_ERROR "stamp_sw.cmake: ${SITE}/${name} missing (build the playground target first)")
    endif()
    file(SHA256 "${SITE}/${name}" hash)
    string(APPEND hashes "${name}=${hash}\n")
  endforeach()
  string(SHA256 combined "${hashes}")
  string(SUBSTRING "${combined}" 0 16 combined)
  set(${out} "${combined}" PARENT_SCOPE)
endfunction()

files_version(SITE_VERSION index.html playground.js playground.wasm manifest.webmanifest icon.svg zh-CN.txt
              sweep-engine.js sweep-engine.wasm)
files_version(FONT_VERSION cjk-sc.otf)
configure_file("${TEMPLATE}" "${SITE}/sw.js.tmp" @ONLY)
file(COPY_FILE "${SITE}/sw.js.tmp" "${SITE}/sw.js" ONLY_IF_DIFFERENT)
file(REMOVE "${SITE}/sw.js.tmp")
