// --panic-file: a file whose appearance aborts the run at its next safe point (between chunks,
// while paused, while the cut-over waits), with the usual cleanup. For a person or a monitor that
// wants the migration gone now without knowing its pid.
#pragma once

#include <string>

#include "util/status.h"

namespace shadowalter {

// Aborted ("panic file PATH exists (--panic-file)") when `path` is set and exists; else OK.
Status CheckPanicFile(const std::string& path);

}  // namespace shadowalter
