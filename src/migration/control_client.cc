#include "migration/control_client.h"

#include "control/control_socket.h"
#include "migration/exit_codes.h"
#include "util/strings.h"

namespace shadowalter {

int RunControlClient(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.size() != 2) {
    err << "shadowalter: control takes a socket path and one command, e.g. 'shadowalter control "
           "/run/shadowalter.sock status' ('help' lists the commands)\n";
    return kExitUsage;
  }
  StatusOr<std::string> answer = SendControlCommand(args[0], args[1]);
  if (!answer.ok()) {
    err << "shadowalter: " << OneLine(answer.status().message()) << "\n";
    return answer.status().code() == Code::kUnreachable ? kExitUnreachable
           : answer.status().code() == Code::kUsage     ? kExitUsage
                                                        : kExitFailed;
  }
  if (answer->rfind("error: ", 0) == 0) {
    err << "shadowalter: " << answer->substr(7) << "\n";
    return kExitUsage;
  }
  out << *answer << "\n";
  return kExitDone;
}

}  // namespace shadowalter
