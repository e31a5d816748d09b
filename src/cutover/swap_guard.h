// The last check before the swap, made while no write on the table can be in flight (the
// table's write lock is held): everything the run proved or assumed still holds.
//  - No write the new table refused is uncovered (cutover/refusal_log.h): else the swap would
//    lose it. Code::kDataLoss, naming the first ones.
//  - The original's definition is the one the new table was made from: someone else's DDL (an
//    added column) would otherwise leave with the old table. Code::kAborted, naming the lines that
//    changed. Likewise the new table's definition.
//  - The original is the same InnoDB table as when the mirror triggers were made: a TRUNCATE (of
//    the table or a partition) or a rebuild fires no trigger, and would be swapped away.
//    Code::kAborted.
//  - The table's triggers are the ones the run knows: its own (as inspected) and the run's three
//    mirror triggers, unchanged. A dropped mirror trigger would have lost writes silently.
#pragma once

#include <string>
#include <vector>

#include "cutover/refusal_log.h"
#include "db/session.h"
#include "schema/table.h"
#include "util/status.h"

namespace shadowalter {

struct SwapGuardPlan {
  std::string schema;
  std::string table;            // the original
  std::string shadow_table;     // the new table
  std::string original_create;  // SHOW CREATE TABLE of each, when the run inspected them
  std::string shadow_create;
  std::vector<std::string> mirror_triggers;  // the run's three trigger names
  std::string mirror_fingerprint;     // Fingerprint(TriggerDefinitionsText) when they were made
  std::vector<Trigger> own_triggers;  // the table's own, as inspected (the run's excluded)
  // InnodbTableIds of the original once the mirror triggers existed ("" when unknown): a
  // TRUNCATE or rebuild since bypassed the triggers.
  std::string table_ids;
  // TriggersCreatedText of the mirror triggers once made ("" when unknown): one dropped and made
  // again (same text) let the writes in between miss the new table.
  std::string mirror_created;
  // On a cluster, the swap's fences (the run's too, not the table's own); none elsewhere.
  std::vector<std::string> fence_triggers = {};
};

class SwapGuard {
 public:
  SwapGuard(SwapGuardPlan plan, const RefusalLog& refusals)
      : plan_(std::move(plan)), refusals_(refusals) {}

  // OK when the swap may happen. Read on `s` while another session holds the table's write lock
  // (so no write is in flight and a fresh statement sees every committed refusal).
  Status Check(Session& s) const;
  // The original's definition alone (any time, no lock needed): kAborted when it changed.
  Status CheckOriginalDefinition(Session& s) const;

 private:
  Status CheckDefinition(Session& s, const std::string& table, const std::string& expected,
                         const std::string& what) const;
  Status CheckTriggers(Session& s) const;
  Status CheckSameTable(Session& s) const;
  Status CheckRefusals(Session& s) const;

  SwapGuardPlan plan_;
  const RefusalLog& refusals_;
};

// The lines of `before` missing from `after` ("- ...") and the reverse ("+ ..."), for naming
// what changed in a table's definition. Pure.
std::vector<std::string> DefinitionChanges(const std::string& before, const std::string& after);

}  // namespace shadowalter
