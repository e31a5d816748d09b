#include "throttle/throttler.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <string_view>
#include <thread>

#include "cli/load_spec.h"
#include "report/log.h"
#include "sql/session_statements.h"
#include "sql/status_queries.h"
#include "throttle/decisions.h"
#include "throttle/heartbeat.h"
#include "throttle/panic_file.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

bool FileExists(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0;
}

std::string WithoutNumbers(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') out += c;
  }
  return out;
}

constexpr char kLoad[] = "server load";
constexpr char kLag[] = "replica lag";
constexpr char kCluster[] = "cluster flow control";
constexpr char kPauseFile[] = "pause file";
constexpr char kByHand[] = "by hand";

StatusOr<std::map<std::string, double>> ReadStatus(Session& s, const std::string& query) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(query));
  std::map<std::string, double> out;
  for (const auto& row : rs.rows) {
    if (row.size() < 2 || !row[0] || !row[1]) continue;
    try {
      out[AsciiLower(*row[0])] = std::stod(*row[1]);
    } catch (const std::exception&) {
      // Not a number: such a variable can't be a limit; Create reports it.
    }
  }
  return out;
}

// The log of one stretch the copy is held back. A short one is one line when it ends, with its
// duration and reason (a flapping limit would otherwise fill the log with pairs of lines); one
// that lasts kAnnounceAfter seconds is announced then, and at each change of reason after that,
// so a person sees a long pause as it happens.
class PauseLog {
 public:
  static constexpr double kAnnounceAfter = 2;

  // A round of the wait; `paused`: seconds held back so far.
  void Round(const std::string& reason, double paused) {
    if (announced_) {
      // A lag that only changes its value is the same state.
      if (WithoutNumbers(reason) != WithoutNumbers(last_)) LogInfo("pausing the copy: " + reason);
    } else if (paused >= kAnnounceAfter) {
      LogInfo("pausing the copy: " + reason + " (for " + ShortNumber(paused) + " s so far)");
      announced_ = true;
    }
    last_ = reason;
  }
  void End(double paused) const {
    LogInfo("resuming the copy after " + ShortNumber(paused) + " s (" +
            (announced_ ? "last reason: " : "held back by ") + last_ + ")");
  }

 private:
  bool announced_ = false;
  std::string last_;
};

// InnoDB's checkpoint age and its maximum, in bytes of redo (MariaDB only).
constexpr std::string_view kCheckpointAge = "Innodb_checkpoint_age";
constexpr std::string_view kCheckpointMaxAge = "Innodb_checkpoint_max_age";

}  // namespace

StatusOr<std::unique_ptr<Throttler>> Throttler::Create(std::unique_ptr<Session> primary,
                                                       const Config& config, const StopFlag& stop) {
  std::unique_ptr<Throttler> t(new Throttler(std::move(primary), config, stop));
  SA_ASSIGN_OR_RETURN(t->replicas_, FindReplicas(*t->primary_, config));
  SA_RETURN_IF_ERROR(t->SetLoadLimits(config.max_load, config.critical_load));
  return t;
}

Status Throttler::SetLoadLimits(const std::vector<LoadLimit>& max_load,
                                const std::vector<LoadLimit>& critical_load) {
  std::set<std::string> names;
  for (const auto* list : {&max_load, &critical_load}) {
    for (const LoadLimit& l : *list) names.insert(l.variable);
  }
  if (config_.max_checkpoint_age > 0) {
    names.insert(std::string(kCheckpointAge));
    names.insert(std::string(kCheckpointMaxAge));
  }
  std::map<std::string, double> now;
  std::string query;
  if (!names.empty()) {
    query = GlobalStatusQuery(names);
    SA_ASSIGN_OR_RETURN(now, ReadStatus(*primary_, query));
  }
  std::vector<LoadThreshold> max_thresholds, critical_thresholds;
  for (auto [list, out] :
       {std::pair{&max_load, &max_thresholds}, std::pair{&critical_load, &critical_thresholds}}) {
    for (const LoadLimit& l : *list) {
      auto it = now.find(AsciiLower(l.variable));
      if (it == now.end()) {
        return RefusedError("the server has no numeric status variable " + l.variable +
                            " for --max-load / --critical-load");
      }
      // A limit given as a bare name: 20% above its value now, as pt-online-schema-change does.
      out->push_back(LoadThreshold{l.variable, l.limit ? *l.limit : it->second * 1.2});
    }
  }
  // MariaDB reports both; elsewhere (MySQL) the check is off rather than guessed.
  checkpoint_check_ = config_.max_checkpoint_age > 0 &&
                      now.count(AsciiLower(std::string(kCheckpointAge))) == 1 &&
                      now.count(AsciiLower(std::string(kCheckpointMaxAge))) == 1;
  status_query_ = std::move(query);
  max_load_ = std::move(max_thresholds);
  critical_load_ = std::move(critical_thresholds);
  max_load_given_ = max_load;
  critical_load_given_ = critical_load;
  return Status::Ok();
}

void Throttler::ApplyLiveSettings() {
  if (!live_ || live_->version() == live_seen_) return;
  live_seen_ = live_->version();
  const Tuning t = live_->tuning();
  max_lag_ = t.max_lag;
  if (FormatLoadSpec(t.max_load) == FormatLoadSpec(max_load_given_) &&
      FormatLoadSpec(t.critical_load) == FormatLoadSpec(critical_load_given_)) {
    return;
  }
  Status set = SetLoadLimits(t.max_load, t.critical_load);
  if (!set.ok()) {
    LogWarning("the new load limits are not used, the old ones stay: " + set.message());
    // So that `status` shows the limits in force.
    live_->SetMaxLoad(max_load_given_);
    live_->SetCriticalLoad(critical_load_given_);
  }
}

StatusOr<Throttler::WaitReason> Throttler::LoadReason(const WaitReason& current) {
  if (max_load_.empty() && critical_load_.empty() && !checkpoint_check_) return WaitReason{};
  // One query per check for every limit.
  SA_ASSIGN_OR_RETURN(auto status, ReadStatus(*primary_, status_query_));
  if (auto critical = LoadOverLimit(critical_load_, status)) {
    return AbortedError("critical load: " + *critical + " (--critical-load)");
  }
  if (auto high = LoadOverLimit(max_load_, status)) {
    return WaitReason{kLoad, "server load " + *high};
  }
  if (checkpoint_check_ && !(quiet_ && quiet_())) {
    if (auto full = CheckpointAgeOverLimit(status[AsciiLower(std::string(kCheckpointAge))],
                                           status[AsciiLower(std::string(kCheckpointMaxAge))],
                                           config_.max_checkpoint_age, current.checkpoint_age)) {
      return WaitReason{kLoad, "server load: " + *full + " (--max-checkpoint-age)", true};
    }
  }
  return WaitReason{};
}

Throttler::WaitReason Throttler::LagReason(bool force) {
  const auto now = Clock::now();
  const double since_check = std::chrono::duration<double>(now - last_lag_check_).count();
  if (!force && since_check < config_.check_interval) return WaitReason{kLag, last_lag_reason_};
  last_lag_check_ = now;
  std::vector<LagSample> samples;
  for (Replica& r : replicas_) {
    ReplicaLag lag = ReadReplicaLag(r);
    if (lag.seconds && !heartbeat_table_.empty()) {
      // Replication runs; how far behind it is comes from the heartbeat (sub-second).
      lag.seconds = Heartbeat::ReadLag(*r.session, heartbeat_schema_, heartbeat_table_, lag.why);
    }
    if (!lag.seconds) {
      auto [it, inserted] = down_since_.emplace(r.name, now);
      const double down = std::chrono::duration<double>(now - it->second).count();
      if (config_.replica_timeout && down >= *config_.replica_timeout) {
        timeout_hit_ = "replica " + r.name + " " + lag.why + " for " + ShortNumber(down) +
                       " s (--replica-timeout " + ShortNumber(*config_.replica_timeout) + ")";
      }
    } else {
      down_since_.erase(r.name);
    }
    samples.push_back(LagSample{r.name, lag.seconds, lag.why});
  }
  max_replica_lag_.reset();
  for (const LagSample& sample : samples) {
    if (!sample.seconds) {
      max_replica_lag_.reset();
      break;
    }
    max_replica_lag_ = std::max(max_replica_lag_.value_or(0), *sample.seconds);
  }
  last_lag_reason_ = ::shadowalter::LagReason(samples, max_lag_);
  return WaitReason{kLag, last_lag_reason_};
}

StatusOr<Throttler::WaitReason> Throttler::Reason(const WaitReason& current) {
  // Load first: critical load (and the panic file) abort even while the pause file holds the copy.
  SA_RETURN_IF_ERROR(CheckPanicFile(config_.panic_file));
  SA_ASSIGN_OR_RETURN(WaitReason load, LoadReason(current));
  if (live_ && live_->paused()) {
    return WaitReason{kByHand, "paused by hand on the control socket (send continue)"};
  }
  if (FileExists(config_.pause_file)) {
    return WaitReason{kPauseFile, "pause file " + config_.pause_file + " exists"};
  }
  if (!load.none()) return load;
  if (cluster_) {
    SA_ASSIGN_OR_RETURN(std::string why, cluster_->Reason(*primary_));
    if (!why.empty()) return WaitReason{kCluster, why};
  }
  // While waiting for lag, look at the replicas every round; otherwise every --check-interval.
  return LagReason(current.kind == kLag);
}

Status Throttler::WaitUntilClear() {
  WaitReason current;
  PauseLog log;
  double paused = 0;       // this whole wait, for the log
  double kind_paused = 0;  // since the kind of reason last changed, for the observer
  auto started = Clock::now();
  // Every pause the observer saw begin is seen to end, also when the wait ends in an abort.
  auto end_pause = [&] {
    if (!current.none() && observer_.resumed) observer_.resumed(current.kind, kind_paused);
  };
  for (;;) {
    if (stop_.requested()) {
      end_pause();
      return AbortedError("stopped by " + stop_.Describe());
    }
    ApplyLiveSettings();
    StatusOr<WaitReason> next = Reason(current);
    if (!next.ok()) {
      end_pause();
      return next.status();
    }
    const WaitReason reason = std::move(next).value();
    if (timeout_hit_) {
      end_pause();
      return AbortedError(*timeout_hit_);
    }
    const auto now = Clock::now();
    if (!current.none()) {
      const double waited = std::chrono::duration<double>(now - started).count();
      throttled_seconds_ += waited;
      paused += waited;
      kind_paused += waited;
      by_reason_[current.kind] += waited;
      started = now;
    }
    if (reason.none()) {
      if (!current.none()) {
        log.End(paused);
        end_pause();
      }
      return Status::Ok();
    }
    log.Round(reason.text, paused);
    if (current.none() || current.kind != reason.kind) {
      end_pause();
      kind_paused = 0;
      if (observer_.paused) observer_.paused(reason.kind, reason.text);
    }
    current = reason;
    // A keep-alive ping: a session that fails it is reported where it is next used.
    for (Session* idle : keep_alive_) idle->Execute(KeepAlivePing()).IgnoreError();
    std::this_thread::sleep_for(
        std::chrono::milliseconds(static_cast<int>(1000 * std::min(0.25, config_.check_interval))));
  }
}

}  // namespace shadowalter
