// The Debian package, made by cpack from this build: its control fields, its
// files, a Depends that names the package of every library its programs
// link, and the tool unpacked into a root of its own, away from the build
// tree, running a check and a real cluster, with the SDK it ships building
// the custom-fault example.
#include <gtest/gtest.h>

#include <regex>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

class DebianPackage : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        work_ = new fs::path(fs::temp_directory_path() / unique_cluster("atomix-test-deb"));
        fs::create_directories(*work_);
        auto made = run_process(
            {.argv = {"cpack", "-G", "DEB", "--config",
                      (build_dir() / "CPackConfig.cmake").string(), "-B", work_->string()},
             .timeout = std::chrono::minutes(5)});
        for (const auto& entry : fs::directory_iterator(*work_)) {
            if (entry.path().extension() == ".deb") deb_ = new fs::path(entry.path());
        }
        if (made.exit_code != 0 || deb_ == nullptr) failure_ = made.out + made.err;
    }
    static void TearDownTestSuite() {
        fs::remove_all(*work_);
        delete work_;
        delete deb_;
    }
    void SetUp() override { ASSERT_EQ(failure_, "") << "cpack failed"; }

    static std::string field(const std::string& name) {
        auto result = run_process({.argv = {"dpkg-deb", "-f", deb_->string(), name}});
        return result.out;
    }
    static inline fs::path* work_ = nullptr;
    static inline fs::path* deb_ = nullptr;
    static inline std::string failure_;
};

TEST_F(DebianPackage, ItsNameFieldsAndFilesAreWhatAUserExpects) {
    EXPECT_EQ(deb_->filename().string(), "atomix-test_0.1.0_amd64.deb");
    EXPECT_EQ(field("Package"), "atomix-test\n");
    EXPECT_NE(field("Recommends").find("etcd-server"), std::string::npos);
    EXPECT_NE(field("Suggests").find("docker.io"), std::string::npos);
    auto depends = field("Depends");
    for (const char* library : {"libyaml-cpp", "libcurl", "libboost-filesystem", "libarchive",
                                "libnetfilter-queue", "iproute2"}) {
        EXPECT_NE(depends.find(library), std::string::npos) << library << " in " << depends;
    }
    auto contents = run_process({.argv = {"dpkg-deb", "-c", deb_->string()}}).out;
    for (const char* file :
         {"./usr/bin/atomix-test", "./usr/lib/libatomixtest.so",
          "./usr/lib/atomix-test/plugins/atomixtest-fault-net.so",
          "./usr/lib/atomix-test/plugins/atomixtest-local-supervisor",
          "./usr/share/atomix-test/profiles/etcd.yaml",
          "./usr/share/atomix-test/schemas/scenario.schema.json",
          "./usr/share/atomix-test/java/atomix-test-agent.jar",
          "./usr/share/atomix-test/examples/histories/stale-read.jsonl",
          "./usr/include/atomixtest/plugin.hpp",
          "./usr/lib/cmake/atomixtest/atomixtestConfig.cmake", "./usr/share/man/man1/atomix-test.1",
          "./usr/share/bash-completion/completions/atomix-test",
          "./usr/share/zsh/vendor-completions/_atomix-test"}) {
        EXPECT_NE(contents.find(std::string(file) + "\n"), std::string::npos) << file;
    }
}

// Every shared library a program of the package links (as the dynamic
// loader resolves it here) belongs to a Debian package Depends names, or to
// the package itself: installed elsewhere, nothing is missing.
TEST_F(DebianPackage, DependsNamesThePackageOfEveryLibraryItsProgramsLink) {
    auto root = *work_ / "deps-root";
    ASSERT_EQ(run_process({.argv = {"dpkg-deb", "-x", deb_->string(), root.string()}}).exit_code,
              0);
    auto depends = field("Depends");
    // The libraries each file names itself (NEEDED), where the loader finds them;
    // what those link in turn their own packages depend on.
    std::set<std::string> libraries;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        auto dynamic = run_process({.argv = {"readelf", "-d", entry.path().string()}});
        auto ldd = run_process({.argv = {"ldd", entry.path().string()}});
        if (dynamic.exit_code != 0 || ldd.exit_code != 0) continue;  // not a dynamic ELF file
        static const std::regex needed(R"(\(NEEDED\)\s+Shared library: \[(\S+)\])");
        for (std::sregex_iterator it(dynamic.out.begin(), dynamic.out.end(), needed), end;
             it != end; ++it) {
            std::regex resolved(
                "\\s" + std::regex_replace((*it)[1].str(), std::regex(R"([.+])"), R"(\$&)") +
                R"( => (/\S+) \()");
            std::smatch where;
            if (std::regex_search(ldd.out, where, resolved)) libraries.insert(where[1]);
        }
    }
    ASSERT_FALSE(libraries.empty());
    for (const auto& library : libraries) {
        if (library.find("libatomixtest.so") != std::string::npos) continue;  // its own
        auto owner = run_process({.argv = {"dpkg", "-S", fs::canonical(library).string()}});
        if (owner.exit_code != 0) {
            // Debian's merged /usr: the library is known by its /lib path.
            auto path = fs::canonical(library).string();
            if (path.rfind("/usr/", 0) == 0) path = path.substr(4);
            owner = run_process({.argv = {"dpkg", "-S", path}});
        }
        ASSERT_EQ(owner.exit_code, 0) << library << ": " << owner.err;
        auto package = owner.out.substr(0, owner.out.find(':'));
        EXPECT_NE(depends.find(package), std::string::npos)
            << library << " comes from " << package << ", which Depends lacks: " << depends;
    }
}

TEST_F(DebianPackage, UnpackedInARootOfItsOwnItChecksRunsAClusterAndBuildsAPlugin) {
    auto root = *work_ / "root";
    ASSERT_EQ(run_process({.argv = {"dpkg-deb", "-x", deb_->string(), root.string()}}).exit_code,
              0);
    auto cli = (root / "usr/bin/atomix-test").string();
    auto plugins = run_process({.argv = {cli, "plugins"}});
    EXPECT_EQ(plugins.exit_code, 0) << plugins.err;
    EXPECT_NE(plugins.out.find((root / "usr/lib/atomix-test/plugins").string()), std::string::npos)
        << "the packaged plugins, not the build tree's:\n"
        << plugins.out;

    auto histories = root / "usr/share/atomix-test/examples/histories";
    auto stale = run_process(
        {.argv = {cli, "check", (histories / "stale-read.jsonl").string(), "--model", "kv"}});
    EXPECT_EQ(stale.exit_code, 1) << stale.out << stale.err;
    EXPECT_NE(stale.out.find("not linearizable"), std::string::npos);
    auto fine = run_process(
        {.argv = {cli, "check", (histories / "linearizable.jsonl").string(), "--model", "kv"}});
    EXPECT_EQ(fine.exit_code, 0) << fine.out << fine.err;

    auto scenario = source_dir() / "scenarios/etcd/isolated-node-keeps-data.yaml";
    auto run = run_process(
        {.argv = {cli, "run", scenario.string(), "--results", (*work_ / "results").string()},
         .timeout = std::chrono::minutes(2)});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("PASS"), std::string::npos) << run.out;

    // The SDK and CMake package it ships build a plugin of one's own.
    auto example = *work_ / "example-build";
    auto configure = run_process(
        {.argv = {"cmake", "-S", (source_dir() / "examples/custom-fault").string(), "-B",
                  example.string(), "-DCMAKE_PREFIX_PATH=" + (root / "usr").string()},
         .timeout = std::chrono::minutes(2)});
    ASSERT_EQ(configure.exit_code, 0) << configure.out << configure.err;
    auto build = run_process(
        {.argv = {"cmake", "--build", example.string()}, .timeout = std::chrono::minutes(5)});
    EXPECT_EQ(build.exit_code, 0) << build.out << build.err;
}

}  // namespace
}  // namespace atomixtest::testing
