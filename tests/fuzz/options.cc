// libFuzzer target: ParseCommandLine over an argv, and the argv scrubber.
//
// The input is split at NUL bytes into the arguments after the program name. Arguments naming
// --config are skipped (reading arbitrary files is the config_file target's job, with a file of
// its own). The password the --ask-pass prompt returns and MYSQL_PWD are distinctive values.
// Invariants:
//   - an error is a one-line usage error, and it contains no password from argv (unless that
//     text occurs elsewhere in argv too), nor the prompt's or MYSQL_PWD's;
//   - after the arguments are scrubbed as main() scrubs them, no password from argv is left in
//     them, and parsing them again succeeds whenever the first parse did, with the same
//     connection fields and options, the password (when argv gave it) all 'x'.
#include "cli/options.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/argv_scrub.h"
#include "fuzz_check.h"

namespace {

using shadowalter::fuzz::Occurrences;

constexpr const char* kPromptPassword = "Ask#P4ss";
constexpr const char* kEnvPassword = "Env#P4ss";
constexpr size_t kMaxArgs = 40;

shadowalter::StatusOr<std::string> Prompt(const std::string&) {
  return std::string(kPromptPassword);
}

shadowalter::StatusOr<shadowalter::ParsedCommandLine> Parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"shadowalter"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  return shadowalter::ParseCommandLine(static_cast<int>(argv.size()), argv.data(), Prompt);
}

bool SameRun(const shadowalter::Config& a, const shadowalter::Config& b) {
  return a.conn.host == b.conn.host && a.conn.port == b.conn.port && a.conn.user == b.conn.user &&
         a.conn.socket == b.conn.socket && a.conn.database == b.conn.database &&
         a.conn.table == b.conn.table && a.conn.tls.mode == b.conn.tls.mode && a.alter == b.alter &&
         a.mode == b.mode && a.chunk_size == b.chunk_size &&
         a.replicas.size() == b.replicas.size() && a.log_file == b.log_file;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("MYSQL_PWD", kEnvPassword, 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '\0') {
      if (args.size() == kMaxArgs) return 0;
      args.emplace_back();
    } else {
      args.back() += static_cast<char>(data[i]);
    }
  }
  std::string joined;
  bool has_newline = false;
  for (const std::string& a : args) {
    if (a.find("--config") != std::string::npos) return 0;
    has_newline = has_newline || a.find('\n') != std::string::npos;
    joined += a + '\n';
  }
  const bool known_passwords_in_argv = joined.find(kPromptPassword) != std::string::npos ||
                                       joined.find(kEnvPassword) != std::string::npos;

  const auto parsed = Parse(args);

  // Where argv holds passwords, as the scrubber sees it.
  std::vector<const char*> argv = {"shadowalter"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::vector<std::string> secrets;
  for (const shadowalter::PasswordSpan& span :
       shadowalter::FindPasswordsInArgv(static_cast<int>(argv.size()), argv.data())) {
    const std::string secret(argv[span.index] + span.begin, span.length);
    // "--password --port": the scrubber hides "--port" too, to err on the safe side, but the
    // message naming the option --port is no leak.
    if (secret.size() >= 4 && secret[0] != '-' && Occurrences(joined, secret) == 1) {
      secrets.push_back(secret);
    }
  }

  if (!parsed.ok()) {
    const std::string& message = parsed.status().message();
    FUZZ_CHECK(parsed.status().code() == shadowalter::Code::kUsage, message);
    FUZZ_CHECK(has_newline || message.find('\n') == std::string::npos, message);
    // A password that the same command line with its passwords scrubbed still "shows" is the
    // message's own words (e.g. a password " INT" and the hint "ADD COLUMN c INT").
    std::string scrubbed_message;
    {
      std::vector<std::string> scrubbed = args;
      for (const std::string& secret : secrets) {
        for (std::string& a : scrubbed) {
          for (size_t at = a.find(secret); at != std::string::npos; at = a.find(secret, at + 1)) {
            a.replace(at, secret.size(), std::string(secret.size(), 'x'));
          }
        }
      }
      const auto again = Parse(scrubbed);
      if (!again.ok()) scrubbed_message = again.status().message();
    }
    for (const std::string& secret : secrets) {
      if (scrubbed_message.find(secret) != std::string::npos) continue;
      FUZZ_CHECK(message.find(secret) == std::string::npos, message + " / " + secret);
    }
    if (!known_passwords_in_argv) {
      FUZZ_CHECK(message.find(kPromptPassword) == std::string::npos, message);
      FUZZ_CHECK(message.find(kEnvPassword) == std::string::npos, message);
    }
    return 0;
  }
  if (parsed->show_help || parsed->show_version) return 0;

  std::vector<std::vector<char>> buffers;
  std::vector<char*> mutable_argv;
  char program[] = "shadowalter";
  mutable_argv.push_back(program);
  for (const std::string& a : args) buffers.emplace_back(a.c_str(), a.c_str() + a.size() + 1);
  for (auto& b : buffers) mutable_argv.push_back(b.data());
  shadowalter::ScrubPasswordsFromArgv(static_cast<int>(mutable_argv.size()), mutable_argv.data());
  std::vector<std::string> scrubbed;
  std::string scrubbed_joined;
  for (size_t i = 1; i < mutable_argv.size(); ++i) {
    scrubbed.emplace_back(mutable_argv[i]);
    scrubbed_joined += scrubbed.back() + '\n';
  }
  for (const std::string& secret : secrets) {
    FUZZ_CHECK(scrubbed_joined.find(secret) == std::string::npos, scrubbed_joined);
  }
  // Every password the parser took from argv, the primary's and each --replica's, is gone too
  // (unless the same text is also something else on the command line).
  std::vector<std::string> parsed_passwords;
  if (parsed->config.conn.password) parsed_passwords.push_back(*parsed->config.conn.password);
  for (const auto& replica : parsed->config.replicas) {
    if (replica.password) parsed_passwords.push_back(*replica.password);
  }
  for (const std::string& password : parsed_passwords) {
    if (password.size() < 4 || password == kEnvPassword || password == kPromptPassword ||
        Occurrences(joined, password) != 1) {
      continue;
    }
    FUZZ_CHECK(scrubbed_joined.find(password) == std::string::npos,
               password + " in " + scrubbed_joined);
  }
  const auto again = Parse(scrubbed);
  FUZZ_CHECK(again.ok(), again.status().message() + "\n" + scrubbed_joined);
  FUZZ_CHECK(SameRun(parsed->config, again->config), scrubbed_joined);
  if (known_passwords_in_argv) return 0;
  const auto& before = parsed->config.conn.password;
  const auto& after = again->config.conn.password;
  FUZZ_CHECK(before.has_value() == after.has_value(), scrubbed_joined);
  if (before && *before != kEnvPassword && *before != kPromptPassword && !before->empty()) {
    FUZZ_CHECK(after->find_first_not_of('x') == std::string::npos, scrubbed_joined);
  } else if (before) {
    FUZZ_CHECK(*before == *after, scrubbed_joined);
  }
  return 0;
}
