// What a root process writes is never writable by other users, whatever the
// umask: state (which names the commands a supervisor runs), claims, results.
// And what it loads and runs (plugins) is refused if others could have
// written it.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <thread>

#include "atomixtest/error.hpp"
#include "build_paths.hpp"
#include "plugin_host/plugin_host.hpp"
#include "results/results_dir.hpp"
#include "util/private_dir.hpp"

namespace atomixtest {
namespace {

namespace fs = std::filesystem;

mode_t mode_of(const fs::path& path) {
    struct stat info {};
    stat(path.c_str(), &info);
    return info.st_mode & 07777;
}

// A scratch directory, under the umask the hostile caller would set.
class UnderUmaskZero : public ::testing::Test {
  protected:
    void SetUp() override {
        previous_ = umask(0);
        dir_ = fs::temp_directory_path() /
               ("atomix-test-private-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
    }
    void TearDown() override {
        umask(previous_);
        fs::remove_all(dir_);
    }
    mode_t previous_ = 0;
    fs::path dir_;
};

TEST_F(UnderUmaskZero, StateDirectoriesAreTheUsersAlone) {
    setenv("ATOMIX_TEST_STATE_DIR", (dir_ / "state").c_str(), 1);
    make_state_directory(dir_ / "state/local/some-cluster");
    for (const auto& path :
         {dir_ / "state", dir_ / "state/local", dir_ / "state/local/some-cluster"}) {
        EXPECT_EQ(mode_of(path), 0700u) << path;
    }
    unsetenv("ATOMIX_TEST_STATE_DIR");
}

TEST_F(UnderUmaskZero, AStateRootLeftOpenIsClosed) {
    fs::create_directories(dir_ / "state");
    chmod((dir_ / "state").c_str(), 0777);
    setenv("ATOMIX_TEST_STATE_DIR", (dir_ / "state").c_str(), 1);
    make_state_directory(dir_ / "state/claims");
    EXPECT_EQ(mode_of(dir_ / "state"), 0700u);
    unsetenv("ATOMIX_TEST_STATE_DIR");
}

TEST_F(UnderUmaskZero, AStateRootOfAnotherUserIsRefused) {
    if (geteuid() != 0) GTEST_SKIP() << "only root can give a directory away";
    fs::create_directories(dir_ / "state");
    ASSERT_EQ(chown((dir_ / "state").c_str(), 65534, 65534), 0);
    setenv("ATOMIX_TEST_STATE_DIR", (dir_ / "state").c_str(), 1);
    try {
        make_state_directory(dir_ / "state/local");
        ADD_FAILURE() << "kept state in another user's directory";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Environment);
        EXPECT_NE(std::string(error.what()).find("belongs to user 65534"), std::string::npos)
            << error.what();
    }
    unsetenv("ATOMIX_TEST_STATE_DIR");
}

TEST_F(UnderUmaskZero, ResultsAreReadableByAllAndWritableByNoOtherUser) {
    auto made = make_results_dir(dir_ / "results/run-1", "x");
    EXPECT_EQ(mode_of(dir_ / "results"), 0755u);
    EXPECT_EQ(mode_of(made), 0755u);
}

TEST_F(UnderUmaskZero, ConcurrentRunsNeverShareADefaultResultsDirectory) {
    auto cwd = fs::current_path();
    fs::current_path(dir_);
    std::vector<fs::path> made(8);
    std::vector<std::thread> runs;
    for (size_t i = 0; i < made.size(); ++i) {
        runs.emplace_back([&, i] { made[i] = make_results_dir({}, "same"); });
    }
    for (auto& run : runs) run.join();
    fs::current_path(cwd);
    std::set<fs::path> distinct(made.begin(), made.end());
    EXPECT_EQ(distinct.size(), made.size());
    EXPECT_TRUE(fs::is_symlink(dir_ / "results/latest"));
}

TEST_F(UnderUmaskZero, AResultsDirectoryThatCannotBeWrittenIsRefused) {
    std::ofstream(dir_ / "a-file") << "not a directory\n";
    try {
        ensure_writable_dir(dir_ / "a-file/results");
        ADD_FAILURE() << "a results directory under a file was accepted";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Environment);
        EXPECT_NE(std::string(error.what()).find(dir_.string() + "/a-file/results"),
                  std::string::npos)
            << error.what();
    }
}

// A copy of a real plugin in a directory of the test's, so its owner and mode
// can be changed.
class PluginFiles : public UnderUmaskZero {
  protected:
    fs::path copy_of(const std::string& file) {
        auto copy = dir_ / file;
        fs::copy_file(testing::plugin_dir() / file, copy);
        chmod(copy.c_str(), 0755);
        return copy;
    }
};

TEST_F(PluginFiles, APluginOthersCouldWriteIsRefusedWithTheReason) {
    auto plugin = copy_of("atomixtest-fault-stress.so");
    chmod(plugin.c_str(), 0757);
    try {
        PluginHost::load_file(plugin);
        ADD_FAILURE() << "loaded a world-writable plugin";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("is writable by its group or by others"),
                  std::string::npos)
            << error.what();
    }
}

TEST_F(PluginFiles, APluginInADirectoryOthersCouldWriteIsRefused) {
    auto plugin = copy_of("atomixtest-fault-stress.so");
    chmod(dir_.c_str(), 0777);
    EXPECT_THROW(PluginHost::load_file(plugin), Error);
    chmod(dir_.c_str(), 0755);
}

TEST_F(PluginFiles, APluginOfAnotherUserIsRefused) {
    if (geteuid() != 0) GTEST_SKIP() << "only root can give a file away";
    auto plugin = copy_of("atomixtest-fault-stress.so");
    ASSERT_EQ(chown(plugin.c_str(), 65534, 65534), 0);
    try {
        PluginHost::load_file(plugin);
        ADD_FAILURE() << "loaded another user's plugin";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("belongs to user 65534"), std::string::npos)
            << error.what();
    }
}

// Commands that need one plugin (`cluster X nodes`, gc) list the others by
// their files' names: nothing is loaded to list them.
TEST_F(PluginFiles, NamesAreKnownWithoutLoadingTheFiles) {
    fs::copy_file(testing::plugin_dir() / "atomixtest-fault-stress.so",
                  dir_ / "atomixtest-fault-lazy-probe.so");
    PluginHost host({dir_});
    auto names = host.names(PluginKind::Fault);
    EXPECT_EQ(names, std::vector<std::string>{"lazy-probe"});
    std::ifstream maps("/proc/self/maps");
    std::string mapped((std::istreambuf_iterator<char>(maps)), {});
    EXPECT_EQ(mapped.find("lazy-probe"), std::string::npos) << "the file was loaded";
}

}  // namespace
}  // namespace atomixtest
