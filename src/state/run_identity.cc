#include "state/run_identity.h"

namespace shadowalter {
namespace {

constexpr std::string_view kMethodPrefix = "fk=";
constexpr std::string_view kPreservePrefix = ";preserve-triggers=";
// Stands for "" (no method given), which would otherwise read as a missing value.
constexpr std::string_view kNoMethod = "none-given";
constexpr std::string_view kRevertibleSuffix = ";revertible=1";

}  // namespace

std::string RunIdentity::Encode() const {
  return std::string(kMethodPrefix) +
         (foreign_keys_method.empty() ? std::string(kNoMethod) : foreign_keys_method) +
         std::string(kPreservePrefix) + (preserve_triggers ? "1" : "0") +
         (revertible ? std::string(kRevertibleSuffix) : std::string());
}

StatusOr<RunIdentity> RunIdentity::Decode(std::string_view text) {
  const auto malformed = [&] {
    return InternalError("malformed run identity '" + std::string(text) +
                         "' (expected fk=<method>;preserve-triggers=<0|1>[;revertible=1])");
  };
  if (text.substr(0, kMethodPrefix.size()) != kMethodPrefix) return malformed();
  const size_t semi = text.find(';');
  if (semi == std::string_view::npos) return malformed();
  const std::string_view method = text.substr(kMethodPrefix.size(), semi - kMethodPrefix.size());
  std::string_view rest = text.substr(semi);
  const bool revertible = rest.size() > kRevertibleSuffix.size() &&
                          rest.substr(rest.size() - kRevertibleSuffix.size()) == kRevertibleSuffix;
  if (revertible) rest.remove_suffix(kRevertibleSuffix.size());
  if (rest.size() != kPreservePrefix.size() + 1 ||
      rest.substr(0, kPreservePrefix.size()) != kPreservePrefix) {
    return malformed();
  }
  const char flag = rest.back();
  if (flag != '0' && flag != '1') return malformed();
  RunIdentity identity;
  identity.foreign_keys_method = method == kNoMethod ? std::string() : std::string(method);
  identity.preserve_triggers = flag == '1';
  identity.revertible = revertible;
  return identity;
}

}  // namespace shadowalter
