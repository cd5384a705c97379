# The man page and the bash and zsh completions, written by the built CLI from
# its own commands and the built-in plugins' verb declarations (scripts/docs
# does the same for the schema), so they cannot drift from the code; installed
# where Debian's man and bash-completion look.
get_property(plugin_targets GLOBAL PROPERTY ATOMIXTEST_PLUGIN_TARGETS)
set(shell_docs_dir ${CMAKE_BINARY_DIR}/share)
set(shell_docs_env ${CMAKE_COMMAND} -E env ATOMIX_TEST_PLUGIN_PATH=
  ATOMIX_TEST_PROFILE_PATH=${ATOMIXTEST_PROFILE_DIR})
add_custom_command(
  OUTPUT ${shell_docs_dir}/man/man1/atomix-test.1
         ${shell_docs_dir}/bash-completion/completions/atomix-test
         ${shell_docs_dir}/zsh/vendor-completions/_atomix-test
  COMMAND ${CMAKE_COMMAND} -E make_directory ${shell_docs_dir}/man/man1
          ${shell_docs_dir}/bash-completion/completions ${shell_docs_dir}/zsh/vendor-completions
  COMMAND ${shell_docs_env} $<TARGET_FILE:atomix-test> man > ${shell_docs_dir}/man/man1/atomix-test.1
  COMMAND ${shell_docs_env} $<TARGET_FILE:atomix-test> completion bash
          > ${shell_docs_dir}/bash-completion/completions/atomix-test
  COMMAND ${shell_docs_env} $<TARGET_FILE:atomix-test> completion zsh
          > ${shell_docs_dir}/zsh/vendor-completions/_atomix-test
  DEPENDS atomix-test ${plugin_targets}
  COMMENT "Writing the man page and the shell completions"
  VERBATIM)
add_custom_target(shell-docs ALL DEPENDS ${shell_docs_dir}/man/man1/atomix-test.1)
install(FILES ${shell_docs_dir}/man/man1/atomix-test.1 DESTINATION share/man/man1)
install(FILES ${shell_docs_dir}/bash-completion/completions/atomix-test
  DESTINATION share/bash-completion/completions)
install(FILES ${shell_docs_dir}/zsh/vendor-completions/_atomix-test
  DESTINATION share/zsh/vendor-completions)
