#include "throttle/decisions.h"

#include <cstdio>

#include "util/strings.h"

namespace shadowalter {
std::optional<std::string> LoadOverLimit(const std::vector<LoadThreshold>& limits,
                                         const std::map<std::string, double>& status) {
  for (const LoadThreshold& l : limits) {
    auto it = status.find(AsciiLower(l.variable));
    const double v = it == status.end() ? 0 : it->second;
    if (v >= l.value)
      return l.variable + "=" + ShortNumber(v) + " is at or above " + ShortNumber(l.value);
  }
  return std::nullopt;
}

std::optional<std::string> CheckpointAgeOverLimit(double age, double max_age, double limit_percent,
                                                  bool waiting) {
  if (limit_percent <= 0 || max_age <= 0 || age < 0) return std::nullopt;
  const double percent = 100 * age / max_age;
  // A limit within twice the gap resumes at half of it: never at 0, which it might not reach.
  const double resume_below = limit_percent > 2 * kCheckpointAgeResumeGap
                                  ? limit_percent - kCheckpointAgeResumeGap
                                  : limit_percent / 2;
  if (percent < (waiting ? resume_below : limit_percent)) return std::nullopt;
  char text[160];
  if (waiting && percent < limit_percent) {
    std::snprintf(text, sizeof text,
                  "InnoDB checkpoint age %.0f%% of its maximum, waiting for it to fall below %s%%",
                  percent, ShortNumber(resume_below).c_str());
    return std::string(text);
  }
  std::snprintf(text, sizeof text,
                "InnoDB checkpoint age %.0f%% of its maximum is at or above %s%%", percent,
                ShortNumber(limit_percent).c_str());
  return std::string(text);
}

std::string LagReason(const std::vector<LagSample>& samples, double max_lag) {
  std::string reason;
  double worst = -1;
  for (const LagSample& s : samples) {
    if (!s.seconds) return "replica " + s.replica + " " + s.why;
    if (*s.seconds > max_lag && *s.seconds > worst) {
      worst = *s.seconds;
      reason = "replica " + s.replica + " lags " + ShortNumber(*s.seconds) + " s, more than " +
               ShortNumber(max_lag) + " s";
    }
  }
  return reason;
}

}  // namespace shadowalter
