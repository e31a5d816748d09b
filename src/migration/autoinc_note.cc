#include "migration/autoinc_note.h"

#include <algorithm>

#include "report/log.h"
#include "sql/server_queries.h"

namespace shadowalter {

void NoteAutoincLocking(Session& session, const TableInfo& shadow) {
  const bool has_autoinc = std::any_of(shadow.columns.begin(), shadow.columns.end(),
                                       [](const Column& c) { return c.auto_increment; });
  if (!has_autoinc) return;
  StatusOr<ResultSet> mode = session.Query(AutoincLockModeQuery());
  if (!mode.ok()) {
    LogDebug("reading innodb_autoinc_lock_mode: " + mode.status().message());
    return;
  }
  const std::string value = mode->Scalar().value_or("");
  if (value.empty() || value == "2") return;
  LogInfo("the new table has an AUTO_INCREMENT column and innodb_autoinc_lock_mode is " + value +
          ": each copy statement holds its AUTO-INC lock, which the application's writes through "
          "the triggers wait for (kept to a few ms by short statements while others write); "
          "innodb_autoinc_lock_mode = 2, safe with binlog_format = ROW, removes that wait");
}

}  // namespace shadowalter
