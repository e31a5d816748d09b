// The checks that decide whether this command may take over a stopped run (its checkpoint,
// state/checkpoint.h) and continue it, or (`shadowalter cleanup`) remove it, in the order they
// run. Each is one small function that says OK or why not (kRefused, with what to do); a server
// error comes back as it is. They run in stages, as the orchestrator (or the cleanup) learns more
// of the stopped run, and the first failure ends the run. None can be skipped.
#pragma once

#include <string>
#include <vector>

#include "cli/config.h"
#include "db/session.h"
#include "inspect/artifacts.h"
#include "schema/table.h"
#include "sql/names.h"
#include "state/checkpoint.h"
#include "state/run_identity.h"
#include "util/status.h"

namespace shadowalter {

// When a check runs.
enum class StoppedRunStage {
  kCheckpointRead,   // its checkpoint was just read, or found missing: may this command take it?
  kAlterAdopted,     // its ALTER is this run's: does the command line keep its options?
  kOwnTriggersBack,  // its artifacts found: can the table's own triggers go back where missing?
  kContinuing,       // its artifacts found, and it is to be continued: is there anything to?
  kCopyPlanned,     // the table and the new table inspected, the copy planned: all as it left them?
  kArtifactsFound,  // its artifacts found again: its triggers and refusal log as it left them?
  kBeforeCleanup,   // `cleanup`: its artifacts found, none removed yet: may they go?
};

struct StoppedRunContext {
  Session& session;  // the primary
  const Config& config;
  const ArtifactNames& names;
  // The stopped run's checkpoint; null (kCheckpointRead and kBeforeCleanup only) when there is
  // none on record.
  const Checkpoint* stopped = nullptr;
  // Each known from the stages named, null before.
  const RunIdentity* identity = nullptr;  // kAlterAdopted: decoded from the checkpoint
  // kOwnTriggersBack, kContinuing, kArtifactsFound, kBeforeCleanup
  const ArtifactsFound* found = nullptr;
  const TableInfo* original = nullptr;   // kCopyPlanned on
  const TableInfo* new_table = nullptr;  // kCopyPlanned on
  std::string chunk_key = {};            // kCopyPlanned on: ChunkKeyText of the key to walk
};

struct StoppedRunCheck {
  std::string name;  // for the log and the tests
  Status (*run)(const StoppedRunContext&);
  StoppedRunStage stage;
};

// The checks in the order they run.
const std::vector<StoppedRunCheck>& StoppedRunChecks();

// Runs the checks of `stage` in order; the first failure, or OK.
Status RunStoppedRunChecks(const StoppedRunContext& ctx, StoppedRunStage stage);

// "a stopped run of `db`.`t` (ALTER "...", phase copying, started <when> UTC by <who>)": how the
// refusals and the log name it.
std::string DescribeStoppedRun(const Checkpoint& stopped, const Config& config);

// kCheckpointRead: `shadowalter resume` has a stopped run to continue.
Status CheckStoppedRunOnRecord(const StoppedRunContext& ctx);
// kCheckpointRead: a stopped run is continued only when asked (--resume, or the resume command).
Status CheckResumeAsked(const StoppedRunContext& ctx);
// kCheckpointRead: an --alter given is the stopped run's (ends trimmed).
Status CheckSameAlter(const StoppedRunContext& ctx);
// kAlterAdopted: an --alter-foreign-keys-method given is the stopped run's.
Status CheckSameForeignKeysMethod(const StoppedRunContext& ctx);
// kAlterAdopted: --preserve-triggers only for a run that used it.
Status CheckSamePreserveTriggers(const StoppedRunContext& ctx);
// kOwnTriggersBack, kBeforeCleanup: a stopped run (--preserve-triggers) that stopped inside the
// trigger cut-over keeps the table's own triggers in its checkpoint, to put them back from. The
// advice is the command's: config.mode kCleanup, or resume's.
Status CheckOwnTriggersOnRecord(const StoppedRunContext& ctx);
// kContinuing: the new table is still there.
Status CheckNewTableKept(const StoppedRunContext& ctx);
// kCopyPlanned: the table's definition is the one the stopped run started from.
Status CheckSameTableDefinition(const StoppedRunContext& ctx);
// kCopyPlanned: the new table's definition is the one the stopped run made.
Status CheckSameNewTable(const StoppedRunContext& ctx);
// kCopyPlanned: the copy walks the key the stopped run walked.
Status CheckSameChunkKey(const StoppedRunContext& ctx);
// kArtifactsFound, once the stopped run had its triggers (phase copying on): all three exist...
Status CheckTriggersKept(const StoppedRunContext& ctx);
// ... unchanged since it made them (their definitions read from the server) ...
Status CheckTriggersUnchanged(const StoppedRunContext& ctx);
// ... and so does the refusal log they record into.
Status CheckRefusalLogKept(const StoppedRunContext& ctx);
// kBeforeCleanup: the table is there, not renamed away with the new table holding its data (an
// interrupted drop-and-rename cut-over).
Status CheckTableKept(const StoppedRunContext& ctx);
// kBeforeCleanup: no foreign key references the new table (read from the server).
Status CheckNoForeignKeyToNewTable(const StoppedRunContext& ctx);
// (kBeforeCleanup: CheckOwnTriggersOnRecord, then) triggers on the new table (read from the
// server) are the table's own on the move: only with a checkpoint that keeps them can it go.
Status CheckNewTableTriggersOnRecord(const StoppedRunContext& ctx);

}  // namespace shadowalter
