// The command line of shadowalter: parsing it into a Config, and the --help text.
//
// Only long options exist (-h would be ambiguous between help and host). Precedence for
// connection fields: the positional DSN, overridden by the flags (--host, --port, ...). The
// password comes from --password, p= in the DSN or --ask-pass (which conflicts with --password
// and overrides p=); failing those from the MYSQL_PWD environment variable; failing that it stays
// unset so the option file can supply it.
//
// Errors are Code::kUsage with a one-line message that says what to do; no message ever
// contains a password. Parsing never touches a server.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "cli/config.h"
#include "util/status.h"

namespace shadowalter {

struct ParsedCommandLine {
  Config config;
  bool show_help = false;     // --help: config holds only defaults
  bool show_version = false;  // --version: config holds only defaults
};

// Asks the user for the password, showing `prompt`. Returns the line typed, without its newline.
using PasswordReader = std::function<StatusOr<std::string>(const std::string& prompt)>;

// Parses argv (argv[0] is the program name). --ask-pass prompts on the terminal, after every
// other check has passed, so that a usage error never costs the user a typed password.
StatusOr<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv);
// The same, with the --ask-pass prompt replaced (for tests).
StatusOr<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv,
                                             const PasswordReader& read_password);

// Reads one line from /dev/tty with echo turned off. Usage error if there is no terminal.
StatusOr<std::string> ReadPasswordFromTty(const std::string& prompt);

// The --help text: usage, the DSN syntax, and every option by group with its default.
std::string HelpText();

// Whether the long option `name` (without "--") takes a value, e.g. "alter" but not "execute".
// Lets the argv scrubber tell option values from a positional DSN.
bool OptionTakesValue(std::string_view name);

}  // namespace shadowalter
