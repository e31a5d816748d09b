#include "util/stop_flag.h"

#include <csignal>
#include <cstring>

namespace shadowalter {
namespace {

void OnSignal(int sig) { GlobalStopFlag().Request(sig); }

}  // namespace

std::string StopFlag::Describe() const {
  switch (signal_.load()) {
    case 0:
      return "";
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGHUP:
      return "SIGHUP";
    case kTimeLimit:
      return "the run's time limit (--max-runtime / --stop-at)";
    case kControlPark:
      return "park on the control socket";
    case kControlAbort:
      return "abort on the control socket";
    default:
      return "signal " + std::to_string(signal_.load());
  }
}

StopFlag& GlobalStopFlag() {
  static StopFlag flag;
  return flag;
}

void InstallStopHandlers() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnSignal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

}  // namespace shadowalter
