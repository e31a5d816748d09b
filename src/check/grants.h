// The privileges an account holds, read from SHOW GRANTS, and which of those a migration needs are
// missing. Pure: the parsing works on the statements' text, so it is unit-tested without a server.
//
// Only what preflight needs is understood: privilege lists on *.*, on a schema (its name may hold
// the LIKE wildcards % and _) and on a table. Column privileges, routines, proxies and role grants
// are ignored (a role's privileges count when SHOW GRANTS lists them, as MariaDB does for the
// enabled role). ALL [PRIVILEGES] stands for every privilege at its level.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shadowalter {

struct Grant {
  std::vector<std::string> privileges;  // upper case, e.g. "SELECT", "ALL PRIVILEGES"
  std::string schema;                   // unquoted; "*" for all
  std::string table;                    // unquoted; "*" for all
};

// One line of SHOW GRANTS; nullopt for lines that grant no privileges on tables (roles, PROXY,
// routines) or that can't be read.
std::optional<Grant> ParseGrant(std::string_view line);

// Of `needed` (upper case), those no grant gives on the whole of `schema` (or, with `global_only`,
// on *.*: PROCESS, SUPER, ...). Grants on single tables don't count: the new and old tables a
// migration creates are other tables of the schema.
std::vector<std::string> MissingPrivileges(const std::vector<Grant>& grants,
                                           const std::string& schema,
                                           const std::vector<std::string>& needed,
                                           bool global_only);

// Whether `text` matches a grant's schema pattern: % any run, _ any one character, \ escapes.
bool MatchesSchemaPattern(std::string_view pattern, std::string_view text);

}  // namespace shadowalter
