#include "util/crash_point.h"

#include <csignal>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>

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

}  // namespace shadowalter
