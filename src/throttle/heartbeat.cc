#include "throttle/heartbeat.h"

#include <chrono>

#include "db/quote.h"
#include "report/log.h"
#include "sql/ddl.h"

namespace shadowalter {

Heartbeat::Heartbeat(std::unique_ptr<Session> writer, std::string schema, std::string table)
    : writer_(std::move(writer)), schema_(std::move(schema)), table_(std::move(table)) {}

Heartbeat::~Heartbeat() { Stop(); }

Status Heartbeat::Start() {
  SA_RETURN_IF_ERROR(writer_->Execute(HeartbeatBeat(schema_, table_)));
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void Heartbeat::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Heartbeat::Loop() {
  bool warned = false;
  while (!stop_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    Status s = writer_->Execute(HeartbeatBeat(schema_, table_));
    if (!s.ok() && !warned) {
      // Replicas then look ever more behind, so the copy waits: failing closed.
      LogWarning("writing the heartbeat failed: " + s.message());
      warned = true;
    }
  }
}

std::optional<double> Heartbeat::ReadLag(Session& replica, const std::string& schema,
                                         const std::string& table, std::string& why) {
  StatusOr<ResultSet> rs = replica.Query(HeartbeatLagQuery(schema, table));
  if (!rs.ok()) {
    why = "has no heartbeat yet (" + rs.status().message() + ")";
    return std::nullopt;
  }
  std::optional<std::string> lag = rs->Scalar();
  if (!lag) {
    why = "has no heartbeat yet";
    return std::nullopt;
  }
  return std::max(0.0, std::stod(*lag));
}

}  // namespace shadowalter
