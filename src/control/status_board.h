// What the control socket's `status` answers: the run as one JSON object, kept current by the
// run's own events (it is one more EventSink in the fan-out) plus the settings in force.
// Thread-safe: events arrive on the run's threads, `status` is read on the control thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "control/live_settings.h"
#include "report/events.h"
#include "util/stop_flag.h"

namespace shadowalter {

class StatusBoard : public EventSink {
 public:
  // `postponable`: the run has a --postpone-cutover-file, so `cutover` has something to release.
  // `run_id`: the id the run starts with (a resumed run's is settled later, SettleRunId).
  StatusBoard(std::string schema, std::string table, std::string run_id, const LiveSettings& live,
              const StopFlag& stop, bool postponable);

  void Phase(const std::string& phase, const std::string& description) override;
  void Progress(const ProgressEvent& progress) override { Tick(progress); }
  void Tick(const ProgressEvent& progress) override;
  void ThrottleStart(const std::string& kind, const std::string& reason) override;
  void ThrottleEnd(const std::string& kind, double seconds) override;
  void Warning(const std::string&) override;
  void Done(const DoneEvent& done) override;
  void SettleRunId(const std::string& id) override;

  // The object `status` answers, on one line. Documented in docs/events.md ("control status").
  std::string Json() const;

  // A key value as the status shows it: printable ASCII as is, anything else as 0x<hex>.
  static std::string ShowKeyValue(const std::string& value);

 private:
  using Clock = std::chrono::steady_clock;
  const std::string schema_, table_;
  const LiveSettings& live_;
  const StopFlag& stop_;
  const bool postponable_;
  const Clock::time_point started_ = Clock::now();

  mutable std::mutex mu_;
  std::string run_id_;
  std::string phase_;
  std::optional<ProgressEvent> progress_;
  std::string throttle_kind_, throttle_reason_;
  Clock::time_point throttled_since_{};
  uint64_t warnings_ = 0;
  std::string outcome_;  // the done event's status, once the run ends
};

}  // namespace shadowalter
