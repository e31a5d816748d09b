// Throttling on a Galera Cluster: the share of time the cluster spent paused by flow control
// since the last check (wsrep_flow_control_paused_ns on the run's node: flow control pauses
// every node at once), and each node's receive queue (wsrep_local_recv_queue: writesets it has
// yet to apply, which make it send flow control once past gcs.fc_limit). The throttler asks it
// between chunks (throttle/throttler.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/session.h"
#include "util/status.h"

namespace shadowalter {

// The share of `elapsed_seconds` (in percent) that flow control paused, from two readings of
// wsrep_flow_control_paused_ns; nullopt without an earlier reading or elapsed time. Pure.
std::optional<double> FlowControlPercent(std::optional<uint64_t> before_ns, uint64_t now_ns,
                                         double elapsed_seconds);

// Why the copy must wait, "" when it may go on: flow control over `max_percent`, or a node's
// receive queue over `max_queue` (nodes named as given). Pure.
std::string ClusterFlowReason(std::optional<double> flow_percent, double max_percent,
                              const std::vector<std::pair<std::string, uint64_t>>& queues,
                              uint64_t max_queue);

class ClusterFlow {
 public:
  struct Node {
    std::string name;                  // host:port
    std::unique_ptr<Session> session;  // null while unreachable (then skipped)
  };
  // `nodes`: the other nodes of the cluster, each with a session of its own.
  ClusterFlow(double max_flow_ctl_percent, uint64_t max_recv_queue, std::vector<Node> nodes)
      : max_percent_(max_flow_ctl_percent), max_queue_(max_recv_queue), nodes_(std::move(nodes)) {}

  // Reads `own` (the run's node) and every other node; "" when the copy may go on.
  StatusOr<std::string> Reason(Session& own);

 private:
  double max_percent_;
  uint64_t max_queue_;
  std::vector<Node> nodes_;
  std::optional<uint64_t> last_paused_ns_;
  double last_at_ = 0;  // steady seconds of the last reading
};

}  // namespace shadowalter
