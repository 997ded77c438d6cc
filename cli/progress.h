// Progress on a terminal's stderr, one line redrawn at most ten times a
// second: a bar with rate and ETA for imports (ProgressBar), the stage and
// the time taken for drawings and reports (StageProgress). On anything but
// a terminal they draw nothing, so logs and pipes stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

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

// "draw: selecting and laying out  12 s": work whose size is not known in
// advance. Stage() draws at once; Tick() redraws the seconds.
class StageProgress {
 public:
  // `task` names the whole ("draw", "report").
  StageProgress(std::FILE* out, std::string_view task);
  ~StageProgress();

  void Stage(std::string_view stage);
  void Tick();
  // Erases the line.
  void Finish();

 private:
  void Draw();

  std::FILE* out_;
  bool active_;
  bool drawn_ = false;
  std::string task_, stage_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace samverkan::cli
