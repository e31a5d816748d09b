#include "report/progress.h"

#include <algorithm>
#include <cstdio>

#include "report/log.h"

namespace shadowalter {
namespace {

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

ProgressLog::ProgressLog(std::string what, uint64_t estimated_rows, double interval_seconds)
    : what_(std::move(what)), estimated_(estimated_rows), interval_(interval_seconds) {}

void ProgressLog::Update(uint64_t rows, bool force) {
  const auto now = Clock::now();
  if (!force && std::chrono::duration<double>(now - last_).count() < interval_) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? rows / elapsed : 0;
  std::string line = what_ + ": " + std::to_string(rows) + " rows";
  if (estimated_ > 0) {
    const double pct = std::min(100.0, 100.0 * rows / estimated_);
    line += " of ~" + std::to_string(estimated_) + " (" + Fixed(pct, 1) + "%)";
    if (rate > 0 && rows < estimated_) line += ", ETA " + Fixed((estimated_ - rows) / rate, 0) + " s";
  }
  LogInfo(line + ", " + Fixed(rate, 0) + " rows/s");
}

}  // namespace shadowalter
