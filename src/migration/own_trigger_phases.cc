// The swap behind the table's write lock (migration/trigger_cutover.h), which also moves the
// table's own triggers (--preserve-triggers), and proving early that each of those can be
// recreated on the new table.
#include "check/preflight.h"
#include "db/quote.h"
#include "migration/migration.h"
#include "migration/trigger_cutover.h"
#include "report/log.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/names.h"

namespace shadowalter {

Status Migration::SwapBehindLock() {
  SA_RETURN_IF_ERROR(EnsureDdlSession());
  // Before anything is dropped: after a crash inside the cut-over, this is the only copy left of
  // a trigger that is on neither table. The cut-over checks, under its lock, that the table still
  // has exactly these.
  if (CarriesOwnTriggers()) {
    SA_RETURN_IF_ERROR(record_.RecordOwnTriggers(*ddl_, original_.triggers));
  }
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> second, NewSession());
  CutoverPlan plan{config_.conn.database,
                   config_.conn.table,
                   names_.shadow_table,
                   names_.old_table,
                   {names_.insert_trigger, names_.update_trigger, names_.delete_trigger},
                   original_.triggers,
                   [this](Session& s) { return CheckBeforeSwap(s); }};
  TriggerCutover cutover(std::move(plan), *ddl_, *second, ddl_policy_, stop_);
  Status s = cutover.Run();
  if (s.ok()) {
    if (!original_.triggers.empty()) {
      LogInfo("moved the table's " + std::to_string(original_.triggers.size()) +
              " own triggers to the new table under the write lock");
    }
    return s;
  }
  if (!cutover.leftovers().empty()) {
    // The table's triggers are not back where they were: dropping the new table now could take
    // the last copy of one with it. Nothing more runs; every statement still needed is listed
    // (Park lists those that put the triggers back, as the checkpoint stays).
    leftover_sql_ = cutover.leftovers();
    for (const std::string& sql : cleanup_.Pending()) leftover_sql_.push_back(sql);
    cleanup_.Release();
  }
  return s;
}

Status Migration::CheckOwnTriggers() {
  PreflightContext ctx{*ddl_, original_, names_, config_, {}, record_.resuming()};
  ctx.new_table = &shadow_;
  ctx.columns = &copy_spec_.columns;
  ctx.will_create_table = [this](const std::string& t) { PushTableDrop("scratch table", t); };
  return RunPreflight(ctx, PreflightStage::kOwnTriggers);
}

}  // namespace shadowalter
