// The cut-over: everything from the postponed swap to the old table's drop. Waiting for the
// postpone file and the cut-over window, repointing the child tables' foreign keys, the swap
// itself (behind the table's write lock, moving the table's own triggers: trigger_cutover.h;
// or drop_swap), and the steps left once the new table is the table (the run's triggers, the
// foreign keys' names, the old table, the checkpoint last).
//
// Until the swap every artifact's undo goes onto the run's cleanup stack. The swap releases
// that stack (the new table must never be dropped again) and from then on the steps still to
// do are kept here, in their own list, run by Finish or by the orchestrator's cleanup.
//
// The orchestrator owns the sessions: each method that talks to the server takes the DDL
// session, already checked to be alive. Not thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/config.h"
#include "control/live_settings.h"
#include "cutover/refusal_log.h"
#include "db/ddl_retry.h"
#include "db/session.h"
#include "migration/cleanup_stack.h"
#include "migration/revertible.h"
#include "migration/run_record.h"
#include "schema/table.h"
#include "sql/names.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

class Cutover {
 public:
  // Everything referenced outlives the Cutover. `original` and `shadow` are filled (inspection,
  // the new table's ALTER) before any method but ChooseForeignKeyMethod runs; `cleanup` is the
  // run's undo stack, released by the swap.
  Cutover(const Config& config, const ArtifactNames& names, const TableInfo& original,
          const TableInfo& shadow, const RefusalLog& refusals, const RunRecord& record,
          CleanupStack& cleanup, const DdlRetryPolicy& policy, const StopFlag& stop);

  // Resolves --alter-foreign-keys-method against the children found (auto ->
  // rebuild_constraints); kUnset when no other table references this one.
  void ChooseForeignKeyMethod();
  ForeignKeyMethod foreign_key_method() const { return fk_method_; }

  // The run's mirror triggers as made (Fingerprint of TriggerDefinitionsText), or as the stopped
  // run being resumed made them: the swap refuses when they changed since.
  void set_mirror_fingerprint(std::string fingerprint) {
    mirror_fingerprint_ = std::move(fingerprint);
  }
  const std::string& mirror_fingerprint() const { return mirror_fingerprint_; }
  // The original's InnodbTableIds once the mirror triggers exist (inspect/inspector.h): the swap
  // refuses when they changed since.
  void set_table_ids(std::string ids) { table_ids_ = std::move(ids); }
  // When the mirror triggers were created (inspect/artifacts.h): the swap refuses when that
  // changed since (dropped and made again).
  void set_mirror_created(std::string created) { mirror_created_ = std::move(created); }

  // --revertible: the reverse side the swap creates (migration/revertible.h). Without it the swap
  // is the plain one.
  void set_reverse_side(ReverseSide side) { reverse_ = std::move(side); }
  bool revertible() const { return reverse_.has_value() || finishing_revertible_; }
  const std::optional<ReverseSide>& reverse_side() const { return reverse_; }
  // On a Galera Cluster node (check/cluster_checks.h): the swap fences the table's writes on every
  // node instead of taking a write lock, which holds this node's writers only (SwapBehindFence).
  void SwapInTotalOrder() { total_order_ = true; }
  // A finishing run whose stopped run was revertible (its identity says so).
  void StoppedRunWasRevertible() { finishing_revertible_ = true; }

  // Holds the swap while --postpone-cut-over-file exists; the triggers keep the new table
  // current meanwhile. `verify_again` runs once the file is gone (with --verify), since the
  // wait may have been long. `session` (null: not checked) reads the original's definition
  // about once a second meanwhile: someone else's DDL on it (a dropped column) could make the
  // triggers fail every application write until the swap, so the wait ends there (kAborted).
  Status WaitForFile(const std::function<Status()>& verify_again,
                     const std::function<Session*()>& session = nullptr) const;
  // The control socket's `cutover` ends the wait for the postpone file (may be null).
  void UseLiveSettings(const LiveSettings* live) { live_ = live; }
  // Outside --cutover-window: waits for it when it opens before the run must stop
  // (`seconds_left`, none without --stop-at / --max-runtime), the triggers keeping the new table
  // current meanwhile, then runs `verify_again` (with --verify) since the wait may have been long;
  // else ParkedError: the swap waits for a run inside the window.
  Status CheckWindow(std::optional<double> seconds_left,
                     const std::function<Status()>& verify_again) const;

  // rebuild_constraints: points every child's foreign key at the new table (metadata-only, under
  // a toggled name), each undo pushed onto the cleanup stack before it runs.
  Status RepointChildForeignKeys(Session& ddl);
  // The statement repointing child `fk` to the new table, and its undo (pointing back at the
  // original under the original name); the dry run's plan shows the first.
  StatusOr<std::pair<std::string, std::string>> RepointStatements(const ForeignKeyRef& fk) const;

  // The swap. `heartbeat_table`: the run made the heartbeat table, to drop once done. On success
  // the new table is the table and the steps left are queued for Finish.
  Status Swap(Session& ddl, bool heartbeat_table);

  // A finishing run (the stopped run had swapped): the steps it had left.
  void StoppedRunSwapped() { swapped_ = true; }
  void QueueStoppedRunsSteps();

  // Runs the steps left after the swap through `unwind` (the orchestrator's, which finds a live
  // session and retries): the run's triggers, the foreign keys' names, the old table (unless
  // --no-drop-old-table), the checkpoint last.
  Status Finish(const std::function<std::vector<std::string>(CleanupStack&)>& unwind);

  // The steps left after the swap, for the orchestrator's cleanup on a failure.
  CleanupStack& steps_after_swap() { return after_swap_; }
  // Whether the new table is the table (this run swapped, or the stopped run had).
  bool swapped() const { return swapped_; }
  // Statements the cut-over could not run and a human must (the log lists them): the swap's
  // undo when a lost connection interrupted it, or a step after the swap that failed.
  bool has_leftovers() const { return !leftovers_.empty(); }
  std::vector<std::string> TakeLeftovers() { return std::exchange(leftovers_, {}); }
  // --preserve-triggers on a table that has triggers of its own: the cut-over moves them.
  bool CarriesOwnTriggers() const {
    return config_.preserve_triggers && !original_.triggers.empty();
  }

 private:
  // The swap behind the table's write lock (trigger_cutover.h), moving the table's own
  // triggers with --preserve-triggers.
  Status SwapBehindLock(Session& ddl);
  // --revertible, under the swap's lock right before the RENAME: the reverse side as it is made
  // (migration/revertible.h), on record.
  Status RecordReverseSide(Session& s);
  // On a cluster: fences (BEFORE triggers, each a DDL in total order, after which every node
  // fails the table's writes with 1205 before they change anything), the full checks (the mirror
  // triggers untouched), then the RENAME in total order; the fences leave with the old table.
  // Each statement gets one try while fenced: on a lock conflict the fences come down and the
  // whole is tried again (--tries swap_tables), so writes fail only for moments.
  Status SwapBehindFence(Session& ddl);
  // One such try; `fences_down` tells that a failed try left no fence up.
  Status FenceAndRename(Session& ddl, const DdlRetryPolicy& once, bool& fences_down);
  // drop_swap: the original dropped, the new table renamed, children write-locked meanwhile.
  Status DropAndRename(Session& ddl);
  // Under the table's write lock, right before the swap: nothing the run proved has changed
  // (cutover/swap_guard.h).
  Status CheckBeforeSwap(Session& s) const;
  // The new table is the table: the old undo stack is released, never to drop it.
  void BecomeTheTable();
  // After the swap: give the children's and the table's own foreign keys back the names the DBA
  // had (the new table carried toggled ones).
  Status QueueChildNameRestores();
  Status QueueOwnNameRestores();
  void QueueTableDrop(const std::string& what, const std::string& table);

  const Config& config_;
  const ArtifactNames& names_;
  const TableInfo& original_;
  const TableInfo& shadow_;
  const RefusalLog& refusals_;
  const RunRecord& record_;
  CleanupStack& cleanup_;
  const DdlRetryPolicy& policy_;
  const StopFlag& stop_;
  const LiveSettings* live_ = nullptr;

  ForeignKeyMethod fk_method_ = ForeignKeyMethod::kUnset;  // kUnset: no child tables
  std::string mirror_fingerprint_;
  std::string table_ids_;
  std::string mirror_created_;
  bool swapped_ = false;
  std::optional<ReverseSide> reverse_;  // --revertible
  bool finishing_revertible_ = false;
  bool total_order_ = false;  // a Galera Cluster node
  CleanupStack after_swap_;   // run newest first, like the undo stack: the checkpoint goes last
  std::vector<std::string> leftovers_;
};

}  // namespace shadowalter
