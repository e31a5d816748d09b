#include "control/control_command.h"

#include <array>
#include <utility>

#include "cli/load_spec.h"
#include "cli/option_values.h"

namespace shadowalter {
namespace {

constexpr unsigned kMaxChunkRows = 1000000;  // as --chunk-size

struct VerbName {
  std::string_view name;
  ControlVerb verb;
  bool takes_value;
};

constexpr std::array<VerbName, 12> kVerbs = {{
    {"status", ControlVerb::kStatus, false},
    {"pause", ControlVerb::kPause, false},
    {"continue", ControlVerb::kContinue, false},
    {"chunk-time", ControlVerb::kChunkTime, true},
    {"chunk-size", ControlVerb::kChunkSize, true},
    {"max-lag", ControlVerb::kMaxLag, true},
    {"max-load", ControlVerb::kMaxLoad, true},
    {"critical-load", ControlVerb::kCriticalLoad, true},
    {"park", ControlVerb::kPark, false},
    {"abort", ControlVerb::kAbort, false},
    {"cutover", ControlVerb::kCutover, false},
    {"help", ControlVerb::kHelp, false},
}};

std::string_view TrimBlanks(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// The option parsers name "--chunk-time"; here the command is "chunk-time=".
Status AsCommandError(const Status& s, std::string_view name) {
  std::string m = s.message();
  const std::string option = "--" + std::string(name);
  for (size_t at = m.find(option); at != std::string::npos; at = m.find(option, at)) {
    m.erase(at, 2);
  }
  return UsageError(std::move(m));
}

Status ParseValue(std::string_view name, std::string_view value, ControlCommand& c) {
  const std::string option(name);
  switch (c.verb) {
    case ControlVerb::kChunkTime: {
      StatusOr<double> v = ParseSeconds(option, value, SecondsAboveZero());
      if (!v.ok()) return AsCommandError(v.status(), name);
      c.seconds = *v;
      return Status::Ok();
    }
    case ControlVerb::kMaxLag: {
      StatusOr<double> v = ParseSeconds(option, value, SecondsFromZero());
      if (!v.ok()) return AsCommandError(v.status(), name);
      c.seconds = *v;
      return Status::Ok();
    }
    case ControlVerb::kChunkSize: {
      StatusOr<unsigned> v = ParseRowCount(option, value, kMaxChunkRows);
      if (!v.ok()) return AsCommandError(v.status(), name);
      c.rows = *v;
      return Status::Ok();
    }
    default: {
      StatusOr<std::vector<LoadLimit>> v = ParseLoadSpec(option, value);
      if (!v.ok()) return AsCommandError(v.status(), name);
      c.limits = std::move(v).value();
      return Status::Ok();
    }
  }
}

}  // namespace

StatusOr<ControlCommand> ParseControlCommand(std::string_view line) {
  const std::string_view text = TrimBlanks(line);
  if (text.empty())
    return UsageError("empty command: send one of them, e.g. status (help lists all)");
  const size_t eq = text.find('=');
  const std::string_view name = text.substr(0, eq);
  for (const VerbName& v : kVerbs) {
    if (v.name != name) continue;
    ControlCommand c;
    c.verb = v.verb;
    c.text = std::string(text);
    if (!v.takes_value) {
      if (eq != std::string_view::npos) {
        return UsageError(std::string(name) + " takes no value: send '" + std::string(name) + "'");
      }
      return c;
    }
    if (eq == std::string_view::npos || eq + 1 == text.size()) {
      return UsageError(std::string(name) + " needs a value: send '" + std::string(name) +
                        "=VALUE' (help lists the commands)");
    }
    SA_RETURN_IF_ERROR(ParseValue(name, text.substr(eq + 1), c));
    return c;
  }
  return UsageError("unknown command '" + std::string(text.substr(0, 60)) +
                    "': send help for the list");
}

std::string ControlHelpText() {
  return "status                     the run as one JSON object\n"
         "pause | continue           hold the copy back by hand, and let it go on\n"
         "chunk-time=SECONDS         target time per chunk (the size adapts again)\n"
         "chunk-size=ROWS            pin the chunk size, 1..1000000 (k, M: x1024)\n"
         "max-lag=SECONDS            replica lag that pauses the copy\n"
         "max-load=VAR[=N][,...]     as --max-load\n"
         "critical-load=VAR[=N][,..] as --critical-load\n"
         "park                       stop at the next safe point; resume continues (exit 4)\n"
         "abort                      stop and clean up (exit 1)\n"
         "cutover                    let a postponed cut-over go ahead\n";
}

}  // namespace shadowalter
