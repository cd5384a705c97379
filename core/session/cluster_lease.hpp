// A cluster that this process set up for a run (a scenario, an entropy run):
// torn down when the lease goes, whatever ended the run (an assertion, a
// plugin's exception of any type, Ctrl-C), unless the user asked to keep it.
// Its claim (session/cluster_claims.hpp) covers the one case a destructor cannot:
// the process killed outright, when `gc` tears it down instead.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "session/workspace.hpp"

namespace atomixtest {

class ClusterLease {
  public:
    ClusterLease(Workspace& workspace, std::string backend, std::ostream& log);
    ClusterLease(const ClusterLease&) = delete;
    ClusterLease& operator=(const ClusterLease&) = delete;
    ~ClusterLease();  // never throws: a failed teardown is a warning in the log

    // Sets the cluster up (on failure nothing of it is left, as setup_cluster
    // promises). keep: handed to the user instead of torn down.
    ClusterInfo setup(const ClusterSpec& spec, const Profile& profile, bool keep);

    const std::string& name() const { return name_; }
    const std::shared_ptr<Backend>& backend() const { return backend_; }
    bool holds_cluster() const { return created_; }

  private:
    Workspace& workspace_;
    std::string backend_name_;
    std::shared_ptr<Backend> backend_;
    std::ostream& log_;
    std::string name_;
    bool created_ = false;
    bool keep_ = false;
};

}  // namespace atomixtest
