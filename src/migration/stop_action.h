// What a requested stop does to a run: park it (triggers, new table and checkpoint kept, exit 4;
// `resume` continues) or abort it (everything made is removed, exit 1).
//
// SIGHUP always parks: it is what a bastion host's dropped SSH session sends, and a lost terminal
// must not throw hours of copying away. SIGINT and SIGTERM abort unless --on-signal park (a
// person at the terminal, or a supervisor stopping the job, usually wants the table left as it
// was). The run's own time limit parks unless --on-limit abort.
#pragma once

#include "cli/config.h"

namespace shadowalter {

// Whether the stop that StopFlag::signal_number() recorded (a signal number,
// StopFlag::kTimeLimit or a control request, or 0 for none) parks the run.
bool StopParks(int stop, const Config& config);

}  // namespace shadowalter
