// Status: the outcome of an engine operation.
//
// A Status is either OK or carries a code and a message. Like LevelDB's, an
// OK status holds a null pointer, so returning success costs nothing. Messages
// are short, lowercase and say what went wrong and where:
//
//   unknown node 'org:x'
//   graph '/data/msi.kg' is locked by another process
//
// Status is [[nodiscard]]: ignoring one is a compile error under -Werror.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace samverkan {

class [[nodiscard]] Status {
 public:
  // DO NOT RENUMBER: the codes are part of the C++ API and of error reports.
  enum class Code : uint8_t {
    kOk = 0,
    kNotFound = 1,         // a node, edge or graph that does not exist
    kInvalidArgument = 2,  // bad input from the caller: empty key, bad JSON, ...
    kCorruption = 3,       // stored data that does not decode
    kIOError = 4,          // the file system failed
    kLocked = 5,           // another process (or open) holds the graph for writing
    kBusy = 6,             // another transaction is writing in this process
    kNotSupported = 7,     // e.g. an on-disk format newer than this build
    kReadOnly = 8,         // a write through a read-only open
    kInternal = 9,         // a bug in Samverkan
    kInterrupted = 10,     // the caller asked a long computation to stop
    kOutOfMemory = 11,     // memory ran out (samverkan/memory_reserve.h)
  };

  Status() noexcept = default;
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(Code::kInvalidArgument, msg);
  }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }
  static Status Locked(std::string_view msg) { return Status(Code::kLocked, msg); }
  static Status Busy(std::string_view msg) { return Status(Code::kBusy, msg); }
  static Status NotSupported(std::string_view msg) { return Status(Code::kNotSupported, msg); }
  static Status ReadOnly(std::string_view msg) { return Status(Code::kReadOnly, msg); }
  static Status Internal(std::string_view msg) { return Status(Code::kInternal, msg); }
  static Status Interrupted(std::string_view msg) { return Status(Code::kInterrupted, msg); }
  static Status OutOfMemory(std::string_view msg) { return Status(Code::kOutOfMemory, msg); }

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  bool IsNotFound() const { return code() == Code::kNotFound; }
  bool IsInvalidArgument() const { return code() == Code::kInvalidArgument; }
  bool IsLocked() const { return code() == Code::kLocked; }
  bool IsInterrupted() const { return code() == Code::kInterrupted; }

  // The message alone, e.g. "unknown node 'org:x'"; empty when OK.
  const std::string& message() const;
  // The code's name and the message, e.g. "not found: unknown node 'org:x'".
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>", keeping the code.
  Status WithContext(std::string_view prefix) const;

 private:
  struct State {
    Code code;
    std::string message;
  };
  Status(Code code, std::string_view msg);

  std::unique_ptr<State> state_;  // null means OK
};

// The lowercase name of a code: "not found", "invalid argument", ...
std::string_view CodeName(Status::Code code);

}  // namespace samverkan
