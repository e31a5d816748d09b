#include "migration/run_report.h"

#include <iostream>
#include <sstream>
#include <string_view>

#include "util/clock.h"
#include "util/strings.h"

namespace shadowalter {

void RunReport::PhaseTook(const char* id, const char* name, double seconds) {
  phase_times_.push_back({id, name, seconds});
}

std::string RunReport::PhaseShares(double total) const {
  std::vector<std::string> shares;
  for (const PhaseTime& p : phase_times_) {
    if (p.seconds < 0.05) continue;
    shares.push_back(std::string(p.name) + " " + Fixed(p.seconds, 1) + " s (" +
                     Fixed(total > 0 ? 100 * p.seconds / total : 0, 0) + "%)");
  }
  return "time by phase: " + Join(shares, ", ");
}

ProgressEvent RunReport::ToEvent(const char* phase, const ProgressSnapshot& snap,
                                 uint64_t chunk_size) const {
  ProgressEvent e;
  e.phase = phase;
  e.rows_copied = snap.rows;
  e.rows_estimated = snap.estimated;
  e.percent = snap.percent;
  e.rows_per_second = snap.rows_per_second;
  e.eta_seconds = snap.eta_seconds;
  e.chunk_size = chunk_size;
  if (throttler_) e.max_replica_lag_seconds = throttler_->max_replica_lag();
  if (std::string_view(phase) == "copy") {
    if (copy_progress_.position) e.position = *copy_progress_.position;
    e.transaction_rows = copy_progress_.transaction_rows;
  }
  return e;
}

void RunReport::Progress(const char* phase, const ProgressSnapshot& snap, uint64_t chunk_size) {
  events_.Progress(ToEvent(phase, snap, chunk_size));
}

void RunReport::Tick(const char* phase, const ProgressSnapshot& snap, uint64_t chunk_size) {
  events_.Tick(ToEvent(phase, snap, chunk_size));
}

RunStatistics RunReport::Statistics() const {
  RunStatistics stats;
  stats.chunks = copy_progress_.chunks;
  stats.rows_copied = copy_progress_.rows_copied;
  stats.chunk_retries = copy_progress_.lock_conflicts;
  stats.throttle_waits = throttle_waits_;
  if (throttler_) {
    for (const auto& [kind, seconds] : throttler_->seconds_by_reason()) {
      stats.throttle_seconds[kind] = seconds;
    }
  }
  stats.warnings = warnings_.load();
  const CopyProgress& p = copy_progress_;
  stats.transactions = p.transactions;
  stats.transaction_rows_min = p.transaction_rows_min;
  stats.transaction_rows_max = p.transaction_rows_max;
  stats.transaction_shrinks = p.transaction_shrinks;
  const CopyStepSeconds& t = p.step_seconds;
  stats.copy_step_seconds = {
      {"lock", t.lock},        {"clear", t.clear},           {"insert", t.insert},
      {"commit", t.commit},    {"wait_check", t.wait_check}, {"checkpoint", t.checkpoint},
      {"throttle", t.throttle}};
  return stats;
}

void RunReport::PrintStatistics(const std::string& table) const {
  const RunStatistics stats = Statistics();
  std::ostringstream out;
  out << "statistics for " << table << " (" << outcome_.status << "):\n"
      << "  chunks copied:   " << stats.chunks << "\n"
      << "  rows copied:     " << stats.rows_copied << "\n"
      << "  chunk retries:   " << stats.chunk_retries << "\n"
      << "  throttle waits:  ";
  if (stats.throttle_waits.empty()) out << "none";
  bool first = true;
  for (const auto& [kind, count] : stats.throttle_waits) {
    const auto seconds = stats.throttle_seconds.find(kind);
    out << (first ? "" : ", ") << kind << " " << count << " ("
        << Fixed(seconds == stats.throttle_seconds.end() ? 0 : seconds->second, 1) << " s)";
    first = false;
  }
  out << "\n  warnings:        " << stats.warnings << "\n"
      << "  transactions:    " << stats.transactions << " (rows each " << stats.transaction_rows_min
      << ".." << stats.transaction_rows_max << ", halved " << stats.transaction_shrinks
      << " times after a lock wait)\n"
      << "  copy time:      ";
  double copy_total = 0;
  for (const auto& [step, seconds] : stats.copy_step_seconds) copy_total += seconds;
  for (const auto& [step, seconds] : stats.copy_step_seconds) {
    out << " " << step << " " << Fixed(seconds, 2) << " s ("
        << Fixed(copy_total > 0 ? 100 * seconds / copy_total : 0, 0) << "%)";
  }
  out << "\n  time per phase:\n";
  for (const PhaseTime& p : phase_times_) {
    out << "    " << p.id << " " << Fixed(p.seconds, 3) << " s\n";
  }
  std::cerr << out.str() << std::flush;
}

void RunReport::Done(int exit_code, double elapsed_seconds, bool with_statistics) const {
  DoneEvent done;
  done.status = outcome_.status;
  done.exit_code = exit_code;
  done.elapsed_seconds = elapsed_seconds;
  for (const PhaseTime& p : phase_times_) done.phase_seconds.emplace_back(p.id, p.seconds);
  done.throttled_seconds = throttler_ ? throttler_->throttled_seconds() : 0;
  done.message = outcome_.message;
  done.revertible = outcome_.revertible;
  if (with_statistics) done.statistics = Statistics();
  events_.Done(done);
}

}  // namespace shadowalter
