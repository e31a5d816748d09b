#include "migration/connect.h"

#include <algorithm>
#include <cmath>

#include "cli/connect_params.h"
#include "report/log.h"
#include "sql/ddl.h"

namespace shadowalter {

StatusOr<std::unique_ptr<Session>> OpenPrimarySession(const Config& config) {
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> s, Session::Connect(ConnectParamsFor(config.conn)));
  // No session of a run waits longer than --lock-wait-timeout for any lock unless it asks for
  // less (the copy does not wait at all) or, for a statement it queues on purpose, for more.
  // The servers' defaults (a day on MariaDB, a year on MySQL) would let a lock cycle no deadlock
  // detector sees hold the application until someone kills the run.
  const unsigned seconds =
      static_cast<unsigned>(std::ceil(std::max(1.0, config.lock_wait_timeout)));
  SA_RETURN_IF_ERROR(s->Execute(SetLockWaits(s->flavor(), seconds)).With("setting up the session"));
  if (config.print_sql) {
    s->set_statement_observer([](const std::string& sql) { LogInfo("SQL: " + sql); });
  }
  return s;
}

}  // namespace shadowalter
