// A profile says how to start one node of a kind of system: it is data (a YAML
// file under plugins/profiles/), read by the core and handed to the backend.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "atomixtest/cluster.hpp"

namespace atomixtest {

// An HTTP request sent to the node's client port, and the status it must get.
struct ProbeRequest {
    std::string method = "GET";
    std::string path = "/";
    std::string body;
    int expect_status = 200;
};

// A node is ready once the probe's request answers as expected, then each of
// `then` in turn (e.g. the REST server answers, then a primitive operation).
struct ReadinessProbe : ProbeRequest {
    std::vector<ProbeRequest> then;
    std::chrono::milliseconds timeout{30000};
};

// How to ask the system who leads it, for the `leader` and `followers` node
// selectors: the request goes to each running server; in its JSON reply,
// `self` points at the member's own name and `leader` at the name of the
// member it says leads. The leader is the member most replies name. An
// empty `self` means the profile cannot say.
struct LeaderQuery : ProbeRequest {
    std::string self;
    std::string leader;
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
    std::vector<std::string> host_files;  // templates: host paths may be named
    std::string family;                   // profiles of one family share the assembled image
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

// A list that node templates name as {NAME}: item rendered once per member
// (with that member's cluster, name, id and ip), joined by separator. The
// members are every node at setup; for a node added later, the servers and it.
struct ListTemplate {
    std::string item;
    std::string separator = ",";
};

// A path on this machine that the profile's command needs, found before any
// node starts (see resolve_host_paths) and named in templates as {NAME}:
// `executable` found on PATH (symlinks resolved) then `up` levels above it, or
// `file` looked up in a place `in`: "java" (the framework's own jars:
// $ATOMIX_TEST_JAVA_PATH, java/ beside the executable, share/atomix-test/java)
// or "cache" (jars fetched by scripts/setup: $ATOMIX_TEST_CACHE, else
// /var/cache/atomix-test as root, else ~/.cache/atomix-test). `hint` says how
// to get it when it is missing.
struct HostPath {
    std::string executable;
    int up = 0;
    std::string file;
    std::string in;
    std::string hint;
};

struct Profile {
    std::string name;
    std::string description;
    std::string client;  // client plugin that speaks to this system
    // Passed to the client plugin with every operation (Endpoint::options).
    std::map<std::string, std::string> client_options;
    NodeType type = NodeType::Server;
    int client_port = 0;               // the port LOCAL PORT forwards to
    std::vector<std::string> command;  // argv template, see render_template()
    std::map<std::string, std::string> env;
    ReadinessProbe ready;
    LeadFirst lead_first;
    LeaderQuery leader;
    std::chrono::milliseconds stop_grace{3000};  // SIGTERM, then SIGKILL after this
    ImageSpec image;
    MembershipRequest join;   // sent before a node is added to a running cluster
    MembershipRequest leave;  // sent before a node is removed
    // Templates of files the node reads (its config), keyed by a path relative
    // to {conf_dir}; written before the node starts.
    std::map<std::string, std::string> files;
    std::map<std::string, ListTemplate> lists;  // "members" is the `member` entry
    std::map<std::string, HostPath> host_paths;
    std::map<std::string, std::string> host_values;  // host_paths once resolved
    // disk: {lazy: true}: the nodes' data dirs are lazy disks (ClusterSpec::disk).
    bool lazy_disk = false;
    // Values of the profile's own that templates name as {key}, so that a
    // variant extending it changes one (consensus-linearizable sets
    // read_consistency); the node's values (ip, name, ...) win over them.
    // Last, so that a plugin built before it reads the fields above as ever.
    std::map<std::string, std::string> values;
    // Ports the nodes reach each other on besides client_port (etcd's 2380):
    // where a node's address is a Kubernetes Service, the Service carries
    // exactly these.
    std::vector<int> peer_ports;
};

// Values a template may name as {key}: cluster, name, id, ip, listen_ip, data_dir, log_dir,
// conf_dir, client_port, cluster_state ("new" at setup, "existing" for a node
// added later), each list (members, ...), the resolved host paths, the
// profile's `values` and the values a join request captured.
using TemplateValues = std::map<std::string, std::string>;
std::string render_template(const std::string& text, const TemplateValues& values);

// One node as lists and templates see it.
struct MemberAddress {
    int id = 0;
    std::string name;
    std::string ip;
};

// Where a node is and what it is part of, for node_template_values.
struct NodeContext {
    std::string cluster;
    MemberAddress node;
    std::vector<MemberAddress> members;  // whom the lists name
    std::string data_dir;
    std::string log_dir;
    std::string conf_dir;
    std::string cluster_state = "new";
    // The address the node binds ({listen_ip}): its own ({ip}) when it is an
    // address of the node's interface (local, docker); where {ip} is an
    // address others reach it by but not its own (a Kubernetes Service's
    // ClusterIP), what names the node's own (the pod's $(POD_IP)). Empty: {ip}.
    std::string listen_ip;
};

TemplateValues node_template_values(const Profile& profile, const NodeContext& context);

// The profile's image.host_files with the host paths filled in: what an
// image assembled from this machine's files is made of.
std::vector<std::string> image_host_files(const Profile& profile);

// The profile's files rendered for one node: relative path -> content.
std::map<std::string, std::string> render_files(const Profile& profile,
                                                const TemplateValues& values);

}  // namespace atomixtest
