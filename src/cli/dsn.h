// DSN parsing in the style of pt-online-schema-change: "h=host,P=3306,u=user,D=db,t=table".
//
// A DSN is a comma-separated list of key=value elements. Keys are case-sensitive: the letters
// h (host), P (port), u (user), p (password), S (socket), D (database), t (table),
// F (defaults file), A (character set: only utf8mb4, the one every session uses, so that
// pt-online-schema-change's DSNs work as written), and the TLS keys ssl-mode, ssl-ca, ssl-cert,
// ssl-key (the --ssl-* options' names; they go to ConnectionConfig::dsn_tls, and the flags
// override them). Only the first '='
// of an element splits it, so values may contain '='.
// Inside a value, "\," stands for a comma and "\\" for a backslash; any other backslash is kept
// as written. Every value except p= must be non-empty (an empty password is a real password).
//
// Errors are Code::kUsage, one line, and never contain the password.
#pragma once

#include <optional>
#include <string_view>

#include "cli/config.h"
#include "util/status.h"

namespace shadowalter {

// Parses a DSN into the connection fields it names; fields it does not name stay unset/empty.
StatusOr<ConnectionConfig> ParseDsn(std::string_view dsn);

// Copies every field that is set in `from` (has a value, or is a non-empty string) over `into`.
// Used so that command-line flags override the DSN.
void MergeConnection(ConnectionConfig& into, const ConnectionConfig& from);

// A TCP port: decimal digits only, 1..65535. nullopt otherwise. Shared by P= and --port.
std::optional<unsigned> ParsePortNumber(std::string_view text);

}  // namespace shadowalter
