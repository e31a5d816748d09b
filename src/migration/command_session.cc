#include "migration/command_session.h"

#include "db/errors.h"
#include "db/quote.h"
#include "migration/connect.h"
#include "migration/exit_codes.h"
#include "report/log.h"
#include "sql/ddl.h"
#include "sql/names.h"

namespace shadowalter {

StatusOr<std::unique_ptr<Session>> ConnectForCommand(const Config& config) {
  StatusOr<std::unique_ptr<Session>> s = OpenPrimarySession(config);
  if (s.ok()) return s;
  return AsConnectFailure(s.status()).With("connecting");
}

Status TakeCommandRunLock(Session& s, const Config& config) {
  StatusOr<ResultSet> lock =
      s.Query(TakeNamedLock(RunLockName(config.conn.database, config.conn.table)));
  if (!lock.ok()) return lock.status().With("taking the run lock");
  if (lock->Scalar().value_or("0") != "1") {
    return RefusedError("a run is working on " +
                        QualifiedName(config.conn.database, config.conn.table) +
                        " now: stop it first (Ctrl-C or SIGTERM cleans up by itself)");
  }
  return Status::Ok();
}

int CommandExit(const Status& outcome) {
  if (outcome.ok()) return kExitDone;
  LogError(outcome.message());
  return ExitCodeFor(outcome.code());
}

}  // namespace shadowalter
