// On a terminal: one status line at the bottom of stderr, redrawn in place with '\r' while the
// copy or the verification runs: phase, percent, rows, rows/s, ETA, chunk size, replica lag and,
// while paused, why. Log lines still scroll above it: the log erases the line before each
// record and this redraws it after (report/log.h's stderr guard). Only main decides whether
// stderr is a terminal; this class just draws.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>

#include "report/events.h"

namespace shadowalter {

class TtyStatusLine : public EventSink {
 public:
  // `width` gives the terminal's columns (the line is cut to fit: a wrapped line can't be
  // redrawn with '\r'). Registers itself as the log's stderr guard until destroyed.
  explicit TtyStatusLine(std::ostream& out, std::function<int()> width = TerminalWidth);
  ~TtyStatusLine() override;
  TtyStatusLine(const TtyStatusLine&) = delete;
  TtyStatusLine& operator=(const TtyStatusLine&) = delete;

  void Phase(const std::string& phase, const std::string& description) override;
  void Progress(const ProgressEvent& progress) override { Tick(progress); }
  void Tick(const ProgressEvent& progress) override;
  void ThrottleStart(const std::string& kind, const std::string& reason) override;
  void ThrottleEnd(const std::string& kind, double seconds) override;
  void Warning(const std::string&) override {}  // the log shows it
  void Done(const DoneEvent& done) override;

  // The line's text, e.g. "copy 45.2% 123456/~273000 rows 8200 rows/s ETA 18 s chunk 4100
  // lag 0.2 s"; `throttle` (when not empty) is appended as "| paused: ...".
  static std::string Format(const std::string& phase, const std::optional<ProgressEvent>& p,
                            const std::string& throttle);

  // The columns of the terminal on stderr (80 when it can't say).
  static int TerminalWidth();

 private:
  void DrawLocked();
  void EraseLocked();

  std::ostream& out_;
  std::function<int()> width_;
  std::mutex mu_;
  std::string phase_;
  bool live_ = false;   // drawing: the copy or the verification runs
  bool shown_ = false;  // the line is on the screen now
  std::optional<ProgressEvent> progress_;
  std::string throttle_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace shadowalter
