// held_props.cc: see held_props.h.
#include "held_props.h"

#include <algorithm>

namespace samverkan::sql {

HeldProps::Builder::Builder(uint64_t rows) : props_(std::make_shared<HeldProps>()), rows_(rows) {
  props_->offsets_.reserve(rows + 1);
}

bool HeldProps::Builder::Add(std::string_view text) {
  if (!props_) return false;
  std::string& chars = props_->chars_;
  const uint64_t added = props_->offsets_.size() - 1;
  if (chars.size() + text.size() > kMaxBytes || added >= rows_) {
    props_.reset();
    return false;
  }
  if (added == 1024 && rows_ > 2048) {
    // Reserve for all rows at the first rows' mean (and a little over), so
    // the text is not copied as it grows, nor held at twice its size.
    const uint64_t guess = chars.size() / added * rows_ + chars.size() / 8 + 4096;
    chars.reserve(std::min<uint64_t>(guess, kMaxBytes));
  }
  chars.append(text);
  props_->offsets_.push_back(static_cast<uint32_t>(chars.size()));
  return true;
}

std::shared_ptr<const HeldProps> HeldProps::Builder::Finish() {
  if (!props_ || props_->offsets_.size() - 1 != rows_) return nullptr;
  return std::move(props_);
}

std::shared_ptr<const HeldProps> HeldPropsSlot::Find(uint64_t sequence) {
  std::shared_ptr<const HeldProps> stale;  // released outside the lock
  std::lock_guard lock(mu_);
  if (sequence == sequence_) return props_;
  stale = std::move(props_);
  props_.reset();
  return nullptr;
}

void HeldPropsSlot::Hold(uint64_t sequence, std::shared_ptr<const HeldProps> props) {
  std::lock_guard lock(mu_);
  sequence_ = sequence;
  props_.swap(props);
}

uint64_t HeldPropsSlot::memory_bytes() const {
  std::lock_guard lock(mu_);
  return props_ ? props_->memory_bytes() : 0;
}

}  // namespace samverkan::sql
