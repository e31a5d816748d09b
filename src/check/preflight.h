// Preflight: the ordered list of checks that run before anything is created. Each check is one
// small function that reads the server and says OK or why the run must not start (kRefused with
// what to do). All checks run, and every failure is reported, not just the first.
#pragma once

#include <string>
#include <vector>

#include "db/session.h"
#include "schema/table.h"
#include "sql/names.h"
#include "util/status.h"

namespace shadowalter {

struct PreflightContext {
  Session& session;
  const TableInfo& table;
  const ArtifactNames& names;
  bool preserve_triggers = false;  // --preserve-triggers: the table's own triggers are carried over
};

struct PreflightCheck {
  std::string name;
  Status (*run)(PreflightContext&);
};

// The checks in the order they run.
const std::vector<PreflightCheck>& PreflightChecks();

Status CheckEngineIsInnoDB(PreflightContext& ctx);
Status CheckHasWalkableKey(PreflightContext& ctx);
Status CheckNoOwnTriggers(PreflightContext& ctx);
Status CheckNoChildForeignKeys(PreflightContext& ctx);
Status CheckNoLeftoverArtifacts(PreflightContext& ctx);
Status CheckNotReplicating(PreflightContext& ctx);

// Runs every check; returns OK, or one kRefused Status whose message lists each failure as
// "<check>: <reason>" separated by "; ".
Status RunPreflight(PreflightContext& ctx);

}  // namespace shadowalter
