#include "state/run_id.h"

#include <cstdint>
#include <cstdio>
#include <random>

namespace shadowalter {

std::string NewRunId() {
  std::random_device device;
  // Over the whole range: as many draws of the device as 64 bits take.
  const uint64_t bits = std::uniform_int_distribution<uint64_t>()(device);
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(bits));
  return text;
}

}  // namespace shadowalter
