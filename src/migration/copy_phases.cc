// The phases that move the rows: the copy (migration/row_copy.h) and the verification
// (migration/table_verification.h), lent the run's sessions, run lock and checkpoint.
#include <chrono>

#include "db/errors.h"
#include "migration/migration.h"
#include "migration/row_copy.h"
#include "migration/table_verification.h"
#include "report/log.h"
#include "util/clock.h"
#include "util/crash_point.h"

namespace shadowalter {

Status Migration::BetweenChunks() {
  sessions_.KeepRunLockAlive();
  return throttler_ ? throttler_->WaitUntilClear() : Status::Ok();
}

RowPhaseHooks Migration::RowHooks() {
  RowPhaseHooks hooks;
  hooks.open_session = [this] { return sessions_.Open(); };
  hooks.between_chunks = [this] { return BetweenChunks(); };
  hooks.reconnect = [this](const Status& lost) { return Reconnect(lost); };
  hooks.repair_orphans = cluster_.wsrep_on;
  if (live_) {
    hooks.tune_sizer = [live = live_, seen = uint64_t{0}](ChunkSizer& sizer) mutable {
      ApplyChunkTuning(*live, seen, sizer);
    };
  }
  return hooks;
}

void Migration::RecordCopyPosition(const KeyTuple& position, uint64_t rows_copied) {
  // Best effort: a checkpoint that lags only repeats chunks on resume. No liveness probe first
  // (this is once per chunk): a session the server closed is replaced once.
  Status recorded = record_.RecordPosition(sessions_.ddl(), position, rows_copied);
  if (IsConnectionLost(recorded)) {
    if (sessions_.ReplaceDdl().ok()) {
      recorded = record_.RecordPosition(sessions_.ddl(), position, rows_copied);
    }
  }
  if (!recorded.ok() && record_.WarnOnce()) {
    LogWarning("could not record the copy position in the checkpoint (" + recorded.message() +
               "); a resume would repeat some chunks");
  }
}

Status Migration::CopyRows() {
  RowCopy copy(config_, plan_.copy, plan_.original.estimated_rows, record_, throttler_.get(),
               report_, stop_, RowHooks(), [this](const KeyTuple& position, uint64_t rows_copied) {
                 RecordCopyPosition(position, rows_copied);
               });
  SA_RETURN_IF_ERROR(copy.Run());
  SA_RETURN_IF_ERROR(RecordPhase(RunPhase::kCopied));
  CrashPoint("copied");
  return Status::Ok();
}

Status Migration::VerifyTables() {
  if (config_.mode == RunMode::kExecute) {
    // Refused writes recorded so far precede every comparison: this verification judges their
    // rows. One that can't be marked stays uncovered, and the swap then refuses (conservative).
    SA_RETURN_IF_ERROR(sessions_.EnsureDdl());
    if (Status covered = refusals_.CoverAll(sessions_.ddl()); !covered.ok()) {
      LogWarning(covered.message() + "; the swap will refuse if such a write is on record");
    }
  }
  TableVerification verification(config_, plan_.copy, plan_.comparison, plan_.original,
                                 plan_.shadow, throttler_.get(), report_, stop_, RowHooks());
  SA_RETURN_IF_ERROR(verification.Run());
  return RecordPhase(RunPhase::kVerified);
}

}  // namespace shadowalter
