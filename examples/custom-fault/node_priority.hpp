// The CPU priority (niceness) of a node's processes, read and set through
// /proc and setpriority(2). Linux keeps a niceness per thread, not per
// process: setpriority(PRIO_PROCESS, pid) changes the one thread whose id is
// pid, so a node is reniced thread by thread, over its main process and every
// process that descends from it. Not its cgroup: stress-ng workers share the
// node's cgroup, and they are the competition the node should lose to.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace priority_fault {

struct ThreadNice {
    int pid = 0;  // the process
    int tid = 0;  // its thread
    int nice = 0;
};

// The process and its descendants (children, their children...), read from
// the parent field of every /proc/PID/stat.
std::vector<int> process_tree(int pid);

// Every thread of the process tree with its niceness; a thread that ends
// while it is read is left out.
std::vector<ThreadNice> niceness_of_tree(int pid);

// The niceness of the process's first thread (/proc/PID/stat), and of the
// process that started it: a process begins with its parent's niceness, so
// that is what a node's processes had before anyone reniced them. nullopt
// when the process is gone.
std::optional<int> nice_of(int pid);
std::optional<int> parent_nice_of(int pid);

// Sets every thread of the tree to the niceness, in passes until one finds
// them all there: a thread started meanwhile by one not yet reniced inherits
// the old value. Returns the threads read at the niceness by the last pass
// and those still elsewhere (a thread that outpaced every pass). Throws
// Environment when the kernel refuses (raising a priority needs CAP_SYS_NICE).
struct ReniceOutcome {
    std::vector<ThreadNice> at;
    std::vector<ThreadNice> elsewhere;
    size_t processes = 0;
};
ReniceOutcome renice_tree(int pid, int nice);

// "thread 4242 of process 4240 at nice 0"
std::string describe(const ThreadNice& thread);

}  // namespace priority_fault
