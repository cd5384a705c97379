# `cpack -G DEB` (scripts/package): atomix-test_VERSION_amd64.deb with what
# `cmake --install` puts under /usr: the CLI, the core library, the plugins
# and their helpers, the profiles, the schema, the agent jar, the SDK headers
# and CMake package, the man page and the completions. Depends is read from
# the binaries by dpkg-shlibdeps, so it names exactly the runtime libraries
# they link; what the faults and profiles run is recommended or suggested.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME atomix-test)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "fault injection and chaos testing for clustered systems (etcd, Atomix 3)")
set(CPACK_PACKAGE_CONTACT "atomix-test maintainers <maintainers@atomix-test.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The plugins are MODULE libraries loaded from lib/atomix-test/plugins, which
# links libatomixtest.so: dpkg-shlibdeps finds it in the package itself.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_BINARY_DIR}/core)
# iproute2 and iptables: the local backend's namespaces and partitions.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "iproute2, iptables")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "etcd-server, stress-ng, nftables")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "docker.io, openjdk-17-jre-headless")
include(CPack)
