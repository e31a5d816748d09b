// libFuzzer target: ParseDsn, and the argv scrubber's idea of where a DSN's password is.
//
// The input is the text of a DSN; the first byte picks where a password element with a known,
// distinctive value is put (before the input, after it, or followed by an unescaped comma, the
// way a password with a comma goes wrong). Invariants:
//   - an error is a one-line usage error that contains neither part of the password;
//   - a DSN that parses with the password element first has exactly that password;
//   - scrubbing the DSN the way argv is scrubbed leaves a DSN that parses to the same fields,
//     the password all 'x' and nowhere in the scrubbed text.
#include "cli/dsn.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/argv_scrub.h"
#include "fuzz_check.h"

namespace {

using shadowalter::ConnectionConfig;

constexpr std::string_view kSecret = "Q7#zk";
constexpr std::string_view kRest = "X9@qv";

bool SameFields(const ConnectionConfig& a, const ConnectionConfig& b) {
  return a.host == b.host && a.port == b.port && a.user == b.user && a.socket == b.socket &&
         a.defaults_file == b.defaults_file && a.database == b.database && a.table == b.table &&
         a.dsn_tls.mode == b.dsn_tls.mode && a.dsn_tls.ca == b.dsn_tls.ca &&
         a.dsn_tls.cert == b.dsn_tls.cert && a.dsn_tls.key == b.dsn_tls.key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const unsigned mode = data[0] % 3;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (input.find(kSecret) != std::string::npos || input.find(kRest) != std::string::npos) return 0;
  const std::string password = "p=" + std::string(kSecret);
  std::string dsn;
  if (mode == 0) {
    dsn = input.empty() ? password : password + "," + input;
  } else if (mode == 1) {
    dsn = input.empty() ? password : input + "," + password;
  } else {
    dsn = password + "," + std::string(kRest) + input;
  }

  const shadowalter::StatusOr<ConnectionConfig> parsed = shadowalter::ParseDsn(dsn);
  if (!parsed.ok()) {
    const std::string& message = parsed.status().message();
    FUZZ_CHECK(parsed.status().code() == shadowalter::Code::kUsage, message);
    // After the input, a trailing backslash of the input escapes the comma: the "password" is
    // then part of the input's last value, which the message may quote.
    if (mode != 1 || input.empty() || input.back() != '\\') {
      FUZZ_CHECK(message.find(kSecret) == std::string::npos, message);
    }
    FUZZ_CHECK(message.find(kRest) == std::string::npos, message);
    return 0;
  }
  // In front, the element is whole whatever follows; after the input, a trailing backslash of
  // the input can make it part of the input's last value.
  if (mode == 0) {
    FUZZ_CHECK(parsed->password == std::string(kSecret), parsed->password.value_or("<unset>"));
  }
  if (parsed->password != std::string(kSecret)) return 0;

  std::vector<char> buffer(dsn.begin(), dsn.end());
  buffer.push_back('\0');
  char program[] = "shadowalter";
  char* argv[] = {program, buffer.data(), nullptr};
  // A real argv element has no NUL, and one starting with '-' is an option, not a DSN.
  if (dsn[0] != '-' && dsn.find('\0') == std::string::npos) {
    shadowalter::ScrubPasswordsFromArgv(2, argv);
    const std::string scrubbed(buffer.data(), dsn.size());
    FUZZ_CHECK(scrubbed.find(kSecret) == std::string::npos, scrubbed);
    const shadowalter::StatusOr<ConnectionConfig> again = shadowalter::ParseDsn(scrubbed);
    FUZZ_CHECK(again.ok(), again.status().message());
    FUZZ_CHECK(SameFields(*parsed, *again), scrubbed);
    FUZZ_CHECK(again->password.has_value(), scrubbed);
    FUZZ_CHECK(again->password->find_first_not_of('x') == std::string::npos, scrubbed);
  }
  return 0;
}
