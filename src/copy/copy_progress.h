// How far a copy got and where its time went: carried from one copier to the next (after a
// reconnect or a resume) and reported by --statistics. Plain data.
#pragma once

#include <cstdint>
#include <optional>

#include "sql/chunk.h"

namespace shadowalter {

// Where a copy's time went, in seconds, summed over its transactions (--statistics).
struct CopyStepSeconds {
  double lock = 0;        // starting the transaction and the locking read of the range
  double clear = 0;       // clearing what the triggers already wrote into the range
  double insert = 0;      // the INSERT ... SELECT statements
  double commit = 0;      // COMMIT
  double wait_check = 0;  // reading the server's lock-wait count (adaptive transactions)
  double checkpoint = 0;  // recording the position and reporting progress after each chunk
  double throttle = 0;    // the throttler's checks and waits before each chunk
};

struct CopyProgress {
  uint64_t rows_copied = 0;
  uint64_t chunks = 0;
  uint64_t lock_conflicts = 0;
  uint64_t last_chunk_rows = 0;
  uint64_t transactions = 0;          // committed copy transactions
  uint64_t transaction_rows = 0;      // what the next transaction takes (0: a whole chunk)
  uint64_t transaction_rows_min = 0;  // the smallest and largest sizes used
  uint64_t transaction_rows_max = 0;
  uint64_t transaction_shrinks = 0;  // halvings after a lock wait
  // Someone else wrote (or waited) during the last transaction: false before the first, true
  // throughout a copy that does not measure it (--threads).
  bool others_writing = false;
  CopyStepSeconds step_seconds;
  // The last key copied (committed): a restart after it repeats nothing and misses nothing.
  std::optional<KeyTuple> position;
};

}  // namespace shadowalter
