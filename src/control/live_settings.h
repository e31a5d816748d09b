// What an operator may change while a run goes on (the control socket, control/control_socket.h):
// the copy's chunk sizing, the throttle limits, a pause by hand and the release of a postponed
// cut-over. Thread-safe: the control thread writes; the copy and the throttler read at their
// safe points (between chunks, while they wait), so a change takes effect there and never inside
// a chunk's transaction.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "cli/config.h"

namespace shadowalter {

// The settings in force, as Config holds them.
struct Tuning {
  double chunk_time = 0.5;        // target seconds per chunk
  uint64_t chunk_size = 1000;     // pinned size, or where an adaptive size starts
  bool chunk_size_fixed = false;  // chunk-size= pins the size; chunk-time= frees it again
  double max_lag = 1.0;           // seconds
  std::vector<LoadLimit> max_load, critical_load;
};

class LiveSettings {
 public:
  // Starts from what the command line (and config file) asked for.
  explicit LiveSettings(const Config& config);

  Tuning tuning() const;
  // Goes up with every change of tuning, so a reader can tell cheaply whether to look again.
  uint64_t version() const { return version_.load(); }

  void SetChunkTime(double seconds);  // and lets the size adapt again
  void SetChunkSize(uint64_t rows);   // pins it
  void SetMaxLag(double seconds);
  void SetMaxLoad(std::vector<LoadLimit> limits);
  void SetCriticalLoad(std::vector<LoadLimit> limits);

  // `pause` / `continue`: the throttler holds the copy back while this is set.
  bool paused() const { return paused_.load(); }
  void set_paused(bool paused) { paused_.store(paused); }

  // `cutover`: a cut-over postponed by --postpone-cutover-file goes ahead although the file
  // is still there.
  bool cutover_released() const { return cutover_released_.load(); }
  void ReleaseCutover() { cutover_released_.store(true); }

 private:
  template <typename Change>
  void Apply(Change change) {
    std::lock_guard<std::mutex> lock(mu_);
    change(tuning_);
    version_.fetch_add(1);
  }

  mutable std::mutex mu_;
  Tuning tuning_;
  std::atomic<uint64_t> version_{0};
  std::atomic<bool> paused_{false};
  std::atomic<bool> cutover_released_{false};
};

}  // namespace shadowalter
