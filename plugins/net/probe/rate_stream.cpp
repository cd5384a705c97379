#include "probe/rate_stream.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace atomixtest::net {

double RateMeasure::bits_per_second() const {
    if (tail <= 0 || tail_took.count() <= 0) return 0;
    return static_cast<double>(tail) * 8e6 / static_cast<double>(tail_took.count());
}

int probe_payload(int packet) {
    return std::max(16, packet - kProbeHeaders);
}

int probe_receiver_socket(int port) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int buffer = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        int error = errno;
        close(fd);
        errno = error;
        return -1;
    }
    timeval wait{0, 10'000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    return fd;
}

int probe_sender_socket(int payload) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int buffer = 4 * (payload + kProbeHeaders);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    timeval patience{2, 0};  // a shaper that never lets go must not hang the check
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &patience, sizeof patience);
    return fd;
}

int64_t send_probe_bytes(int fd, const sockaddr_in& peer, int64_t total, int payload) {
    std::vector<char> message(static_cast<size_t>(payload), 'r');
    int64_t sent = 0;
    for (int64_t done = 0; done < total; done += payload + kProbeHeaders) {
        if (sendto(fd, message.data(), message.size(), 0, reinterpret_cast<const sockaddr*>(&peer),
                   sizeof peer) < 0 &&
            errno == EAGAIN) {
            break;
        }
        sent += payload + kProbeHeaders;
    }
    return sent;
}

RateMeasure measure_arrivals(const std::vector<Arrival>& arrivals, int64_t burst) {
    RateMeasure measure;
    size_t tail_start = arrivals.size();
    int64_t seen = 0;
    for (size_t i = 0; i < arrivals.size(); ++i) {
        measure.arrived += arrivals[i].bytes;
        if (tail_start == arrivals.size() && (seen += arrivals[i].bytes) >= burst) tail_start = i;
    }
    size_t timed_from = tail_start + (arrivals.size() - tail_start) / 2;
    if (timed_from + 1 < arrivals.size()) {
        for (size_t i = timed_from + 1; i < arrivals.size(); ++i) measure.tail += arrivals[i].bytes;
        measure.tail_took = std::chrono::duration_cast<std::chrono::microseconds>(
            arrivals.back().at - arrivals[timed_from].at);
    }
    return measure;
}

}  // namespace atomixtest::net
