#include "report/progress.h"

#include <algorithm>
#include <cstdio>

#include "report/log.h"
#include "util/clock.h"

namespace shadowalter {

ProgressLog::ProgressLog(std::string what, uint64_t estimated_rows, double interval_seconds)
    : what_(std::move(what)), estimated_(estimated_rows), interval_(interval_seconds) {}

ProgressSnapshot ProgressLog::Snapshot(uint64_t rows) const {
  ProgressSnapshot snap;
  snap.rows = rows;
  snap.estimated = estimated_;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  snap.rows_per_second = elapsed > 0 ? rows / elapsed : 0;
  if (estimated_ > 0) {
    snap.percent = std::min(100.0, 100.0 * rows / estimated_);
    if (snap.rows_per_second > 0 && rows < estimated_) {
      snap.eta_seconds = (estimated_ - rows) / snap.rows_per_second;
    }
  }
  return snap;
}

std::optional<ProgressSnapshot> ProgressLog::Update(uint64_t rows, bool force) {
  const auto now = Clock::now();
  if (!force && std::chrono::duration<double>(now - last_).count() < interval_) return std::nullopt;
  last_ = now;
  const ProgressSnapshot snap = Snapshot(rows);
  std::string line = what_ + ": " + std::to_string(rows) + " rows";
  if (estimated_ > 0) {
    line += " of ~" + std::to_string(estimated_) + " (" + Fixed(snap.percent, 1) + "%)";
    if (snap.eta_seconds) line += ", ETA " + Fixed(*snap.eta_seconds, 0) + " s";
  }
  LogInfo(line + ", " + Fixed(snap.rows_per_second, 0) + " rows/s");
  return snap;
}

}  // namespace shadowalter
