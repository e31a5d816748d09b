#include "util/crash_point.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace shadowalter {

void CrashPoint(const char* name) {
  static const char* const wanted = std::getenv("SHADOWALTER_CRASH_AT");
  if (wanted == nullptr) return;
  const std::string spec(wanted);
  const size_t colon = spec.find(':');
  if (spec.compare(0, colon, name) != 0) return;
  const unsigned long nth =
      colon == std::string::npos ? 1 : std::strtoul(spec.c_str() + colon + 1, nullptr, 10);
  static std::mutex mu;
  static std::map<std::string, unsigned long> seen;
  std::lock_guard<std::mutex> lock(mu);
  if (++seen[name] == nth) std::raise(SIGKILL);
}

void DelayPoint(const char* name) {
  static const char* const wanted = std::getenv("SHADOWALTER_DELAY_AT");
  if (wanted == nullptr) return;
  const std::string spec(wanted);
  const size_t colon = spec.find(':');
  if (colon == std::string::npos || spec.compare(0, colon, name) != 0) return;
  const unsigned long ms = std::strtoul(spec.c_str() + colon + 1, nullptr, 10);
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace shadowalter
