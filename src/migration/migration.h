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
#include "db/ddl_retry.h"
#include "db/session.h"
#include "migration/cleanup_stack.h"
#include "schema/table.h"
#include "sql/alter_clauses.h"
#include "sql/checksum.h"
#include "sql/chunk.h"
#include "sql/names.h"
#include "throttle/chunk_sizer.h"
#include "throttle/heartbeat.h"
#include "throttle/throttler.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

class Migration {
 public:
  Migration(Config config, const StopFlag& stop);

  // Runs the whole job; returns the process exit code (see migration/exit_codes.h).
  int Run();

 private:
  using PhaseFn = Status (Migration::*)();
  struct Phase {
    const char* name;
    PhaseFn run;
  };

  Status AnalyzeAlterText();
  Status Connect();
  Status TakeRunLock();
  Status InspectOriginal();
  Status Preflight();
  Status FindReplicasToWatch();
  Status CreateShadow();
  Status AlterShadow();
  Status RequireShadow();
  Status PlanCopy();
  Status CheckNewUniqueKeys();
  Status AlterInstantly();
  Status CheckOwnTriggers();
  Status ReportPlan();
  Status StartHeartbeat();
  Status CreateTriggers();
  Status CopyRows();
  Status VerifyTables();
  Status WaitForCutover();
  Status RepointChildForeignKeys();
  Status Swap();
  Status DropAndRename();
  Status SwapKeepingTriggers();
  Status DropOldTable();

  std::vector<Phase> Phases() const;
  Status RunDdl(const std::string& sql);
  // Reconnects the DDL session when the server closed it while it sat idle.
  Status EnsureDdlSession();
  // --preserve-triggers on a table that has triggers of its own.
  bool CarriesOwnTriggers() const;
  // Who holds the table, for the log between tries of a metadata-lock-taking statement.
  std::vector<std::string> Blockers();
  int Finish(const Status& failure, const char* phase);
  std::vector<std::string> Cleanup();
  StatusOr<std::unique_ptr<Session>> NewSession();
  ChunkSizer CopySizer() const;
  // Resolves --alter-foreign-keys-method against the children found (auto -> rebuild_constraints).
  void ChooseForeignKeyMethod();
  // After the swap: undo statements that give the children's and the table's own foreign keys
  // back the names the DBA had (the shadow carried toggled ones).
  Status PushChildNameRestores();
  Status PushOwnNameRestores();
  // The statement repointing child `fk` to the new table, and its undo (pointing back at the
  // original under the original name).
  StatusOr<std::pair<std::string, std::string>> RepointStatements(const ForeignKeyRef& fk) const;
  // Runs between chunks: keeps the run lock's session alive, then asks the throttler.
  Status BetweenChunks();

  Config config_;
  const StopFlag& stop_;
  DdlRetryPolicy ddl_policy_;
  std::unique_ptr<Session> ddl_;
  std::unique_ptr<Session> lock_session_;  // holds the run lock for the whole run
  ArtifactNames names_;
  AlterAnalysis alter_;
  std::string alter_clauses_;  // the user's text without ALGORITHM/LOCK
  TableInfo original_;
  TableInfo shadow_;
  CopySpec copy_spec_;
  ChecksumPlan checksum_plan_;
  std::unique_ptr<Throttler> throttler_;
  std::unique_ptr<Heartbeat> heartbeat_;
  CleanupStack cleanup_;
  std::vector<std::string> leftover_sql_;  // undo statements that failed and still need running
  std::vector<std::pair<const char*, double>> phase_seconds_;  // for the final report
  std::chrono::steady_clock::time_point last_lock_ping_ = std::chrono::steady_clock::now();
  bool created_anything_ = false;
  // The path: instant_refusal_ is empty when the new table took ALGORITHM=INSTANT (so the
  // original likely will), else why not; altered_instantly_ once the original took it.
  std::string instant_refusal_ = "not tried";
  bool altered_instantly_ = false;
  bool swapped_ = false;
  ForeignKeyMethod fk_method_ = ForeignKeyMethod::kUnset;  // kUnset: no child tables
};

}  // namespace shadowalter
