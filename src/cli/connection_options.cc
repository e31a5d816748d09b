// The connection group: the positional DSN, the flags that override its fields, and TLS.
#include <unistd.h>

#include <span>
#include <string>
#include <utility>

#include "cli/dsn.h"
#include "cli/option_groups.h"
#include "cli/option_values.h"

namespace shadowalter {

namespace po = boost::program_options;

po::options_description ConnectionOptions(unsigned line_length) {
  po::options_description conn("Connection (each overrides the same field of the DSN)",
                               line_length);
  // clang-format off
  conn.add_options()
      ("host", po::value<std::string>()->value_name("HOST"),
       "Server host name or IP address (default: the option file's, else localhost)")
      ("port", po::value<std::string>()->value_name("PORT"),
       "TCP port, 1..65535 (default: the option file's, else 3306)")
      ("user", po::value<std::string>()->value_name("USER"),
       "User name (default: the option file's, else your login name)")
      ("password", po::value<std::string>()->value_name("PASS"),
       "Password; others can see it until it is scrubbed, so prefer --ask-pass or an option file "
       "(default: p= of the DSN, else MYSQL_PWD, else the option file's, else none)")
      ("ask-pass", po::bool_switch(),
       "Prompt for the password on the terminal, with echo off (default: off)")
      ("socket", po::value<std::string>()->value_name("PATH"),
       "Unix socket, used when the host is localhost (default: the option file's, else the "
       "client library's)")
      ("defaults-file", po::value<std::string>()->value_name("PATH"),
       "Read only this option file (default: the usual ones, e.g. /etc/my.cnf, ~/.my.cnf)")
      ("ssl-mode", po::value<std::string>()->value_name("MODE"),
       "TLS for the primary and every replica: DISABLED, PREFERRED (encrypt when the server "
       "can), REQUIRED, VERIFY_CA (the certificate must be signed by --ssl-ca) or "
       "VERIFY_IDENTITY (and name the host) (default: PREFERRED)")
      ("ssl-ca", po::value<std::string>()->value_name("PATH"),
       "CA certificate (PEM) the server's certificate is checked against (default: none)")
      ("ssl-cert", po::value<std::string>()->value_name("PATH"),
       "Client certificate (PEM), for accounts that REQUIRE X509 (default: none)")
      ("ssl-key", po::value<std::string>()->value_name("PATH"),
       "Client private key (PEM) of --ssl-cert (default: none)")
      ("set-vars", po::value<std::string>()->value_name("VAR=VALUE,..."),
       "Session variables for every connection to the primary, set after shadowalter's own "
       "(e.g. wait_timeout=28800,optimizer_switch=...); the ones it manages itself are refused "
       "(default: none)")
      ("database", po::value<std::string>()->value_name("DB"),
       "Database of the table (required, here or as D= in the DSN)")
      ("table", po::value<std::string>()->value_name("TABLE"),
       "Table to alter (required, here or as t= in the DSN)");
  // clang-format on
  return conn;
}

namespace {

std::span<const Choice<TlsMode>> TlsModes() {
  static const Choice<TlsMode> modes[] = {
      {TlsModeName(TlsMode::kDisabled), TlsMode::kDisabled},
      {TlsModeName(TlsMode::kPreferred), TlsMode::kPreferred},
      {TlsModeName(TlsMode::kRequired), TlsMode::kRequired},
      {TlsModeName(TlsMode::kVerifyCa), TlsMode::kVerifyCa},
      {TlsModeName(TlsMode::kVerifyIdentity), TlsMode::kVerifyIdentity}};
  return modes;
}

// The connection fields the flags give, unset where they are not given. An empty value is a
// mistake, except for the password: an empty password is a real one.
StatusOr<ConnectionConfig> ParseConnectionFlags(const po::variables_map& vm) {
  ConnectionConfig flags;
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "host", flags.host, ParseNonEmpty));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "user", flags.user, ParseNonEmpty));
  flags.password = GivenText(vm, "password");
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "socket", flags.socket, ParseNonEmpty));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "defaults-file", flags.defaults_file, ParseNonEmpty));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "database", flags.database, ParseNonEmpty));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "table", flags.table, ParseNonEmpty));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "port", flags.port, ParsePort));
  return flags;
}

// --ssl-mode and the certificate files: the DSN's ssl-* keys, overridden by the --ssl-* flags (on
// the command line or in --config). A file that can't be read is a usage error here rather than
// a vague TLS failure at connect time; each message names where the value came from.
Status ParseTlsOptions(const po::variables_map& vm, const TlsOverrides& dsn, TlsSettings& tls) {
  ApplyTlsOverrides(tls, dsn);
  const auto source = [&](const std::string& name) {
    return vm.count(name) != 0 ? "--" + name : "DSN key " + name + "=";
  };
  // Any letter case, as ParseTlsMode reads ssl-mode= in the DSN.
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "ssl-mode", tls.mode, ParseChoice<TlsMode>, TlsModes(),
                                  LetterCase::kIgnored));
  for (auto [name, field] : {std::pair{"ssl-ca", &tls.ca}, std::pair{"ssl-cert", &tls.cert},
                             std::pair{"ssl-key", &tls.key}}) {
    SA_RETURN_IF_ERROR(ParseIfGiven(vm, name, *field, ParseNonEmpty));
    if (*field && access((*field)->c_str(), R_OK) != 0) {
      return UsageError("cannot read " + source(name) + " '" + **field +
                        "': give a readable PEM file");
    }
  }
  if (tls.mode >= TlsMode::kVerifyCa && !tls.ca) {
    return UsageError(source("ssl-mode") + " " + TlsModeName(tls.mode) +
                      " needs --ssl-ca (or ssl-ca= in the DSN): the CA the server's certificate "
                      "must be signed by");
  }
  if (tls.cert.has_value() != tls.key.has_value()) {
    return UsageError(
        "--ssl-cert and --ssl-key go together (so do ssl-cert= and ssl-key= in the DSN): give "
        "both or neither");
  }
  return Status::Ok();
}

}  // namespace

Status ParseConnectionOptions(const po::variables_map& vm, Config& config) {
  if (const std::optional<std::string> dsn = GivenText(vm, "dsn")) {
    SA_ASSIGN_OR_RETURN(config.conn, ParseDsn(*dsn));
  }
  SA_ASSIGN_OR_RETURN(const ConnectionConfig flags, ParseConnectionFlags(vm));
  MergeConnection(config.conn, flags);
  SA_RETURN_IF_ERROR(ParseTlsOptions(vm, config.conn.dsn_tls, config.conn.tls));
  if (vm["ask-pass"].as<bool>() && flags.password.has_value()) {
    return UsageError("--ask-pass and --password both give the password: use only one");
  }
  return ParseIfGiven(vm, "set-vars", config.conn.session_variables, ParseSetVars);
}

}  // namespace shadowalter
