// The control socket's language: one command per connection, one line of text. Pure: parsing
// changes nothing; control/control_handler.h carries a parsed command out.
//
//   status                    one JSON object: phase, position, rows, rate, ETA, throttling,
//                             the settings in force
//   pause | continue          hold the copy back by hand, and let it go on
//   chunk-time=SECONDS        target time per chunk; the size adapts to it again
//   chunk-size=ROWS           pin the chunk size (1..1000000)
//   max-lag=SECONDS           replica lag that pauses the copy
//   max-load=VAR[=N][,...]    as --max-load (replaces the list)
//   critical-load=VAR[=N],..  as --critical-load (replaces the list)
//   park                      stop at the next safe point, keep everything, exit 4 (resume)
//   abort                     stop and clean up, exit 1
//   cutover                   let a cut-over postponed by --postpone-cutover-file go ahead
//   help                      the list of commands
//
// Values are read exactly as the command-line options of the same name read them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/config.h"
#include "util/status.h"

namespace shadowalter {

enum class ControlVerb {
  kStatus,
  kPause,
  kContinue,
  kChunkTime,
  kChunkSize,
  kMaxLag,
  kMaxLoad,
  kCriticalLoad,
  kPark,
  kAbort,
  kCutover,
  kHelp,
};

struct ControlCommand {
  ControlVerb verb = ControlVerb::kHelp;
  std::string text;               // the command as given, trimmed: for the log and the event
  double seconds = 0;             // chunk-time=, max-lag=
  uint64_t rows = 0;              // chunk-size=
  std::vector<LoadLimit> limits;  // max-load=, critical-load=
};

// Parses one command line (a trailing newline and surrounding blanks are ignored). A command
// that is unknown, lacks its value, has one it should not, or has a bad value is Code::kUsage
// with one line that names the problem and what to give instead.
StatusOr<ControlCommand> ParseControlCommand(std::string_view line);

// What `help` answers: one command per line.
std::string ControlHelpText();

}  // namespace shadowalter
