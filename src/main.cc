// shadowalter: online ALTER TABLE for MySQL and MariaDB. The edge of the program: parses the
// command line, hides the password from `ps`, sets up logging and signals, runs the migration,
// and turns any escaped library exception into a failure with cleanup already done.
#include <unistd.h>

#include <exception>
#include <iostream>
#include <memory>
#include <string_view>
#include <vector>

#include "cli/argv_scrub.h"
#include "cli/options.h"
#include "cli/version.h"
#include "control/control_handler.h"
#include "control/control_socket.h"
#include "control/live_settings.h"
#include "control/status_board.h"
#include "migration/commands.h"
#include "migration/control_client.h"
#include "migration/ddl_policies.h"
#include "migration/exit_codes.h"
#include "migration/migration.h"
#include "migration/revert_commands.h"
#include "report/events.h"
#include "report/log.h"
#include "report/status_line.h"
#include "state/run_id.h"
#include "util/pid_file.h"
#include "util/stop_flag.h"
#include "util/strings.h"

int main(int argc, char** argv) {
  using namespace shadowalter;
  // `shadowalter control PATH COMMAND` talks to a running migration; it needs no server.
  if (argc >= 2 && std::string_view(argv[1]) == "control") {
    return RunControlClient(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
  }
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
  // --pid: before anything touches the server, so that a second run changes nothing.
  std::unique_ptr<PidFile> pid_file;
  if (!config.pid_file.empty()) {
    StatusOr<std::unique_ptr<PidFile>> made = PidFile::Create(config.pid_file);
    if (!made.ok()) {
      std::cerr << "shadowalter: " << OneLine(made.status().message()) << "\n";
      return kExitUsage;
    }
    pid_file = std::move(made).value();
  }

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
  // --control-socket: what an operator may change, and what `status` shows, while a run goes on.
  const bool controlled = !config.control_socket.empty() && config.mode == RunMode::kExecute;
  const bool postponable = !config.postpone_cutover_file.empty();
  std::unique_ptr<LiveSettings> live;
  std::unique_ptr<StatusBoard> board;
  if (controlled) {
    live = std::make_unique<LiveSettings>(config);
    board = std::make_unique<StatusBoard>(config.conn.database, config.conn.table, run_id, *live,
                                          GlobalStopFlag(), postponable);
  }
  EventFanout events({json.get(), status_line.get(), board.get()});
  std::unique_ptr<ControlHandler> handler;
  std::unique_ptr<ControlSocket> control;  // destroyed first: its thread uses all of the above
  if (controlled) {
    handler =
        std::make_unique<ControlHandler>(*live, GlobalStopFlag(), *board, events, postponable);
    StatusOr<std::unique_ptr<ControlSocket>> opened =
        ControlSocket::Open(config.control_socket,
                            [h = handler.get()](std::string_view line) { return h->Answer(line); });
    if (!opened.ok()) {
      std::cerr << "shadowalter: " << OneLine(opened.status().message()) << "\n";
      return kExitUsage;
    }
    control = std::move(opened).value();
    LogInfo("taking commands on the control socket " + config.control_socket +
            " (shadowalter control " + config.control_socket + " help)");
  }

  InstallStopHandlers();
  for (const std::string& unused : UnusedTries(config)) LogWarning(unused);
  try {
    if (config.mode == RunMode::kStatus) return RunStatusCommand(config);
    if (config.mode == RunMode::kCleanup) return RunCleanupCommand(config, GlobalStopFlag());
    if (config.mode == RunMode::kRevert) return RunRevertCommand(config, GlobalStopFlag(), events);
    if (config.mode == RunMode::kFinish) return RunFinishCommand(config, GlobalStopFlag(), events);
    Migration migration(std::move(config), GlobalStopFlag(), events, std::move(run_id), live.get());
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
