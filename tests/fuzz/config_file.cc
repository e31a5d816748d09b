// libFuzzer target: the --config file parser, through ParseCommandLine.
//
// The input is the file's text, written to a private temporary file that is read with
// `shadowalter --config FILE`. Invariants: an error is a one-line usage error, and it never
// contains the file's password (a `password = ...` value that occurs only once in the file, at
// least 4 bytes).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "cli/options.h"
#include "fuzz_check.h"

namespace {

using shadowalter::fuzz::Occurrences;

std::string g_path;

shadowalter::StatusOr<std::string> NoPrompt(const std::string&) {
  return shadowalter::UsageError("no terminal here");
}

// The value of the last `password = ...` line, as Boost's parser reads it: trimmed, up to '#'.
std::string PasswordIn(const std::string& text) {
  std::string found;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    line = line.substr(0, line.find('#'));
    const size_t eq = line.find('=');
    if (eq != std::string::npos) {
      auto trim = [](std::string s) {
        const size_t b = s.find_first_not_of(" \t\r");
        if (b == std::string::npos) return std::string();
        return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
      };
      if (trim(line.substr(0, eq)) == "password") found = trim(line.substr(eq + 1));
    }
    start = end + 1;
  }
  return found;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char dir[] = "/tmp/sa_fuzz_config.XXXXXX";
  if (mkdtemp(dir) == nullptr) std::abort();
  g_path = std::string(dir) + "/shadowalter.cnf";
  unsetenv("MYSQL_PWD");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  {
    std::ofstream out(g_path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  const char* argv[] = {"shadowalter", "--config", g_path.c_str()};
  const auto parsed = shadowalter::ParseCommandLine(3, argv, NoPrompt);
  if (parsed.ok()) return 0;
  const std::string& message = parsed.status().message();
  FUZZ_CHECK(parsed.status().code() == shadowalter::Code::kUsage, message);
  // Values are single lines, so nothing the file says can break the message into two.
  FUZZ_CHECK(message.find('\n') == std::string::npos, message);
  const std::string password = PasswordIn(text);
  if (password.size() >= 4 && Occurrences(text, password) == 1) {
    // The same file with the password written as x's: if its message still "shows" the
    // password, those are the message's own words (e.g. a password "ser' is").
    std::string scrubbed = text;
    scrubbed.replace(scrubbed.find(password), password.size(), std::string(password.size(), 'x'));
    {
      std::ofstream out(g_path, std::ios::binary | std::ios::trunc);
      out << scrubbed;
    }
    const auto again = shadowalter::ParseCommandLine(3, argv, NoPrompt);
    if (!again.ok() && again.status().message().find(password) != std::string::npos) return 0;
    FUZZ_CHECK(message.find(password) == std::string::npos, message + " / " + password);
  }
  return 0;
}
