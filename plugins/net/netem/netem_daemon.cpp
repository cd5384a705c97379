// atomixtest-netem: netem and tbf in userspace, for kernels without their
// qdiscs. Runs inside one node's network namespace; an iptables rule there
// sends the node's outgoing packets (all but loopback, or those to the peers
// with settings of their own) to NFQUEUE 0 with `bypass`, so if this process
// dies traffic flows instead of being blackholed. Each packet's fate is drawn
// as netem draws it, with the settings of the peer it goes to; a rate holds
// it until its token bucket lets it go. Held packets wait in a min-heap keyed
// by their due time (verdicts may be given in any order), one thread in all.
// The command line holds the node's whole shaping (shaping.hpp), the
// kernel's part too: that part is only recorded here.
//
// A daemon that stops serving the queue without dying (SIGSTOP, a hang) would
// hold the node's egress until the queue's 65,536 packets are full: a
// watchdog process of its own (atomixtest-netem-watchdog, the same program)
// kills it when its heartbeat stops for 2 s, and the queue's bypass lets
// traffic flow again.
//
// usage: atomixtest-netem SHAPING_JSON   (prints "ready" once the queue is bound)
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/netfilter.h>
#include <netinet/ip.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libnetfilter_queue/libnetfilter_queue.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <queue>
#include <string>
#include <vector>

#include "netem_rules.hpp"
#include "packet_fate.hpp"
#include "shaping.hpp"
#include "token_bucket.hpp"

namespace atomixtest::net {
namespace {

using Clock = std::chrono::steady_clock;

struct Held {
    Clock::time_point due;
    uint32_t id;
    // The corrupted packet, else empty. Its buffer is padded to 4 bytes:
    // nfq_set_verdict sends the payload attribute aligned, reading past a
    // packet whose length is not a multiple of 4.
    std::vector<unsigned char> changed;
    uint32_t changed_length = 0;
    bool operator>(const Held& other) const { return due > other.due; }
};

volatile sig_atomic_t stopping = 0;
void on_stop(int) {
    stopping = 1;
}

// The settings of one destination (every peer, or a peer of its own): its
// draws, and the bucket its packets share (the node's, or its own).
struct Scope {
    FateDrawer fates;
    TokenBucket* bucket = nullptr;
};

class Netem {
  public:
    explicit Netem(const Shaping& shaping) {
        auto now = Clock::now();
        auto every_peer = user_part(shaping.all, shaping.kernel);
        every_peer.seed = shaping.seed;
        if (every_peer.rate.bits_per_second > 0) buckets_.emplace_back(every_peer.rate, now);
        TokenBucket* shared = buckets_.empty() ? nullptr : &buckets_.back();
        scopes_.push_back({FateDrawer(every_peer), shared});
        for (const auto& peer : shaping.peers) {
            auto spec = user_part(shaping.for_peer(peer), shaping.kernel);
            spec.seed = shaping.seed + 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(peer.node);
            TokenBucket* bucket = shared;
            // A rate of its own is a bucket of its own.
            if (user_part(peer.own, shaping.kernel).rate.bits_per_second > 0) {
                buckets_.emplace_back(spec.rate, now);
                bucket = &buckets_.back();
            } else if (spec.rate.bits_per_second == 0) {
                bucket = nullptr;
            }
            for (const auto* ip : {&peer.ip, &peer.own_ip}) {
                in_addr address{};
                if (inet_pton(AF_INET, ip->c_str(), &address) == 1) {
                    scope_of_.emplace(address.s_addr, scopes_.size());
                }
            }
            scopes_.push_back({FateDrawer(spec), bucket});
        }
        // Duplicates are sent again through a raw socket, marked so that the
        // queue rule lets them pass instead of queueing them a second time.
        raw_ = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
        int mark = kNetemBypassMark;
        if (raw_ >= 0) setsockopt(raw_, SOL_SOCKET, SO_MARK, &mark, sizeof mark);
    }

    int on_packet(nfq_q_handle* queue, nfq_data* data) {
        auto* header = nfq_get_msg_packet_hdr(data);
        if (!header) return 0;
        uint32_t id = ntohl(header->packet_id);
        unsigned char* payload = nullptr;
        int length = nfq_get_payload(data, &payload);
        auto& scope = scope_for(payload, length);
        auto fate = scope.fates.next();
        if (fate.drop) return nfq_set_verdict(queue, id, NF_DROP, 0, nullptr);
        if (fate.duplicate && length > 0) send_copy(payload, static_cast<size_t>(length));
        Held held{Clock::now() + fate.delay, id, {}};
        if (scope.bucket) {
            auto departure = scope.bucket->departure(held.due, std::max(length, 0));
            if (!departure) return nfq_set_verdict(queue, id, NF_DROP, 0, nullptr);
            held.due = *departure;
        }
        if (fate.corrupt && length > 0) {
            held.changed_length = static_cast<uint32_t>(length);
            held.changed.assign(payload, payload + length);
            held.changed.resize((held.changed.size() + 3) / 4 * 4);
            flip_a_payload_bit(held.changed, held.changed_length);
        }
        if (held.due <= Clock::now()) return release(queue, held);
        waiting_.push(std::move(held));
        return 0;
    }

    // Gives the verdicts that are due; returns the ms until the next one (-1: none).
    int release_due(nfq_q_handle* queue) {
        auto now = Clock::now();
        while (!waiting_.empty() && waiting_.top().due <= now) {
            release(queue, waiting_.top());
            waiting_.pop();
        }
        if (waiting_.empty()) return -1;
        auto wait = std::chrono::duration_cast<std::chrono::microseconds>(waiting_.top().due - now);
        return static_cast<int>((wait.count() + 999) / 1000);
    }

    void release_all(nfq_q_handle* queue) {
        while (!waiting_.empty()) {
            release(queue, waiting_.top());
            waiting_.pop();
        }
    }

  private:
    // By the packet's destination: a peer's own settings, else every peer's.
    Scope& scope_for(const unsigned char* packet, int length) {
        if (length >= static_cast<int>(sizeof(iphdr)) && scope_of_.size() > 0) {
            auto found = scope_of_.find(reinterpret_cast<const iphdr*>(packet)->daddr);
            if (found != scope_of_.end()) return scopes_[found->second];
        }
        return scopes_.front();
    }

    static int release(nfq_q_handle* queue, const Held& held) {
        if (held.changed.empty()) return nfq_set_verdict(queue, held.id, NF_ACCEPT, 0, nullptr);
        return nfq_set_verdict(queue, held.id, NF_ACCEPT, held.changed_length, held.changed.data());
    }

    // A bit of the transport payload (after the IP header), as netem does, so
    // the receiver's checksum catches it rather than the IP layer.
    void flip_a_payload_bit(std::vector<unsigned char>& packet, size_t length) {
        size_t header = length >= 20 ? static_cast<size_t>(packet[0] & 0x0f) * 4 : 0;
        if (length <= header) return;
        std::uniform_int_distribution<size_t> byte(header, length - 1);
        std::uniform_int_distribution<int> bit(0, 7);
        packet[byte(corruption_)] ^= static_cast<unsigned char>(1 << bit(corruption_));
    }

    void send_copy(const unsigned char* packet, size_t length) const {
        if (raw_ < 0 || length < sizeof(iphdr)) return;
        const auto* ip = reinterpret_cast<const iphdr*>(packet);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = ip->daddr;
        sendto(raw_, packet, length, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    }

    std::deque<TokenBucket> buckets_;  // stable addresses for the scopes
    std::vector<Scope> scopes_;        // [0]: every peer
    std::map<uint32_t, size_t> scope_of_;
    std::mt19937_64 corruption_{1};
    int raw_ = -1;
    std::priority_queue<Held, std::vector<Held>, std::greater<>> waiting_;
};

int callback(nfq_q_handle* queue, nfgenmsg*, nfq_data* data, void* self) {
    return static_cast<Netem*>(self)->on_packet(queue, data);
}

constexpr auto kHeartbeatEvery = std::chrono::milliseconds(100);
constexpr int kWatchdogPatienceMs = 2000;

// The watchdog: the daemon's child, re-executed under another name so that
// nothing takes it for a daemon. It dies with the daemon (PDEATHSIG), and
// kills it if no heartbeat comes within the patience.
int watch(int heartbeat_fd) {
    pid_t daemon = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != daemon) return 0;  // the daemon went before PDEATHSIG was set
    char drain[256];
    while (true) {
        pollfd pfd{heartbeat_fd, POLLIN, 0};
        int ready = poll(&pfd, 1, kWatchdogPatienceMs);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            std::fprintf(stderr, "atomixtest-netem: no heartbeat for %d ms, stopping pid %d\n",
                         kWatchdogPatienceMs, daemon);
            kill(daemon, SIGKILL);
            return 0;
        }
        if (read(heartbeat_fd, drain, sizeof drain) <= 0) return 0;  // the daemon exited
    }
}

// Starts the watchdog; returns the pipe's end the daemon beats on.
int start_watchdog() {
    int beat[2];
    if (pipe2(beat, O_CLOEXEC) != 0) return -1;
    pid_t child = fork();
    if (child == 0) {
        dup2(beat[0], 3);  // clears close-on-exec
        const char* argv[] = {"atomixtest-netem-watchdog", "--watchdog", "3", nullptr};
        execv("/proc/self/exe", const_cast<char* const*>(argv));
        _exit(127);
    }
    close(beat[0]);
    fcntl(beat[1], F_SETFL, O_NONBLOCK);  // a full pipe never blocks the daemon
    return child > 0 ? beat[1] : -1;
}

// With nothing for userspace to do (the kernel carries it all), the daemon
// only holds the record until it is stopped.
int hold_record() {
    std::printf("ready\n");
    std::fflush(stdout);
    while (!stopping) poll(nullptr, 0, 100);  // a signal between checks costs 100 ms at most
    return 0;
}

int run(const Shaping& shaping) {
    if (!shaping.needs_daemon()) return hold_record();
    Netem netem(shaping);
    nfq_handle* handle = nfq_open();
    if (!handle) {
        perror("atomixtest-netem: nfq_open");
        return 1;
    }
    nfq_q_handle* queue = nfq_create_queue(handle, kNetemQueue, &callback, &netem);
    if (!queue || nfq_set_mode(queue, NFQNL_COPY_PACKET, 0xffff) < 0) {
        perror("atomixtest-netem: cannot bind the queue");
        return 1;
    }
    nfq_set_queue_maxlen(queue, 65536);
    // When the queue is full, pass packets rather than drop them: the fault
    // is what was asked for, never more.
    nfq_set_queue_flags(queue, NFQA_CFG_F_FAIL_OPEN, NFQA_CFG_F_FAIL_OPEN);
    int fd = nfq_fd(handle);
    int heartbeat = start_watchdog();
    if (heartbeat < 0) {
        perror("atomixtest-netem: cannot start its watchdog");
        return 1;
    }
    auto last_beat = Clock::now();
    std::printf("ready\n");
    std::fflush(stdout);
    std::vector<char> buffer(1 << 17);
    int timeout = -1;
    while (!stopping) {
        pollfd pfd{fd, POLLIN, 0};
        int ready = poll(&pfd, 1, timeout < 0 ? 200 : timeout);
        if (ready > 0) {
            // Drain what is there without blocking, then see what is due.
            while (true) {
                ssize_t n = recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
                if (n <= 0) break;
                nfq_handle_packet(handle, buffer.data(), static_cast<int>(n));
            }
        }
        timeout = netem.release_due(queue);
        if (Clock::now() - last_beat >= kHeartbeatEvery) {
            last_beat = Clock::now();
            [[maybe_unused]] auto written = write(heartbeat, "b", 1);
        }
        if (timeout < 0 || timeout > 100) timeout = 100;
    }
    netem.release_all(queue);
    nfq_destroy_queue(queue);
    nfq_close(handle);
    return 0;
}

}  // namespace
}  // namespace atomixtest::net

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "--watchdog") == 0) {
        return atomixtest::net::watch(std::atoi(argv[2]));
    }
    if (argc != 2) {
        std::fprintf(stderr, "usage: atomixtest-netem SHAPING_JSON\n");
        return 2;
    }
    struct sigaction action {};
    action.sa_handler = atomixtest::net::on_stop;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    try {
        auto shaping = atomixtest::net::Shaping::from_json(nlohmann::json::parse(argv[1]));
        return atomixtest::net::run(shaping);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "atomixtest-netem: %s\n", error.what());
        return 2;
    }
}
