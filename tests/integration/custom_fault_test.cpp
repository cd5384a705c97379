// A fault plugin built outside the project, as a user builds one: `cmake
// --install` into a fresh prefix, examples/custom-fault configured with
// find_package(atomixtest) from that prefix alone, then loaded by the
// installed CLI through ATOMIX_TEST_PLUGIN_PATH: listed by `plugins --json`,
// its params checked by the scenario validator, and run on a real cluster,
// where /proc shows node 1 stopped (state T) while it is paused.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "cli_harness.hpp"

namespace atomixtest::testing {
namespace {

namespace fs = std::filesystem;

// A temporary directory removed with everything in it when the test ends.
struct ScratchDir {
    fs::path path;
    explicit ScratchDir(const std::string& stem)
        : path(fs::temp_directory_path() / unique_cluster(stem)) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
};

ProcessResult install_into(const fs::path& prefix) {
    return run_process(
        {.argv = {"cmake", "--install", build_dir().string(), "--prefix", prefix.string()},
         .timeout = std::chrono::minutes(2)});
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream(path) << text;
}

// The installed CLI with the plugin's build dir on its plugin path.
ProcessResult installed_cli(const fs::path& prefix, const fs::path& plugin_dir,
                            std::vector<std::string> args) {
    args.insert(args.begin(), {"env", "ATOMIX_TEST_PLUGIN_PATH=" + plugin_dir.string(),
                               (prefix / "bin/atomix-test").string()});
    return run_process({.argv = args, .timeout = std::chrono::minutes(3)});
}

// Network namespaces of clusters whose name starts with the stem (`run` adds a suffix).
std::vector<std::string> namespaces_starting(const std::string& stem) {
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/run/netns", error)) {
        auto name = entry.path().filename().string();
        if (name.rfind("atomix-test." + stem, 0) == 0) found.push_back(name);
    }
    return found;
}

// The state letter of every process in a network namespace (by its inode).
std::vector<char> process_states_in(const fs::path& netns) {
    struct stat target {};
    std::vector<char> states;
    if (stat(netns.c_str(), &target) != 0) return states;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/proc", error)) {
        struct stat ns {};
        if (stat((entry.path() / "ns/net").c_str(), &ns) != 0 || ns.st_ino != target.st_ino) {
            continue;
        }
        auto line = read_file(entry.path() / "stat");
        auto close = line.rfind(')');
        if (close != std::string::npos && close + 2 < line.size()) {
            states.push_back(line[close + 2]);
        }
    }
    return states;
}

// Watches the nodes of a running scenario's cluster: whether a process of
// node N was ever seen stopped by a signal (state T). The first time one is,
// on_stopped gets the cluster's name (while the pause is still in force).
class StoppedProcessWatch {
  public:
    StoppedProcessWatch(std::string stem, std::function<void(const std::string&)> on_stopped)
        : stem_(std::move(stem)), on_stopped_(std::move(on_stopped)) {
        thread_ = std::thread([this] {
            while (!done_) {
                for (const auto& name : namespaces_starting(stem_)) {
                    // Node namespaces end in their id; the cluster's bridge has one too.
                    auto suffix = name.substr(name.rfind('.') + 1);
                    if (suffix.size() != 1 || suffix[0] < '1' || suffix[0] > '3') continue;
                    for (char state : process_states_in("/run/netns/" + name)) {
                        if (state != 'T') continue;
                        bool first = !(stopped_[0] || stopped_[1] || stopped_[2]);
                        stopped_[suffix[0] - '1'] = true;
                        auto prefix = std::string("atomix-test.");
                        if (first)
                            on_stopped_(
                                name.substr(prefix.size(), name.rfind('.') - prefix.size()));
                    }
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
    }
    ~StoppedProcessWatch() { stop(); }
    StoppedProcessWatch(const StoppedProcessWatch&) = delete;
    StoppedProcessWatch& operator=(const StoppedProcessWatch&) = delete;
    void stop() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
    }
    bool seen_stopped(int node) const { return stopped_[node - 1]; }

  private:
    std::string stem_;
    std::function<void(const std::string&)> on_stopped_;
    std::atomic<bool> done_{false};
    std::atomic<bool> stopped_[3] = {false, false, false};
    std::thread thread_;
};

TEST(CustomFault, EveryInstalledHeaderCompilesOnItsOwn) {
    ScratchDir prefix("atomix-test-sdk-headers");
    auto install = install_into(prefix.path);
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    // One translation unit per header, each including it alone, against the
    // installed include dir and nothing of the source tree.
    std::vector<std::string> argv = {"c++",
                                     "-std=c++20",
                                     "-fsyntax-only",
                                     "-Wall",
                                     "-Wextra",
                                     "-Werror",
                                     "-I",
                                     (prefix.path / "include").string()};
    size_t headers = 0;
    auto include_dir = prefix.path / "include";
    for (const auto& entry : fs::recursive_directory_iterator(include_dir / "atomixtest")) {
        if (entry.path().extension() != ".hpp") continue;
        auto relative = entry.path().lexically_relative(include_dir).string();
        auto unit_name = relative;
        std::replace(unit_name.begin(), unit_name.end(), '/', '_');
        auto unit = prefix.path / (unit_name + "_alone.cpp");
        write_file(unit, "#include <" + relative + ">\n");
        argv.push_back(unit.string());
        ++headers;
    }
    EXPECT_GE(headers, 10u);
    auto compile = run_process({.argv = argv, .timeout = std::chrono::minutes(3)});
    EXPECT_EQ(compile.exit_code, 0) << compile.out << compile.err;
}

// atomix-test installed into a fresh prefix, and the example built against
// it alone, once for the suite.
class InstalledSdk : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        prefix_ = new ScratchDir("atomix-test-sdk-prefix");
        work_ = new ScratchDir("atomix-test-pause-build");
        auto install = install_into(prefix_->path);
        if (install.exit_code != 0) {
            failure_ = "install: " + install.out + install.err;
            return;
        }
        // Built as its README says, from the example's own CMakeLists.txt.
        auto configure = run_process(
            {.argv = {"cmake", "-S", (source_dir() / "examples/custom-fault").string(), "-B",
                      plugin_dir().string(), "-DCMAKE_PREFIX_PATH=" + prefix_->path.string()},
             .timeout = std::chrono::minutes(2)});
        auto build = run_process({.argv = {"cmake", "--build", plugin_dir().string()},
                                  .timeout = std::chrono::minutes(4)});
        if (configure.exit_code != 0 || build.exit_code != 0) {
            failure_ = configure.out + configure.err + build.out + build.err;
        }
    }
    static void TearDownTestSuite() {
        delete work_;
        delete prefix_;
    }
    void SetUp() override { ASSERT_EQ(failure_, ""); }

    static fs::path plugin_dir() { return work_->path / "build"; }
    static ProcessResult installed(std::vector<std::string> args) {
        return installed_cli(prefix_->path, plugin_dir(), std::move(args));
    }

    static ScratchDir* prefix_;
    static ScratchDir* work_;
    static std::string failure_;
};

ScratchDir* InstalledSdk::prefix_ = nullptr;
ScratchDir* InstalledSdk::work_ = nullptr;
std::string InstalledSdk::failure_;

TEST_F(InstalledSdk, BuiltAgainstTheInstalledSdkLoadedByNameAndRunOnACluster) {
    const auto& prefix = *prefix_;
    const auto& work = *work_;
    for (const auto* part : {"lib/cmake/atomixtest/atomixtestConfig.cmake",
                             "lib/cmake/atomixtest/atomixtestConfigVersion.cmake",
                             "lib/cmake/atomixtest/atomixtestTargets.cmake",
                             "lib/cmake/atomixtest/atomixtestPlugin.cmake"}) {
        EXPECT_TRUE(fs::exists(prefix.path / part)) << part;
    }
    auto plugin_dir = InstalledSdk::plugin_dir();
    ASSERT_TRUE(fs::exists(plugin_dir / "atomixtest-fault-pause.so"));

    // Listed with its verbs and the params it declared.
    auto listed = installed_cli(prefix.path, plugin_dir, {"plugins", "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    nlohmann::json pause;
    auto listing = nlohmann::json::parse(listed.out);  // outlives the loop below
    for (const auto& plugin : listing["plugins"]) {
        if (plugin["name"] == "pause") pause = plugin;
    }
    ASSERT_FALSE(pause.is_null()) << listed.out;
    EXPECT_EQ(pause["kind"], "fault");
    EXPECT_EQ(pause["verbs"][0]["name"], "pause.node");
    EXPECT_EQ(pause["verbs"][0]["scoped"], true);
    EXPECT_TRUE(pause["verbs"][0]["params"]["properties"].contains("node")) << pause.dump();

    // A misspelt param is refused before any cluster, from the plugin's schema.
    auto bad = work.path / "bad-pause.yaml";
    write_file(bad,
               "name: bad-pause\n"
               "cluster: {backend: local, profile: etcd, nodes: 3}\n"
               "steps:\n"
               "  - pause.node: {node: 1, signal: KILL}\n");
    auto refused = installed_cli(prefix.path, plugin_dir, {"run", bad.string()});
    EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
    EXPECT_NE(refused.err.find(bad.string() + ":4:"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("signal"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("allowed: node"), std::string::npos) << refused.err;

    // The example's scenario under a name of this test's own, so the watch
    // below finds this run's cluster and no one else's.
    auto stem = unique_cluster("sdk-pause");
    auto scenario_text = read_file(source_dir() / "examples/custom-fault/pause-node.yaml");
    auto name_at = scenario_text.find("name: paused-node-catches-up");
    ASSERT_NE(name_at, std::string::npos);
    scenario_text.replace(name_at, std::string("name: paused-node-catches-up").size(),
                          "name: " + stem);
    auto scenario = work.path / "pause-node.yaml";
    write_file(scenario, scenario_text);

    // While node 1 is paused, the plugin's in_force reports it (read from /proc too).
    ProcessResult faults;
    StoppedProcessWatch watch(stem, [&](const std::string& cluster) {
        faults = installed_cli(prefix.path, plugin_dir, {"cluster", cluster, "faults", "--json"});
    });
    auto run =
        installed_cli(prefix.path, plugin_dir,
                      {"run", scenario.string(), "--results", (work.path / "results").string()});
    watch.stop();
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("PASS"), std::string::npos) << run.out << run.err;
    EXPECT_TRUE(watch.seen_stopped(1)) << "node 1's process was never in state T";
    EXPECT_FALSE(watch.seen_stopped(2));
    EXPECT_FALSE(watch.seen_stopped(3));
    ASSERT_EQ(faults.exit_code, 0) << faults.out << faults.err;
    auto in_force = nlohmann::json::parse(faults.out);
    ASSERT_EQ(in_force.size(), 1u) << faults.out;
    EXPECT_EQ(in_force[0]["plugin"], "pause");
    EXPECT_EQ(in_force[0]["node"], 1);
    // The undo ran before the scenario's last steps: node 1 answered them.
    EXPECT_NE((run.out + run.err).find("undo  pause.resume"), std::string::npos) << run.out;
    EXPECT_TRUE(namespaces_starting(stem).empty());
    EXPECT_TRUE(processes_mentioning(stem).empty());
}

// The node's main process, as the local backend records it.
int node_pid(const std::string& cluster, int node) {
    auto runtime =
        nlohmann::json::parse(read_file(state_dir() / "local" / cluster / "runtime.json"));
    return runtime["nodes"][std::to_string(node)]["pid"].get<int>();
}

char state_of(int pid) {
    auto line = read_file("/proc/" + std::to_string(pid) + "/stat");
    auto close = line.rfind(')');
    return close == std::string::npos ? '?' : line[close + 2];
}

// A plugin of one's own is first-class without a line of core code: its verb
// is a CLI command (as a subcommand and through `fault`), a C++ call, and an
// entropy function, besides a scenario's step (above).
TEST_F(InstalledSdk, EveryDoorReachesThePluginsVerb) {
    auto cluster = unique_cluster("sdk-doors");
    ASSERT_EQ(installed({"cluster", cluster, "setup", "-c", "etcd", "-n", "3"}).exit_code, 0);
    int pid1 = node_pid(cluster, 1), pid2 = node_pid(cluster, 2);

    auto paused = installed({"cluster", cluster, "pause.node", "1"});
    EXPECT_EQ(paused.exit_code, 0) << paused.out << paused.err;
    EXPECT_EQ(state_of(pid1), 'T') << "pause.node 1 from the command line";
    auto help = installed({"cluster", cluster, "pause.node", "--help"});
    EXPECT_NE(help.out.find("the nodes"), std::string::npos) << "help from the declaration:\n"
                                                             << help.out;
    EXPECT_EQ(installed({"cluster", cluster, "pause.resume", "1"}).exit_code, 0);
    EXPECT_NE(state_of(pid1), 'T');

    auto generic = installed({"cluster", cluster, "fault", "pause.node", "node=2"});
    EXPECT_EQ(generic.exit_code, 0) << generic.out << generic.err;
    EXPECT_EQ(state_of(pid2), 'T') << "fault pause.node node=2";
    EXPECT_EQ(installed({"cluster", cluster, "fault", "pause.resume"}).exit_code, 0);
    EXPECT_NE(state_of(pid2), 'T') << "resume without a node resumes every node";

    auto refused = installed({"cluster", cluster, "pause.node", "9"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("pause.node: node: the cluster has no node 9"), std::string::npos)
        << refused.err;
    EXPECT_NE(state_of(pid1), 'T');

    // entropy: the plugin's verb as a function, drawn from the seed, undone.
    auto results = work_->path / "entropy";
    auto entropy = installed({"entropy", "--cluster", cluster, "--run-time", "6s", "--results",
                              results.string(), "--seed", "3", "fault", "pause.node", "--node",
                              "random", "1s", "1500ms", "--period", "1s"});
    EXPECT_EQ(entropy.exit_code, 0) << entropy.out << entropy.err;
    auto history = read_file(results / "history.jsonl");
    EXPECT_NE(history.find(R"("fault":"pause.node")"), std::string::npos)
        << history.substr(0, 2000);
    for (int pid : {pid1, pid2, node_pid(cluster, 3)}) EXPECT_NE(state_of(pid), 'T');
    EXPECT_EQ(installed({"cluster", cluster, "teardown"}).exit_code, 0);

    // C++: cluster.fault("pause.node", ...) in a program built against the SDK.
    auto cpp = run_process({.argv = {"env", "ATOMIX_TEST_PLUGIN_PATH=" + plugin_dir().string(),
                                     (plugin_dir() / "pause-from-cpp").string()},
                            .timeout = std::chrono::minutes(2)});
    EXPECT_EQ(cpp.exit_code, 0) << cpp.out << cpp.err;
    EXPECT_NE(cpp.out.find("in force: pause.node {\"node\":[1]}"), std::string::npos) << cpp.out;
    EXPECT_NE(cpp.out.find("refused: pause.node: node: the cluster has no node 7"),
              std::string::npos)
        << cpp.out;
}

}  // namespace
}  // namespace atomixtest::testing
