#include "problems.h"

namespace samverkan::importers {

std::string Location::ToString() const {
  std::string s(file);
  if (line > 0) s += ":" + std::to_string(line);
  if (line > 0 && column > 0) s += ":" + std::to_string(column);
  return s;
}

void Problems::Add(const Location& where, std::string_view message) {
  ++count_;
  if (lines_.size() < limit_) lines_.push_back({where.ToString() + ": " + std::string(message)});
}

void Problems::AddRepeated(std::string_view key, const Location& where, std::string_view message,
                           std::string_view detail) {
  Append({where.ToString() + ": " + std::string(message), std::string(key), std::string(detail)});
}

void Problems::Append(Line line) {
  if (!line.key.empty()) {
    for (Line& seen : lines_) {
      if (seen.key == line.key) {
        seen.times += line.times;
        return;
      }
    }
  }
  ++count_;
  if (lines_.size() < limit_) lines_.push_back(std::move(line));
}

void Problems::Merge(const Problems& later) {
  size_t listed = 0;
  for (const auto& line : later.lines_) {
    if (line.key.empty()) ++listed;
    Append(line);
  }
  // Those `later` counted but could not list.
  size_t repeated = later.lines_.size() - listed;
  count_ += later.count_ - listed - repeated;
}

Status Problems::ToStatus() const {
  if (count_ == 0) return Status::OK();
  // Readers stop at the limit (parts read on other threads may have found
  // a few more by then), so there may be more than were counted.
  const std::string stopped = " (reading stopped at the limit of " + std::to_string(limit_) + ")";
  std::string msg =
      !full() ? std::to_string(count_) + (count_ == 1 ? " problem" : " problems")
      : count_ > lines_.size()
          ? std::to_string(lines_.size()) + " of at least " + std::to_string(count_) +
                " problems shown" + stopped
          : std::to_string(count_) + " problems, and perhaps more" + stopped;
  msg += "; nothing was imported";
  for (const auto& l : lines_) {
    msg += "\n" + l.text;
    if (l.times > 1) {
      msg += " and " + std::to_string(l.times - 1) + (l.times == 2 ? " more record" : " more records");
    }
    if (!l.detail.empty()) msg += "; " + l.detail;
  }
  return Status::InvalidArgument(msg);
}

void AddNodeProblem(Problems& problems, const Location& where, std::string_view sector,
                    const Status& status) {
  // The engine's words (sink.h): "unknown sector 'x' for node 'k'; ...".
  const std::string unknown = "unknown sector '" + std::string(sector) + "'";
  if (sector.empty() || !status.message().starts_with(unknown)) {
    return problems.Add(where, status);
  }
  const std::string& message = status.message();
  const size_t end = message.find("; ");  // of "unknown sector 'x' for node 'k'"
  std::string detail = end == std::string::npos ? "" : message.substr(end + 2) + "; ";
  detail += "to add it: --add-sector " + std::string(sector) +
            " (kg_import: the add_sectors option; SQL: kg_add_sector)";
  problems.AddRepeated("sector\n" + std::string(sector), where, message.substr(0, end), detail);
}

Location LocateOffset(std::string_view file, std::string_view text, size_t offset, size_t from,
                      uint64_t line) {
  uint64_t column = 1;
  for (size_t i = from; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++column;
    }
  }
  return {file, line, column};
}

}  // namespace samverkan::importers
