// The orchestrator: runs the phases of one online ALTER top to bottom and turns the outcome into
// an exit code. Every artifact it creates pushes its undo onto a CleanupStack first, so any
// failure or stop unwinds to the original table exactly as it was. It holds no SQL text: that
// lives in sql/.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "control/live_settings.h"
#include "copy/copier.h"
#include "cutover/refusal_log.h"
#include "db/ddl_retry.h"
#include "db/session.h"
#include "hooks/hooks.h"
#include "inspect/artifacts.h"
#include "inspect/cluster.h"
#include "migration/cleanup_stack.h"
#include "migration/cutover.h"
#include "migration/ddl_policies.h"
#include "migration/primary_sessions.h"
#include "migration/row_copy.h"
#include "migration/run_limit.h"
#include "migration/run_record.h"
#include "migration/run_report.h"
#include "migration/table_plan.h"
#include "report/events.h"
#include "report/progress.h"
#include "schema/table.h"
#include "sql/alter_clauses.h"
#include "sql/chunk.h"
#include "sql/compare.h"
#include "sql/names.h"
#include "state/checkpoint.h"
#include "state/checkpoint_store.h"
#include "throttle/chunk_sizer.h"
#include "throttle/heartbeat.h"
#include "throttle/throttler.h"
#include "util/clock.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

class Migration {
 public:
  // `events` gets the run's events (--output json); it must outlive the migration. `stop` is also
  // how the run's own time limit (--max-runtime, --stop-at) stops it. `run_id` is the id made for
  // this run (NewRunId(), state/run_id.h), the one `events` was given; a run continuing a stopped
  // one takes that one's instead, and tells `events` (EventSink::SettleRunId).
  // `live` carries an operator's changes while the run goes on (--control-socket); null without.
  Migration(Config config, StopFlag& stop, EventSink& events, std::string run_id,
            LiveSettings* live = nullptr);

  // Runs the whole job; returns the process exit code (see migration/exit_codes.h).
  int Run();

  using PhaseFn = Status (Migration::*)();
  struct Phase {
    const char* id;    // stable, for events, hooks and scripts: e.g. "copy"
    const char* name;  // the log's words: e.g. "copying rows"
    PhaseFn run;
    unsigned runs = kFresh | kResumed;  // RunKind bits (migration/run_record.h)
    // The operator's hooks (--hook-dir) this phase declares: run right before it, and right
    // after it succeeded ("" for none). A failing hook ends the run there.
    const char* hook_before = "";
    const char* hook_after = "";
  };
  // The phases `config` runs, top to bottom (each run then skips those not of its RunKind). Their
  // ids are stable: events, hooks and scripts name them (docs/events.md).
  static std::vector<Phase> PhasesFor(const Config& config);

 private:
  // The phases and their endings; Run wraps it with hooks, statistics and the done event.
  int RunPhases(Clock::time_point start);
  Status RunHook(const char* hook, const char* phase, std::optional<int> exit_code = std::nullopt);

  Status AnalyzeAlterText();
  Status Connect();
  Status TakeRunLock();
  Status InspectOriginal();
  Status Preflight();
  // On a Galera Cluster node: the copy's transactions within the cluster's writeset limits.
  Status SizeForCluster();
  Status FindReplicasToWatch();
  Status CreateShadow();
  Status AlterShadow();
  // Whether the original already has the definition the ALTER gives the new table: then there is
  // nothing to do (a cron line that stays after its ALTER is done).
  Status CompareDefinitions();
  // The preflight checks that judge the new table as the ALTER left it (its engine).
  Status CheckNewTable();
  Status RequireShadow();
  Status PlanCopy();
  Status CheckNewUniqueKeys();
  Status AlterInstantly();
  Status CheckOwnTriggers();
  // --revertible: plans the reverse triggers (migration/revertible.h), refusing what can't be
  // swapped back, before anything is made.
  Status PlanRevert();
  Status ReportPlan();
  Status StartHeartbeat();
  Status CreateTriggers();
  Status CopyRows();
  Status VerifyTables();
  // The cut-over's phases: each hands the live DDL session to cutover_ (migration/cutover.h).
  Status WaitForCutover();
  Status CheckCutoverWindow();
  // --no-swap-tables --no-drop-triggers: parks, the new table complete and kept current.
  Status StopBeforeSwap();
  Status RepointChildForeignKeys();
  Status Swap();
  Status FinishSwappedRun();
  Status DropOldTable();
  // --revertible, once swapped: puts the revertible state on record (the fingerprints of
  // migration/revertible.h, phase kRevertible) for `revert` and `finish`.
  Status KeepRevertible();

  // Checkpoints and resuming (resume_phases.cc).
  Status FindStoppedRun();
  // The run's id is final: the run record and the events know it from now on.
  void SettleRunId(const Checkpoint* stopped);
  // Adopts the stopped run's ALTER and identity options, refusing a conflicting command line.
  Status AdoptStoppedRun(const Checkpoint& stopped);
  Status RecordCheckpoint();
  // --preserve-triggers, a stopped run in the cut-over: puts the table's own triggers back from
  // the checkpoint wherever they are missing. True when the cut-over had begun before the RENAME
  // (its mirror triggers are gone, so the new table missed writes): the run must start afresh.
  StatusOr<bool> PutOwnTriggersBack(const Checkpoint& stopped, const ArtifactsFound& found);
  // Drops what is left of a stopped run (triggers, tables, checkpoint) so a fresh run can begin.
  Status DropStoppedRun();
  Status CheckStoppedRun();
  Status RecordPhase(RunPhase phase);
  // The new table has its ALTER: its fingerprint, then phase new_table.
  Status RecordNewTable();
  // The three triggers exist: their fingerprint, then phase copying.
  Status RecordTriggers();
  // After a lost connection mid-copy or mid-verification: a new session once the primary answers
  // again (within --reconnect-timeout, see PrimarySessions::Reconnect), the throttler's session
  // replaced and the artifacts checked.
  StatusOr<std::unique_ptr<Session>> Reconnect(const Status& lost);
  // Ends the run parked: artifacts and checkpoint kept, exit 4.
  int Park(const Status& why, const char* phase);
  // Starts the --max-runtime / --stop-at watcher, if either is set.
  void StartRunLimit();

  static std::vector<Phase> VerifyPhases();
  static bool MayBeRevertible(const Config& config);
  static void AppendCutoverPhases(const Config& config, std::vector<Phase>& phases);
  // Every phase succeeded: the run's last words for each mode and path.
  int Succeed(Clock::time_point start);
  // --no-swap-tables without --no-drop-triggers: drops what the run made, exit 0.
  int EndRehearsal(Clock::time_point start);
  // The table already had the definition: what the run made is dropped, exit 0.
  int NothingToDo();
  // Done without a copy (`outcome`: "the ALTER is done"): drops what the run made; exit 3 with
  // the statements still needed when that fails, else nullopt.
  std::optional<int> DropWhatIsLeft(const std::string& outcome);
  Status RunDdl(const std::string& sql, DdlOperation operation = DdlOperation::kOther);
  // Pushes the undo of one of the run's tables ("new table", `_t_new`) or triggers.
  void PushTableDrop(const std::string& what, const std::string& table);
  void PushTriggerDrop(const std::string& trigger);
  // Who holds the table, for the log between tries of a metadata-lock-taking statement.
  std::vector<std::string> Blockers();
  int Finish(const Status& failure, const char* phase);
  // Undoes what the run made (the cleanup stack), or runs the steps left after the swap; returns
  // the statements still needed, in order.
  std::vector<std::string> Cleanup();
  // Runs `stack` newest first on a live session (a fresh one if the DDL session is gone), each
  // statement retried, even after a stop request.
  std::vector<std::string> Unwind(CleanupStack& stack);
  // What the copy and the verification borrow: sessions, the between-chunks wait, reconnecting.
  RowPhaseHooks RowHooks();
  // A committed chunk's position into the checkpoint, on the DDL session (replaced once if the
  // server closed it); a failure is a warning, once.
  void RecordCopyPosition(const KeyTuple& position, uint64_t rows_copied);
  // Runs between chunks: keeps the run lock's session alive, then asks the throttler.
  Status BetweenChunks();

  Config config_;
  StopFlag& stop_;
  EventSink& events_;
  Hooks hooks_;
  RunReport report_;  // the outcome, phase times, counts and progress events
  DdlRetryPolicy ddl_policy_;
  // The DDL session, the run lock's session, and every new session of the run.
  PrimarySessions sessions_;
  // What is altered: names, the ALTER, both tables, the copy, the path.
  TablePlan plan_;
  std::unique_ptr<Throttler> throttler_;
  std::unique_ptr<Heartbeat> heartbeat_;
  // Writes the new table refused, recorded by the triggers.
  RefusalLog refusals_;
  CleanupStack cleanup_;

  // The run's checkpoint on the primary, the stopped run this one continues (if any), the run id.
  RunRecord record_;
  // Everything from the postponed cut-over to the old table's drop.
  Cutover cutover_;
  std::unique_ptr<RunLimit> limit_;  // --max-runtime, --stop-at
  LiveSettings* live_;               // --control-socket: null without
  GaleraNode cluster_;               // the server as a Galera Cluster node (wsrep_on false: not)
};

}  // namespace shadowalter
