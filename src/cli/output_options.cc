// The output group: what the run logs and prints, and the hooks it runs.
#include <span>
#include <string>

#include "cli/option_groups.h"
#include "cli/option_values.h"

namespace shadowalter {

namespace po = boost::program_options;

namespace {

std::span<const Choice<OutputFormat>> OutputFormats() {
  static const Choice<OutputFormat> formats[] = {{"text", OutputFormat::kText},
                                                 {"json", OutputFormat::kJson}};
  return formats;
}

}  // namespace

po::options_description OutputOptions(unsigned line_length) {
  const Config defaults;
  const std::string progress_interval =
      "Seconds between the copy's and the verification's progress lines in the log (and "
      "progress events with --output json); on a terminal a status line is redrawn in place "
      "as well (default: " +
      FormatNumber(defaults.progress_interval) + ")";
  po::options_description output("Output", line_length);
  // clang-format off
  output.add_options()
      ("print", po::bool_switch(), "Log every SQL statement as it runs (default: off)")
      ("log-file", po::value<std::string>()->value_name("PATH"),
       "Write the log to this file too (default: none, stderr only)")
      ("quiet", po::bool_switch(), "Log errors only (default: off)")
      ("output", po::value<std::string>()->value_name("FORMAT"),
       "What stdout carries: text (the dry run's plan), or json (one event per line: phases, "
       "progress, throttling, warnings and a final done; the plan goes to stderr) (default: "
       "text)")
      ("progress-interval", po::value<std::string>()->value_name("SECONDS"),
       progress_interval.c_str())
      ("statistics", po::bool_switch(),
       "At the end, also on failure, print counts of chunks, rows, chunk retries, throttle "
       "waits by reason, warnings, the copy's transactions and its time by step, and time per "
       "phase to stderr (default: off)")
      ("hook-dir", po::value<std::string>()->value_name("DIR"),
       "Run the executables startup, validated, before-copy, before-cutover, success and failure "
       "found in DIR at those points; a failing before-cutover hook prevents the swap (default: "
       "none)")
      ("control-socket", po::value<std::string>()->value_name("PATH"),
       "While an --execute or resume run goes on, take commands on a unix socket at PATH (mode "
       "0600, removed at exit): `shadowalter control PATH status|pause|continue|chunk-time=S|"
       "chunk-size=N|max-lag=S|max-load=..|critical-load=..|park|abort|cutover` (default: none)")
      ("pid", po::value<std::string>()->value_name("FILE"),
       "Write the process id into FILE and remove it at exit; refuse to start while FILE names "
       "a live process (default: none)");
  // clang-format on
  return output;
}

Status ParseOutputOptions(const po::variables_map& vm, Config& config) {
  config.print_sql = vm["print"].as<bool>();
  config.quiet = vm["quiet"].as<bool>();
  config.config_file = GivenText(vm, "config").value_or("");
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "output", config.output, ParseChoice<OutputFormat>,
                                  OutputFormats(), LetterCase::kExact));
  config.statistics = vm["statistics"].as<bool>();
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "progress-interval", config.progress_interval, ParseSeconds,
                                  SecondsAboveZero()));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "control-socket", config.control_socket, ParseNonEmpty));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "pid", config.pid_file, ParseNonEmpty));
  return ParseIfGiven(vm, "hook-dir", config.hook_dir, ParseDirectory);
}

}  // namespace shadowalter
