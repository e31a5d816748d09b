#include "db/session.h"

#include <utility>

#include "db/connector_session.h"

namespace shadowalter {

std::optional<std::string> ResultSet::Scalar() const {
  if (rows.empty() || rows[0].empty()) return std::nullopt;
  return rows[0][0];
}

const std::optional<std::string>* ResultSet::Cell(size_t row, std::string_view name,
                                                  std::string_view alt) const {
  for (size_t i = 0; i < column_names.size(); ++i) {
    if (column_names[i] == name || (!alt.empty() && column_names[i] == alt)) return &rows[row][i];
  }
  return nullptr;
}

namespace {

// Empty: the client library's sessions.
SessionFactory& FactoryInForce() {
  static SessionFactory factory;
  return factory;
}

}  // namespace

StatusOr<std::unique_ptr<Session>> Session::Connect(const ConnectParams& params) {
  if (const SessionFactory& factory = FactoryInForce()) return factory(params);
  return ConnectorSession::Connect(params);
}

SessionFactory SetSessionFactoryForTesting(SessionFactory factory) {
  return std::exchange(FactoryInForce(), std::move(factory));
}

}  // namespace shadowalter
