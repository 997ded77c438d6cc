// A one-line progress bar with rate and ETA, drawn on a terminal's stderr
// and redrawn at most ten times a second. On anything but a terminal it
// draws nothing, so logs and pipes stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace samverkan::cli {

class ProgressBar {
 public:
  // Draws only if `enabled` and `out` is a terminal.
  ProgressBar(std::FILE* out, bool enabled);
  ~ProgressBar();

  void Update(uint64_t bytes_done, uint64_t bytes_total, uint64_t records);
  // Erases the bar.
  void Finish();

 private:
  std::FILE* out_;
  bool active_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace samverkan::cli
