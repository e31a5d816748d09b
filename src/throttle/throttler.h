// The throttler: between chunks (never inside one, so no lock or transaction is held while it
// waits) it decides whether the copy may go on. It pauses while the pause file exists, while a
// status variable is at or above its --max-load limit, or while a replica lags more than
// --max-lag or is stopped, broken or unreachable (fail closed); it aborts on --critical-load, or
// when a replica has been down longer than --replica-timeout. Each change of state is logged
// once with its reason and measured value; time spent waiting is counted per reason.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "control/live_settings.h"
#include "db/session.h"
#include "throttle/cluster_flow.h"
#include "throttle/decisions.h"
#include "throttle/replicas.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

class Throttler {
 public:
  // Finds the replicas (refusing as FindReplicas does) and fixes the load limits (a limit given
  // without a value becomes the current value plus 20%). `primary` is the throttler's own
  // session for status reads.
  static StatusOr<std::unique_ptr<Throttler>> Create(std::unique_ptr<Session> primary,
                                                     const Config& config, const StopFlag& stop);

  // Returns when the copy may run the next chunk. kAborted on a stop request, critical load or a
  // replica down past --replica-timeout.
  Status WaitUntilClear();

  // Sessions idle while the throttler waits (the copy's, the DDL session) get a `DO 1` every
  // round, so a long pause never outlasts the server's wait_timeout. Unregister before a session
  // is destroyed.
  void KeepAlive(Session* session) { keep_alive_.push_back(session); }
  // After the primary's connection was lost: the throttler's own session is replaced.
  void ReplacePrimary(std::unique_ptr<Session> primary) { primary_ = std::move(primary); }
  // The replicas watched; a replica's session is null while it is unreachable.
  const std::vector<Replica>& replicas() const { return replicas_; }
  void StopKeepingAlive(Session* session) { std::erase(keep_alive_, session); }

  double throttled_seconds() const { return throttled_seconds_; }
  const std::map<std::string, double>& seconds_by_reason() const { return by_reason_; }

  // The largest lag measured at the last check, nullopt when a replica could not say (or there
  // is none): what --output json reports as max_replica_lag_seconds.
  std::optional<double> max_replica_lag() const { return max_replica_lag_; }

  // Told when a pause begins (its kind, e.g. "replica lag", and the full reason) and ends (the
  // kind and the seconds it lasted), so the report can show it without parsing the log.
  struct Observer {
    std::function<void(const std::string& kind, const std::string& reason)> paused;
    std::function<void(const std::string& kind, double seconds)> resumed;
  };
  void set_observer(Observer observer) { observer_ = std::move(observer); }

  // An operator's changes while the run goes on (the control socket): read every round, so a
  // pause by hand holds the copy and new limits apply from the next check. May be null.
  void UseLiveSettings(LiveSettings* live) { live_ = live; }

  // Whether the server is quiet: nobody but the copy wrote lately. While it is, the checkpoint
  // age does not hold the copy back: the furious flushing near the maximum stalls writers, and
  // there are none but the copy (replica lag is still watched). Unset: never quiet.
  void SetQuietCheck(std::function<bool()> quiet) { quiet_ = std::move(quiet); }

  // On a Galera Cluster node: also pause for flow control and the nodes' receive queues.
  void WatchCluster(std::unique_ptr<ClusterFlow> cluster) { cluster_ = std::move(cluster); }

  // From now on, replica lag is read from this heartbeat table instead of replication status.
  void UseHeartbeat(std::string schema, std::string table) {
    heartbeat_schema_ = std::move(schema);
    heartbeat_table_ = std::move(table);
  }

 private:
  // Why the copy must wait: its kind ("replica lag", "server load", "pause file"), named where
  // the reason is found, and the words for the log; no text when it may go on.
  struct WaitReason {
    std::string kind;
    std::string text;
    bool checkpoint_age = false;  // --max-checkpoint-age: it holds until the age is well below
    bool none() const { return text.empty(); }
  };
  // Why the copy must wait now, given the reason of the round before; kAborted for critical
  // load.
  StatusOr<WaitReason> Reason(const WaitReason& current);
  StatusOr<WaitReason> LoadReason(const WaitReason& current);
  WaitReason LagReason(bool force);
  // Fixes the thresholds of `max_load` and `critical_load` against the server's status now (a
  // limit without a value: 20% above the current value) and the query that reads them.
  Status SetLoadLimits(const std::vector<LoadLimit>& max_load,
                       const std::vector<LoadLimit>& critical_load);
  // Takes up what changed in live_ since the last round. New load limits the server can't
  // measure are warned about and put back to the old ones, which stay in force.
  void ApplyLiveSettings();

  Throttler(std::unique_ptr<Session> primary, const Config& config, const StopFlag& stop)
      : primary_(std::move(primary)), config_(config), stop_(stop), max_lag_(config.max_lag) {}

  using Clock = std::chrono::steady_clock;
  std::unique_ptr<Session> primary_;
  const Config& config_;
  const StopFlag& stop_;
  std::vector<Replica> replicas_;
  std::vector<Session*> keep_alive_;
  std::string heartbeat_schema_, heartbeat_table_;  // empty: use replication status
  std::vector<LoadThreshold> max_load_, critical_load_;
  std::string status_query_;
  bool checkpoint_check_ = false;  // the server reports its checkpoint age (MariaDB)
  Clock::time_point last_lag_check_{};
  std::string last_lag_reason_;
  std::map<std::string, Clock::time_point> down_since_;  // replica name -> first seen down
  std::optional<std::string> timeout_hit_;
  double throttled_seconds_ = 0;
  std::map<std::string, double> by_reason_;
  std::optional<double> max_replica_lag_;
  Observer observer_;
  std::function<bool()> quiet_;
  double max_lag_;                        // --max-lag, or what the control socket set since
  LiveSettings* live_ = nullptr;          // load limits it can't use are put back
  std::unique_ptr<ClusterFlow> cluster_;  // a Galera Cluster node: null otherwise
  uint64_t live_seen_ = 0;                // the live settings' version last taken up
  std::vector<LoadLimit> max_load_given_, critical_load_given_;  // as given, before fixing
};

}  // namespace shadowalter
