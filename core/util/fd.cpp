#include "util/fd.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include "atomixtest/error.hpp"

namespace atomixtest {

Pipe make_pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        throw Error(ErrorKind::Environment, std::string("pipe: ") + strerror(errno));
    }
    return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void set_nonblocking(int fd) {
    if (fd >= 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

}  // namespace atomixtest
