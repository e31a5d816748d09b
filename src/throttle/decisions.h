// The throttle's decisions on sampled values, apart from how the values are read. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shadowalter {

struct LoadThreshold {
  std::string variable;
  double value = 0;
};

// The first variable (lower-cased names in `status`) at or above its threshold, described as
// "Threads_running=30 is at or above 25"; nullopt when all are below. A variable missing from
// `status` counts as 0.
std::optional<std::string> LoadOverLimit(const std::vector<LoadThreshold>& limits,
                                         const std::map<std::string, double>& status);

// Percentage points below --max-checkpoint-age the checkpoint age must fall before a copy held
// back by it goes on: without the gap the copy paused and went on about once a second, as each
// chunk's redo pushed the age back over the limit.
inline constexpr double kCheckpointAgeResumeGap = 2;

// Why the copy must wait for InnoDB to flush, or nullopt: the checkpoint age (bytes of redo not
// yet checkpointed) at or above `limit_percent` of `max_age`, past which the server flushes
// furiously and, at the maximum, makes every write wait; or, when the copy is already `waiting`
// for it, not yet below limit_percent - kCheckpointAgeResumeGap (half the limit when the limit
// is within twice the gap). Nothing when off (limit 0) or unknown.
std::optional<std::string> CheckpointAgeOverLimit(double age, double max_age, double limit_percent,
                                                  bool waiting = false);

// One replica's sampled lag: seconds, or nullopt when it can't say (stopped, broken...).
struct LagSample {
  std::string replica;
  std::optional<double> seconds;
  std::string why;  // when seconds is nullopt
};

// Why the copy must wait for replicas, or "" when it may go on: the first replica that can't say
// how far behind it is (infinitely behind: fail closed), else the one lagging most above max_lag.
std::string LagReason(const std::vector<LagSample>& samples, double max_lag);

}  // namespace shadowalter
