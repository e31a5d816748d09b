// The phases that move the rows: the copy (one or more sessions, reconnecting after a lost
// connection) and the verification, with the throttler between chunks.
#include <chrono>

#include "copy/copier.h"
#include "db/errors.h"
#include "migration/migration.h"
#include "migration/trigger_cutover.h"
#include "report/log.h"
#include "report/progress.h"
#include "util/clock.h"
#include "util/crash_point.h"
#include "util/strings.h"
#include "verify/verifier.h"

namespace shadowalter {
namespace {

// Registers a session (if any) with the throttler's keep-alive for the life of this object.
class KeptAlive {
 public:
  KeptAlive(Throttler* t, Session* s) : throttler_(s ? t : nullptr), session_(s) {
    if (throttler_) throttler_->KeepAlive(session_);
  }
  ~KeptAlive() {
    if (throttler_) throttler_->StopKeepingAlive(session_);
  }
  KeptAlive(const KeptAlive&) = delete;
  KeptAlive& operator=(const KeptAlive&) = delete;

 private:
  Throttler* throttler_;
  Session* session_;
};

}  // namespace

Status Migration::BetweenChunks() {
  // Losing the lock's session to wait_timeout would let a second run start: keep it busy.
  if (lock_session_ && SecondsSince(last_lock_ping_) > 10) {
    (void)lock_session_->Execute("DO 1");
    last_lock_ping_ = Clock::now();
  }
  return throttler_ ? throttler_->WaitUntilClear() : Status::Ok();
}

ChunkSizer Migration::CopySizer() const {
  return config_.chunk_size_fixed ? ChunkSizer::Fixed(config_.chunk_size)
                                  : ChunkSizer(config_.chunk_size, config_.chunk_time);
}

Status Migration::CopyRows() {
  CopyProgress resumed;
  CopyOptions options;
  options.before_chunk = [this] { return BetweenChunks(); };
  options.threads = config_.threads;
  options.open_session = [this] { return NewSession(); };
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
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, NewSession());
  if (config_.threads > 1) {
    LogInfo("copying with " + std::to_string(config_.threads) + " sessions");
  }
  std::optional<KeptAlive> keep(std::in_place, throttler_.get(), session.get());
  ProgressLog progress("copy", original_.estimated_rows, config_.progress_interval);
  const auto start = Clock::now();
  ChunkSizer sizer = CopySizer();
  CopyProgress p = resumed;
  auto on_chunk = [&](const CopyProgress& now, const ChunkSizer& chunk_sizer) {
    report_.set_copy_progress(now);
    if (now.position) {
      // Best effort: a checkpoint that lags only repeats chunks on resume. No liveness probe
      // first (this is once per chunk): a session the server closed is replaced once.
      Status recorded = record_.RecordPosition(*ddl_, *now.position, now.rows_copied);
      if (IsConnectionLost(recorded)) {
        if (StatusOr<std::unique_ptr<Session>> fresh = NewSession(); fresh.ok()) {
          ddl_ = std::move(fresh).value();
          recorded = record_.RecordPosition(*ddl_, *now.position, now.rows_copied);
        }
      }
      if (!recorded.ok() && record_.WarnOnce()) {
        LogWarning("could not record the copy position in the checkpoint (" + recorded.message() +
                   "); a resume would repeat some chunks");
      }
    }
    CrashPoint("copy_chunk");
    if (auto snap = progress.Update(now.rows_copied)) {
      report_.Progress("copy", *snap, chunk_sizer.next_rows());
    }
    report_.Tick("copy", progress.Snapshot(now.rows_copied), chunk_sizer.next_rows());
  };
  for (;;) {
    Copier copier(*session, copy_spec_, sizer, options, stop_, p);
    Status copied = copier.Run([&](const CopyProgress& now) { on_chunk(now, copier.sizer()); });
    p = copier.progress();
    sizer = copier.sizer();
    if (copied.ok()) break;
    if (!IsConnectionLost(copied)) return copied;
    // Everything up to p.position is committed; the rest is copied again after reconnecting.
    keep.reset();
    SA_ASSIGN_OR_RETURN(session, Reconnect(copied));
    keep.emplace(throttler_.get(), session.get());
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
  if (throttler_ && throttler_->throttled_seconds() > 0) {
    std::vector<std::string> reasons;
    for (const auto& [reason, seconds] : throttler_->seconds_by_reason()) {
      reasons.push_back(reason + " " + Fixed(seconds, 1) + " s");
    }
    LogInfo("time throttled: " + Fixed(throttler_->throttled_seconds(), 1) + " s (" +
            Join(reasons, ", ") + ")");
  }
  SA_RETURN_IF_ERROR(RecordPhase(RunPhase::kCopied));
  CrashPoint("copied");
  return Status::Ok();
}

Status Migration::VerifyTables() {
  if (config_.mode == RunMode::kExecute) {
    // Refused writes recorded so far precede every comparison: this verification judges their
    // rows. One that can't be marked stays uncovered, and the swap then refuses (conservative).
    SA_RETURN_IF_ERROR(EnsureDdlSession());
    if (Status covered = refusals_.CoverAll(*ddl_); !covered.ok()) {
      LogWarning(covered.message() + "; the swap will refuse if such a write is on record");
    }
  }
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, NewSession());
  // The new table's side is read on a session of its own, at the same time as the original's.
  std::unique_ptr<Session> shadow_reader;
  auto open_reader = [&]() -> Status {
    if (config_.verify_sessions < 2) return Status::Ok();
    SA_ASSIGN_OR_RETURN(shadow_reader, NewSession());
    return Status::Ok();
  };
  SA_RETURN_IF_ERROR(open_reader());
  ProgressLog progress("verify", original_.estimated_rows, config_.progress_interval);
  const auto start = Clock::now();
  VerifyProgress done;
  for (;;) {
    KeptAlive keep(throttler_.get(), session.get());
    KeptAlive keep_reader(throttler_.get(), shadow_reader.get());
    Verifier verifier(
        *session, shadow_reader.get(), copy_spec_, checksum_plan_, original_, shadow_, CopySizer(),
        [this] { return BetweenChunks(); }, stop_);
    Status verified = verifier.Run([&](const VerifyProgress& p) {
      done = p;
      CrashPoint("verify_chunk");
      if (auto snap = progress.Update(p.rows_compared)) {
        report_.Progress("verify", *snap, verifier.sizer().next_rows());
      }
      report_.Tick("verify", progress.Snapshot(p.rows_compared), verifier.sizer().next_rows());
    });
    if (verified.ok()) break;
    if (!IsConnectionLost(verified)) return verified;
    // Each chunk is compared in its own snapshot: after reconnecting, compare again from the
    // start (the triggers kept the new table current meanwhile).
    SA_ASSIGN_OR_RETURN(session, Reconnect(verified));
    SA_RETURN_IF_ERROR(open_reader());
  }
  const double seconds = SecondsSince(start);
  const uint64_t rows = done.rows_compared;
  std::string rechecked;
  if (done.rechecked > 0) {
    rechecked = "; " + std::to_string(done.rechecked) +
                " chunks compared again in one snapshot after writes between the two reads";
  }
  if (done.lock_retries > 0) {
    rechecked += "; " + std::to_string(done.lock_retries) +
                 " chunks read again after waiting too long for a lock";
  }
  LogInfo("verified: both tables hold the same " + std::to_string(rows) + " rows (" +
          Fixed(seconds, 1) + " s, " + Fixed(seconds > 0 ? rows / seconds : 0, 0) + " rows/s" +
          rechecked + ")");
  return RecordPhase(RunPhase::kVerified);
}

}  // namespace shadowalter
