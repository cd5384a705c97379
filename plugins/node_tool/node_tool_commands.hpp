// The node tool's commands (see node_tool_main.cpp), each acting in the
// network namespace the tool was started in.
#pragma once

#include <string>
#include <vector>

namespace atomixtest::node_tool {

int list_processes(const std::string& name);
int kill_processes(const std::string& name);
int probe(const std::vector<std::string>& args);
int rate_receive(const std::vector<std::string>& args);
int rate_send(const std::vector<std::string>& args);

}  // namespace atomixtest::node_tool
