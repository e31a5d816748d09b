#include "control/control_handler.h"

#include "cli/load_spec.h"
#include "report/log.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::string Seconds(double s) { return ShortNumber(s) + " s"; }

}  // namespace

std::string ControlHandler::Answer(std::string_view line) {
  StatusOr<ControlCommand> command = ParseControlCommand(line);
  if (!command.ok()) return "error: " + command.status().message();
  if (command->verb == ControlVerb::kStatus) return board_.Json();
  if (command->verb == ControlVerb::kHelp) return ControlHelpText();
  StatusOr<std::string> outcome = Change(*command);
  if (!outcome.ok()) return "error: " + outcome.status().message();
  LogInfo("control socket: " + command->text + ": " + *outcome);
  events_.Control(command->text, *outcome);
  return "ok: " + *outcome;
}

StatusOr<std::string> ControlHandler::Stop(int kind, const std::string& what) {
  if (!stop_.RequestFromControl(kind)) {
    return UsageError("a stop is already under way (" + stop_.Describe() + "); nothing changed");
  }
  return what;
}

StatusOr<std::string> ControlHandler::Change(const ControlCommand& c) {
  const Tuning before = live_.tuning();
  switch (c.verb) {
    case ControlVerb::kPause:
      live_.set_paused(true);
      return std::string(
          "paused by hand: the copy holds back before its next chunk until "
          "`continue`");
    case ControlVerb::kContinue:
      if (!live_.paused()) return std::string("was not paused by hand; nothing changed");
      live_.set_paused(false);
      return std::string("the pause by hand is lifted; the other throttle limits still apply");
    case ControlVerb::kChunkTime:
      live_.SetChunkTime(c.seconds);
      return "chunk time " + Seconds(before.chunk_time) + " -> " + Seconds(c.seconds) +
             (before.chunk_size_fixed ? ", and the chunk size adapts to it again" : "") +
             ", from the next chunk";
    case ControlVerb::kChunkSize:
      live_.SetChunkSize(c.rows);
      return "chunk size pinned at " + std::to_string(c.rows) + " rows from the next chunk";
    case ControlVerb::kMaxLag:
      live_.SetMaxLag(c.seconds);
      return "max lag " + Seconds(before.max_lag) + " -> " + Seconds(c.seconds);
    case ControlVerb::kMaxLoad:
      live_.SetMaxLoad(c.limits);
      return "max load " + FormatLoadSpec(before.max_load) + " -> " + FormatLoadSpec(c.limits);
    case ControlVerb::kCriticalLoad:
      live_.SetCriticalLoad(c.limits);
      return "critical load " + FormatLoadSpec(before.critical_load) + " -> " +
             FormatLoadSpec(c.limits);
    case ControlVerb::kPark:
      return Stop(StopFlag::kControlPark,
                  "parking at the next safe point: the triggers, the new table and the "
                  "checkpoint stay, `shadowalter resume` continues (exit 4)");
    case ControlVerb::kAbort:
      return Stop(StopFlag::kControlAbort,
                  "aborting at the next safe point: everything the run made is dropped and the "
                  "table stays as it was (exit 1)");
    case ControlVerb::kCutover:
      if (!postponable_) {
        return UsageError(
            "this run has no --postpone-cutover-file: its cut-over goes ahead as soon as the "
            "new table is verified; nothing changed");
      }
      live_.ReleaseCutover();
      return std::string(
          "the postponed cut-over is released: the swap follows the copy and the verification, "
          "whether or not the postpone file is there");
    case ControlVerb::kStatus:
    case ControlVerb::kHelp:
      break;
  }
  return InternalError("no change for command " + c.text);
}

}  // namespace shadowalter
