// Registers a session with the throttler's keep-alive for the life of the object: a session
// that sits idle while the throttler pauses the copy must not be closed by wait_timeout.
#pragma once

#include "db/session.h"
#include "throttle/throttler.h"

namespace shadowalter {

class KeptAlive {
 public:
  // Either may be null: then nothing is registered.
  KeptAlive(Throttler* t, Session* s) : throttler_(s ? t : nullptr), session_(s) {
    if (throttler_) throttler_->KeepAlive(session_);
  }
  ~KeptAlive() {
    if (throttler_) throttler_->StopKeepingAlive(session_);
  }
  KeptAlive(const KeptAlive&) = delete;
  KeptAlive& operator=(const KeptAlive&) = delete;

 private:
  Throttler* throttler_;
  Session* session_;
};

}  // namespace shadowalter
