#include "cli/dsn.h"

#include <charconv>
#include <set>
#include <string>
#include <vector>

namespace shadowalter {
namespace {

constexpr const char* kValidKeys =
    "h (host), P (port), u (user), p (password), S (socket), D (database), t (table), "
    "F (defaults file), A (character set: utf8mb4), ssl-mode, ssl-ca, ssl-cert, ssl-key";

// Splits at unescaped commas and resolves the "\," and "\\" escapes. An empty DSN yields one
// empty element.
std::vector<std::string> SplitElements(std::string_view dsn) {
  std::vector<std::string> elements(1);
  for (size_t i = 0; i < dsn.size(); ++i) {
    const char c = dsn[i];
    if (c == '\\' && i + 1 < dsn.size() && (dsn[i + 1] == ',' || dsn[i + 1] == '\\')) {
      elements.back() += dsn[++i];
    } else if (c == ',') {
      elements.emplace_back();
    } else {
      elements.back() += c;
    }
  }
  return elements;
}

std::string Ordinal(size_t index) { return "element " + std::to_string(index + 1); }

// ssl-mode=, ssl-ca=, ssl-cert=, ssl-key=. `comma_hint` is non-empty when the element follows a
// password, whose rest this value may be: then the value is not echoed.
Status SetTlsKey(const std::string& key, const std::string& value, const std::string& comma_hint,
                 TlsOverrides& tls) {
  if (key == "ssl-mode") {
    tls.mode = ParseTlsMode(value);
    if (!tls.mode) {
      const std::string shown = comma_hint.empty() ? " '" + value + "'" : "";
      return UsageError("bad ssl-mode in DSN" + shown +
                        ": give DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY" +
                        comma_hint);
    }
  } else if (key == "ssl-ca") {
    tls.ca = value;
  } else if (key == "ssl-cert") {
    tls.cert = value;
  } else {
    tls.key = value;
  }
  return Status::Ok();
}

// Stores `value` under a known, not yet seen `key`. `after_password` and `comma_hint` as for
// SetTlsKey.
Status SetKey(const std::string& key, const std::string& value, bool after_password,
              const std::string& comma_hint, ConnectionConfig& conn) {
  if (key.rfind("ssl-", 0) == 0) return SetTlsKey(key, value, comma_hint, conn.dsn_tls);
  switch (key[0]) {
    case 'h':
      conn.host = value;
      break;
    case 'u':
      conn.user = value;
      break;
    case 'p':
      conn.password = value;
      break;
    case 'S':
      conn.socket = value;
      break;
    case 'D':
      conn.database = value;
      break;
    case 't':
      conn.table = value;
      break;
    case 'F':
      conn.defaults_file = value;
      break;
    case 'A':
      // Every session talks utf8mb4: rows are copied on the server, so the connection's character
      // set never touches them, but key values, names and messages pass through it, and any
      // other set would mangle what it can't hold. Accepted as written by pt-online-schema-change
      // users, refused otherwise rather than ignored.
      if (value != "utf8mb4") {
        const std::string shown = after_password ? "" : " '" + value + "'";
        return UsageError("unsupported character set in DSN" + shown +
                          ": shadowalter always connects with utf8mb4; give A=utf8mb4 or leave "
                          "A= out" +
                          comma_hint);
      }
      break;
    case 'P': {
      const std::optional<unsigned> port = ParsePortNumber(value);
      if (!port.has_value()) {
        const std::string shown = after_password ? "" : " '" + value + "'";
        return UsageError("bad port in DSN" + shown + ": P= must be a number from 1 to 65535" +
                          comma_hint);
      }
      conn.port = *port;
      break;
    }
  }
  return Status::Ok();
}

}  // namespace

std::optional<unsigned> ParsePortNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  unsigned long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < 1 || value > 65535) return std::nullopt;
  return static_cast<unsigned>(value);
}

StatusOr<ConnectionConfig> ParseDsn(std::string_view dsn) {
  if (dsn.empty()) {
    return UsageError(
        "empty DSN: give key=value pairs such as h=127.0.0.1,D=db,t=table, or leave "
        "the DSN out");
  }
  ConnectionConfig conn;
  std::set<std::string> seen;
  const std::vector<std::string> elements = SplitElements(dsn);
  for (size_t i = 0; i < elements.size(); ++i) {
    const std::string& element = elements[i];
    // If the element before this one was the password, this "element" is most likely the rest
    // of a password with an unescaped comma: it must not be echoed, and the fix is escaping.
    const bool after_password = i > 0 && elements[i - 1].rfind("p=", 0) == 0;
    const std::string comma_hint =
        after_password ? " (if the password contains a comma, write it as \\,)" : "";
    if (element.empty()) {
      return UsageError("empty " + Ordinal(i) +
                        " in DSN: remove the extra comma, or write a comma inside a value as \\,");
    }
    const size_t eq = element.find('=');
    if (eq == std::string::npos) {
      const std::string shown = after_password ? "" : " ('" + element + "')";
      return UsageError("DSN " + Ordinal(i) + shown + " has no '=': write key=value" + comma_hint);
    }
    if (eq == 0) {
      return UsageError("DSN " + Ordinal(i) + " has an empty key: write key=value, keys are " +
                        kValidKeys);
    }
    const std::string key = element.substr(0, eq);
    const std::string value = element.substr(eq + 1);
    static const std::set<std::string> kKeys = {
        "h", "P", "u", "p", "S", "D", "t", "F", "A", "ssl-mode", "ssl-ca", "ssl-cert", "ssl-key"};
    if (kKeys.count(key) == 0) {
      const std::string shown = after_password ? "" : " '" + key + "'";
      return UsageError("unknown DSN key" + shown + " in " + Ordinal(i) + ": valid keys are " +
                        kValidKeys + " (keys are case-sensitive)" + comma_hint);
    }
    if (!seen.insert(key).second) {
      return UsageError("duplicate DSN key " + key + "=: give each key once");
    }
    if (value.empty() && key != "p") {
      return UsageError("empty value for DSN key " + key + "=: give a value or leave the key out");
    }
    SA_RETURN_IF_ERROR(SetKey(key, value, after_password, comma_hint, conn));
  }
  return conn;
}

void MergeConnection(ConnectionConfig& into, const ConnectionConfig& from) {
  if (from.host.has_value()) into.host = from.host;
  if (from.port.has_value()) into.port = from.port;
  if (from.user.has_value()) into.user = from.user;
  if (from.password.has_value()) into.password = from.password;
  if (from.socket.has_value()) into.socket = from.socket;
  if (from.defaults_file.has_value()) into.defaults_file = from.defaults_file;
  if (!from.database.empty()) into.database = from.database;
  if (!from.table.empty()) into.table = from.table;
  if (from.dsn_tls.mode) into.dsn_tls.mode = from.dsn_tls.mode;
  if (from.dsn_tls.ca) into.dsn_tls.ca = from.dsn_tls.ca;
  if (from.dsn_tls.cert) into.dsn_tls.cert = from.dsn_tls.cert;
  if (from.dsn_tls.key) into.dsn_tls.key = from.dsn_tls.key;
}

}  // namespace shadowalter
