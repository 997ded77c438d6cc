#include "samverkan/status.h"

#include <string>

namespace samverkan {

Status::Status(Code code, std::string_view msg)
    : state_(std::make_unique<State>(State{code, std::string(msg)})) {}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
  return *this;
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(CodeName(state_->code));
  out += ": ";
  out += state_->message;
  return out;
}

Status Status::WithContext(std::string_view prefix) const {
  if (ok()) return Status();
  std::string msg(prefix);
  msg += ": ";
  msg += state_->message;
  return Status(state_->code, msg);
}

std::string_view CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "ok";
    case Status::Code::kNotFound: return "not found";
    case Status::Code::kInvalidArgument: return "invalid argument";
    case Status::Code::kCorruption: return "corruption";
    case Status::Code::kIOError: return "i/o error";
    case Status::Code::kLocked: return "locked";
    case Status::Code::kBusy: return "busy";
    case Status::Code::kNotSupported: return "not supported";
    case Status::Code::kReadOnly: return "read-only";
    case Status::Code::kInternal: return "internal error";
    case Status::Code::kInterrupted: return "interrupted";
    case Status::Code::kOutOfMemory: return "out of memory";
  }
  return "unknown";
}

}  // namespace samverkan
