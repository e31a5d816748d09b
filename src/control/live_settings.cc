#include "control/live_settings.h"

#include <utility>

namespace shadowalter {

LiveSettings::LiveSettings(const Config& config) {
  tuning_.chunk_time = config.chunk_time;
  tuning_.chunk_size = config.chunk_size;
  tuning_.chunk_size_fixed = config.chunk_size_fixed;
  tuning_.max_lag = config.max_lag;
  tuning_.max_load = config.max_load;
  tuning_.critical_load = config.critical_load;
}

Tuning LiveSettings::tuning() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tuning_;
}

void LiveSettings::SetChunkTime(double seconds) {
  Apply([&](Tuning& t) {
    t.chunk_time = seconds;
    t.chunk_size_fixed = false;
  });
}

void LiveSettings::SetChunkSize(uint64_t rows) {
  Apply([&](Tuning& t) {
    t.chunk_size = rows;
    t.chunk_size_fixed = true;
  });
}

void LiveSettings::SetMaxLag(double seconds) {
  Apply([&](Tuning& t) { t.max_lag = seconds; });
}

void LiveSettings::SetMaxLoad(std::vector<LoadLimit> limits) {
  Apply([&](Tuning& t) { t.max_load = std::move(limits); });
}

void LiveSettings::SetCriticalLoad(std::vector<LoadLimit> limits) {
  Apply([&](Tuning& t) { t.critical_load = std::move(limits); });
}

}  // namespace shadowalter
