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
  if (lines_.size() < limit_) lines_.push_back(where.ToString() + ": " + std::string(message));
}

void Problems::Merge(const Problems& later) {
  count_ += later.count_;
  for (const auto& line : later.lines_) {
    if (lines_.size() < limit_) lines_.push_back(line);
  }
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
  for (const auto& l : lines_) msg += "\n" + l;
  return Status::InvalidArgument(msg);
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
