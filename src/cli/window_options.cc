#include "cli/window_options.h"

#include <cstdlib>

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
      ("cutover-window", po::value<std::string>()->value_name("HH:MM-HH:MM[Z]"),
       "Swap only inside this daily window (local, or UTC with Z; may span midnight); after "
       "the copy outside it the run parks (exit 4) (default: any time)")
      ("reconnect-timeout", po::value<std::string>()->value_name("SECONDS"), reconnect.c_str());
  // clang-format on
  return window;
}

Status ParseWindowOptions(const po::variables_map& vm, Config& config) {
  if (vm["resume"].as<bool>() && config.resume == ResumePolicy::kRefuse) {
    config.resume = ResumePolicy::kIfStopped;
  }
  if (vm.count("max-runtime") != 0) {
    const std::string& text = vm["max-runtime"].as<std::string>();
    config.max_runtime = ParseDuration(text);
    if (!config.max_runtime) {
      return UsageError("bad --max-runtime '" + text +
                        "': give a duration such as 90s, 45m, 2h or 1h30m");
    }
  }
  if (vm.count("stop-at") != 0) {
    const std::string& text = vm["stop-at"].as<std::string>();
    config.stop_at = ParseClockTime(text);
    if (!config.stop_at) {
      return UsageError("bad --stop-at '" + text +
                        "': give a time of day as HH:MM (local) or HH:MMZ (UTC), e.g. 06:30");
    }
  }
  if (vm.count("on-limit") != 0) {
    const std::string& text = vm["on-limit"].as<std::string>();
    if (text == "park") {
      config.on_limit = LimitAction::kPark;
    } else if (text == "abort") {
      config.on_limit = LimitAction::kAbort;
    } else {
      return UsageError("bad --on-limit '" + text + "': give park or abort");
    }
  }
  if (vm.count("cutover-window") != 0) {
    const std::string& text = vm["cutover-window"].as<std::string>();
    config.cutover_window = ParseClockWindow(text);
    if (!config.cutover_window) {
      return UsageError("bad --cutover-window '" + text +
                        "': give HH:MM-HH:MM (local) or HH:MMZ-HH:MMZ (UTC), e.g. 01:00-05:00");
    }
  }
  if (vm.count("reconnect-timeout") != 0) {
    const std::string& text = vm["reconnect-timeout"].as<std::string>();
    char* end = nullptr;
    const double seconds = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(seconds >= 0) || seconds > 86400) {
      return UsageError("bad --reconnect-timeout '" + text +
                        "': give seconds from 0 to 86400, e.g. 60");
    }
    config.reconnect_timeout = seconds;
  }
  return Status::Ok();
}

}  // namespace shadowalter
