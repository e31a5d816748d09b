// Chooses how many rows the next chunk takes so that each chunk runs about `target_seconds`.
// Pure: the caller reports each chunk's rows and measured seconds (a fake clock in tests).
//
// The estimate is a smoothed rows-per-second rate; the next size is rate x target, growing at
// most 2x per chunk so one fast chunk can't make the next one huge. A chunk that took far longer
// than intended (over 2x the target) shrinks the next one at once, to the size that would have
// met the target. With a pinned size (an explicit --chunk-size) the size never changes.
#pragma once

#include <cstdint>

namespace shadowalter {

class ChunkSizer {
 public:
  static constexpr uint64_t kMinRows = 10;
  static constexpr uint64_t kMaxRows = 1000000;

  // Adaptive: starts at `initial_rows`, aims at `target_seconds` per chunk.
  ChunkSizer(uint64_t initial_rows, double target_seconds);
  // Pinned: always `rows`.
  static ChunkSizer Fixed(uint64_t rows);

  uint64_t next_rows() const { return next_; }
  // Reports a finished chunk: `rows` copied in `seconds`.
  void Record(uint64_t rows, double seconds);
  double rows_per_second() const { return rate_; }
  // A chunk met an application lock: halve the next size (not below kMinRows; no-op when pinned).
  void Shrink();

  // An operator's change while the run goes on (the control socket). Pin: every next chunk is
  // `rows` rows. Retarget: adapt again, aiming at `target_seconds`, from the current size and
  // with the rate measured so far.
  void Pin(uint64_t rows);
  void Retarget(double target_seconds);
  bool fixed() const { return fixed_; }
  double target_seconds() const { return target_; }

 private:
  uint64_t next_;
  double target_;
  double rate_ = 0;
  bool fixed_ = false;
};

}  // namespace shadowalter
