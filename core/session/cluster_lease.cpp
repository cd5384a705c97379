#include "session/cluster_lease.hpp"

namespace atomixtest {

ClusterLease::ClusterLease(Workspace& workspace, std::string backend, std::ostream& log)
    : workspace_(workspace),
      backend_name_(std::move(backend)),
      backend_(workspace.backend(backend_name_)),
      log_(log) {}

ClusterInfo ClusterLease::setup(const ClusterSpec& spec, const Profile& profile, bool keep) {
    name_ = spec.name;
    keep_ = keep;
    auto info = workspace_.setup_cluster(backend_name_, spec, profile,
                                         keep ? ClusterKeeper::User : ClusterKeeper::ThisProcess);
    created_ = true;
    return info;
}

ClusterLease::~ClusterLease() {
    if (!created_ || keep_) return;
    log_ << name_ << ": tearing down\n";
    try {
        workspace_.teardown_cluster(backend_name_, name_);
    } catch (const std::exception& error) {
        log_ << "warning: teardown of " << name_ << ": " << error.what()
             << " (`atomix-test gc` removes what is left)\n";
    }
}

}  // namespace atomixtest
