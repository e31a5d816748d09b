// The run's deadline (--max-runtime, --stop-at): a watcher thread that asks the run to stop when
// the time comes, through the same StopFlag a signal sets, so every phase stops at its next safe
// point (a chunk boundary, a retry). The orchestrator then parks or aborts (--on-limit).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "cli/config.h"
#include "util/stop_flag.h"

namespace shadowalter {

// Seconds from now until the earlier of the two limits, or nullopt when none is set; `why` says
// which ("--max-runtime 2h", "--stop-at 06:00").
std::optional<double> SecondsToLimit(const Config& config, std::time_t now, std::string* why);

class RunLimit {
 public:
  // Requests the stop `margin` seconds before `seconds` from now (at once if that has passed).
  // `why` names the limit for the run's last words ("--max-runtime 2h").
  RunLimit(double seconds, double margin, std::string why, StopFlag& stop);
  ~RunLimit();
  RunLimit(const RunLimit&) = delete;
  RunLimit& operator=(const RunLimit&) = delete;

  const std::string& why() const { return why_; }
  // Seconds until the stop is requested (0 once it has been).
  double SecondsLeft() const;

 private:
  std::string why_;
  std::chrono::steady_clock::time_point when_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace shadowalter
