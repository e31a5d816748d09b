// The groups of options --help shows (window_options.h holds one more): for each, its
// descriptions and the parsing of its values into a Config, plus what the groups share.
//
// options.cc runs the Parse* functions in a fixed order and each checks its options in a fixed
// order, so that of several mistakes on one command line the same one is reported first, run
// after run. Each returns the first mistake as a one-line usage error (see option_values.h).
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <utility>

#include "cli/config.h"
#include "util/status.h"

namespace shadowalter {

// The text option `name` was given, or nullopt when it was not.
std::optional<std::string> GivenText(const boost::program_options::variables_map& vm,
                                     const std::string& name);

// When option `name` was given, stores parse(name, text, extra...) into `field`; its error is
// returned as is. For the parsers of option_values.h.
template <typename T, typename Parser, typename... Extra>
Status ParseIfGiven(const boost::program_options::variables_map& vm, const std::string& name,
                    T& field, Parser parse, const Extra&... extra) {
  const std::optional<std::string> text = GivenText(vm, name);
  if (!text.has_value()) return Status::Ok();
  auto value = parse(name, *text, extra...);
  if (!value.ok()) return value.status();
  field = std::move(value).value();
  return Status::Ok();
}

// `value` as --help shows defaults: "0.5", "30", "3.1536e+07".
std::string FormatNumber(double value);

// Connection: --host, --port, --user, --password, --ask-pass, --socket, --defaults-file, the
// --ssl-* options, --database, --table.
boost::program_options::options_description ConnectionOptions(unsigned line_length);
// Fills config.conn from the positional DSN overridden by the flags. Refuses --ask-pass with
// --password, but leaves asking for the password to the caller.
Status ParseConnectionOptions(const boost::program_options::variables_map& vm, Config& config);

// Copy and swap: --chunk-size, --threads, --lock-wait-timeout, --tries, --skip-check, the
// --no-* switches, --verify-sessions, --postpone-cutover-file, --alter-foreign-keys-method,
// --preserve-triggers.
boost::program_options::options_description CopyOptions(unsigned line_length);
// --chunk-size and --threads: checked before the throttling options.
Status ParseChunkOptions(const boost::program_options::variables_map& vm, Config& config);
// The rest of the group but --postpone-cutover-file (see ParseThrottleOptions), and --log-file.
Status ParseCopyOptions(const boost::program_options::variables_map& vm, Config& config);

// Throttling: --chunk-time, --max-lag, --check-interval, --replica, --recursion-method,
// --replica-timeout, --max-load, --critical-load, --max-checkpoint-age, --pause-file,
// --heartbeat.
boost::program_options::options_description ThrottleOptions(unsigned line_length);
// The group, and --postpone-cutover-file (another wait on a file).
Status ParseThrottleOptions(const boost::program_options::variables_map& vm, Config& config);

// Output: --print, --log-file, --quiet, --output, --progress-interval, --statistics,
// --hook-dir.
boost::program_options::options_description OutputOptions(unsigned line_length);
// The group but --log-file (see ParseCopyOptions), and --config's path as given.
Status ParseOutputOptions(const boost::program_options::variables_map& vm, Config& config);

}  // namespace shadowalter
