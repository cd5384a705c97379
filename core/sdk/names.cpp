// String forms of the SDK's enums: the words the CLI prints and JSON carries.
#include "atomixtest/backend.hpp"
#include "atomixtest/cluster.hpp"
#include "atomixtest/error.hpp"
#include "atomixtest/plugin.hpp"

namespace atomixtest {

const char* to_string(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::BadInput:
            return "bad input";
        case ErrorKind::NotFound:
            return "not found";
        case ErrorKind::Environment:
            return "environment";
        case ErrorKind::Unavailable:
            return "unavailable";
        case ErrorKind::Timeout:
            return "timeout";
        case ErrorKind::AssertionFailed:
            return "assertion failed";
        case ErrorKind::Internal:
            return "internal";
    }
    return "unknown";
}

const char* to_string(NodeStatus status) {
    switch (status) {
        case NodeStatus::Running:
            return "running";
        case NodeStatus::Stopped:
            return "stopped";
        case NodeStatus::Dead:
            return "dead";
        case NodeStatus::Paused:
            return "paused";
    }
    return "unknown";
}

const char* to_string(NodeType type) {
    return type == NodeType::Server ? "server" : "client";
}

const char* to_string(NodeAction action) {
    switch (action) {
        case NodeAction::Kill:
            return "kill";
        case NodeAction::Stop:
            return "stop";
        case NodeAction::Start:
            return "start";
        case NodeAction::Recover:
            return "recover";
        case NodeAction::Restart:
            return "restart";
        case NodeAction::Pause:
            return "pause";
        case NodeAction::Resume:
            return "resume";
    }
    return "unknown";
}

const char* to_string(PluginKind kind) {
    switch (kind) {
        case PluginKind::Backend:
            return "backend";
        case PluginKind::Fault:
            return "fault";
        case PluginKind::Client:
            return "client";
    }
    return "unknown";
}

}  // namespace atomixtest
