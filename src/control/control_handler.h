// Carries out the commands sent to the control socket (control/control_command.h) and words the
// one-line answer: "ok: <what changed>" or "error: <what is wrong and what to send instead>";
// `status` and `help` answer with their text. Every change is logged and emitted as a `control`
// event; a bad command changes nothing.
#pragma once

#include <string>
#include <string_view>

#include "control/control_command.h"
#include "control/live_settings.h"
#include "control/status_board.h"
#include "report/events.h"
#include "util/stop_flag.h"

namespace shadowalter {

class ControlHandler {
 public:
  // `postponable`: the run has a --postpone-cutover-file (else `cutover` has nothing to release).
  ControlHandler(LiveSettings& live, StopFlag& stop, const StatusBoard& board, EventSink& events,
                 bool postponable)
      : live_(live), stop_(stop), board_(board), events_(events), postponable_(postponable) {}

  // The answer to one line sent to the socket, without a trailing newline.
  std::string Answer(std::string_view line);

 private:
  // Carries out a parsed command that changes something; the answer's text after "ok: " or,
  // as an error, after "error: ".
  StatusOr<std::string> Change(const ControlCommand& command);
  StatusOr<std::string> Stop(int kind, const std::string& what);

  LiveSettings& live_;
  StopFlag& stop_;
  const StatusBoard& board_;
  EventSink& events_;
  const bool postponable_;
};

}  // namespace shadowalter
