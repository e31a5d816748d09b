#include "cli/argv_scrub.h"

#include <cstring>
#include <string_view>

#include "cli/options.h"

namespace shadowalter {
namespace {

// Options whose value is a password.
constexpr std::string_view kPasswordFlags[] = {"--password", "--replica-password"};
// Options whose value is a DSN, which may hold p=: --replica, --skip-check-replica-lag, and --dsn,
// which the parser refuses (the DSN is positional) but which is still on the command line until
// the process exits.
constexpr std::string_view kDsnFlags[] = {"--replica", "--skip-check-replica-lag", "--dsn"};

bool IsPasswordFlag(std::string_view arg) {
  for (const std::string_view& flag : kPasswordFlags) {
    if (arg == flag) return true;
  }
  return false;
}

// The length of "--password=" (or "--replica-password=") when `arg` starts with it and a value
// follows, else 0.
size_t PasswordFlagWithValue(std::string_view arg) {
  for (const std::string_view& flag : kPasswordFlags) {
    if (arg.size() > flag.size() + 1 && arg.substr(0, flag.size()) == flag &&
        arg[flag.size()] == '=') {
      return flag.size() + 1;
    }
  }
  return 0;
}

// Adds the value of every p= element of a DSN, scanning with the escape rules of ParseDsn so
// that the span ends exactly where that parser ends the value. `base` is where the DSN starts
// in argv[index].
void FindInDsn(int index, std::string_view dsn, std::vector<PasswordSpan>& out, size_t base = 0) {
  size_t element_start = 0;
  while (element_start <= dsn.size()) {
    size_t end = element_start;
    while (end < dsn.size() && dsn[end] != ',') {
      end += (dsn[end] == '\\' && end + 1 < dsn.size()) ? 2 : 1;
    }
    const std::string_view element = dsn.substr(element_start, end - element_start);
    if (element.size() > 2 && element.substr(0, 2) == "p=") {
      out.push_back({index, base + element_start + 2, element.size() - 2});
    }
    element_start = end + 1;
  }
}

// The DSN-valued option `arg` is ("--replica" or "--replica=..."), or null.
const std::string_view* DsnFlag(std::string_view arg) {
  for (const std::string_view& flag : kDsnFlags) {
    if (arg.substr(0, flag.size()) == flag &&
        (arg.size() == flag.size() || arg[flag.size()] == '=')) {
      return &flag;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<PasswordSpan> FindPasswordsInArgv(int argc, const char* const* argv) {
  std::vector<PasswordSpan> spans;
  bool options_ended = false;  // after "--" every element is positional
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (options_ended) {
      FindInDsn(i, arg, spans);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
    } else if (IsPasswordFlag(arg)) {
      if (i + 1 < argc && argv[i + 1][0] != '\0') {
        spans.push_back({i + 1, 0, std::strlen(argv[i + 1])});
      }
      ++i;
    } else if (const size_t prefix = PasswordFlagWithValue(arg); prefix > 0) {
      spans.push_back({i, prefix, arg.size() - prefix});
    } else if (const std::string_view* flag = DsnFlag(arg); flag != nullptr) {
      if (arg.size() > flag->size()) {  // --replica=DSN
        FindInDsn(i, arg.substr(flag->size() + 1), spans, flag->size() + 1);
      } else if (i + 1 < argc && !IsPasswordFlag(argv[i + 1])) {
        FindInDsn(i + 1, argv[i + 1], spans);
        ++i;
      }
    } else if (arg.size() > 2 && arg.substr(0, 2) == "--") {
      // "--alter VALUE": the next element is the option's value, not a DSN. Still, a password
      // flag there is treated as one (see the header).
      if (arg.find('=') == std::string_view::npos && OptionTakesValue(arg.substr(2)) &&
          i + 1 < argc && !IsPasswordFlag(argv[i + 1])) {
        ++i;
      }
    } else if (!arg.empty() && arg[0] != '-') {
      FindInDsn(i, arg, spans);
    }
  }
  return spans;
}

void ScrubPasswordsFromArgv(int argc, char** argv) {
  for (const PasswordSpan& span : FindPasswordsInArgv(argc, argv)) {
    std::memset(argv[span.index] + span.begin, 'x', span.length);
  }
}

}  // namespace shadowalter
