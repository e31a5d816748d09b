// The copy phase: every row of the original into the new table (copy/copier.h), starting where
// a stopped run left off, carrying on after a lost connection from the last committed chunk,
// with the checkpoint's position kept current after each chunk and progress reported.
//
// What needs the orchestrator's sessions and run lock comes in as hooks, so the phase's own
// decisions run against scripted sessions in unit tests. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "cli/config.h"
#include "control/live_settings.h"
#include "copy/copier.h"
#include "db/session.h"
#include "migration/run_record.h"
#include "migration/run_report.h"
#include "sql/chunk.h"
#include "throttle/chunk_sizer.h"
#include "throttle/throttler.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

// The chunk sizing the options ask for: fixed (--chunk-size alone) or tuned to --chunk-time.
ChunkSizer ChunkSizerFor(const Config& config);

// What the copy and the verification borrow from the orchestrator.
struct RowPhaseHooks {
  // A new session to the primary, set up like every other of the run.
  std::function<StatusOr<std::unique_ptr<Session>>()> open_session;
  // Between chunks, outside any transaction: the run lock's keep-alive and the throttler's wait.
  // A failure stops the phase.
  std::function<Status()> between_chunks;
  // After a lost connection: a new session once the primary answers again and the run's
  // artifacts are checked, or why not.
  std::function<StatusOr<std::unique_ptr<Session>>(const Status& lost)> reconnect;
  // Before each chunk is sized: an operator's chunk-time= / chunk-size= (the control socket).
  // Empty without a control socket.
  std::function<void(ChunkSizer&)> tune_sizer;
  // A Galera Cluster node: the copy repairs each committed range (copy/range_copier.h).
  bool repair_orphans = false;
};

// Applies the live chunk settings to `sizer` when they changed since version `seen` (which it
// updates): chunk-size= pins the size, chunk-time= aims at a new time and adapts again.
void ApplyChunkTuning(const LiveSettings& live, uint64_t& seen, ChunkSizer& sizer);

class RowCopy {
 public:
  // Everything referenced outlives the RowCopy; `throttler` may be null. `record_position`
  // records a committed chunk's position in the checkpoint (best effort: it warns, never fails).
  RowCopy(const Config& config, const CopySpec& spec, uint64_t estimated_rows,
          const RunRecord& record, Throttler* throttler, RunReport& report, const StopFlag& stop,
          RowPhaseHooks hooks,
          std::function<void(const KeyTuple& position, uint64_t rows_copied)> record_position);

  // Copies every row not yet copied. Code::kDataLoss when the new table would change or drop a
  // value; a lost connection is reconnected (hooks.reconnect) and the copy carries on.
  Status Run();

 private:
  void LogThrottledTime() const;

  const Config& config_;
  const CopySpec& spec_;
  uint64_t estimated_rows_;
  const RunRecord& record_;
  Throttler* throttler_;
  RunReport& report_;
  const StopFlag& stop_;
  RowPhaseHooks hooks_;
  std::function<void(const KeyTuple&, uint64_t)> record_position_;
};

}  // namespace shadowalter
