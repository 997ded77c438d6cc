#include "progress.h"

#include <unistd.h>

#include <string>

namespace samverkan::cli {

using Clock = std::chrono::steady_clock;

ProgressBar::ProgressBar(std::FILE* out, bool enabled)
    : out_(out), active_(enabled && ::isatty(::fileno(out))), start_(Clock::now()), last_() {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(uint64_t bytes_done, uint64_t bytes_total, uint64_t records) {
  if (!active_) return;
  auto now = Clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double frac = bytes_total ? static_cast<double>(bytes_done) / static_cast<double>(bytes_total) : 1;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  double rate = secs > 0 ? static_cast<double>(records) / secs : 0;
  double mb_rate = secs > 0 ? static_cast<double>(bytes_done) / secs / 1e6 : 0;
  double eta = frac > 0 && frac < 1 ? secs / frac - secs : 0;
  int eta_s = static_cast<int>(eta + 0.5);
  std::fprintf(out_, "\r[%s] %3.0f%%  %.0f records/s  %.1f MB/s  ETA %d:%02d  ", bar.c_str(),
               frac * 100, rate, mb_rate, eta_s / 60, eta_s % 60);
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (active_ && drawn_) {
    std::fprintf(out_, "\r%80s\r", "");
    std::fflush(out_);
  }
  drawn_ = false;
}

StageProgress::StageProgress(std::FILE* out, std::string_view task)
    : out_(out), active_(::isatty(::fileno(out))), task_(task), start_(Clock::now()) {}

StageProgress::~StageProgress() { Finish(); }

void StageProgress::Stage(std::string_view stage) {
  stage_ = stage;
  Draw();
}

void StageProgress::Tick() {
  if (active_ && Clock::now() - last_ >= std::chrono::milliseconds(100)) Draw();
}

void StageProgress::Draw() {
  if (!active_) return;
  last_ = Clock::now();
  const int secs = static_cast<int>(std::chrono::duration<double>(last_ - start_).count());
  std::string line = task_ + ": " + stage_;
  if (line.size() > 66) line.resize(66);
  std::fprintf(out_, "\r%-66s %3d:%02d ", line.c_str(), secs / 60, secs % 60);
  std::fflush(out_);
  drawn_ = true;
}

void StageProgress::Finish() {
  if (active_ && drawn_) {
    std::fprintf(out_, "\r%80s\r", "");
    std::fflush(out_);
  }
  drawn_ = false;
}

}  // namespace samverkan::cli
