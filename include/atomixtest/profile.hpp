// A profile says how to start one node of a kind of system: it is data (a YAML
// file under plugins/profiles/), read by the core and handed to the backend.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "atomixtest/cluster.hpp"

namespace atomixtest {

struct ReadinessProbe {
    std::string method = "GET";  // HTTP request sent to the node's client port
    std::string path = "/";
    std::string body;
    int expect_status = 200;
    std::chrono::milliseconds timeout{30000};
};

// A node that must be up before the others start, for systems whose members
// stall when they all boot at once (see plugins/profiles/etcd.yaml). The
// backend starts the first node, waits (at most timeout) until an HTTP GET of
// path on port, at the node's own address, answers 200, then starts the rest.
struct LeadFirst {
    int port = 0;  // 0: all nodes start at once
    std::string path = "/";
    std::chrono::milliseconds timeout{5000};
};

// What a container of this kind runs on the docker backend: a named image
// (pulled when the engine lacks it), or one assembled from host files, so no
// registry is needed: each entry is an executable on PATH or an absolute file
// or directory, brought with the libraries it loads.
struct ImageSpec {
    std::string name;
    std::vector<std::string> host_files;
};

// An HTTP request to a running member, about another one, for systems whose
// membership is changed through their API (etcd's member add/remove). Its
// templates see the new node's values; capture names values taken from the
// JSON reply by JSON pointer, which the node keeps and its leave request sees.
struct MembershipRequest {
    std::string method = "POST";
    std::string path;  // empty: no request
    std::string body;
    std::map<std::string, std::string> capture;  // value name -> JSON pointer
};

struct Profile {
    std::string name;
    std::string description;
    std::string client;  // client plugin that speaks to this system
    NodeType type = NodeType::Server;
    int client_port = 0;               // the port LOCAL PORT forwards to
    std::vector<std::string> command;  // argv template, see render_template()
    std::map<std::string, std::string> env;
    std::string member;  // template of one entry of {members}
    std::string member_separator = ",";
    ReadinessProbe ready;
    LeadFirst lead_first;
    std::chrono::milliseconds stop_grace{3000};  // SIGTERM, then SIGKILL after this
    ImageSpec image;
    MembershipRequest join;   // sent before a node is added to a running cluster
    MembershipRequest leave;  // sent before a node is removed
};

// Values a template may name as {key}: cluster, name, id, ip, data_dir, log_dir,
// client_port, members, cluster_state ("new" at setup, "existing" for a node
// added later) and the values a join request captured.
using TemplateValues = std::map<std::string, std::string>;
std::string render_template(const std::string& text, const TemplateValues& values);

}  // namespace atomixtest
