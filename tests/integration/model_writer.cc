#include "model_writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <set>

#include "db/quote.h"
#include "sandbox.h"

namespace shadowalter::testing {

ModelWriter::ModelWriter(std::string schema, std::string table, unsigned seed, unsigned port)
    : schema_(std::move(schema)), table_(std::move(table)), port_(port), rng_(seed) {}

ModelWriter::~ModelWriter() { Stop(); }

void CreateModelTable(Session& s, int rows, const std::string& table) {
  const std::string name = QuoteIdentifier(table);
  Exec(s, "CREATE TABLE " + name +
              " (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, "
              "v VARCHAR(64) NOT NULL, pad CHAR(100) NOT NULL DEFAULT 'p', KEY (k)) ENGINE=InnoDB");
  Exec(s, "INSERT INTO " + name + " (k, v) SELECT seq % 1000, CONCAT('row', seq) FROM seq_1_to_" +
              std::to_string(rows));
}

std::map<int64_t, std::string> TableRows(Session& s, const std::string& qualified_table) {
  std::map<int64_t, std::string> out;
  auto rs = s.Query("SELECT id, k, v FROM " + qualified_table + " ORDER BY id");
  EXPECT_TRUE(rs.ok()) << rs.status().message();
  if (!rs.ok()) return out;
  for (const auto& row : rs->rows) {
    out[std::stoll(*row[0])] = row[1].value_or("NULL") + "|" + row[2].value_or("NULL");
  }
  return out;
}

void ModelWriter::LoadModel() {
  session_ = port_ != 0 ? ConnectTo(port_, schema_) : ConnectPrimary(schema_);
  ASSERT_TRUE(session_);
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, value] : TableRows(*session_, QualifiedName(schema_, table_))) Put(id, value);
}

void ModelWriter::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ModelWriter::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::map<int64_t, std::string> ModelWriter::model() const {
  std::lock_guard<std::mutex> lock(mu_);
  return model_;
}

std::string ModelWriter::last_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_error_;
}

void ModelWriter::Loop() {
  while (!stop_) {
    if (OneTransaction()) {
      committed_++;
    } else {
      failed_++;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(1500));
  }
}

void ModelWriter::Put(int64_t id, std::string value) {
  if (id_pos_.count(id) == 0) {
    id_pos_[id] = ids_.size();
    ids_.push_back(id);
  }
  model_[id] = std::move(value);
}

void ModelWriter::Erase(int64_t id) {
  auto it = id_pos_.find(id);
  if (it == id_pos_.end()) return;
  const size_t pos = it->second;
  ids_[pos] = ids_.back();
  id_pos_[ids_[pos]] = pos;
  ids_.pop_back();
  id_pos_.erase(id);
  model_.erase(id);
}

// One transaction of one to three operations; the model changes only if it commits. Each
// operation touches a committed row not touched before in the same transaction, so the pending
// changes apply to the model in order on COMMIT.
bool ModelWriter::OneTransaction() {
  const std::string t = QualifiedName(schema_, table_);
  struct Change {
    int64_t id;
    std::optional<std::string> value;  // nullopt: deleted
  };
  std::vector<Change> changes;
  std::vector<int64_t> newly_freed;
  std::set<int64_t> touched;
  auto fail = [&](const Status& s) {
    (void)session_->Execute("ROLLBACK");
    std::lock_guard<std::mutex> lock(mu_);
    last_error_ = s.message();
    return false;
  };
  auto pick = [&]() -> int64_t {
    if (ids_.empty()) return -1;
    const int64_t id = ids_[rng_() % ids_.size()];
    return touched.insert(id).second ? id : -1;
  };
  bool changed_key = false;
  if (Status s = session_->Execute("START TRANSACTION"); !s.ok()) return fail(s);
  const int ops = 1 + rng_() % 3;
  for (int i = 0; i < ops; ++i) {
    const int what = rng_() % 10;
    const int k = static_cast<int>(rng_() % 100000);
    const std::string v = "v" + std::to_string(rng_() % 1000000) + (rng_() % 2 ? "é☃" : "");
    const std::string kv = std::to_string(k) + "|" + v;
    if (what < 4 || ids_.empty()) {
      Status s = session_->Execute("INSERT INTO " + t + " (k, v) VALUES (" + std::to_string(k) +
                                   ", " + QuoteString(v) + ")");
      if (!s.ok()) return fail(s);
      auto id = session_->Query("SELECT LAST_INSERT_ID()");
      if (!id.ok()) return fail(id.status());
      const int64_t new_id = std::stoll(*id->Scalar());
      touched.insert(new_id);
      changes.push_back({new_id, kv});
      continue;
    }
    const int64_t id = pick();
    if (id < 0) continue;
    if (what < 7) {
      Status s = session_->Execute("UPDATE " + t + " SET k = " + std::to_string(k) +
                                   ", v = " + QuoteString(v) + " WHERE id = " + std::to_string(id));
      if (!s.ok()) return fail(s);
      changes.push_back({id, kv});
    } else if (what < 8) {
      // Key-changing update: into a freed (lower) key half the time, else far above.
      int64_t to = -1;
      if (!freed_.empty() && rng_() % 2) {
        const int64_t candidate = freed_[rng_() % freed_.size()];
        if (model_.count(candidate) == 0 && touched.insert(candidate).second) to = candidate;
      }
      if (to < 0) to = next_high_id_ + static_cast<int64_t>(rng_() % 1000000000);
      if (model_.count(to) || !touched.insert(to).second) continue;
      touched.insert(to);
      Status s = session_->Execute("UPDATE " + t + " SET id = " + std::to_string(to) +
                                   " WHERE id = " + std::to_string(id));
      if (!s.ok()) return fail(s);
      changes.push_back({to, model_.at(id)});
      changes.push_back({id, std::nullopt});
      newly_freed.push_back(id);
      changed_key = true;
    } else {
      Status s = session_->Execute("DELETE FROM " + t + " WHERE id = " + std::to_string(id));
      if (!s.ok()) return fail(s);
      changes.push_back({id, std::nullopt});
      newly_freed.push_back(id);
    }
  }
  if (Status s = session_->Execute("COMMIT"); !s.ok()) return fail(s);
  std::lock_guard<std::mutex> lock(mu_);
  for (Change& c : changes) {
    if (c.value) {
      Put(c.id, std::move(*c.value));
    } else {
      Erase(c.id);
    }
  }
  for (int64_t id : newly_freed) freed_.push_back(id);
  if (changed_key) key_changes_++;
  return true;
}

}  // namespace shadowalter::testing
