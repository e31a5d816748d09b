// The copy-and-swap group: how the rows are copied, verified and swapped in.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cli/option_groups.h"
#include "cli/option_values.h"

namespace shadowalter {
namespace {

namespace po = boost::program_options;

constexpr unsigned kMaxChunkSize = 1000000;
// More sessions than this only queue inside the server (and each holds a connection).
constexpr unsigned kMaxThreads = 32;
constexpr unsigned kMaxVerifySessions = 2;

std::span<const Choice<ForeignKeyMethod>> ForeignKeyMethods() {
  static const Choice<ForeignKeyMethod> methods[] = {
      {ForeignKeyMethodName(ForeignKeyMethod::kRebuildConstraints),
       ForeignKeyMethod::kRebuildConstraints},
      {ForeignKeyMethodName(ForeignKeyMethod::kDropSwap), ForeignKeyMethod::kDropSwap},
      {ForeignKeyMethodName(ForeignKeyMethod::kNone), ForeignKeyMethod::kNone},
      {ForeignKeyMethodName(ForeignKeyMethod::kAuto), ForeignKeyMethod::kAuto}};
  return methods;
}

// Unlike the other seconds, the advice names the ceiling: lock_wait_timeout is where a large
// value is most tempting.
SecondsRange LockWaitRange() {
  return {.zero_allowed = false,
          .max = kMaxWaitSeconds,
          .advice = "give seconds above 0 and at most " + FormatNumber(kMaxWaitSeconds) +
                    ", e.g. 2 or 0.5"};
}

}  // namespace

po::options_description CopyOptions(unsigned line_length) {
  const Config defaults;
  const std::string chunk_size = "Rows copied per chunk, 1.." + std::to_string(kMaxChunkSize) +
                                 ", k/M/G suffixes x1024 as in pt-online-schema-change" +
                                 " (default: " + std::to_string(defaults.chunk_size) + ")";
  const std::string threads =
      "Sessions copying at once, each its own share of every chunk's key range, 1.." +
      std::to_string(kMaxThreads) + " (default: " + std::to_string(defaults.threads) + ")";
  const std::string verify_sessions =
      "Sessions comparing at once: 2 compare two consecutive chunks at the same time, "
      "1 one chunk after the other (default: " +
      std::to_string(defaults.verify_sessions) + ")";
  const std::string lock_wait_timeout =
      "Seconds each statement that takes a metadata lock may wait per try, and the longest "
      "any session of the run waits for a lock (the copy's never wait), above 0, fractions "
      "allowed (default: " +
      FormatNumber(defaults.lock_wait_timeout) + ")";
  const std::string tries =
      "Tries for each statement that takes a metadata lock, at least 1; or per operation as "
      "pt-online-schema-change takes it, OP:TRIES:WAIT,... with OP create_triggers, "
      "drop_triggers, swap_tables or update_foreign_keys and WAIT the seconds between tries "
      "(copy_rows and analyze_table are accepted and not used) (default: " +
      std::to_string(defaults.tries) + ")";

  po::options_description copy("Copy and swap", line_length);
  // clang-format off
  copy.add_options()
      ("chunk-size", po::value<std::string>()->value_name("N"), chunk_size.c_str())
      ("threads", po::value<std::string>()->value_name("N"), threads.c_str())
      ("lock-wait-timeout", po::value<std::string>()->value_name("SECONDS"),
       lock_wait_timeout.c_str())
      ("tries", po::value<std::string>()->value_name("N|OP:TRIES:WAIT,..."), tries.c_str())
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
      ("no-swap-tables", po::bool_switch(),
       "Copy and verify, then stop without swapping: drop the triggers and the new table, "
       "leaving the table as it was (a rehearsal), or with --no-drop-triggers park (exit 4) "
       "keeping both current for `resume` to swap (default: off, i.e. swap)")
      ("no-drop-triggers", po::bool_switch(),
       "With --no-swap-tables: keep the triggers and the new table, current, and park "
       "(default: off)")
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
      ("revertible", po::bool_switch(),
       "Keep the old table after the swap, kept current by triggers on the new table, so that "
       "`shadowalter revert` can swap back in seconds and lose no write; `shadowalter finish` "
       "ends it. Every write is applied twice meanwhile (default: off)")
      ("preserve-triggers", po::bool_switch(),
       "Alter a table that has triggers of its own: they keep firing during the copy and are "
       "moved to the new table at the swap, under a brief write lock (default: off, i.e. refuse "
       "such a table)");
  // clang-format on
  return copy;
}

Status ParseChunkOptions(const po::variables_map& vm, Config& config) {
  SA_RETURN_IF_ERROR(
      ParseIfGiven(vm, "chunk-size", config.chunk_size, ParseRowCount, kMaxChunkSize));
  // A size given by hand is kept; otherwise it adapts to --chunk-time.
  config.chunk_size_fixed = vm.count("chunk-size") != 0;
  return ParseIfGiven(vm, "threads", config.threads, ParseCount, kMaxThreads);
}

Status ParseCopyOptions(const po::variables_map& vm, Config& config) {
  // --tries N, or pt-online-schema-change's OP:TRIES:WAIT,... (told apart by the colon).
  if (const std::optional<std::string> tries = GivenText(vm, "tries");
      tries && tries->find(':') != std::string::npos) {
    SA_ASSIGN_OR_RETURN(config.tries_by_operation, ParseOperationTries("tries", *tries));
  } else {
    SA_RETURN_IF_ERROR(ParseIfGiven(vm, "tries", config.tries, ParseCount, kAnyCount));
  }
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "lock-wait-timeout", config.lock_wait_timeout, ParseSeconds,
                                  LockWaitRange()));
  // An output option, checked here where it always was: of several mistakes, the same one is
  // reported first.
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "log-file", config.log_file, ParseNonEmpty));
  config.drop_old_table = !vm["no-drop-old-table"].as<bool>();
  config.verify = !vm["no-verify"].as<bool>();
  SA_RETURN_IF_ERROR(
      ParseIfGiven(vm, "verify-sessions", config.verify_sessions, ParseCount, kMaxVerifySessions));
  config.attempt_instant = !vm["no-attempt-instant"].as<bool>();
  if (vm.count("skip-check") != 0) {
    for (const std::string& list : vm["skip-check"].as<std::vector<std::string>>()) {
      SA_ASSIGN_OR_RETURN(const std::vector<std::string> names, ParseNameList("skip-check", list));
      config.skip_checks.insert(config.skip_checks.end(), names.begin(), names.end());
    }
  }
  config.drop_new_table = !vm["no-drop-new-table"].as<bool>();
  config.preserve_triggers = vm["preserve-triggers"].as<bool>();
  config.revertible = vm["revertible"].as<bool>();
  config.swap_tables = !vm["no-swap-tables"].as<bool>();
  config.drop_triggers = !vm["no-drop-triggers"].as<bool>();
  if (!config.drop_triggers && config.swap_tables) {
    return UsageError(
        "--no-drop-triggers goes with --no-swap-tables: after a swap the triggers would write "
        "into the old table");
  }
  if (config.revertible) {
    // An instant ALTER changes the table itself, leaving no old table to swap back.
    config.attempt_instant = false;
  }
  if (!config.swap_tables) {
    // An instant ALTER changes the table itself: a run that must not swap can't take that path.
    config.attempt_instant = false;
  }
  return ParseIfGiven(vm, "alter-foreign-keys-method", config.foreign_keys_method,
                      ParseChoice<ForeignKeyMethod>, ForeignKeyMethods(), LetterCase::kExact);
}

}  // namespace shadowalter
