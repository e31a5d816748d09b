// A process-wide "please stop" flag set by SIGINT, SIGTERM and SIGHUP (and by the run's time
// limit and the control socket). Long phases poll it at
// safe points (between chunks, between tries) and return Code::kAborted; the orchestrator then
// cleans up. Handlers use SA_RESTART so a signal never breaks a statement in flight.
#pragma once

#include <atomic>
#include <string>

namespace shadowalter {

class StopFlag {
 public:
  bool requested() const { return signal_.load() != 0; }
  int signal_number() const { return signal_.load(); }
  void Request(int sig) { signal_.store(sig); }
  // The run's own time limit (--max-runtime, --stop-at): a stop like a signal's, which the
  // orchestrator may turn into parking. Never overrides a signal already received.
  void RequestTimeLimit() {
    int none = 0;
    signal_.compare_exchange_strong(none, kTimeLimit);
  }
  bool time_limit_reached() const { return signal_.load() == kTimeLimit; }
  // An operator's `park` or `abort` on the control socket. Like the time limit it never
  // overrides a stop already requested; returns whether this request is the one in force.
  bool RequestFromControl(int kind) {
    int none = 0;
    return signal_.compare_exchange_strong(none, kind);
  }
  static constexpr int kTimeLimit = -1;
  static constexpr int kControlPark = -2;
  static constexpr int kControlAbort = -3;
  // "SIGINT" etc., or "" when no stop was requested.
  std::string Describe() const;

 private:
  std::atomic<int> signal_{0};
};

// The flag the signal handlers set.
StopFlag& GlobalStopFlag();

// Installs SIGINT/SIGTERM/SIGHUP handlers that set GlobalStopFlag().
void InstallStopHandlers();

}  // namespace shadowalter
