// A node named the way the original tool's API took one: by id (1) or by
// name ("my-cluster-1"), or a Node handle itself.
#pragma once

#include <string>
#include <variant>

namespace atomixtest {

class Node;

class NodeRef {
  public:
    NodeRef(int id) : ref_(id) {}                           // NOLINT(google-explicit-constructor)
    NodeRef(std::string name) : ref_(std::move(name)) {}    // NOLINT(google-explicit-constructor)
    NodeRef(const char* name) : ref_(std::string(name)) {}  // NOLINT(google-explicit-constructor)
    NodeRef(const Node& node);                              // NOLINT(google-explicit-constructor)

    const std::variant<int, std::string>& value() const { return ref_; }

  private:
    std::variant<int, std::string> ref_;
};

}  // namespace atomixtest
