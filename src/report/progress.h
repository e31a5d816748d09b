// Progress of a long phase (copy, verification) as log lines: rows done, percent of the estimate,
// rows per second and ETA, at most once per interval.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace shadowalter {

// Where a long phase stands, for --output json's progress events.
struct ProgressSnapshot {
  uint64_t rows = 0;
  uint64_t estimated = 0;
  double percent = 0;  // of the estimate, at most 100; 0 without an estimate
  double rows_per_second = 0;
  std::optional<double> eta_seconds;  // unknown without a rate, or once past the estimate
};

class ProgressLog {
 public:
  ProgressLog(std::string what, uint64_t estimated_rows, double interval_seconds);

  // Logs "<what>: N rows of ~M (P%), ETA S s, R rows/s" if the interval has passed (or `force`).
  // Returns what it logged, or nullopt when the interval has not passed yet.
  std::optional<ProgressSnapshot> Update(uint64_t rows, bool force = false);

  // Where `rows` stands now, without logging.
  ProgressSnapshot Snapshot(uint64_t rows) const;

 private:
  using Clock = std::chrono::steady_clock;
  std::string what_;
  uint64_t estimated_;
  double interval_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = Clock::now();
};

}  // namespace shadowalter
