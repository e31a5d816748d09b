// shadowalter: online ALTER TABLE for MySQL and MariaDB. The edge of the program: parses the
// command line, hides the password from `ps`, sets up logging and signals, runs the migration,
// and turns any escaped library exception into a failure with cleanup already done.
#include <unistd.h>

#include <exception>
#include <iostream>
#include <memory>

#include "cli/argv_scrub.h"
#include "cli/options.h"
#include "cli/version.h"
#include "migration/commands.h"
#include "migration/exit_codes.h"
#include "migration/migration.h"
#include "report/events.h"
#include "report/log.h"
#include "report/status_line.h"
#include "state/run_id.h"
#include "util/stop_flag.h"
#include "util/strings.h"

int main(int argc, char** argv) {
  using namespace shadowalter;
  StatusOr<ParsedCommandLine> parsed = ParseCommandLine(argc, argv);
  ScrubPasswordsFromArgv(argc, argv);
  if (!parsed.ok()) {
    std::cerr << "shadowalter: " << OneLine(parsed.status().message()) << "\n"
              << "Try 'shadowalter --help' for the options.\n";
    return kExitUsage;
  }
  if (parsed->show_help) {
    std::cout << HelpText();
    return kExitDone;
  }
  if (parsed->show_version) {
    std::cout << VersionText();
    return kExitDone;
  }
  Config config = std::move(parsed->config);
  LogSettings log;
  log.stderr_threshold = config.quiet ? LogLevel::kError : LogLevel::kInfo;
  log.file = config.log_file;
  if (!InitLogging(log)) return kExitUsage;

  // This run's id; a run continuing a stopped one takes that one's (state/run_id.h).
  std::string run_id = NewRunId();
  // With --output json stdout carries events only; the log stays on stderr either way.
  std::unique_ptr<JsonEventSink> json;
  if (config.output == OutputFormat::kJson) {
    json = std::make_unique<JsonEventSink>(std::cout, config.conn.database, config.conn.table,
                                           config.conn.Redacted(), run_id);
    // Only --execute (and `resume`) may continue a stopped run, and so learn its id later.
    if (config.mode == RunMode::kExecute) json->HoldUntilRunIdSettled();
  }
  // A person watching: one status line redrawn in place under the log.
  std::unique_ptr<TtyStatusLine> status_line;
  if (!config.quiet && isatty(STDERR_FILENO))
    status_line = std::make_unique<TtyStatusLine>(std::cerr);
  EventFanout events({json.get(), status_line.get()});

  InstallStopHandlers();
  try {
    if (config.mode == RunMode::kStatus) return RunStatusCommand(config);
    if (config.mode == RunMode::kCleanup) return RunCleanupCommand(config, GlobalStopFlag());
    Migration migration(std::move(config), GlobalStopFlag(), events, std::move(run_id));
    return migration.Run();
  } catch (const std::exception& e) {
    // Phases catch their own; this is what escaped the orchestrator itself. Scripts still get
    // their last line.
    LogError(std::string("internal error: ") + e.what());
    DoneEvent done;
    done.status = "failed";
    done.exit_code = kExitLeftBehind;
    done.message = std::string("internal error: ") + e.what() +
                   "; `shadowalter status` shows what is left on the server";
    events.Done(done);
    return kExitLeftBehind;
  }
}
