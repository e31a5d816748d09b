// Turning a connection config into the client library's connect parameters: the one place it is
// done, so the primary's and the replicas' sessions cannot drift apart.
#pragma once

#include "cli/config.h"
#include "db/session.h"

namespace shadowalter {

// Server, credentials, option file, database and TLS of `conn`; the connect timeout keeps
// ConnectParams' default. The table is not a connect parameter.
ConnectParams ConnectParamsFor(const ConnectionConfig& conn);

}  // namespace shadowalter
