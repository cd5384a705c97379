// The lazy disk's daemon as a function of its command line, so that two
// programs serve it: atomixtest-diskfs (started from this machine by the
// backends) and the node disk tool's `serve` (started by the node agent on
// its machine). Its usage is in diskfs_serve.cpp.
#pragma once

namespace atomixtest::disk {

int serve_lazy_disk(int argc, char** argv);

}  // namespace atomixtest::disk
