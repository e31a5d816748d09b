// Opening a session to the primary the way every part of a run does (TLS, option file, --print,
// lock waits bounded by --lock-wait-timeout).
#pragma once

#include <memory>

#include "cli/config.h"
#include "db/session.h"
#include "util/status.h"

namespace shadowalter {

StatusOr<std::unique_ptr<Session>> OpenPrimarySession(const Config& config);

}  // namespace shadowalter
