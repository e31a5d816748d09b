// The table's own triggers (--preserve-triggers) as the run's checkpoint saved them before the
// trigger cut-over dropped any, and putting them back after a crash or a lost connection inside
// it: `resume` and `cleanup` (from the checkpoint, looking at where each trigger is now) and
// Park (the statements for a person, when the server can't be asked).
//
// "The table" is whatever carries its name now: the original before the RENAME, the new table
// after it. A trigger may also sit on the new table (the cut-over creates them there before the
// RENAME): it is taken off it first, since trigger names are unique per schema.
#pragma once

#include <string>
#include <vector>

#include "db/session.h"
#include "schema/table.h"
#include "sql/names.h"
#include "sql/trigger_restore.h"
#include "util/status.h"

namespace shadowalter {

class SavedTriggers {
 public:
  // `saved` in firing order per (timing, event), as the checkpoint holds them.
  SavedTriggers(std::string schema, std::string table, const ArtifactNames& names,
                std::vector<Trigger> saved);

  // Where each saved trigger is now; a saved name on no table is simply absent.
  StatusOr<std::vector<TriggerPlace>> Locate(Session& s) const;
  // Names of the saved triggers not on the table now, in saved order.
  std::vector<std::string> MissingFrom(const std::vector<TriggerPlace>& now) const;
  // The statements that put the missing ones back (empty: all are on the table). They end with
  // `s`'s own sql_mode and character set restored.
  StatusOr<std::vector<std::string>> PlanRestore(Session& s) const;
  // For the log when the server can't be asked: idempotent, every one dropped and made again.
  std::vector<std::string> ByHand() const;

  const std::vector<Trigger>& saved() const { return restore_.saved; }

 private:
  OwnTriggerRestore restore_;
};

}  // namespace shadowalter
