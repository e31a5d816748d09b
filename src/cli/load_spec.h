// Parsing of --max-load / --critical-load: "VAR[=N][,VAR[=N]...]" (':' is accepted for '=' as
// pt-online-schema-change accepts it). No SQL: the variables are checked against the server later.
#pragma once

#include <string_view>
#include <vector>

#include "cli/config.h"
#include "util/status.h"

namespace shadowalter {

// kUsage naming the bad part when a name is empty or not a status-variable name
// ([A-Za-z0-9_]), or a value is not a non-negative number.
StatusOr<std::vector<LoadLimit>> ParseLoadSpec(std::string_view option, std::string_view spec);

// "Threads_running=25,Threads_connected" for logs and --help.
std::string FormatLoadSpec(const std::vector<LoadLimit>& limits);

}  // namespace shadowalter
