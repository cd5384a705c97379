// atomixtest-local-supervisor: owns one local cluster after `setup` returns. It
// keeps the nodes' processes (reaping them, knowing who is running, stopped or
// dead), relays each LOCAL PORT, and takes node actions over a unix socket.
// Its nodes die with it (PR_SET_PDEATHSIG), so a crash leaves only namespaces
// and files, which teardown and gc remove.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <thread>

#include "../cluster_state.hpp"
#include "../control_socket.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/http.hpp"
#include "atomixtest/netns.hpp"
#include "node_freezer.hpp"
#include "node_process.hpp"
#include "util/fd.hpp"
#include "util/port_forwarder.hpp"

namespace atomixtest::local {
namespace {

struct ManagedNode {
    LocalNode spec;
    pid_t pid = 0;
    NodeStatus status = NodeStatus::Stopped;
    std::unique_ptr<PortForwarder> forwarder;
};

class Supervisor {
  public:
    explicit Supervisor(fs::path dir) : dir_(std::move(dir)), cluster_(read_cluster(dir_)) {
        for (const auto& node : cluster_.nodes) manage(node);
    }

    UniqueFd listen_control() {
        auto path = dir_ / "supervisor.sock";
        fs::remove(path);
        UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        // The socket takes node specs (argv) that this root process runs:
        // created 0600 (the umask is 077 from main), in the cluster's 0700
        // directory, and each caller's uid is checked besides (peer_is_owner).
        if (bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            chmod(path.c_str(), 0600) != 0 || listen(fd.get(), 16) != 0) {
            throw Error(ErrorKind::Environment,
                        "cannot listen on " + path.string() + ": " + strerror(errno));
        }
        return fd;
    }

    void start_all() {
        for (auto& [id, node] : nodes_) node.forwarder->start();
        auto rest = nodes_.begin();
        if (cluster_.lead_first.port != 0 && rest != nodes_.end()) {
            start(rest->second);
            wait_until_serving(rest->second.spec, cluster_.lead_first);
            ++rest;
        }
        for (; rest != nodes_.end(); ++rest) start(rest->second);
        save();
    }

    nlohmann::json ports() const {
        nlohmann::json ports = nlohmann::json::object();
        for (const auto& [id, node] : nodes_) ports[std::to_string(id)] = node.forwarder->port();
        return ports;
    }

    void serve(int listener) {
        while (!shutting_down_) {
            pollfd pfd{listener, POLLIN, 0};
            int ready = poll(&pfd, 1, 100);
            reap();
            if (ready <= 0) continue;
            UniqueFd client(accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
            if (!client) continue;
            if (!peer_is_owner(client.get())) {
                send_all(client.get(), R"({"ok":false,"error":"refused: not this cluster's owner"})"
                                       "\n");
                continue;
            }
            std::string line;
            if (!receive_line(client.get(), line, std::chrono::milliseconds(2000))) continue;
            nlohmann::json reply;
            try {
                reply = handle(nlohmann::json::parse(line));
                reply["ok"] = true;
            } catch (const std::exception& error) {
                reply = {{"ok", false}, {"error", error.what()}};
            }
            send_all(client.get(), reply.dump() + "\n");
        }
    }

  private:
    // Only the user who owns the cluster (the supervisor's own user) may ask.
    static bool peer_is_owner(int fd) {
        ucred peer{};
        socklen_t length = sizeof peer;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0) return false;
        if (peer.uid == geteuid()) return true;
        std::cerr << "supervisor: refused a request from uid " << peer.uid << " (pid " << peer.pid
                  << ")\n";
        return false;
    }

    nlohmann::json handle(const nlohmann::json& request) {
        std::string op = request.at("op");
        if (op == "status") return status();
        if (op == "shutdown") {
            // Teardown throws the data away, so a graceful stop buys nothing but
            // waiting: members whose peers are gone can sit out the whole grace.
            stop_all(request.value("graceful", false));
            shutting_down_ = true;
            return {};
        }
        if (op == "add") {
            // A node added to the running cluster: its namespace and files exist.
            auto spec = node_from_json(request.at("spec"));
            if (nodes_.count(spec.id) != 0) {
                throw bad_input("node " + std::to_string(spec.id) + " exists already");
            }
            auto& node = manage(spec);
            node.forwarder->start();
            start(node);
            save();
            return status();
        }
        if (op == "remove") {
            auto& node = find(request.at("node").get<int>());
            node_action(node, "stop");
            nodes_.erase(node.spec.id);
            save();
            return status();
        }
        if (op == "node") {
            auto& node = find(request.at("node").get<int>());
            auto reply = node_action(node, request.at("action"));
            save();
            auto answer = status();
            answer["action"] = reply;
            return answer;
        }
        throw bad_input("unknown op " + op);
    }

    // A paused node is thawed before it is stopped (SIGTERM would wait for the
    // thaw) and after it is killed (it dies at once, running nothing more).
    nlohmann::json node_action(ManagedNode& node, const std::string& action) {
        bool alive = node.status == NodeStatus::Running || node.status == NodeStatus::Paused;
        if (action == "kill") {
            if (alive) {
                kill(-node.pid, SIGKILL);
                if (node.status == NodeStatus::Paused) thaw_node(node.spec.cgroup_dirs, node.pid);
                waitpid(node.pid, nullptr, 0);
            }
            node.status = NodeStatus::Dead;
        } else if (action == "stop" || action == "restart") {
            if (alive) {
                if (node.status == NodeStatus::Paused) thaw_node(node.spec.cgroup_dirs, node.pid);
                stop_node_processes({{node.pid, grace(node)}});
            }
            node.status = NodeStatus::Stopped;
            if (action == "restart") start(node);
        } else if (action == "start" || action == "recover") {
            if (!alive) start(node);
        } else if (action == "pause") {
            if (node.status != NodeStatus::Running) {
                throw bad_input("node " + std::to_string(node.spec.id) + " is " +
                                to_string(node.status) + ": only a running node can be paused");
            }
            auto frozen = freeze_node(node.spec.cgroup_dirs, node.pid);
            node.status = NodeStatus::Paused;
            return {{"method", frozen.method}, {"processes", frozen.processes}};
        } else if (action == "resume") {
            if (node.status == NodeStatus::Paused) {
                thaw_node(node.spec.cgroup_dirs, node.pid);
                node.status = NodeStatus::Running;
            }
        } else {
            throw bad_input("unknown node action " + action);
        }
        return nlohmann::json::object();
    }

    nlohmann::json status() const {
        nlohmann::json nodes = nlohmann::json::array();
        for (const auto& [id, node] : nodes_) {
            nodes.push_back({{"id", id},
                             {"pid", node.pid},
                             {"status", to_string(node.status)},
                             {"local_port", node.forwarder->port()}});
        }
        return {{"nodes", nodes}};
    }

    ManagedNode& manage(const LocalNode& spec) {
        auto& managed = nodes_[spec.id];
        managed.spec = spec;
        managed.forwarder = std::make_unique<PortForwarder>(
            ForwardTarget{.port = spec.client_port, .netns = netns_path(spec.netns)});
        return managed;
    }

    static std::chrono::milliseconds grace(const ManagedNode& node) {
        return std::chrono::milliseconds(node.spec.stop_grace_ms);
    }

    ManagedNode& find(int id) {
        auto it = nodes_.find(id);
        if (it == nodes_.end()) throw not_found("no node " + std::to_string(id));
        return it->second;
    }

    // Only a head start: if the lead never answers, the others start anyway and
    // the readiness probe decides whether the cluster came up.
    static void wait_until_serving(const LocalNode& node, const LeadFirst& lead) {
        auto url = "http://" + node.ip + ":" + std::to_string(lead.port) + lead.path;
        auto deadline = std::chrono::steady_clock::now() + lead.timeout;
        for_each_network_namespace({netns_path(node.netns)}, [&](size_t) {
            while (std::chrono::steady_clock::now() < deadline) {
                try {
                    if (http_request({.url = url, .timeout = std::chrono::milliseconds(200)})
                            .status == 200) {
                        return;
                    }
                } catch (const Error&) {
                    // not listening yet
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        });
    }

    void start(ManagedNode& node) {
        auto dir = node_dir(cluster_.name, node.spec.id);
        node.pid = start_node_process(node.spec, dir, dir / "node.log");
        node.status = NodeStatus::Running;
    }

    void stop_all(bool graceful) {
        std::vector<StopRequest> requests;
        for (auto& [id, node] : nodes_) {
            if (node.status == NodeStatus::Paused) {
                thaw_node(node.spec.cgroup_dirs, node.pid);
                node.status = NodeStatus::Running;
            }
            if (node.status == NodeStatus::Running) {
                requests.push_back(
                    {node.pid, graceful ? grace(node) : std::chrono::milliseconds(0)});
            }
        }
        stop_node_processes(requests);
        for (auto& [id, node] : nodes_) {
            if (node.status == NodeStatus::Running) node.status = NodeStatus::Stopped;
        }
        save();
    }

    // A node that exits without being asked to is dead, as a crashed container is.
    void reap() {
        bool changed = false;
        int status = 0;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            for (auto& [id, node] : nodes_) {
                bool alive =
                    node.status == NodeStatus::Running || node.status == NodeStatus::Paused;
                if (node.pid == pid && alive) {
                    kill(-pid, SIGKILL);
                    node.status = NodeStatus::Dead;
                    changed = true;
                }
            }
        }
        if (changed) save();
    }

    void save() const {
        ClusterRuntime runtime;
        runtime.supervisor_pid = getpid();
        for (const auto& [id, node] : nodes_) {
            runtime.nodes[id] = {node.pid, node.status, node.forwarder->port()};
        }
        write_runtime(dir_, runtime);
    }

    fs::path dir_;
    LocalCluster cluster_;
    std::map<int, ManagedNode> nodes_;
    bool shutting_down_ = false;
};

}  // namespace
}  // namespace atomixtest::local

int main(int argc, char** argv) {
    using namespace atomixtest::local;
    if (argc != 3) {
        std::cerr << "usage: atomixtest-local-supervisor CLUSTER_DIR READY_FD\n";
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    umask(077);               // its socket and the state it writes are this user's alone
    signal(SIGINT, SIG_IGN);  // the terminal's Ctrl-C is for the CLI, not for us
    int ready_fd = std::atoi(argv[2]);
    try {
        Supervisor supervisor{fs::path(argv[1])};
        auto control = supervisor.listen_control();
        supervisor.start_all();
        atomixtest::send_all(
            ready_fd,
            nlohmann::json{{"ok", true}, {"pid", getpid()}, {"ports", supervisor.ports()}}.dump() +
                "\n");
        close(ready_fd);
        supervisor.serve(control.get());
    } catch (const std::exception& error) {
        atomixtest::send_all(ready_fd,
                             nlohmann::json{{"ok", false}, {"error", error.what()}}.dump() + "\n");
        std::cerr << "supervisor: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
