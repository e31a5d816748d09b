#include "throttle/chunk_sizer.h"

#include <algorithm>
#include <cmath>

namespace shadowalter {
namespace {

constexpr double kSmoothing = 0.3;  // weight of the newest chunk in the rate estimate
constexpr double kSlowFactor = 2.0;

uint64_t Clamp(double rows) {
  if (!(rows >= ChunkSizer::kMinRows)) return ChunkSizer::kMinRows;
  if (rows > ChunkSizer::kMaxRows) return ChunkSizer::kMaxRows;
  return static_cast<uint64_t>(std::llround(rows));
}

}  // namespace

ChunkSizer::ChunkSizer(uint64_t initial_rows, double target_seconds)
    : next_(std::max<uint64_t>(1, initial_rows)), target_(target_seconds) {}

ChunkSizer ChunkSizer::Fixed(uint64_t rows) {
  ChunkSizer s(rows, 0);
  s.fixed_ = true;
  return s;
}

void ChunkSizer::Record(uint64_t rows, double seconds) {
  if (rows == 0 || seconds <= 0) return;
  const double rate = rows / seconds;
  rate_ = rate_ == 0 ? rate : (1 - kSmoothing) * rate_ + kSmoothing * rate;
  if (fixed_) return;
  if (seconds > kSlowFactor * target_) {
    // Far too slow (a busy server, a lock, a wide row range): shrink now, don't average it away.
    rate_ = rate;
    next_ = Clamp(rate * target_);
    return;
  }
  next_ = Clamp(std::min(rate_ * target_, 2.0 * static_cast<double>(next_)));
}

void ChunkSizer::Pin(uint64_t rows) {
  fixed_ = true;
  next_ = std::max<uint64_t>(1, rows);
}

void ChunkSizer::Retarget(double target_seconds) {
  fixed_ = false;
  target_ = target_seconds;
  if (rate_ > 0) next_ = Clamp(std::min(rate_ * target_, 2.0 * static_cast<double>(next_)));
}

void ChunkSizer::Shrink() {
  if (!fixed_) next_ = std::max(kMinRows, next_ / 2);
}

}  // namespace shadowalter
