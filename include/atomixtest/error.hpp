// Typed errors shared by the core and every plugin. Plugins never print or exit:
// they throw atomixtest::Error and the core turns the kind into a message and an
// exit code (0 ok, 1 test failed, 2 bad input or set-up problem).
#pragma once

#include <stdexcept>
#include <string>

namespace atomixtest {

enum class ErrorKind {
    BadInput,         // the user asked for something invalid (exit 2)
    NotFound,         // a named cluster, node, plugin or fault does not exist (exit 2)
    Environment,      // the machine cannot do it: permission, missing tool (exit 2)
    Unavailable,      // the system under test refused or failed: certainly not applied
    Timeout,          // no answer in time: the outcome is unknown
    AssertionFailed,  // an expectation of a scenario did not hold (exit 1)
    Internal,         // a bug or an unexpected failure of the framework (exit 2)
};

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const { return kind_; }

  private:
    ErrorKind kind_;
};

inline Error bad_input(const std::string& message) {
    return {ErrorKind::BadInput, message};
}
inline Error not_found(const std::string& message) {
    return {ErrorKind::NotFound, message};
}
inline Error environment_error(const std::string& message) {
    return {ErrorKind::Environment, message};
}

// Exit codes of the CLI, as documented in the README.
inline int exit_code_for(ErrorKind kind) {
    return kind == ErrorKind::AssertionFailed ? 1 : 2;
}

const char* to_string(ErrorKind kind);

}  // namespace atomixtest
