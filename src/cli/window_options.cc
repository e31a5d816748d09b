#include "cli/window_options.h"

#include <span>
#include <string>

#include "cli/option_groups.h"
#include "cli/option_values.h"
#include "util/clock.h"

namespace shadowalter {

namespace po = boost::program_options;

po::options_description WindowOptions(unsigned line_length) {
  const Config defaults;
  const std::string reconnect =
      "Seconds to keep reconnecting when the primary's connection is lost mid-run; then the run "
      "parks (exit 4) (default: " +
      Fixed(defaults.reconnect_timeout, 0) + ")";
  po::options_description window("Maintenance windows and resuming", line_length);
  // clang-format off
  window.add_options()
      ("resume", po::bool_switch(),
       "If a stopped run of the same ALTER left its checkpoint on this table, continue it; "
       "otherwise start afresh. Same as the resume command when one exists (default: off, i.e. "
       "refuse a table with a stopped run)")
      ("max-runtime", po::value<std::string>()->value_name("DURATION"),
       "Stop at a chunk boundary after this long, e.g. 90s, 45m, 2h, 1h30m: park (or abort, "
       "see --on-limit) (default: no limit)")
      ("stop-at", po::value<std::string>()->value_name("HH:MM[Z]"),
       "Stop at a chunk boundary when the clock reaches this time, local or (with Z) UTC; "
       "park or abort as --on-limit says (default: no limit)")
      ("on-limit", po::value<std::string>()->value_name("ACTION"),
       "At --max-runtime or --stop-at: park (keep the triggers, the new table and the "
       "checkpoint, exit 4; resume continues) or abort (clean up, exit 1) (default: park)")
      ("on-signal", po::value<std::string>()->value_name("ACTION"),
       "On SIGINT or SIGTERM: abort (clean up, exit 1) or park (keep the triggers, the new "
       "table and the checkpoint, exit 4; resume continues). SIGHUP always parks "
       "(default: abort)")
      ("cutover-window", po::value<std::string>()->value_name("HH:MM-HH:MM[Z]"),
       "Swap only inside this daily window (local, or UTC with Z; may span midnight); after "
       "the copy outside it the run waits for it if it opens before --stop-at / "
       "--max-runtime, else parks (exit 4) (default: any time)")
      ("reconnect-timeout", po::value<std::string>()->value_name("SECONDS"), reconnect.c_str());
  // clang-format on
  return window;
}

namespace {

std::span<const Choice<LimitAction>> LimitActions() {
  static const Choice<LimitAction> actions[] = {{"park", LimitAction::kPark},
                                                {"abort", LimitAction::kAbort}};
  return actions;
}

}  // namespace

Status ParseWindowOptions(const po::variables_map& vm, Config& config) {
  // Unlike the other seconds options, read as strtod reads it: so it always has been.
  static const SecondsRange kReconnectRange{.zero_allowed = true,
                                            .max = 86400,
                                            .advice = "give seconds from 0 to 86400, e.g. 60",
                                            .syntax = NumberSyntax::kCLibrary};
  if (vm["resume"].as<bool>() && config.resume == ResumePolicy::kRefuse) {
    config.resume = ResumePolicy::kIfStopped;
  }
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "max-runtime", config.max_runtime, ParseDurationValue));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "stop-at", config.stop_at, ParseTimeOfDay));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "on-limit", config.on_limit, ParseChoice<LimitAction>,
                                  LimitActions(), LetterCase::kExact));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "on-signal", config.on_signal, ParseChoice<LimitAction>,
                                  LimitActions(), LetterCase::kExact));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "cutover-window", config.cutover_window, ParseDailyWindow));
  return ParseIfGiven(vm, "reconnect-timeout", config.reconnect_timeout, ParseSeconds,
                      kReconnectRange);
}

}  // namespace shadowalter
