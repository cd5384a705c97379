// A command run in a pod's container through the API server's exec, in its
// WebSocket form: sub-protocol v5.channel.k8s.io, whose close message ends
// the command's stdin (v4 cannot, so it is offered only when there is no
// input). Each binary message starts with its channel's byte: 0 stdin, 1
// stdout, 2 stderr, 3 the outcome (a Status object: Success, or the exit
// code as its cause), 255 close a channel. Authorization is the cluster's
// own (RBAC's pods/exec), so nothing listens on any node for it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "kubeconfig.hpp"

namespace atomixtest::kube {

struct PodExec {
    std::string ns;
    std::string pod;
    std::string container;  // "" for a pod of one container
    std::vector<std::string> argv;
    std::string input;  // written to stdin, then stdin closed
};

struct PodExecResult {
    int exit_code = -1;  // -1: the command did not run (`err` says why)
    std::string out;
    std::string err;
};

// Throws Environment when the API server does not answer, Unavailable when
// it refuses the exec (the pod is not running: its words); a command that
// runs and fails is a result, not an exception. The whole call is bounded by
// `timeout`; past it the stream is closed and Unavailable thrown.
PodExecResult exec_in_pod(const ApiEndpoint& endpoint, const PodExec& exec,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace atomixtest::kube
