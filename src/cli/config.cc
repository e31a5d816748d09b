#include "cli/config.h"

#include <string>
#include <vector>

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

std::string ConnectionConfig::DsnWithoutPassword() const {
  // Escaped as the DSN parser reads it: a comma or backslash in a value is backslash-escaped.
  auto escape = [](const std::string& v) {
    std::string out;
    for (char c : v) {
      if (c == ',' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  };
  std::vector<std::string> parts;
  if (host) parts.push_back("h=" + escape(*host));
  if (port) parts.push_back("P=" + std::to_string(*port));
  if (socket) parts.push_back("S=" + escape(*socket));
  if (user) parts.push_back("u=" + escape(*user));
  if (defaults_file) parts.push_back("F=" + escape(*defaults_file));
  if (tls.mode != TlsSettings{}.mode)
    parts.push_back(std::string("ssl-mode=") + TlsModeName(tls.mode));
  if (tls.ca) parts.push_back("ssl-ca=" + escape(*tls.ca));
  if (tls.cert) parts.push_back("ssl-cert=" + escape(*tls.cert));
  if (tls.key) parts.push_back("ssl-key=" + escape(*tls.key));
  parts.push_back("D=" + escape(database));
  parts.push_back("t=" + escape(table));
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ",") + p;
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
