# atomixtest_add_plugin(KIND NAME SOURCES...)
#
# Builds a plugin of KIND (backend, fault or client) called NAME: a MODULE
# library, target and file both named atomixtest-KIND-NAME(.so), the name the
# plugin host looks for on the plugin path. It links the core library (whose
# SDK headers it sees) and installs into lib/atomix-test/plugins under the
# install prefix, where an atomix-test installed in the same prefix finds it.
# Used by the built-in plugins and, through find_package(atomixtest), by
# plugins built outside this project, so the naming rule lives here alone.
#
# ATOMIXTEST_PLUGIN_OUTPUT_DIR, when set, is where the build puts the file.
function(atomixtest_add_plugin kind name)
  if(NOT kind MATCHES "^(backend|fault|client)$")
    message(FATAL_ERROR "atomixtest_add_plugin: KIND is backend, fault or client, got '${kind}'")
  endif()
  if(NOT name MATCHES "^[a-z0-9][a-z0-9_-]*$")
    message(FATAL_ERROR "atomixtest_add_plugin: NAME '${name}' must be lower case letters, digits, - or _ "
      "(scenarios name its verbs ${name}.VERB)")
  endif()
  if(NOT ARGN)
    message(FATAL_ERROR "atomixtest_add_plugin(${kind} ${name}): no sources")
  endif()
  set(target atomixtest-${kind}-${name})
  add_library(${target} MODULE ${ARGN})
  # The plugin host loads atomixtest-KIND-NAME.so: no lib prefix.
  set_target_properties(${target} PROPERTIES PREFIX "" SUFFIX ".so")
  target_link_libraries(${target} PRIVATE atomixtest::atomixtest)
  if(ATOMIXTEST_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ATOMIXTEST_PLUGIN_OUTPUT_DIR})
  endif()
  # Installed beside the core library's own plugins: lib/atomix-test/plugins
  # is two levels below lib/, where libatomixtest.so lives.
  set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/../..")
  install(TARGETS ${target} LIBRARY DESTINATION lib/atomix-test/plugins)
  # What the man page and the completions are made from (cmake/shell_docs.cmake).
  set_property(GLOBAL APPEND PROPERTY ATOMIXTEST_PLUGIN_TARGETS ${target})
endfunction()
