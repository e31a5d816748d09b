#include "cli/options.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "cli/argv_scrub.h"
#include "cli/config_file.h"
#include "cli/option_groups.h"
#include "cli/window_options.h"

namespace shadowalter {
namespace {

namespace po = boost::program_options;

constexpr unsigned kHelpLineLength = 80;

struct OptionSet {
  po::options_description visible{kHelpLineLength};  // what --help shows, group by group
  po::options_description all;                       // visible plus the hidden positional DSN
};

po::options_description WhatToDoOptions() {
  po::options_description what("What to do", kHelpLineLength);
  // clang-format off
  what.add_options()
      ("alter", po::value<std::string>()->value_name("CLAUSES"),
       "The ALTER TABLE clauses without \"ALTER TABLE t\", e.g. \"ADD COLUMN c INT\" (required)")
      ("execute", po::bool_switch(),
       "Change the table (default: off; one of --execute and --dry-run is required)")
      ("dry-run", po::bool_switch(), "Check and plan only, change nothing (default: off)");
  // clang-format on
  return what;
}

po::options_description GeneralOptions() {
  po::options_description general("General", kHelpLineLength);
  // clang-format off
  general.add_options()
      ("config", po::value<std::string>()->value_name("FILE"),
       "Read long options from FILE, one key = value a line without the dashes (e.g. "
       "chunk-time = 1, execute = true); the command line wins over the file (default: none)")
      ("help", po::bool_switch(), "Show this help and exit")
      ("version", po::bool_switch(), "Show the version and build information and exit");
  // clang-format on
  return general;
}

// The single description of every option: the parser, --help and OptionTakesValue all read it,
// so they cannot drift apart. Defaults shown come from Config itself for the same reason.
OptionSet BuildOptions() {
  OptionSet set;
  po::options_description hidden;
  hidden.add_options()("dsn", po::value<std::string>(), "");
  set.visible.add(ConnectionOptions(kHelpLineLength))
      .add(WhatToDoOptions())
      .add(CopyOptions(kHelpLineLength))
      .add(ThrottleOptions(kHelpLineLength))
      .add(WindowOptions(kHelpLineLength))
      .add(OutputOptions(kHelpLineLength))
      .add(GeneralOptions());
  set.all.add(set.visible).add(hidden);
  return set;
}

// `shadowalter verify|status|resume|cleanup|revert|finish DSN ...`: the command word comes first
// and is not an option. kRun is the plain `shadowalter DSN --alter ...`.
enum class Command { kRun, kVerify, kStatus, kResume, kCleanup, kRevert, kFinish };

Command CommandOf(int argc, const char* const* argv) {
  const std::string_view word = argc > 1 ? std::string_view(argv[1]) : std::string_view();
  if (word == "verify") return Command::kVerify;
  if (word == "status") return Command::kStatus;
  if (word == "resume") return Command::kResume;
  if (word == "cleanup") return Command::kCleanup;
  if (word == "revert") return Command::kRevert;
  if (word == "finish") return Command::kFinish;
  return Command::kRun;
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

// The options a --config file may set: all but the ones that only make sense typed by a person.
po::options_description FileOptions(const OptionSet& options) {
  po::options_description file;
  for (const auto& option : options.visible.options()) {
    const std::string& name = option->long_name();
    if (name != "help" && name != "version" && name != "config") file.add(option);
  }
  return file;
}

// Reads the command line, and the --config file it names, into `vm`: unknown options, missing
// values and a misplaced DSN are refused here, before any value is looked at.
Status ReadVariables(int argc, const char* const* argv, const OptionSet& options,
                     po::variables_map& vm, ConfigFileSource& file_source) {
  po::positional_options_description positional;
  positional.add("dsn", 1);
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
  return Status::Ok();
}

// --alter: required for a run, optional for the commands (which act on what a stopped run
// recorded), never blank when given.
Status ParseAlter(Command command, const po::variables_map& vm, Config& config) {
  const bool alter_optional = command != Command::kRun;
  if (vm.count("alter") == 0 && !alter_optional) {
    return UsageError("missing --alter: say what to change, e.g. --alter \"ADD COLUMN c INT\"");
  }
  if (vm.count("alter") != 0) config.alter = vm["alter"].as<std::string>();
  if (IsBlank(config.alter) && (!alter_optional || vm.count("alter") != 0)) {
    return UsageError("--alter is empty: say what to change, e.g. --alter \"ADD COLUMN c INT\"");
  }
  return Status::Ok();
}

// What the run does: the command word, --execute and --dry-run, and which of them go together.
Status ParseRunMode(Command command, std::string_view command_word, const po::variables_map& vm,
                    Config& config) {
  const bool execute = vm["execute"].as<bool>();
  const bool dry_run = vm["dry-run"].as<bool>();
  if ((command == Command::kVerify || command == Command::kStatus) && (execute || dry_run)) {
    return UsageError(std::string(command_word) + " changes nothing: drop --execute / --dry-run");
  }
  if (command == Command::kResume && dry_run) {
    return UsageError("resume continues a stopped run: drop --dry-run (status shows the run)");
  }
  if (command == Command::kCleanup && execute) {
    return UsageError(
        "cleanup needs no --execute: it removes the stopped run's artifacts "
        "(--dry-run lists them)");
  }
  if ((command == Command::kRevert || command == Command::kFinish) && execute) {
    return UsageError(std::string(command_word) +
                      " needs no --execute: it acts on the revertible run on record "
                      "(--dry-run shows what it would run)");
  }
  if (command != Command::kRun && command != Command::kResume && vm["resume"].as<bool>()) {
    return UsageError("--resume belongs to a run: use `shadowalter resume DSN` instead");
  }
  switch (command) {
    case Command::kVerify:
      config.mode = RunMode::kVerify;
      return Status::Ok();
    case Command::kStatus:
      config.mode = RunMode::kStatus;
      return Status::Ok();
    case Command::kCleanup:
      config.mode = RunMode::kCleanup;
      config.cleanup_dry_run = dry_run;
      return Status::Ok();
    case Command::kRevert:
    case Command::kFinish:
      config.mode = command == Command::kRevert ? RunMode::kRevert : RunMode::kFinish;
      config.cleanup_dry_run = dry_run;
      return Status::Ok();
    case Command::kResume:
      config.mode = RunMode::kExecute;
      config.resume = ResumePolicy::kRequired;
      return Status::Ok();
    case Command::kRun:
      break;
  }
  if (execute && dry_run) {
    return UsageError("--execute and --dry-run are mutually exclusive: give only one");
  }
  if (!execute && !dry_run) {
    return UsageError("say --execute to change the table or --dry-run to only plan");
  }
  config.mode = execute ? RunMode::kExecute : RunMode::kDryRun;
  return Status::Ok();
}

// Checks that span groups, once every option has been read.
Status CheckCombinations(const Config& config) {
  if (config.mode == RunMode::kDryRun && config.resume != ResumePolicy::kRefuse) {
    return UsageError("--resume continues a run: use it with --execute");
  }
  if (config.foreign_keys_method == ForeignKeyMethod::kDropSwap && !config.drop_old_table) {
    return UsageError(
        "--alter-foreign-keys-method drop_swap drops the original table, so it "
        "can't be combined with --no-drop-old-table");
  }
  if (config.revertible && !config.swap_tables) {
    return UsageError("--revertible keeps the old table after the swap: drop --no-swap-tables");
  }
  if (config.revertible && !config.drop_old_table) {
    return UsageError(
        "--revertible keeps the old table until `shadowalter finish`: drop --no-drop-old-table "
        "(give it to finish instead)");
  }
  if (config.revertible && config.foreign_keys_method == ForeignKeyMethod::kDropSwap) {
    return UsageError("--revertible can't be combined with drop_swap, which drops the original");
  }
  if (!config.swap_tables && !config.postpone_cutover_file.empty()) {
    return UsageError(
        "--no-swap-tables never swaps, so there is no cut-over to postpone: drop "
        "--postpone-cutover-file");
  }
  if (!config.swap_tables && config.cutover_window) {
    return UsageError(
        "--no-swap-tables never swaps, so there is no cut-over window: drop --cutover-window");
  }
  if (config.conn.database.empty()) {
    return UsageError("no database given: use D=<db>,t=<table> in the DSN or --database/--table");
  }
  if (config.conn.table.empty()) {
    return UsageError("no table given: use D=<db>,t=<table> in the DSN or --database/--table");
  }
  return Status::Ok();
}

// The password when it is still missing: typed at the prompt for --ask-pass, else MYSQL_PWD.
// Last, so that no other mistake on the command line costs the user a typed password.
Status CompletePassword(bool ask_pass, const PasswordReader& read_password,
                        ConnectionConfig& conn) {
  if (ask_pass) {
    SA_ASSIGN_OR_RETURN(std::string password,
                        read_password("Enter password for " + conn.Redacted() + ": "));
    conn.password = std::move(password);
  } else if (!conn.password.has_value()) {
    if (const char* env = std::getenv("MYSQL_PWD"); env != nullptr) conn.password = env;
  }
  return Status::Ok();
}

StatusOr<ParsedCommandLine> Parse(int argc, const char* const* argv,
                                  const PasswordReader& read_password,
                                  ConfigFileSource& file_source) {
  const Command command = CommandOf(argc, argv);
  const std::string_view command_word = command == Command::kRun ? "" : argv[1];
  if (command != Command::kRun) {
    --argc;
    ++argv;
  }
  const OptionSet options = BuildOptions();
  po::variables_map vm;
  SA_RETURN_IF_ERROR(ReadVariables(argc, argv, options, vm, file_source));

  ParsedCommandLine parsed;
  parsed.show_help = vm["help"].as<bool>();
  parsed.show_version = vm["version"].as<bool>();
  if (parsed.show_help || parsed.show_version) return parsed;

  // In this order: of several mistakes, the first found is the one reported.
  Config& config = parsed.config;
  SA_RETURN_IF_ERROR(ParseConnectionOptions(vm, config));
  SA_RETURN_IF_ERROR(ParseAlter(command, vm, config));
  SA_RETURN_IF_ERROR(ParseRunMode(command, command_word, vm, config));
  SA_RETURN_IF_ERROR(ParseChunkOptions(vm, config));
  SA_RETURN_IF_ERROR(ParseThrottleOptions(vm, config));
  SA_RETURN_IF_ERROR(ParseCopyOptions(vm, config));
  SA_RETURN_IF_ERROR(ParseOutputOptions(vm, config));
  SA_RETURN_IF_ERROR(ParseWindowOptions(vm, config));
  SA_RETURN_IF_ERROR(CheckCombinations(config));
  SA_RETURN_IF_ERROR(CompletePassword(vm["ask-pass"].as<bool>(), read_password, config.conn));
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
         "       shadowalter revert [DSN] [--dry-run] [OPTIONS]\n"
         "         swaps back a --revertible run's old table, with every write since the swap\n"
         "       shadowalter finish [DSN] [--no-drop-old-table] [OPTIONS]\n"
         "         ends a --revertible run: drops the reverse triggers and the old table\n"
         "       shadowalter control PATH COMMAND\n"
         "         talks to the run started with --control-socket PATH: status, pause,\n"
         "         continue, chunk-time=S, chunk-size=N, max-lag=S, max-load=..,\n"
         "         critical-load=.., park, abort, cutover (help lists them)\n"
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
