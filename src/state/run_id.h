// The run id: what identifies one migration of a table across its invocations. A fresh run makes
// one; a run that finds a stopped run of the table takes the stopped run's, kept in its
// checkpoint. Events (--output json), `status`, and hooks (SHADOWALTER_RUN_ID) carry it, so that
// the lines of every night of a parked and resumed run can be put together.
#pragma once

#include <string>

namespace shadowalter {

// A new id: 16 lowercase hex digits, 64 random bits (std::random_device).
std::string NewRunId();

}  // namespace shadowalter
