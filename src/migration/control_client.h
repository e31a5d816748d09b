// `shadowalter control PATH COMMAND`: sends one command to a running migration's control socket
// (--control-socket PATH) and prints the answer: the status object or "ok: ..." on stdout, an
// "error: ..." answer on stderr.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace shadowalter {

// `args` are the words after `control`: PATH and COMMAND. Exit codes: 0 the run answered (a
// change was made, or the status/help given); 2 bad usage, or the run refused the command and
// changed nothing; 6 nothing listens at PATH (no such run, or it has ended); 1 the exchange
// broke or timed out.
int RunControlClient(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace shadowalter
