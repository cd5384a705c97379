// `atomixtest-node-tool`: what a fault plugin does inside a node it cannot
// enter from its own process (a pod on another machine, reached through the
// node agent): the backend runs this tool in the node's network namespace
// (Backend::run_in_nodes) and the plugin reads its output.
//
//   processes NAME      the processes named NAME in this network namespace,
//                       a line each: PID PGID CPU_TICKS COMMAND LINE
//   kill NAME           ends them (their whole process groups), waits for it
//   probe --port P --id N [--to IP]... [--window-ms W]
//                       listens on UDP port P, sends its id to each IP:P
//                       every 20 ms for W ms, and prints the ids it heard
//   rate-receive --port P --burst B
//                       counts the rate probe's bytes arriving on UDP port P:
//                       prints ARRIVED TAIL TAIL_MICROSECONDS
//   rate-send --to IP --port P --bytes N --packet S
//                       sends them, N bytes in datagrams of S: prints SENT
#include <iostream>
#include <string>
#include <vector>

#include "node_tool_commands.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 2 && args[0] == "processes") {
        return atomixtest::node_tool::list_processes(args[1]);
    }
    if (args.size() == 2 && args[0] == "kill")
        return atomixtest::node_tool::kill_processes(args[1]);
    if (!args.empty() && args[0] == "probe") {
        return atomixtest::node_tool::probe({args.begin() + 1, args.end()});
    }
    if (!args.empty() && args[0] == "rate-receive") {
        return atomixtest::node_tool::rate_receive({args.begin() + 1, args.end()});
    }
    if (!args.empty() && args[0] == "rate-send") {
        return atomixtest::node_tool::rate_send({args.begin() + 1, args.end()});
    }
    std::cerr << "usage: atomixtest-node-tool processes NAME | kill NAME | "
                 "probe --port P --id N [--to IP]... [--window-ms W] | "
                 "rate-receive --port P --burst B | "
                 "rate-send --to IP --port P --bytes N --packet S\n";
    return 2;
}
