#include "migration/connect.h"

#include "report/log.h"

namespace shadowalter {

StatusOr<std::unique_ptr<Session>> OpenPrimarySession(const Config& config) {
  ConnectParams p;
  p.host = config.conn.host;
  p.port = config.conn.port;
  p.user = config.conn.user;
  p.password = config.conn.password;
  p.socket = config.conn.socket;
  p.defaults_file = config.conn.defaults_file;
  p.database = config.conn.database;
  p.tls = config.conn.tls;
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> s, Session::Connect(p));
  if (config.print_sql) {
    s->set_statement_observer([](const std::string& sql) { LogInfo("SQL: " + sql); });
  }
  return s;
}

}  // namespace shadowalter
