// How a connection uses TLS: the --ssl-mode modes of the mysql clients, and the files they use.
// A plain description, shared by the command line (cli/) and the session (db/).
#pragma once

#include <optional>
#include <string>

namespace shadowalter {

enum class TlsMode {
  kDisabled,        // never encrypt
  kPreferred,       // encrypt when the server offers it, else plain (the mysql clients' default)
  kRequired,        // encrypt or fail; the server's certificate is not checked
  kVerifyCa,        // encrypt, and the certificate must be signed by --ssl-ca
  kVerifyIdentity,  // as kVerifyCa, and the certificate must name the host connected to
};

struct TlsSettings {
  TlsMode mode = TlsMode::kPreferred;
  std::optional<std::string> ca;    // --ssl-ca: CA certificate file (PEM)
  std::optional<std::string> cert;  // --ssl-cert: client certificate (PEM)
  std::optional<std::string> key;   // --ssl-key: client key (PEM)
};

// TLS settings as one source names them (a DSN's ssl-mode= ... keys): unset fields were not
// named there and leave the settings they are applied to as they were.
struct TlsOverrides {
  std::optional<TlsMode> mode;
  std::optional<std::string> ca;
  std::optional<std::string> cert;
  std::optional<std::string> key;

  bool empty() const { return !mode && !ca && !cert && !key; }
};

// Copies every field that `overrides` sets over `into`.
void ApplyTlsOverrides(TlsSettings& into, const TlsOverrides& overrides);

// "DISABLED", "PREFERRED", ... as --ssl-mode spells them.
const char* TlsModeName(TlsMode mode);
// Case-insensitive; nullopt for anything else.
std::optional<TlsMode> ParseTlsMode(const std::string& text);

}  // namespace shadowalter
