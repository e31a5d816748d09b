#include "migration/row_copy.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/errors.h"
#include "report/log.h"
#include "report/progress.h"
#include "throttle/kept_alive.h"
#include "util/clock.h"
#include "util/crash_point.h"
#include "util/strings.h"

namespace shadowalter {

ChunkSizer ChunkSizerFor(const Config& config) {
  return config.chunk_size_fixed ? ChunkSizer::Fixed(config.chunk_size)
                                 : ChunkSizer(config.chunk_size, config.chunk_time);
}

void ApplyChunkTuning(const LiveSettings& live, uint64_t& seen, ChunkSizer& sizer) {
  const uint64_t version = live.version();
  if (version == seen) return;
  seen = version;
  const Tuning t = live.tuning();
  if (t.chunk_size_fixed) {
    if (!sizer.fixed() || sizer.next_rows() != t.chunk_size) sizer.Pin(t.chunk_size);
  } else if (sizer.fixed() || sizer.target_seconds() != t.chunk_time) {
    sizer.Retarget(t.chunk_time);
  }
}

RowCopy::RowCopy(const Config& config, const CopySpec& spec, uint64_t estimated_rows,
                 const RunRecord& record, Throttler* throttler, RunReport& report,
                 const StopFlag& stop, RowPhaseHooks hooks,
                 std::function<void(const KeyTuple&, uint64_t)> record_position)
    : config_(config),
      spec_(spec),
      estimated_rows_(estimated_rows),
      record_(record),
      throttler_(throttler),
      report_(report),
      stop_(stop),
      hooks_(std::move(hooks)),
      record_position_(std::move(record_position)) {}

Status RowCopy::Run() {
  CopyProgress resumed;
  CopyOptions options;
  options.before_chunk = hooks_.between_chunks;
  options.tune_sizer = hooks_.tune_sizer;
  options.threads = config_.threads;
  options.open_session = hooks_.open_session;
  // Transactions as large as nobody minds (copy/copier.h); a parallel copy keeps them fixed.
  options.max_rows_per_transaction = config_.max_rows_per_transaction;
  options.repair_orphans = hooks_.repair_orphans;
  const CopyStart from = record_.CopyStartPoint();
  if (from.all_copied) {
    LogInfo("the stopped run had copied every row; the triggers kept them current since");
    CopyProgress stopped_at;
    stopped_at.rows_copied = from.rows_copied;
    report_.set_copy_progress(stopped_at);
    return Status::Ok();
  }
  if (from.after) {
    options.start_after = from.after;
    resumed.position = from.after;
    resumed.rows_copied = from.rows_copied;
    LogInfo("resuming the copy after key (" + Join(*from.after, ", ") + "), " +
            std::to_string(from.rows_copied) + " rows already copied");
  }
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, hooks_.open_session());
  if (config_.threads > 1) {
    LogInfo("copying with " + std::to_string(config_.threads) + " sessions");
  }
  std::optional<KeptAlive> keep(std::in_place, throttler_, session.get());
  ProgressLog progress("copy", estimated_rows_, config_.progress_interval);
  const auto start = Clock::now();
  ChunkSizer sizer = ChunkSizerFor(config_);
  CopyProgress p = resumed;
  auto on_chunk = [&](const CopyProgress& now, const ChunkSizer& chunk_sizer) {
    report_.set_copy_progress(now);
    if (now.position) record_position_(*now.position, now.rows_copied);
    CrashPoint("copy_chunk");
    if (auto snap = progress.Update(now.rows_copied)) {
      report_.Progress("copy", *snap, chunk_sizer.next_rows());
    }
    report_.Tick("copy", progress.Snapshot(now.rows_copied), chunk_sizer.next_rows());
  };
  for (;;) {
    Copier copier(*session, spec_, sizer, options, stop_, p);
    Status copied = copier.Run([&](const CopyProgress& now) { on_chunk(now, copier.sizer()); });
    p = copier.progress();
    sizer = copier.sizer();
    if (copied.ok()) break;
    if (!IsConnectionLost(copied)) return copied;
    // Everything up to p.position is committed; the rest is copied again after reconnecting.
    keep.reset();
    SA_ASSIGN_OR_RETURN(session, hooks_.reconnect(copied));
    keep.emplace(throttler_, session.get());
    options.start_after = p.position;
  }
  report_.set_copy_progress(p);
  // A last progress event at 100%, so even a copy shorter than the interval reports one.
  report_.Progress("copy", progress.Snapshot(p.rows_copied), sizer.next_rows());
  LogInfo("copied " + std::to_string(p.rows_copied) + " rows in " + std::to_string(p.chunks) +
          " chunks, " + Fixed(SecondsSince(start), 1) + " s (" + std::to_string(p.lock_conflicts) +
          " chunk retries after lock conflicts, last chunk "
          "size " +
          std::to_string(sizer.next_rows()) + ")");
  LogThrottledTime();
  return Status::Ok();
}

void RowCopy::LogThrottledTime() const {
  if (!throttler_ || throttler_->throttled_seconds() <= 0) return;
  std::vector<std::string> reasons;
  for (const auto& [reason, seconds] : throttler_->seconds_by_reason()) {
    reasons.push_back(reason + " " + Fixed(seconds, 1) + " s");
  }
  LogInfo("time throttled: " + Fixed(throttler_->throttled_seconds(), 1) + " s (" +
          Join(reasons, ", ") + ")");
}

}  // namespace shadowalter
