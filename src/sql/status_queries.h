// Reads of a server's status counters (SHOW GLOBAL STATUS), for throttling on load. Pure.
#pragma once

#include <set>
#include <string>

namespace shadowalter {

// Variable_name and Value of each global status variable named in `names` (matched as the server
// matches names: without regard to case). `names` must not be empty.
std::string GlobalStatusQuery(const std::set<std::string>& names);

}  // namespace shadowalter
