// Elapsed time and its display, for the orchestrator's log lines.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace shadowalter {

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// `v` with exactly `decimals` digits after the point, e.g. Fixed(1.25, 1) == "1.2".
inline std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace shadowalter
