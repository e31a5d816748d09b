// --preserve-triggers: proving early that each of the table's own triggers can be recreated on
// the new table (the cut-over moves them: migration/cutover.h).
#include "check/preflight.h"
#include "db/quote.h"
#include "migration/migration.h"
#include "report/log.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/names.h"

namespace shadowalter {

Status Migration::CheckOwnTriggers() {
  PreflightContext ctx{sessions_.ddl(),   plan_.original, plan_.names, config_, {},
                       record_.resuming()};
  ctx.new_table = &plan_.shadow;
  ctx.columns = &plan_.copy.columns;
  ctx.will_create_table = [this](const std::string& t) { PushTableDrop("scratch table", t); };
  return RunPreflight(ctx, PreflightStage::kOwnTriggers);
}

}  // namespace shadowalter
