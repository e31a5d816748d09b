#include "cli/connect_params.h"

namespace shadowalter {

ConnectParams ConnectParamsFor(const ConnectionConfig& conn) {
  ConnectParams p;
  p.host = conn.host;
  p.port = conn.port;
  p.user = conn.user;
  p.password = conn.password;
  p.socket = conn.socket;
  p.defaults_file = conn.defaults_file;
  p.database = conn.database;
  p.tls = conn.tls;
  p.session_variables = conn.session_variables;
  return p;
}

}  // namespace shadowalter
