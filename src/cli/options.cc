#include "cli/options.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/argv_scrub.h"
#include "cli/config_file.h"
#include "cli/dsn.h"
#include "cli/load_spec.h"
#include "cli/window_options.h"

namespace shadowalter {
namespace {

namespace po = boost::program_options;

constexpr uint64_t kMaxChunkSize = 1000000;
// More sessions than this only queue inside the server (and each holds a connection).
constexpr uint64_t kMaxThreads = 32;
constexpr uint64_t kMaxVerifySessions = 2;
// MySQL's own ceiling for lock_wait_timeout (one year); anything above is surely a typo.
constexpr double kMaxLockWaitTimeout = 31536000;
constexpr unsigned kHelpLineLength = 80;

std::string FormatNumber(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

struct OptionSet {
  po::options_description visible{kHelpLineLength};  // what --help shows, group by group
  po::options_description all;                       // visible plus the hidden positional DSN
};

// The single description of every option: the parser, --help and OptionTakesValue all read it,
// so they cannot drift apart. Defaults shown come from Config itself for the same reason.
OptionSet BuildOptions() {
  const Config defaults;
  OptionSet set;

  const std::string chunk_size = "Rows copied per chunk, 1.." + std::to_string(kMaxChunkSize) +
                                 " (default: " + std::to_string(defaults.chunk_size) + ")";
  const std::string threads =
      "Sessions copying at once, each its own share of every chunk's key "
      "range, 1.." +
      std::to_string(kMaxThreads) + " (default: " + std::to_string(defaults.threads) + ")";
  const std::string verify_sessions =
      "Sessions comparing each chunk: 2 read the original and the new table at the same time, "
      "1 reads them in turn (default: " +
      std::to_string(defaults.verify_sessions) + ")";
  const std::string lock_wait_timeout =
      "Seconds each statement that takes a metadata lock may wait per try, and the longest "
      "any session of the run waits for a lock (the copy's never wait), above 0, fractions "
      "allowed (default: " +
      FormatNumber(defaults.lock_wait_timeout) + ")";
  const std::string tries =
      "Tries for each statement that takes a metadata lock, at least 1 "
      "(default: " +
      std::to_string(defaults.tries) + ")";

  // clang-format off
  po::options_description conn("Connection (each overrides the same field of the DSN)",
                               kHelpLineLength);
  conn.add_options()
      ("host", po::value<std::string>()->value_name("HOST"),
       "Server host name or IP address (default: the option file's, else localhost)")
      ("port", po::value<std::string>()->value_name("PORT"),
       "TCP port, 1..65535 (default: the option file's, else 3306)")
      ("user", po::value<std::string>()->value_name("USER"),
       "User name (default: the option file's, else your login name)")
      ("password", po::value<std::string>()->value_name("PASS"),
       "Password; others can see it until it is scrubbed, so prefer --ask-pass or an option file "
       "(default: p= of the DSN, else MYSQL_PWD, else the option file's, else none)")
      ("ask-pass", po::bool_switch(),
       "Prompt for the password on the terminal, with echo off (default: off)")
      ("socket", po::value<std::string>()->value_name("PATH"),
       "Unix socket, used when the host is localhost (default: the option file's, else the "
       "client library's)")
      ("defaults-file", po::value<std::string>()->value_name("PATH"),
       "Read only this option file (default: the usual ones, e.g. /etc/my.cnf, ~/.my.cnf)")
      ("ssl-mode", po::value<std::string>()->value_name("MODE"),
       "TLS for the primary and every replica: DISABLED, PREFERRED (encrypt when the server "
       "can), REQUIRED, VERIFY_CA (the certificate must be signed by --ssl-ca) or "
       "VERIFY_IDENTITY (and name the host) (default: PREFERRED)")
      ("ssl-ca", po::value<std::string>()->value_name("PATH"),
       "CA certificate (PEM) the server's certificate is checked against (default: none)")
      ("ssl-cert", po::value<std::string>()->value_name("PATH"),
       "Client certificate (PEM), for accounts that REQUIRE X509 (default: none)")
      ("ssl-key", po::value<std::string>()->value_name("PATH"),
       "Client private key (PEM) of --ssl-cert (default: none)")
      ("database", po::value<std::string>()->value_name("DB"),
       "Database of the table (required, here or as D= in the DSN)")
      ("table", po::value<std::string>()->value_name("TABLE"),
       "Table to alter (required, here or as t= in the DSN)");

  po::options_description what("What to do", kHelpLineLength);
  what.add_options()
      ("alter", po::value<std::string>()->value_name("CLAUSES"),
       "The ALTER TABLE clauses without \"ALTER TABLE t\", e.g. \"ADD COLUMN c INT\" (required)")
      ("execute", po::bool_switch(),
       "Change the table (default: off; one of --execute and --dry-run is required)")
      ("dry-run", po::bool_switch(), "Check and plan only, change nothing (default: off)");

  po::options_description copy("Copy and swap", kHelpLineLength);
  copy.add_options()
      ("chunk-size", po::value<std::string>()->value_name("N"), chunk_size.c_str())
      ("threads", po::value<std::string>()->value_name("N"), threads.c_str())
      ("lock-wait-timeout", po::value<std::string>()->value_name("SECONDS"),
       lock_wait_timeout.c_str())
      ("tries", po::value<std::string>()->value_name("N"), tries.c_str())
      ("skip-check", po::value<std::vector<std::string>>()->value_name("NAME"),
       "Skip the named preflight check, repeatable or comma-separated: privileges, "
       "binlog-format, replication-filters, free-space (default: none; the others can't be "
       "skipped)")
      ("no-attempt-instant", po::bool_switch(),
       "Never try the ALTER in place with ALGORITHM=INSTANT first; always copy (default: off, "
       "i.e. try instant when the server can do it)")
      ("no-verify", po::bool_switch(),
       "Skip comparing the copy with the original before the swap (default: off, i.e. verify)")
      ("verify-sessions", po::value<std::string>()->value_name("N"), verify_sessions.c_str())
      ("no-drop-old-table", po::bool_switch(),
       "Keep the original table as _<table>_old after the swap (default: off, i.e. drop it)")
      ("postpone-cutover-file", po::value<std::string>()->value_name("PATH"),
       "When the copy is done and this file exists, keep the new table current and wait to "
       "swap until the file is removed (default: none)")
      ("alter-foreign-keys-method", po::value<std::string>()->value_name("METHOD"),
       "What to do about other tables' foreign keys referencing the table: rebuild_constraints "
       "(repoint them to the new table just before the atomic swap), drop_swap (drop the "
       "original, then rename: the table is briefly missing, no rollback), none (they keep "
       "referencing the old table), auto (rebuild_constraints) (default: none given, such a "
       "table is refused)")
      ("no-drop-new-table", po::bool_switch(),
       "When verification finds a difference, keep the new table and the triggers for "
       "inspection (exit 3) instead of removing them (default: off, i.e. remove them)")
      ("preserve-triggers", po::bool_switch(),
       "Alter a table that has triggers of its own: they keep firing during the copy and are "
       "moved to the new table at the swap, under a brief write lock (default: off, i.e. refuse "
       "such a table)");

  const std::string chunk_time = "Target seconds per chunk; the chunk size adapts after every "
                                 "chunk unless --chunk-size is given (default: " +
                                 FormatNumber(defaults.chunk_time) + ")";
  const std::string max_lag = "Pause the copy while any replica lags more than this many "
                              "seconds, fractions allowed (default: " +
                              FormatNumber(defaults.max_lag) + ")";
  const std::string check_interval = "Seconds between replica lag checks (default: " +
                                     FormatNumber(defaults.check_interval) + ")";
  const std::string max_load = "Pause while any status variable is at or above its limit; "
                               "VAR without =N: its value at start plus 20% (default: " +
                               FormatLoadSpec(defaults.max_load) + ")";
  const std::string critical_load = "Abort (with full cleanup) when any status variable reaches "
                                    "its limit (default: " +
                                    FormatLoadSpec(defaults.critical_load) + ")";
  const std::string checkpoint_age =
      "Pause the copy while InnoDB's checkpoint age is at or above this percentage of its "
      "maximum, before the server's furious flushing stalls every write; 0 to 100, 0: off "
      "(MariaDB reports it; default: " + FormatNumber(defaults.max_checkpoint_age) + ")";
  const std::string recursion = "How to find replicas: processlist, hosts, both comma-separated, "
                                "or none (default: " + defaults.recursion_method + ")";

  po::options_description throttle("Throttling", kHelpLineLength);
  throttle.add_options()
      ("chunk-time", po::value<std::string>()->value_name("SECONDS"), chunk_time.c_str())
      ("max-lag", po::value<std::string>()->value_name("SECONDS"), max_lag.c_str())
      ("check-interval", po::value<std::string>()->value_name("SECONDS"), check_interval.c_str())
      ("replica", po::value<std::vector<std::string>>()->value_name("DSN"),
       "A replica to watch, repeatable; fields it leaves out (user, password, port...) are the "
       "primary's (default: the discovered ones)")
      ("recursion-method", po::value<std::string>()->value_name("METHOD"), recursion.c_str())
      ("replica-timeout", po::value<std::string>()->value_name("SECONDS"),
       "Abort (with full cleanup) when a replica has been stopped, broken or unreachable this "
       "long (default: wait forever)")
      ("max-load", po::value<std::string>()->value_name("VAR[=N],..."), max_load.c_str())
      ("critical-load", po::value<std::string>()->value_name("VAR[=N],..."),
       critical_load.c_str())
      ("max-checkpoint-age", po::value<std::string>()->value_name("PERCENT"),
       checkpoint_age.c_str())
      ("pause-file", po::value<std::string>()->value_name("PATH"),
       "Pause the copy while this file exists (default: none)")
      ("heartbeat", po::bool_switch(),
       "Measure replica lag with a heartbeat row written on the primary every 100 ms: "
       "sub-second, and through intermediate replicas (default: off, Seconds_Behind_Master)");

  const std::string progress_interval =
      "Seconds between the copy's and the verification's progress lines in the log (and "
      "progress events with --output json); on a terminal a status line is redrawn in place "
      "as well (default: " + FormatNumber(defaults.progress_interval) + ")";
  po::options_description output("Output", kHelpLineLength);
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
       "waits by reason, warnings and time per phase to stderr (default: off)")
      ("hook-dir", po::value<std::string>()->value_name("DIR"),
       "Run the executables startup, validated, before-copy, before-cutover, success and failure "
       "found in DIR at those points; a failing before-cutover hook prevents the swap (default: "
       "none)");

  po::options_description general("General", kHelpLineLength);
  general.add_options()
      ("config", po::value<std::string>()->value_name("FILE"),
       "Read long options from FILE, one key = value a line without the dashes (e.g. "
       "chunk-time = 1, execute = true); the command line wins over the file (default: none)")
      ("help", po::bool_switch(), "Show this help and exit")
      ("version", po::bool_switch(), "Show the version and build information and exit");
  // clang-format on

  po::options_description hidden;
  hidden.add_options()("dsn", po::value<std::string>(), "");

  set.visible.add(conn)
      .add(what)
      .add(copy)
      .add(throttle)
      .add(WindowOptions(kHelpLineLength))
      .add(output)
      .add(general);
  set.all.add(set.visible).add(hidden);
  return set;
}

std::optional<uint64_t> ParseWholeNumber(std::string_view text) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ParseSeconds(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

bool IsBlank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n\f\v") == std::string::npos;
}

// Boost echoes the whole unknown token, and "--pasword=secret" or mysql-style "-psecret" carry
// a password; name only the option itself.
Status UnknownOption(const std::string& token) {
  if (token.size() >= 2 && token[0] == '-' && token[1] != '-') {
    return UsageError("unknown option '" + token.substr(0, 2) +
                      "': shadowalter has only long options such as --host and --password; see "
                      "--help");
  }
  return UsageError("unknown option '" + token.substr(0, token.find('=')) + "': see --help");
}

// Boost lets "--tries --password pw" give --tries the value "--password", which shifts "pw" into
// the DSN slot where it would be echoed; and "--password --execute" (the mysql client's habit of
// a bare -p to be prompted) would make "--execute" the password. A value written as its own
// element that names one of our options is therefore taken as a missing value.
Status CheckValuesAreNotOptions(const po::parsed_options& parsed,
                                const po::options_description& all) {
  for (const po::option& option : parsed.options) {
    if (option.position_key != -1 || option.original_tokens.size() != 2) continue;
    const std::string& value = option.original_tokens[1];
    if (value.rfind("--", 0) != 0) continue;
    const std::string name = value.substr(2, value.find('=') - 2);
    if (all.find_nothrow(name, false) == nullptr) continue;
    std::string message =
        "--" + option.string_key + " is missing its value (it is followed by --" + name + ")";
    if (option.string_key == "password") message += ": to be asked for it, use --ask-pass";
    return UsageError(message);
  }
  return Status::Ok();
}

// A string flag's value, if given; an empty value is an error except for the password.
StatusOr<std::optional<std::string>> StringFlag(const po::variables_map& vm,
                                                const std::string& name) {
  if (vm.count(name) == 0) return std::optional<std::string>();
  const std::string& value = vm[name].as<std::string>();
  if (value.empty() && name != "password") {
    return UsageError("--" + name + " is empty: give a value or leave the option out");
  }
  return std::optional<std::string>(value);
}

Status ParseThrottleOptions(const po::variables_map& vm, Config& config);
Status SecondsFlag(const po::variables_map& vm, const std::string& name, bool allow_zero,
                   double& out);

// --config, --output, --statistics, --hook-dir.
Status ParseOutputOptions(const po::variables_map& vm, Config& config) {
  if (vm.count("config") != 0) config.config_file = vm["config"].as<std::string>();
  if (vm.count("output") != 0) {
    const std::string& text = vm["output"].as<std::string>();
    if (text == "text") {
      config.output = OutputFormat::kText;
    } else if (text == "json") {
      config.output = OutputFormat::kJson;
    } else {
      return UsageError("bad --output '" + text + "': give text or json");
    }
  }
  config.statistics = vm["statistics"].as<bool>();
  SA_RETURN_IF_ERROR(SecondsFlag(vm, "progress-interval", false, config.progress_interval));
  SA_ASSIGN_OR_RETURN(std::optional<std::string> hook_dir, StringFlag(vm, "hook-dir"));
  if (hook_dir) {
    // Checked now rather than at the first hook: a typo must not surface hours into a run.
    struct stat st {};
    if (stat(hook_dir->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return UsageError("bad --hook-dir '" + *hook_dir + "': not a directory");
    }
    config.hook_dir = *hook_dir;
  }
  return Status::Ok();
}

// The options a --config file may set: all but the ones that only make sense typed by a person.
po::options_description FileOptions(const OptionSet& options) {
  po::options_description file;
  for (const auto& option : options.visible.options()) {
    const std::string& name = option->long_name();
    if (name != "help" && name != "version" && name != "config") file.add(option);
  }
  return file;
}

// --ssl-mode and the certificate files: the DSN's ssl-* keys, overridden by the --ssl-* flags (on
// the command line or in --config). A file that can't be read is a usage error here rather than
// a vague TLS failure at connect time; each message names where the value came from.
Status ParseTlsOptions(const po::variables_map& vm, const TlsOverrides& dsn, TlsSettings& tls) {
  ApplyTlsOverrides(tls, dsn);
  const auto source = [&](const std::string& name) {
    return vm.count(name) != 0 ? "--" + name : "DSN key " + name + "=";
  };
  if (vm.count("ssl-mode") != 0) {
    const std::string& text = vm["ssl-mode"].as<std::string>();
    const std::optional<TlsMode> mode = ParseTlsMode(text);
    if (!mode) {
      return UsageError("bad --ssl-mode '" + text +
                        "': give DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY");
    }
    tls.mode = *mode;
  }
  for (auto [name, field] : {std::pair{"ssl-ca", &tls.ca}, std::pair{"ssl-cert", &tls.cert},
                             std::pair{"ssl-key", &tls.key}}) {
    SA_ASSIGN_OR_RETURN(std::optional<std::string> flag, StringFlag(vm, name));
    if (flag) *field = flag;
    if (*field && access((*field)->c_str(), R_OK) != 0) {
      return UsageError("cannot read " + source(name) + " '" + **field +
                        "': give a readable PEM file");
    }
  }
  if (tls.mode >= TlsMode::kVerifyCa && !tls.ca) {
    return UsageError(source("ssl-mode") + " " + TlsModeName(tls.mode) +
                      " needs --ssl-ca (or ssl-ca= in the DSN): the CA the server's certificate "
                      "must be signed by");
  }
  if (tls.cert.has_value() != tls.key.has_value()) {
    return UsageError(
        "--ssl-cert and --ssl-key go together (so do ssl-cert= and ssl-key= in the DSN): give "
        "both or neither");
  }
  return Status::Ok();
}

// The value of --name, a whole number from 1 to `max`.
StatusOr<uint64_t> WholeNumberFlag(const po::variables_map& vm, const std::string& name,
                                   uint64_t max) {
  const std::string& text = vm[name].as<std::string>();
  const std::optional<uint64_t> n = ParseWholeNumber(text);
  if (!n.has_value() || *n < 1 || *n > max) {
    return UsageError("bad --" + name + " '" + text + "': give a whole number from 1 to " +
                      std::to_string(max));
  }
  return *n;
}

StatusOr<ParsedCommandLine> Parse(int argc, const char* const* argv,
                                  const PasswordReader& read_password,
                                  ConfigFileSource& file_source) {
  // `shadowalter verify|status|resume|cleanup DSN ...`: the command word comes first and is not
  // an option.
  const std::string_view command = argc > 1 ? std::string_view(argv[1]) : std::string_view();
  const bool verify_command = command == "verify";
  const bool status_command = command == "status";
  const bool resume_command = command == "resume";
  const bool cleanup_command = command == "cleanup";
  // Commands that need no ALTER: they act on what a stopped run recorded.
  const bool alter_optional = verify_command || status_command || resume_command || cleanup_command;
  if (verify_command || status_command || resume_command || cleanup_command) {
    --argc;
    ++argv;
  }
  const OptionSet options = BuildOptions();
  po::positional_options_description positional;
  positional.add("dsn", 1);
  po::variables_map vm;
  try {
    // Prefix guessing is off: "--pass" must not silently become --password, nor "--exec"
    // --execute.
    const int style =
        po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    const po::parsed_options parsed_options = po::command_line_parser(argc, argv)
                                                  .options(options.all)
                                                  .positional(positional)
                                                  .style(style)
                                                  .run();
    // The DSN is positional only. Boost would also take the hidden option as "--dsn VALUE", a
    // second spelling the argv scrubber did not know (found by tests/fuzz/options.cc).
    for (const po::option& option : parsed_options.options) {
      if (option.string_key == "dsn" && option.position_key == -1) return UnknownOption("--dsn");
    }
    SA_RETURN_IF_ERROR(CheckValuesAreNotOptions(parsed_options, options.all));
    po::store(parsed_options, vm);
    if (vm.count("config") != 0 && !vm["help"].as<bool>() && !vm["version"].as<bool>()) {
      const std::string& path = vm["config"].as<std::string>();
      if (path.empty()) return UsageError("--config is empty: give a file or leave the option out");
      SA_RETURN_IF_ERROR(StoreConfigFile(path, FileOptions(options), vm, file_source));
    }
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    return UnknownOption(e.get_option_name());
  } catch (const po::too_many_positional_options_error&) {
    return UsageError("more than one DSN given: put every key=value into one DSN, comma-separated");
  } catch (const po::error& e) {
    return UsageError(std::string(e.what()) + ": see --help");
  } catch (const std::exception& e) {
    return InternalError(std::string("parsing the command line: ") + e.what());
  }

  ParsedCommandLine parsed;
  parsed.show_help = vm["help"].as<bool>();
  parsed.show_version = vm["version"].as<bool>();
  if (parsed.show_help || parsed.show_version) return parsed;

  Config& config = parsed.config;
  if (vm.count("dsn") != 0) {
    SA_ASSIGN_OR_RETURN(config.conn, ParseDsn(vm["dsn"].as<std::string>()));
  }

  ConnectionConfig flags;
  SA_ASSIGN_OR_RETURN(flags.host, StringFlag(vm, "host"));
  SA_ASSIGN_OR_RETURN(flags.user, StringFlag(vm, "user"));
  SA_ASSIGN_OR_RETURN(flags.password, StringFlag(vm, "password"));
  SA_ASSIGN_OR_RETURN(flags.socket, StringFlag(vm, "socket"));
  SA_ASSIGN_OR_RETURN(flags.defaults_file, StringFlag(vm, "defaults-file"));
  SA_ASSIGN_OR_RETURN(std::optional<std::string> database, StringFlag(vm, "database"));
  SA_ASSIGN_OR_RETURN(std::optional<std::string> table, StringFlag(vm, "table"));
  flags.database = database.value_or("");
  flags.table = table.value_or("");
  if (vm.count("port") != 0) {
    const std::string& text = vm["port"].as<std::string>();
    flags.port = ParsePortNumber(text);
    if (!flags.port.has_value()) {
      return UsageError("bad --port '" + text + "': give a number from 1 to 65535");
    }
  }
  MergeConnection(config.conn, flags);
  SA_RETURN_IF_ERROR(ParseTlsOptions(vm, config.conn.dsn_tls, config.conn.tls));

  const bool ask_pass = vm["ask-pass"].as<bool>();
  if (ask_pass && flags.password.has_value()) {
    return UsageError("--ask-pass and --password both give the password: use only one");
  }

  if (vm.count("alter") == 0 && !alter_optional) {
    return UsageError("missing --alter: say what to change, e.g. --alter \"ADD COLUMN c INT\"");
  }
  if (vm.count("alter") != 0) config.alter = vm["alter"].as<std::string>();
  if (IsBlank(config.alter) && (!alter_optional || vm.count("alter") != 0)) {
    return UsageError("--alter is empty: say what to change, e.g. --alter \"ADD COLUMN c INT\"");
  }

  const bool execute = vm["execute"].as<bool>();
  const bool dry_run = vm["dry-run"].as<bool>();
  if ((verify_command || status_command) && (execute || dry_run)) {
    return UsageError(std::string(command) + " changes nothing: drop --execute / --dry-run");
  }
  if (resume_command && dry_run) {
    return UsageError("resume continues a stopped run: drop --dry-run (status shows the run)");
  }
  if (cleanup_command && execute) {
    return UsageError(
        "cleanup needs no --execute: it removes the stopped run's artifacts "
        "(--dry-run lists them)");
  }
  if ((status_command || cleanup_command || verify_command) && vm["resume"].as<bool>()) {
    return UsageError("--resume belongs to a run: use `shadowalter resume DSN` instead");
  }
  if (verify_command) {
    config.mode = RunMode::kVerify;
  } else if (status_command) {
    config.mode = RunMode::kStatus;
  } else if (cleanup_command) {
    config.mode = RunMode::kCleanup;
    config.cleanup_dry_run = dry_run;
  } else if (resume_command) {
    config.mode = RunMode::kExecute;
    config.resume = ResumePolicy::kRequired;
  } else if (execute && dry_run) {
    return UsageError("--execute and --dry-run are mutually exclusive: give only one");
  } else if (!execute && !dry_run) {
    return UsageError("say --execute to change the table or --dry-run to only plan");
  } else {
    config.mode = execute ? RunMode::kExecute : RunMode::kDryRun;
  }

  if (vm.count("chunk-size") != 0) {
    SA_ASSIGN_OR_RETURN(config.chunk_size, WholeNumberFlag(vm, "chunk-size", kMaxChunkSize));
    config.chunk_size_fixed = true;
  }
  if (vm.count("threads") != 0) {
    SA_ASSIGN_OR_RETURN(const uint64_t threads, WholeNumberFlag(vm, "threads", kMaxThreads));
    config.threads = static_cast<unsigned>(threads);
  }
  SA_RETURN_IF_ERROR(ParseThrottleOptions(vm, config));
  if (vm.count("tries") != 0) {
    const std::string& text = vm["tries"].as<std::string>();
    const std::optional<uint64_t> n = ParseWholeNumber(text);
    if (!n.has_value() || *n < 1 || *n > std::numeric_limits<unsigned>::max()) {
      return UsageError("bad --tries '" + text + "': give a whole number of at least 1");
    }
    config.tries = static_cast<unsigned>(*n);
  }
  if (vm.count("lock-wait-timeout") != 0) {
    const std::string& text = vm["lock-wait-timeout"].as<std::string>();
    const std::optional<double> seconds = ParseSeconds(text);
    if (!seconds.has_value() || *seconds <= 0 || *seconds > kMaxLockWaitTimeout) {
      return UsageError("bad --lock-wait-timeout '" + text +
                        "': give seconds above 0 and at most " + FormatNumber(kMaxLockWaitTimeout) +
                        ", e.g. 2 or 0.5");
    }
    config.lock_wait_timeout = *seconds;
  }
  SA_ASSIGN_OR_RETURN(std::optional<std::string> log_file, StringFlag(vm, "log-file"));
  config.log_file = log_file.value_or("");
  config.drop_old_table = !vm["no-drop-old-table"].as<bool>();
  config.verify = !vm["no-verify"].as<bool>();
  if (vm.count("verify-sessions") != 0) {
    SA_ASSIGN_OR_RETURN(const uint64_t n,
                        WholeNumberFlag(vm, "verify-sessions", kMaxVerifySessions));
    config.verify_sessions = static_cast<unsigned>(n);
  }
  config.attempt_instant = !vm["no-attempt-instant"].as<bool>();
  if (vm.count("skip-check") != 0) {
    for (const std::string& list : vm["skip-check"].as<std::vector<std::string>>()) {
      size_t start = 0;
      while (start <= list.size()) {
        const size_t comma = std::min(list.find(',', start), list.size());
        std::string name = list.substr(start, comma - start);
        if (name.empty()) return UsageError("empty name in --skip-check '" + list + "'");
        config.skip_checks.push_back(std::move(name));
        start = comma + 1;
      }
    }
  }
  config.drop_new_table = !vm["no-drop-new-table"].as<bool>();
  config.preserve_triggers = vm["preserve-triggers"].as<bool>();
  config.print_sql = vm["print"].as<bool>();
  config.quiet = vm["quiet"].as<bool>();
  if (vm.count("alter-foreign-keys-method") != 0) {
    const std::string& text = vm["alter-foreign-keys-method"].as<std::string>();
    const std::optional<ForeignKeyMethod> method = ParseForeignKeyMethod(text);
    if (!method.has_value()) {
      return UsageError("bad --alter-foreign-keys-method '" + text +
                        "': give rebuild_constraints, drop_swap, none or auto");
    }
    config.foreign_keys_method = *method;
  }
  SA_RETURN_IF_ERROR(ParseOutputOptions(vm, config));
  SA_RETURN_IF_ERROR(ParseWindowOptions(vm, config));
  if (config.mode == RunMode::kDryRun && config.resume != ResumePolicy::kRefuse) {
    return UsageError("--resume continues a run: use it with --execute");
  }
  if (config.foreign_keys_method == ForeignKeyMethod::kDropSwap && !config.drop_old_table) {
    return UsageError(
        "--alter-foreign-keys-method drop_swap drops the original table, so it "
        "can't be combined with --no-drop-old-table");
  }

  if (config.conn.database.empty()) {
    return UsageError("no database given: use D=<db>,t=<table> in the DSN or --database/--table");
  }
  if (config.conn.table.empty()) {
    return UsageError("no table given: use D=<db>,t=<table> in the DSN or --database/--table");
  }

  // Last, so that no other mistake on the command line costs the user a typed password.
  if (ask_pass) {
    SA_ASSIGN_OR_RETURN(std::string password,
                        read_password("Enter password for " + config.conn.Redacted() + ": "));
    config.conn.password = std::move(password);
  } else if (!config.conn.password.has_value()) {
    if (const char* env = std::getenv("MYSQL_PWD"); env != nullptr) {
      config.conn.password = env;
    }
  }
  return parsed;
}

// A last line of defence: every piece of user text in a message is quoted whole ('...'), so if a
// path we did not foresee echoes a password from argv, it is hidden here. Matching only whole
// quoted pieces keeps a short password from mangling the rest of the message.
Status RedactPasswords(const Status& status, int argc, const char* const* argv) {
  std::string message = status.message();
  for (const PasswordSpan& span : FindPasswordsInArgv(argc, argv)) {
    const std::string quoted = "'" + std::string(argv[span.index] + span.begin, span.length) + "'";
    for (size_t at = message.find(quoted); at != std::string::npos;
         at = message.find(quoted, at + 1)) {
      message.replace(at, quoted.size(), "'***'");
    }
  }
  return Status(status.code(), message, status.server_errno());
}

// A number of seconds from option `name`, when given; `allow_zero` admits 0.
Status SecondsFlag(const po::variables_map& vm, const std::string& name, bool allow_zero,
                   double& out) {
  if (vm.count(name) == 0) return Status::Ok();
  const std::string& text = vm[name].as<std::string>();
  const std::optional<double> seconds = ParseSeconds(text);
  if (!seconds.has_value() || *seconds < 0 || (!allow_zero && *seconds == 0) ||
      *seconds > kMaxLockWaitTimeout) {
    return UsageError("bad --" + name + " '" + text + "': give seconds" +
                      (allow_zero ? " (0 or more)" : " above 0") + ", e.g. 1 or 0.5");
  }
  out = *seconds;
  return Status::Ok();
}

Status ParseThrottleOptions(const po::variables_map& vm, Config& config) {
  SA_RETURN_IF_ERROR(SecondsFlag(vm, "chunk-time", false, config.chunk_time));
  SA_RETURN_IF_ERROR(SecondsFlag(vm, "max-lag", true, config.max_lag));
  SA_RETURN_IF_ERROR(SecondsFlag(vm, "check-interval", false, config.check_interval));
  if (vm.count("max-checkpoint-age") != 0) {
    const std::string& text = vm["max-checkpoint-age"].as<std::string>();
    const std::optional<double> pct = ParseSeconds(text);
    if (!pct.has_value() || *pct < 0 || *pct > 100) {
      return UsageError("bad --max-checkpoint-age '" + text +
                        "': give a percentage from 0 (off) to 100, e.g. 75");
    }
    config.max_checkpoint_age = *pct;
  }
  if (vm.count("replica-timeout") != 0) {
    double t = 0;
    SA_RETURN_IF_ERROR(SecondsFlag(vm, "replica-timeout", false, t));
    config.replica_timeout = t;
  }
  if (vm.count("replica") != 0) {
    for (const std::string& dsn : vm["replica"].as<std::vector<std::string>>()) {
      StatusOr<ConnectionConfig> replica = ParseDsn(dsn);
      if (!replica.ok()) return replica.status().With("--replica");
      if (!replica->dsn_tls.empty()) {
        return UsageError(
            "--replica: a replica takes the primary's TLS settings; give ssl-mode=, ssl-ca=, "
            "ssl-cert= and ssl-key= in the primary's DSN or as --ssl-* options");
      }
      if (!replica->host && !replica->socket) {
        return UsageError("--replica needs at least h= (and usually P=), e.g. h=10.0.0.2,P=3306");
      }
      config.replicas.push_back(std::move(replica).value());
    }
  }
  if (vm.count("recursion-method") != 0) {
    const std::string& m = vm["recursion-method"].as<std::string>();
    if (m != "none" && m != "processlist" && m != "hosts" && m != "processlist,hosts" &&
        m != "hosts,processlist") {
      return UsageError("bad --recursion-method '" + m +
                        "': give processlist, hosts, processlist,hosts or none");
    }
    config.recursion_method = m;
  }
  for (const char* name : {"max-load", "critical-load"}) {
    if (vm.count(name) == 0) continue;
    SA_ASSIGN_OR_RETURN(std::vector<LoadLimit> limits,
                        ParseLoadSpec(name, vm[name].as<std::string>()));
    (std::string(name) == "max-load" ? config.max_load : config.critical_load) = limits;
  }
  SA_ASSIGN_OR_RETURN(std::optional<std::string> pause_file, StringFlag(vm, "pause-file"));
  config.pause_file = pause_file.value_or("");
  config.heartbeat = vm["heartbeat"].as<bool>();
  SA_ASSIGN_OR_RETURN(std::optional<std::string> postpone, StringFlag(vm, "postpone-cutover-file"));
  config.postpone_cutover_file = postpone.value_or("");
  return Status::Ok();
}

}  // namespace

StatusOr<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv,
                                             const PasswordReader& read_password) {
  ConfigFileSource file_source;
  StatusOr<ParsedCommandLine> parsed = Parse(argc, argv, read_password, file_source);
  if (!parsed.ok()) {
    return AttributeToConfigFile(RedactPasswords(parsed.status(), argc, argv), file_source);
  }
  return parsed;
}

StatusOr<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv) {
  return ParseCommandLine(argc, argv, ReadPasswordFromTty);
}

StatusOr<std::string> ReadPasswordFromTty(const std::string& prompt) {
  const std::string fix =
      ": give the password with --password, p= in the DSN, MYSQL_PWD or an option file";
  // /dev/tty rather than stdin/stderr: those may be redirected while a person is still there.
  const int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    return UsageError(std::string("--ask-pass needs a terminal, and /dev/tty cannot be opened (") +
                      std::strerror(errno) + ")" + fix);
  }
  termios saved{};
  if (tcgetattr(fd, &saved) != 0) {
    close(fd);
    return UsageError("--ask-pass needs a terminal, and /dev/tty is not one" + fix);
  }
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  // Output errors on the prompt are not worth failing for: the read below is what matters.
  [[maybe_unused]] ssize_t ignored = write(fd, prompt.data(), prompt.size());
  tcsetattr(fd, TCSAFLUSH, &quiet);

  std::string line;
  bool got_newline = false;
  Status status;
  for (;;) {
    char c = 0;
    const ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = UsageError(std::string("--ask-pass: reading the terminal failed (") +
                          std::strerror(errno) + ")" + fix);
      break;
    }
    if (n == 0) break;
    if (c == '\n') {
      got_newline = true;
      break;
    }
    line += c;
  }
  tcsetattr(fd, TCSAFLUSH, &saved);
  // The user's Enter was not echoed; move to the next line ourselves.
  ignored = write(fd, "\n", 1);
  close(fd);
  if (!status.ok()) return status;
  if (!got_newline && line.empty()) {
    return UsageError("--ask-pass: no password entered (end of input)" + fix);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string HelpText() {
  std::ostringstream out;
  out << "Usage: shadowalter [DSN] --alter \"CLAUSES\" (--execute | --dry-run) [OPTIONS]\n"
         "       shadowalter verify [DSN] [--alter \"CLAUSES\"] [OPTIONS]\n"
         "         compares the table with the new table a stopped run left behind, changing\n"
         "         nothing (--alter maps renamed columns)\n"
         "       shadowalter status [DSN] [OPTIONS]\n"
         "         shows the run recorded for the table: phase, position, triggers, what is left\n"
         "       shadowalter resume [DSN] [OPTIONS]\n"
         "         continues a stopped or parked run from its checkpoint (exit 4 when it parks\n"
         "         again)\n"
         "       shadowalter cleanup [DSN] [--dry-run] [OPTIONS]\n"
         "         removes a stopped run's artifacts: triggers, then the new table, then the\n"
         "         checkpoint (after the swap: finishes it); nothing to do is not an error\n"
         "\n"
         "Alters a MySQL or MariaDB table without blocking writes to it: copies the rows into a\n"
         "new table in chunks while triggers keep the copy current, then swaps the two tables.\n"
         "Nothing changes without --execute.\n"
         "\n"
         "DSN: comma-separated key=value pairs, e.g. h=127.0.0.1,P=3306,u=app,D=shop,t=orders\n"
         "  h host, P port, u user, p password, S socket, D database, t table, F defaults file,\n"
         "  ssl-mode, ssl-ca, ssl-cert, ssl-key as the --ssl-* options (which win over them).\n"
         "  Keys are case-sensitive. Write a comma inside a value as \\, and a backslash as "
         "\\\\.\n";
  std::ostringstream options;
  options << BuildOptions().visible;
  // Boost pads wrapped lines with trailing blanks; drop them.
  std::istringstream lines(options.str());
  for (std::string line; std::getline(lines, line);) {
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  }
  out << "\nThe password is taken from --password, p= or --ask-pass; else from the MYSQL_PWD\n"
         "environment variable; else from the option file. Passwords on the command line are\n"
         "overwritten in the process's arguments once they have been read.\n";
  return out.str();
}

bool OptionTakesValue(std::string_view name) {
  static const po::options_description* const all = new po::options_description(BuildOptions().all);
  const po::option_description* option = all->find_nothrow(std::string(name), false);
  return option != nullptr && option->semantic()->max_tokens() > 0;
}

}  // namespace shadowalter
