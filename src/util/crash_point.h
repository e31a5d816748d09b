// Fault injection for the crash-recovery tests: CrashPoint("name") kills the process with
// SIGKILL, exactly as `kill -9` would, when the environment variable SHADOWALTER_CRASH_AT is
// "name" (or "name:N", the N-th time the point is reached). Unset, it costs one lookup per call.
// Documented in the README's testing section; it can only kill shadowalter itself.
#pragma once

namespace shadowalter {

void CrashPoint(const char* name);

}  // namespace shadowalter
