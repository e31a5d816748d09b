// Hides passwords given on the command line from other users of the machine.
//
// /proc/PID/cmdline (and so ps) shows argv to everyone. Like the mysql client, shadowalter
// overwrites each password in place with 'x' characters of the same length, once the command
// line has been parsed and copied. The forms recognised are those ParseCommandLine accepts:
//   --password=VALUE      the part after '=' (--replica-password likewise)
//   --password VALUE      the whole next element (--replica-password likewise)
//   DSN ... p=VALUE ...   in a positional DSN, the value up to the next unescaped comma
//   --replica DSN, --replica=DSN   the same in a replica's DSN (and in --skip-check-replica-lag's,
//                                  and in --dsn, which the parser refuses: the DSN is positional)
// Everything else in argv is left untouched. A password that was given as an option's value by
// mistake (e.g. "--tries --password x") is still scrubbed: erring towards hiding is harmless.
#pragma once

#include <cstddef>
#include <vector>

namespace shadowalter {

// One password on the command line: the bytes argv[index][begin, begin + length).
struct PasswordSpan {
  int index = 0;
  size_t begin = 0;
  size_t length = 0;
};

// Where the passwords are in argv (argv[0] is skipped). Empty passwords are not reported.
std::vector<PasswordSpan> FindPasswordsInArgv(int argc, const char* const* argv);

// Overwrites every span FindPasswordsInArgv reports with 'x'. Call it only after
// ParseCommandLine has copied the arguments: afterwards argv no longer holds the passwords.
void ScrubPasswordsFromArgv(int argc, char** argv);

}  // namespace shadowalter
