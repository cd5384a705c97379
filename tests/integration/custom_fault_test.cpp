// A fault plugin built outside the project, as a user builds one: `cmake
// --install` into a fresh prefix, examples/custom-fault configured with
// find_package(atomixtest) from that prefix alone, then loaded by the
// installed CLI through ATOMIX_TEST_PLUGIN_PATH: listed by `plugins --json`,
// its params checked by the scenario validator, and run on a real cluster,
// where /proc shows every thread of node 1's process at the niceness
// priority.lower gave it, through each door, and back where it began after
// the undo.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <sstream>
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

// Every process in a network namespace (by its inode).
std::vector<int> processes_in(const fs::path& netns) {
    struct stat target {};
    std::vector<int> pids;
    if (stat(netns.c_str(), &target) != 0) return pids;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/proc", error)) {
        auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        struct stat ns {};
        if (stat((entry.path() / "ns/net").c_str(), &ns) != 0 || ns.st_ino != target.st_ino) {
            continue;
        }
        pids.push_back(std::stoi(name));
    }
    return pids;
}

// The niceness of every thread of the process: field 19 of
// /proc/PID/task/TID/stat, counted after the command name's closing ')'.
std::vector<int> thread_niceness(int pid) {
    std::vector<int> niceness;
    std::error_code error;
    for (const auto& task :
         fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", error)) {
        auto line = read_file(task.path() / "stat");
        auto close = line.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(line.substr(close + 1));
        std::string field;
        for (int index = 3; index <= 19 && fields >> field; ++index) {
            if (index == 19) niceness.push_back(std::stoi(field));
        }
    }
    return niceness;
}

// Every thread of the process at the niceness (and at least one thread).
bool all_threads_at(int pid, int nice) {
    auto niceness = thread_niceness(pid);
    return !niceness.empty() &&
           std::all_of(niceness.begin(), niceness.end(), [&](int each) { return each == nice; });
}

// What the nodes' processes begin with: this test's own niceness, which the
// CLI, the local backend's supervisor and the nodes it forks inherit. Not
// always 0 (a test run may itself be niced), so the niceness each door is
// given is counted from it: the plugin refuses one that would not lower.
int starting_nice() {
    return getpriority(PRIO_PROCESS, 0);
}

std::string command_of(int pid) {
    auto comm = read_file("/proc/" + std::to_string(pid) + "/comm");
    return comm.substr(0, comm.find('\n'));
}

// The faults of one plugin in `cluster NAME faults --json`.
nlohmann::json of_plugin(const nlohmann::json& faults, const std::string& plugin) {
    auto found = nlohmann::json::array();
    for (const auto& fault : faults) {
        if (fault.value("plugin", "") == plugin) found.push_back(fault);
    }
    return found;
}

// Watches the processes of nodes 1 to 3, as `processes_of(node)` finds them:
// whether a process of node N was ever seen with every thread at the lowered
// niceness, and whether, at such a moment, a stress-ng worker in the same
// node's namespace was still at the starting niceness (the node's cgroup
// neighbours are not the node). The first time a node is seen lowered,
// on_lowered gets its id (while the fault is still in force).
class NicenessWatch {
  public:
    NicenessWatch(int lowered, std::function<std::vector<int>(int)> processes_of,
                  std::function<void(int)> on_lowered = {})
        : lowered_(lowered),
          processes_of_(std::move(processes_of)),
          on_lowered_(std::move(on_lowered)) {
        thread_ = std::thread([this] {
            while (!done_) {
                for (int node = 1; node <= 3; ++node) look_at(node);
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
    }
    ~NicenessWatch() { stop(); }
    NicenessWatch(const NicenessWatch&) = delete;
    NicenessWatch& operator=(const NicenessWatch&) = delete;
    void stop() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
    }
    bool seen_lowered(int node) const { return seen_[node - 1]; }
    bool stressors_spared() const { return spared_; }

  private:
    void look_at(int node) {
        bool lowered = false, stressor_at_start = false;
        for (int pid : processes_of_(node)) {
            if (all_threads_at(pid, lowered_)) lowered = true;
            if (command_of(pid).rfind("stress-ng", 0) == 0 && all_threads_at(pid, start_)) {
                stressor_at_start = true;
            }
        }
        if (!lowered) return;
        if (stressor_at_start) spared_ = true;
        bool first = !(seen_[0] || seen_[1] || seen_[2]);
        seen_[node - 1] = true;
        if (first && on_lowered_) on_lowered_(node);
    }

    int lowered_;
    int start_ = starting_nice();
    std::function<std::vector<int>(int)> processes_of_;
    std::function<void(int)> on_lowered_;
    std::atomic<bool> done_{false};
    std::atomic<bool> seen_[3] = {false, false, false};
    std::atomic<bool> spared_{false};
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
    // About 1.6 s of CPU a header (each parses the standard library and
    // nlohmann/json again), 50 s in all; a test run beside other builds, at a
    // lower priority, has taken over 3 minutes. 4 stays inside CTest's 300 s.
    auto compile = run_process({.argv = argv, .timeout = std::chrono::minutes(4)});
    EXPECT_EQ(compile.exit_code, 0) << compile.out << compile.err;
}

// atomix-test installed into a fresh prefix, and the example built against
// it alone, once for the suite.
class InstalledSdk : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        prefix_ = new ScratchDir("atomix-test-sdk-prefix");
        work_ = new ScratchDir("atomix-test-priority-build");
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
    ASSERT_TRUE(fs::exists(plugin_dir / "atomixtest-fault-priority.so"));

    // Listed with its verbs and the params it declared, typed.
    auto listed = installed_cli(prefix.path, plugin_dir, {"plugins", "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    nlohmann::json priority;
    auto listing = nlohmann::json::parse(listed.out);  // outlives the loop below
    for (const auto& plugin : listing["plugins"]) {
        if (plugin["name"] == "priority") priority = plugin;
    }
    ASSERT_FALSE(priority.is_null()) << listed.out;
    EXPECT_EQ(priority["kind"], "fault");
    const auto& lower = priority["verbs"][0];
    EXPECT_EQ(lower["name"], "priority.lower");
    EXPECT_EQ(lower["scoped"], true);
    EXPECT_TRUE(lower["params"]["properties"].contains("node")) << priority.dump();
    EXPECT_EQ(lower["params"]["properties"]["nice"].value("minimum", 0), 1) << priority.dump();
    EXPECT_EQ(lower["params"]["properties"]["nice"].value("maximum", 0), 19) << priority.dump();
    EXPECT_EQ(priority["verbs"][1]["name"], "priority.restore");

    // A misspelt param and a niceness out of the declared range are refused
    // before any cluster, from the plugin's schema.
    auto bad = work.path / "bad-priority.yaml";
    write_file(bad,
               "name: bad-priority\n"
               "cluster: {backend: local, profile: etcd, nodes: 3}\n"
               "steps:\n"
               "  - priority.lower: {node: 1, niceness: 5}\n"
               "  - priority.lower: {node: 2, nice: 25}\n");
    auto refused = installed_cli(prefix.path, plugin_dir, {"run", bad.string()});
    EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
    EXPECT_NE(refused.err.find(bad.string() + ":4:"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("niceness"), std::string::npos) << refused.err;
    EXPECT_TRUE(refused.err.find("allowed: nice, node") != std::string::npos ||
                refused.err.find("allowed: node, nice") != std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find(bad.string() + ":5:"), std::string::npos) << refused.err;
    EXPECT_TRUE(namespaces_starting("bad-priority").empty());

    // The example's scenario under a name of this test's own, so the watch
    // below finds this run's cluster and no one else's.
    auto stem = unique_cluster("sdk-priority");
    auto scenario_text = read_file(source_dir() / "examples/custom-fault/lower-priority.yaml");
    auto name_at = scenario_text.find("name: starved-node-keeps-up");
    ASSERT_NE(name_at, std::string::npos);
    scenario_text.replace(name_at, std::string("name: starved-node-keeps-up").size(),
                          "name: " + stem);
    auto scenario = work.path / "lower-priority.yaml";
    write_file(scenario, scenario_text);

    // The run's cluster is STEM-SUFFIX; its node N lives in namespace
    // atomix-test.CLUSTER.N (the bridge's namespace has no number).
    auto node_namespace = [&](int node) -> std::string {
        for (const auto& name : namespaces_starting(stem)) {
            if (name.substr(name.rfind('.') + 1) == std::to_string(node)) return name;
        }
        return "";
    };
    // While node 1 is lowered, the plugin's in_force reports it (read from /proc too).
    ProcessResult faults;
    NicenessWatch watch(
        19,
        [&](int node) {
            auto name = node_namespace(node);
            return name.empty() ? std::vector<int>{} : processes_in("/run/netns/" + name);
        },
        [&](int node) {
            auto name = node_namespace(node);
            auto cluster = name.substr(std::string("atomix-test.").size());
            cluster = cluster.substr(0, cluster.rfind('.'));
            faults =
                installed_cli(prefix.path, plugin_dir, {"cluster", cluster, "faults", "--json"});
        });
    auto run =
        installed_cli(prefix.path, plugin_dir,
                      {"run", scenario.string(), "--results", (work.path / "results").string()});
    watch.stop();
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("PASS"), std::string::npos) << run.out << run.err;
    EXPECT_TRUE(watch.seen_lowered(1)) << "node 1's process never had every thread at nice 19";
    EXPECT_FALSE(watch.seen_lowered(2));
    EXPECT_FALSE(watch.seen_lowered(3));
    EXPECT_TRUE(watch.stressors_spared())
        << "stress-ng in node 1's cgroup was reniced with the node, or never seen beside it";
    ASSERT_EQ(faults.exit_code, 0) << faults.out << faults.err;
    // The stress beside it is listed by its own plugin.
    auto in_force = of_plugin(nlohmann::json::parse(faults.out), "priority");
    ASSERT_EQ(in_force.size(), 1u) << faults.out;
    EXPECT_EQ(in_force[0]["node"], 1);
    EXPECT_EQ(in_force[0]["nice"], 19);
    EXPECT_EQ(in_force[0]["began_at"], starting_nice());
    // The plugin's check, as the step's log shows it, and the undo that ran
    // before the scenario's last steps.
    auto log = run.out + run.err;
    EXPECT_NE(log.find("verified: node 1: "), std::string::npos) << log;
    EXPECT_NE(log.find(" at nice 19 (/proc/"), std::string::npos) << log;
    EXPECT_NE(log.find("undo  priority.restore"), std::string::npos) << log;
    EXPECT_TRUE(namespaces_starting(stem).empty());
    EXPECT_TRUE(processes_mentioning(stem).empty());
}

// The node's main process, as the local backend records it.
int node_pid(const std::string& cluster, int node) {
    auto runtime =
        nlohmann::json::parse(read_file(state_dir() / "local" / cluster / "runtime.json"));
    return runtime["nodes"][std::to_string(node)]["pid"].get<int>();
}

// A plugin of one's own is first-class without a line of core code: its verb
// is a CLI command (as a subcommand and through `fault`), a C++ call, and an
// entropy function, besides a scenario's step (above). Each door is judged by
// the niceness /proc shows for the nodes' threads.
TEST_F(InstalledSdk, EveryDoorReachesThePluginsVerb) {
    auto cluster = unique_cluster("sdk-doors");
    // Removed however the test ends: an ASSERT below returns early.
    struct TornDown {
        std::string cluster;
        ~TornDown() { installed({"cluster", cluster, "teardown"}); }
    } torn_down{cluster};
    ASSERT_EQ(installed({"cluster", cluster, "setup", "-c", "etcd", "-n", "3"}).exit_code, 0);
    const int start = starting_nice();
    ASSERT_LE(start, 17) << "the test runs at nice " << start << ": no room below 19 to lower to";
    // A niceness other than the default for `fault`, another for entropy.
    const int given = start + 1, drawn = 18;
    const int pid1 = node_pid(cluster, 1), pid2 = node_pid(cluster, 2);
    ASSERT_TRUE(all_threads_at(pid1, start) && all_threads_at(pid2, start));

    // The CLI, with the plugin's check shown; restored by a second command,
    // which finds the niceness to put back without the first one's memory.
    auto lowered = installed({"cluster", cluster, "priority.lower", "1"});
    EXPECT_EQ(lowered.exit_code, 0) << lowered.out << lowered.err;
    EXPECT_TRUE(all_threads_at(pid1, 19)) << "priority.lower 1 from the command line";
    EXPECT_TRUE(all_threads_at(pid2, start));
    EXPECT_NE(lowered.out.find("in force (verified: node 1: "), std::string::npos) << lowered.out;
    auto help = installed({"cluster", cluster, "priority.lower", "--help"});
    EXPECT_NE(help.out.find("the niceness every thread of the nodes gets"), std::string::npos)
        << "help from the declaration:\n"
        << help.out;
    EXPECT_EQ(installed({"cluster", cluster, "priority.restore", "1"}).exit_code, 0);
    EXPECT_TRUE(all_threads_at(pid1, start)) << "priority.restore 1";

    // `fault VERB param=value`, the niceness given; restore without a node is every node.
    auto generic = installed(
        {"cluster", cluster, "fault", "priority.lower", "node=2", "nice=" + std::to_string(given)});
    EXPECT_EQ(generic.exit_code, 0) << generic.out << generic.err;
    EXPECT_TRUE(all_threads_at(pid2, given)) << "fault priority.lower node=2 nice=" << given;
    auto faults = installed({"cluster", cluster, "faults", "--json"});
    ASSERT_EQ(faults.exit_code, 0) << faults.err;
    auto in_force = of_plugin(nlohmann::json::parse(faults.out), "priority");
    ASSERT_EQ(in_force.size(), 1u) << faults.out;
    EXPECT_EQ(in_force[0]["node"], 2);
    EXPECT_EQ(in_force[0]["nice"], given);
    EXPECT_EQ(installed({"cluster", cluster, "fault", "priority.restore"}).exit_code, 0);
    EXPECT_TRUE(all_threads_at(pid2, start)) << "restore without a node restores every node";

    // Refused by the door (no node 9, nice out of range) with nothing changed.
    auto refused = installed({"cluster", cluster, "priority.lower", "9"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("priority.lower: node: the cluster has no node 9"),
              std::string::npos)
        << refused.err;
    auto out_of_range = installed({"cluster", cluster, "priority.lower", "1", "--nice", "0"});
    EXPECT_EQ(out_of_range.exit_code, 2);
    EXPECT_NE(out_of_range.err.find("priority.lower: --nice: must be at least 1, got 0"),
              std::string::npos)
        << out_of_range.err;
    EXPECT_TRUE(all_threads_at(pid1, start));

    // All or none: node 3 is down, so nodes 1 and 3 are not lowered, and node
    // 1, lowered first, is put back.
    ASSERT_EQ(installed({"cluster", cluster, "node.kill", "3"}).exit_code, 0);
    auto partial = installed({"cluster", cluster, "priority.lower", "1,3"});
    EXPECT_EQ(partial.exit_code, 2) << partial.out << partial.err;
    EXPECT_NE(partial.err.find("node 3 is not running"), std::string::npos) << partial.err;
    EXPECT_TRUE(all_threads_at(pid1, start)) << "node 1 was left lowered after node 3 failed";
    ASSERT_EQ(installed({"cluster", cluster, "node.recover", "3"}).exit_code, 0);
    const int pid3 = node_pid(cluster, 3);  // the recovered node's new process

    // entropy: the plugin's verb as a function, drawn from the seed, undone.
    const int pids[] = {pid1, pid2, pid3};
    NicenessWatch watch(drawn, [&](int node) { return std::vector<int>{pids[node - 1]}; });
    auto results = work_->path / "entropy";
    auto entropy =
        installed({"entropy", "--cluster", cluster, "--run-time", "6s", "--results",
                   results.string(), "--seed", "3", "fault", "priority.lower", "--node", "random",
                   "--nice", std::to_string(drawn), "1s", "1500ms", "--period", "1s"});
    watch.stop();
    EXPECT_EQ(entropy.exit_code, 0) << entropy.out << entropy.err;
    auto history = read_file(results / "history.jsonl");
    EXPECT_NE(history.find(R"("fault":"priority.lower")"), std::string::npos)
        << history.substr(0, 2000);
    EXPECT_TRUE(watch.seen_lowered(1) || watch.seen_lowered(2) || watch.seen_lowered(3))
        << "no node was ever seen with every thread at nice " << drawn;
    for (int pid : pids) EXPECT_TRUE(all_threads_at(pid, start)) << pid;
    EXPECT_EQ(installed({"cluster", cluster, "teardown"}).exit_code, 0);

    // C++: cluster.fault("priority.lower", {{"node", 1}}) in a program built
    // against the SDK, which reads its node's threads from /proc itself; the
    // door fills in the declared default niceness.
    auto cpp = run_process({.argv = {"env", "ATOMIX_TEST_PLUGIN_PATH=" + plugin_dir().string(),
                                     (plugin_dir() / "priority-from-cpp").string()},
                            .timeout = std::chrono::minutes(2)});
    EXPECT_EQ(cpp.exit_code, 0) << cpp.out << cpp.err;
    EXPECT_NE(cpp.out.find(R"(in force: priority.lower {"nice":19,"node":[1]})"), std::string::npos)
        << cpp.out;
    EXPECT_NE(cpp.out.find(" threads at nice 19\n"), std::string::npos) << cpp.out;
    EXPECT_NE(cpp.out.find("node 1: back at nice " + std::to_string(start)), std::string::npos)
        << cpp.out;
    EXPECT_NE(cpp.out.find("refused: priority.lower: nice"), std::string::npos) << cpp.out;
}

}  // namespace
}  // namespace atomixtest::testing
