// What a run has on record on the primary (its checkpoint, state/checkpoint.h), what kind of
// run it is (a fresh one, one resuming a stopped run, or one finishing a stopped run that had
// already swapped the tables), and its run id (state/run_id.h). The phases of every group ask it
// instead of reading each other's flags: whether to keep the checkpoint current, where the copy
// starts, what the stopped run had done.
//
// Not thread-safe: the orchestrator's thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/session.h"
#include "state/checkpoint.h"
#include "state/checkpoint_store.h"
#include "util/status.h"

namespace shadowalter {

// Which runs a phase belongs to (bits, so a phase can belong to several).
enum RunKind : unsigned { kFresh = 1, kResumed = 2, kFinishing = 4, kEvery = 7 };

// Where a resumed copy starts.
struct CopyStart {
  bool all_copied = false;                        // the stopped run had copied every row
  std::optional<std::vector<std::string>> after;  // the last key copied; none: from the start
  uint64_t rows_copied = 0;                       // by the stopped run
};

class RunRecord {
 public:
  // The checkpoint lives in `checkpoint_table` of `schema`. `run_id` is the id the run made at
  // start (NewRunId()); a stopped run's replaces it (SettleRunId).
  RunRecord(std::string schema, std::string checkpoint_table, std::string run_id);

  // The run's id: the one it made, or the stopped run's once SettleRunId took it.
  const std::string& run_id() const { return run_id_; }
  // Whether run_id() is final. A run that may continue a stopped one knows only once it has
  // looked for one (find_stopped_run); until then run_id() is provisional.
  bool run_id_settled() const { return run_id_settled_; }
  // The run has looked for a stopped run (or can't continue one): `stopped` is the one found,
  // nullptr for none. Its id, when it has one, is this run's from now on, whether this run
  // continues it or starts afresh in its place; a checkpoint of an earlier build has none, and
  // the run keeps its own (written into the checkpoint when the run takes it on: Adopt, Finish).
  void SettleRunId(const Checkpoint* stopped);

  RunKind kind() const { return kind_; }
  bool resuming() const { return kind_ == kResumed; }
  // The checkpoint exists and is this run's to keep current (and to drop at the end).
  bool on_record() const { return on_record_; }
  // The stopped run this one continues or finishes; nullptr for a fresh run.
  const Checkpoint* stopped() const { return stopped_ ? &*stopped_ : nullptr; }
  // Whether the stopped run being resumed had got at least as far as `phase`.
  bool StoppedAtOrAfter(RunPhase phase) const { return stopped_ && stopped_->phase >= phase; }

  // A stopped run's checkpoint, if there is one.
  StatusOr<std::optional<Checkpoint>> Load(Session& s) const { return store_.Load(s); }
  // This run continues `stopped`; its artifacts become this run's once checked (Adopt).
  void Resume(Checkpoint stopped);
  // This run finishes `stopped`, which had swapped the tables: its checkpoint is this run's
  // (given this run's id if it had none).
  Status Finish(Session& s, Checkpoint stopped);
  // The resumed run's artifacts checked out: from now on its checkpoint is this run's (given this
  // run's id if it had none).
  Status Adopt(Session& s);
  // A fresh run: writes `c` as the run's checkpoint, which is then this run's.
  Status Create(Session& s, const Checkpoint& c);

  // Whether a run ending with `failure` parks (artifacts and checkpoint kept, exit 4) instead of
  // cleaning up: a phase that parks on purpose, a stop request when `stop_parks` (a time limit,
  // SIGHUP, ...: migration/stop_action.h), or a connection lost once the checkpoint exists and
  // before the swap (cleanup could not reach the server anyway, and the copy so far is worth
  // keeping).
  bool ParksOn(const Status& failure, bool stop_parks, bool swapped) const;

  // Where the copy starts: from the first key on a fresh run.
  CopyStart CopyStartPoint() const;

  // The writes below do nothing while the run has no checkpoint.
  Status RecordPhase(Session& s, RunPhase phase) const;
  Status RecordNewTableFingerprint(Session& s, const std::string& fingerprint) const;
  Status RecordTriggersFingerprint(Session& s, const std::string& fingerprint) const;
  Status RecordChunkKey(Session& s, const std::string& chunk_key) const;
  // --revertible, once swapped: the definitions' fingerprint (migration/revertible.h).
  Status RecordOriginalFingerprint(Session& s, const std::string& fingerprint) const;
  Status RecordOwnTriggers(Session& s, const std::vector<Trigger>& triggers) const;
  Status RecordNote(Session& s, const std::string& note) const;
  // The copy's position after a committed chunk. Best effort: a checkpoint that lags only repeats
  // chunks on resume, so a failure is returned for the caller to retry once, and `WarnOnce`
  // says whether it is the first failure worth a warning.
  Status RecordPosition(Session& s, const std::vector<std::string>& position,
                        uint64_t rows_copied) const;
  bool WarnOnce() { return !std::exchange(position_warning_given_, true); }

 private:
  // The stopped run's checkpoint, now this run's, has no run id (an earlier build's): records
  // this run's.
  Status RecordRunIdIfMissing(Session& s) const;

  CheckpointStore store_;
  std::string run_id_;
  bool run_id_settled_ = false;
  RunKind kind_ = kFresh;
  bool on_record_ = false;
  std::optional<Checkpoint> stopped_;
  bool position_warning_given_ = false;
};

}  // namespace shadowalter
