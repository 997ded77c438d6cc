// OutputFile: a file an export writes, which appears at its path only when
// complete and on disk, and never where something else should stay.
//
//   SV_ASSIGN_OR_RETURN(auto file, OutputFile::Create("msi.graphml"));
//   file->out() << ...;
//   SV_RETURN_IF_ERROR(file->Commit());   // else the destructor removes it
//
// Create() refuses (IOError, naming the path) a target that
//   * exists and is not a regular file: a symbolic link, a directory, a
//     FIFO, a device (exports must not write through links or into
//     /dev/stdout), or
//   * lies inside a graph directory (Db::GraphContaining), whose files only
//     the engine may change, or
//   * is one of the caller's `protected_files` (ExportOptions).
// The data goes to a new file with a unique name beside the target, created
// exclusively (O_EXCL, so nothing already there is followed or truncated),
// is fsynced, and is renamed over the target after the checks are made
// again; the directory is fsynced after the rename. A failed or abandoned
// export leaves the target as it was.
#pragma once

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "samverkan/result.h"

namespace samverkan::exporters {

// Refuses paths an export may not create or replace (see above).
Status CheckExportTarget(const std::string& path,
                         const std::vector<std::string>& protected_files = {});

// For exports that are a directory of files (CSV): a directory that exists
// must be a real one (not a link to one), outside any graph directory; one
// that does not is created.
Status CreateExportDirectory(const std::string& path);

class OutputFile {
 public:
  static Result<std::unique_ptr<OutputFile>> Create(
      const std::string& path, const std::vector<std::string>& protected_files = {});
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& out() { return out_; }
  const std::string& path() const { return path_; }
  // Makes the file durable and renames it to its path.
  Status Commit();

 private:
  // Buffered writes to a file descriptor; write errors set badbit.
  class FdBuf : public std::streambuf {
   public:
    explicit FdBuf(int fd);
    int fd() const { return fd_; }
    int error() const { return error_; }

   protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* s, std::streamsize n) override;
    int sync() override;

   private:
    bool Drain();
    int fd_;
    int error_ = 0;
    std::vector<char> buffer_;
  };

  OutputFile(std::string path, std::string tmp, int fd, std::vector<std::string> protected_files);
  Status Fail(const char* step, int error);

  std::string path_, tmp_;
  std::vector<std::string> protected_files_;
  int fd_;
  FdBuf buf_;
  std::ostream out_;
  bool committed_ = false;
};

}  // namespace samverkan::exporters
