#include "report/status_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include "report/log.h"
#include "util/clock.h"

namespace shadowalter {
namespace {

constexpr const char* kEraseLine = "\r\x1b[K";
// Redraws at most this often: more only costs the terminal, the eye can't follow it.
constexpr double kRedrawSeconds = 0.25;

}  // namespace

int TtyStatusLine::TerminalWidth() {
  winsize ws{};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

TtyStatusLine::TtyStatusLine(std::ostream& out, std::function<int()> width)
    : out_(out), width_(std::move(width)) {
  SetStderrGuard(
      [this] {
        std::lock_guard<std::mutex> lock(mu_);
        EraseLocked();
      },
      [this] {
        std::lock_guard<std::mutex> lock(mu_);
        if (live_) DrawLocked();
      });
}

TtyStatusLine::~TtyStatusLine() {
  SetStderrGuard(nullptr, nullptr);
  std::lock_guard<std::mutex> lock(mu_);
  EraseLocked();
}

std::string TtyStatusLine::Format(const std::string& phase, const std::optional<ProgressEvent>& p,
                                  const std::string& throttle) {
  std::string line = phase;
  if (p) {
    if (p->rows_estimated > 0) line += " " + Fixed(p->percent, 1) + "%";
    line += " " + std::to_string(p->rows_copied);
    if (p->rows_estimated > 0) line += "/~" + std::to_string(p->rows_estimated);
    line += " rows " + Fixed(p->rows_per_second, 0) + " rows/s";
    line += " ETA " + (p->eta_seconds ? Fixed(*p->eta_seconds, 0) + " s" : std::string("?"));
    if (p->chunk_size > 0) line += " chunk " + std::to_string(p->chunk_size);
    if (p->max_replica_lag_seconds) line += " lag " + Fixed(*p->max_replica_lag_seconds, 1) + " s";
  }
  if (!throttle.empty()) line += " | paused: " + throttle;
  return line;
}

void TtyStatusLine::Phase(const std::string& phase, const std::string&) {
  std::lock_guard<std::mutex> lock(mu_);
  phase_ = phase;
  progress_.reset();
  throttle_.clear();
  live_ = phase == "copy" || phase == "verify";
  EraseLocked();
  if (live_) DrawLocked();
}

void TtyStatusLine::Tick(const ProgressEvent& progress) {
  std::lock_guard<std::mutex> lock(mu_);
  progress_ = progress;
  if (live_ && SecondsSince(last_draw_) >= kRedrawSeconds) DrawLocked();
}

void TtyStatusLine::ThrottleStart(const std::string& kind, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  // The reason usually names its kind already ("pause file /tmp/p exists"): don't say it twice.
  throttle_ = reason.rfind(kind, 0) == 0 ? reason : kind + ": " + reason;
  if (live_) DrawLocked();
}

void TtyStatusLine::ThrottleEnd(const std::string&, double) {
  std::lock_guard<std::mutex> lock(mu_);
  throttle_.clear();
  if (live_) DrawLocked();
}

void TtyStatusLine::Done(const DoneEvent&) {
  std::lock_guard<std::mutex> lock(mu_);
  live_ = false;
  EraseLocked();
}

void TtyStatusLine::DrawLocked() {
  std::string line = Format(phase_, progress_, throttle_);
  const size_t room = static_cast<size_t>(std::max(10, width_()) - 1);
  if (line.size() > room) line.resize(room);
  out_ << kEraseLine << line << std::flush;
  shown_ = true;
  last_draw_ = Clock::now();
}

void TtyStatusLine::EraseLocked() {
  if (!shown_) return;
  out_ << kEraseLine << std::flush;
  shown_ = false;
}

}  // namespace shadowalter
