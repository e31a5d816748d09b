#include "migration/run_limit.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "util/clock.h"

namespace shadowalter {

std::optional<double> SecondsToLimit(const Config& config, std::time_t now, std::string* why) {
  std::optional<double> best;
  if (config.max_runtime) {
    best = *config.max_runtime;
    *why = "--max-runtime " + Fixed(*config.max_runtime, 0) + " s";
  }
  if (config.stop_at) {
    const double until = SecondsUntil(*config.stop_at, now);
    if (!best || until < *best) {
      best = until;
      *why = "--stop-at " + ToString(*config.stop_at);
    }
  }
  return best;
}

RunLimit::RunLimit(double seconds, double margin, std::string why, StopFlag& stop)
    : why_(std::move(why)),
      when_(std::chrono::steady_clock::now() +
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double>(std::max(0.0, seconds - margin)))) {
  thread_ = std::thread([this, when = when_, &stop] {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_until(lock, when, [this] { return done_; })) stop.RequestTimeLimit();
  });
}

double RunLimit::SecondsLeft() const { return std::max(0.0, -SecondsSince(when_)); }

RunLimit::~RunLimit() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

}  // namespace shadowalter
