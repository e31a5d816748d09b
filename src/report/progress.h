// Progress of a long phase (copy, verification) as log lines: rows done, percent of the estimate,
// rows per second and ETA, at most once per interval.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace shadowalter {

class ProgressLog {
 public:
  ProgressLog(std::string what, uint64_t estimated_rows, double interval_seconds);

  // Logs "<what>: N rows of ~M (P%), ETA S s, R rows/s" if the interval has passed (or `force`).
  void Update(uint64_t rows, bool force = false);

 private:
  using Clock = std::chrono::steady_clock;
  std::string what_;
  uint64_t estimated_;
  double interval_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = Clock::now();
};

}  // namespace shadowalter
