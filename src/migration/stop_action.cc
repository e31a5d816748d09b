#include "migration/stop_action.h"

#include <csignal>

#include "util/stop_flag.h"

namespace shadowalter {

bool StopParks(int stop, const Config& config) {
  switch (stop) {
    case StopFlag::kTimeLimit:
      return config.on_limit == LimitAction::kPark;
    case SIGHUP:
    case StopFlag::kControlPark:
      return true;
    case SIGINT:
    case SIGTERM:
      return config.on_signal == LimitAction::kPark;
    default:
      return false;
  }
}

}  // namespace shadowalter
