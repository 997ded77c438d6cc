// Result<T>: a value or the Status that explains why there is none.
//
// std::expected is C++23; this is the small part of it we need.
//
//   Result<NodeId> id = txn->PutNode(input);
//   if (!id.ok()) return id.status();
//   use(*id);
//
// SV_RETURN_IF_ERROR and SV_ASSIGN_OR_RETURN shorten the common cases.
#pragma once

#include <utility>
#include <variant>

#include "samverkan/status.h"

namespace samverkan {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  // A Result made from an OK status has neither a value nor a reason: that is
  // a bug in the code that made it, so it becomes an Internal error (in every
  // build) rather than a Result whose ok() and value() disagree.
  Result(Status status)  // NOLINT: implicit by design
      : v_(status.ok() ? Status::Internal("Result made from an OK status without a value")
                       : std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace samverkan

#define SV_CONCAT_INNER_(a, b) a##b
#define SV_CONCAT_(a, b) SV_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define SV_RETURN_IF_ERROR(expr)                       \
  do {                                                 \
    ::samverkan::Status sv_status_ = (expr);           \
    if (!sv_status_.ok()) return sv_status_;           \
  } while (0)

// `lhs = *expr` when `expr` (a Result) holds a value; returns its status otherwise.
#define SV_ASSIGN_OR_RETURN(lhs, expr) \
  SV_ASSIGN_OR_RETURN_IMPL_(SV_CONCAT_(sv_result_, __LINE__), lhs, expr)
#define SV_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
