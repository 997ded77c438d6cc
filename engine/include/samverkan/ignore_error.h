// IgnoreError: dropping a Status or a Result on purpose.
//
// Both are [[nodiscard]]. Where a failure changes nothing for the caller (a
// best-effort step: a record renewed at the next event, a cache warmed for
// later), the call says so by name, with a comment on why, rather than with
// a bare (void) cast, so that every ignored error can be found:
//
//   IgnoreError(recorder->Record(db));  // the next flush records it again
#pragma once

#include "samverkan/result.h"
#include "samverkan/status.h"

namespace samverkan {

inline void IgnoreError(const Status&) {}

template <typename T>
void IgnoreError(const Result<T>&) {}

}  // namespace samverkan
