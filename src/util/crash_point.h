// Fault injection for the crash-recovery tests: CrashPoint("name") kills the process with
// SIGKILL, exactly as `kill -9` would, when the environment variable SHADOWALTER_CRASH_AT is
// "name" (or "name:N", the N-th time the point is reached). Unset, it costs one lookup per call.
// Documented in docs/operations.md (Crash recovery); it can only kill shadowalter itself.
#pragma once

namespace shadowalter {

void CrashPoint(const char* name);

// Timing injection for the same tests: DelayPoint("name") sleeps for M milliseconds each time it
// is reached when SHADOWALTER_DELAY_AT is "name:M", so a test can widen a window (e.g. between
// the verification's two reads) that is otherwise too short to hit.
void DelayPoint(const char* name);

}  // namespace shadowalter
