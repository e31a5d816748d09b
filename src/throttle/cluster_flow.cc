#include "throttle/cluster_flow.h"

#include <chrono>

#include "inspect/cluster.h"
#include "util/clock.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::optional<double> FlowControlPercent(std::optional<uint64_t> before_ns, uint64_t now_ns,
                                         double elapsed_seconds) {
  if (!before_ns || elapsed_seconds <= 0 || now_ns < *before_ns) return std::nullopt;
  return 100.0 * static_cast<double>(now_ns - *before_ns) / (elapsed_seconds * 1e9);
}

std::string ClusterFlowReason(std::optional<double> flow_percent, double max_percent,
                              const std::vector<std::pair<std::string, uint64_t>>& queues,
                              uint64_t max_queue) {
  if (flow_percent && *flow_percent > max_percent) {
    return "cluster flow control: paused " + Fixed(*flow_percent, 1) +
           "% of the time since the last check (--max-flow-ctl " + Fixed(max_percent, 1) + ")";
  }
  for (const auto& [node, queue] : queues) {
    if (queue > max_queue) {
      return "cluster node " + node + " has " + std::to_string(queue) +
             " writesets to apply (wsrep_local_recv_queue; --max-recv-queue " +
             std::to_string(max_queue) + ")";
    }
  }
  return "";
}

StatusOr<std::string> ClusterFlow::Reason(Session& own) {
  SA_ASSIGN_OR_RETURN(auto counters, GaleraCounters(own));
  const uint64_t paused_ns = counters["wsrep_flow_control_paused_ns"];
  const double now = SteadySeconds();
  const std::optional<double> percent =
      FlowControlPercent(last_paused_ns_, paused_ns, now - last_at_);
  last_paused_ns_ = paused_ns;
  last_at_ = now;
  std::vector<std::pair<std::string, uint64_t>> queues;
  queues.emplace_back("(this one)", counters["wsrep_local_recv_queue"]);
  for (Node& n : nodes_) {
    if (!n.session) continue;
    StatusOr<std::map<std::string, uint64_t>> node = GaleraCounters(*n.session);
    // A node that stopped answering has left the cluster (or will): it holds nobody back.
    if (!node.ok()) {
      n.session.reset();
      continue;
    }
    queues.emplace_back(n.name, (*node)["wsrep_local_recv_queue"]);
  }
  return ClusterFlowReason(percent, max_percent_, queues, max_queue_);
}

}  // namespace shadowalter
