// The options of maintenance windows and resuming (--resume, --max-runtime, --stop-at,
// --on-limit, --cutover-window, --reconnect-timeout): their --help group and their parsing.
#pragma once

#include <boost/program_options.hpp>

#include "cli/config.h"
#include "util/status.h"

namespace shadowalter {

boost::program_options::options_description WindowOptions(unsigned line_length);

// Fills `config` from `vm`; a malformed value is a usage error naming the option and the form.
Status ParseWindowOptions(const boost::program_options::variables_map& vm, Config& config);

}  // namespace shadowalter
