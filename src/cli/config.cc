#include "cli/config.h"

#include <string>

namespace shadowalter {

std::string ConnectionConfig::Redacted() const {
  std::string out;
  // The user name is not a secret and tells apart runs as different accounts; the password
  // never appears here.
  if (user.has_value()) out += *user + "@";
  // The client library only uses the socket when the host is unset or "localhost"; show what
  // will actually be used.
  if (socket.has_value() && (!host.has_value() || *host == "localhost")) {
    out += "socket=" + *socket;
  } else {
    out += host.value_or("localhost");
    if (port.has_value()) out += ":" + std::to_string(*port);
  }
  if (!database.empty() || !table.empty()) {
    out += "/" + database;
    if (!table.empty()) out += "." + table;
  }
  return out;
}

const char* ForeignKeyMethodName(ForeignKeyMethod method) {
  switch (method) {
    case ForeignKeyMethod::kRebuildConstraints:
      return "rebuild_constraints";
    case ForeignKeyMethod::kDropSwap:
      return "drop_swap";
    case ForeignKeyMethod::kNone:
      return "none";
    case ForeignKeyMethod::kAuto:
      return "auto";
    case ForeignKeyMethod::kUnset:
      break;
  }
  return "";
}

std::optional<ForeignKeyMethod> ParseForeignKeyMethod(const std::string& text) {
  for (ForeignKeyMethod m : {ForeignKeyMethod::kRebuildConstraints, ForeignKeyMethod::kDropSwap,
                             ForeignKeyMethod::kNone, ForeignKeyMethod::kAuto}) {
    if (text == ForeignKeyMethodName(m)) return m;
  }
  return std::nullopt;
}

}  // namespace shadowalter
