// CypherError: how the Cypher library reports a failure internally.
//
// Parsing, checking and running a query are deep recursions; an error
// anywhere ends the whole query. They throw a CypherError, which the public
// entry points (query.cc) catch and turn into a Status. Engine failures
// travel the same way, as an EngineError that keeps the engine's Status.
//
// Every error carries openCypher's classification (the TCK's names):
//   kind   SyntaxError, SemanticError, TypeError, ArgumentError,
//          EntityNotFound, ConstraintVerificationFailed
//   code   e.g. VariableTypeConflict, InvalidArgumentType
// and, when it is about a place in the query, the byte offset there.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "samverkan/result.h"
#include "samverkan/status.h"

namespace samverkan::cypher {

inline constexpr size_t kNoPosition = static_cast<size_t>(-1);

class CypherError : public std::runtime_error {
 public:
  CypherError(std::string kind, std::string code, std::string message,
              size_t position = kNoPosition)
      : std::runtime_error(message),
        kind_(std::move(kind)),
        code_(std::move(code)),
        position_(position) {}

  const std::string& kind() const { return kind_; }
  const std::string& code() const { return code_; }
  size_t position() const { return position_; }
  void set_position(size_t p) { position_ = p; }

 private:
  std::string kind_;
  std::string code_;
  size_t position_;
};

// Shorthands for the kinds.
[[noreturn]] inline void SyntaxError(const std::string& code, const std::string& message,
                                     size_t position = kNoPosition) {
  throw CypherError("SyntaxError", code, message, position);
}
[[noreturn]] inline void SemanticError(const std::string& code, const std::string& message,
                                       size_t position = kNoPosition) {
  throw CypherError("SemanticError", code, message, position);
}
[[noreturn]] inline void TypeError(const std::string& code, const std::string& message,
                                   size_t position = kNoPosition) {
  throw CypherError("TypeError", code, message, position);
}
[[noreturn]] inline void ArgumentError(const std::string& code, const std::string& message,
                                       size_t position = kNoPosition) {
  throw CypherError("ArgumentError", code, message, position);
}
[[noreturn]] inline void EntityNotFound(const std::string& code, const std::string& message,
                                        size_t position = kNoPosition) {
  throw CypherError("EntityNotFound", code, message, position);
}
[[noreturn]] inline void ConstraintError(const std::string& code, const std::string& message,
                                         size_t position = kNoPosition) {
  throw CypherError("ConstraintVerificationFailed", code, message, position);
}

// An engine Status that ended a query.
class EngineError : public std::runtime_error {
 public:
  explicit EngineError(Status status)
      : std::runtime_error(status.message()), status_(std::move(status)) {}
  const Status& status() const { return status_; }

 private:
  Status status_;
};

inline void Check(Status status) {
  if (!status.ok()) throw EngineError(std::move(status));
}

template <typename T>
T Unwrap(Result<T> result) {
  if (!result.ok()) throw EngineError(result.status());
  return std::move(result).value();
}

}  // namespace samverkan::cypher
