#include "throttle/decisions.h"

#include <cstdio>

#include "util/strings.h"

namespace shadowalter {
namespace {

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

std::optional<std::string> LoadOverLimit(const std::vector<LoadThreshold>& limits,
                                         const std::map<std::string, double>& status) {
  for (const LoadThreshold& l : limits) {
    auto it = status.find(AsciiLower(l.variable));
    const double v = it == status.end() ? 0 : it->second;
    if (v >= l.value) return l.variable + "=" + Number(v) + " is at or above " + Number(l.value);
  }
  return std::nullopt;
}

std::string LagReason(const std::vector<LagSample>& samples, double max_lag) {
  std::string reason;
  double worst = -1;
  for (const LagSample& s : samples) {
    if (!s.seconds) return "replica " + s.replica + " " + s.why;
    if (*s.seconds > max_lag && *s.seconds > worst) {
      worst = *s.seconds;
      reason = "replica " + s.replica + " lags " + Number(*s.seconds) + " s, more than " +
               Number(max_lag) + " s";
    }
  }
  return reason;
}

}  // namespace shadowalter
