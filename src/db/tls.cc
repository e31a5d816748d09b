#include "db/tls.h"

#include <cctype>

namespace shadowalter {

const char* TlsModeName(TlsMode mode) {
  switch (mode) {
    case TlsMode::kDisabled:
      return "DISABLED";
    case TlsMode::kPreferred:
      return "PREFERRED";
    case TlsMode::kRequired:
      return "REQUIRED";
    case TlsMode::kVerifyCa:
      return "VERIFY_CA";
    case TlsMode::kVerifyIdentity:
      return "VERIFY_IDENTITY";
  }
  return "";
}

void ApplyTlsOverrides(TlsSettings& into, const TlsOverrides& overrides) {
  if (overrides.mode) into.mode = *overrides.mode;
  if (overrides.ca) into.ca = overrides.ca;
  if (overrides.cert) into.cert = overrides.cert;
  if (overrides.key) into.key = overrides.key;
}

std::optional<TlsMode> ParseTlsMode(const std::string& text) {
  std::string upper;
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (TlsMode m : {TlsMode::kDisabled, TlsMode::kPreferred, TlsMode::kRequired, TlsMode::kVerifyCa,
                    TlsMode::kVerifyIdentity}) {
    if (upper == TlsModeName(m)) return m;
  }
  return std::nullopt;
}

}  // namespace shadowalter
