// What a run says about itself: how it ended (the done event, and the outcome the final hooks
// see), the time each phase took, the copy's counts, throttle waits and warnings (--statistics),
// and the progress events of the copy and the verification. The phases feed it; it prints and
// emits, and holds no decision of the run.
//
// Not thread-safe, except CountWarning, which any thread's log warning may call.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "copy/copier.h"
#include "report/events.h"
#include "report/progress.h"
#include "throttle/throttler.h"

namespace shadowalter {

// How the run ended, for the done event and the success/failure/parked hooks.
struct RunOutcome {
  std::string status = "success";  // success, failed, aborted, refused, parked
  std::string message;
  std::string phase;        // the id of the phase that failed, or "done"
  bool revertible = false;  // ended swapped and revertible (--revertible)
};

class RunReport {
 public:
  // `events` outlives the report. `throttler` (set once made; may stay null) adds the lag to
  // progress events and the throttled time to the statistics.
  explicit RunReport(EventSink& events) : events_(events) {}
  void set_throttler(const Throttler* throttler) { throttler_ = throttler; }

  RunOutcome& outcome() { return outcome_; }
  const RunOutcome& outcome() const { return outcome_; }

  void PhaseTook(const char* id, const char* name, double seconds);
  // "time by phase: ..." for the log: each phase over 0.05 s with its share of `total`.
  std::string PhaseShares(double total) const;

  // As far as the copy got (rows, chunks, lock conflicts): for --statistics and the hooks.
  void set_copy_progress(const CopyProgress& p) { copy_progress_ = p; }
  const CopyProgress& copy_progress() const { return copy_progress_; }
  void CountThrottleWait(const std::string& kind) { ++throttle_waits_[kind]; }
  void CountWarning() { ++warnings_; }

  // A progress event (at --progress-interval), and the tick the status line follows.
  void Progress(const char* phase, const ProgressSnapshot& snap, uint64_t chunk_size);
  void Tick(const char* phase, const ProgressSnapshot& snap, uint64_t chunk_size);

  // The --statistics text block for `table`, straight to stderr (not through the log, so
  // --quiet does not hide what was asked for explicitly).
  void PrintStatistics(const std::string& table) const;
  // The done event: the outcome, `exit_code`, the time per phase; the statistics with
  // `with_statistics`.
  void Done(int exit_code, double elapsed_seconds, bool with_statistics) const;

 private:
  struct PhaseTime {
    const char* id;
    const char* name;
    double seconds;
  };
  RunStatistics Statistics() const;
  ProgressEvent ToEvent(const char* phase, const ProgressSnapshot& snap, uint64_t chunk_size) const;

  EventSink& events_;
  const Throttler* throttler_ = nullptr;
  RunOutcome outcome_;
  std::vector<PhaseTime> phase_times_;
  CopyProgress copy_progress_;
  std::map<std::string, uint64_t> throttle_waits_;  // kind of reason -> pauses
  std::atomic<uint64_t> warnings_{0};
};

}  // namespace shadowalter
