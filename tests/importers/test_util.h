// Helpers for the importer tests: temporary directories, files, graphs,
// and a text dump of a graph so that tests compare whole graphs exactly.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "samverkan/db.h"
#include "samverkan/export.h"
#include "samverkan/import.h"

namespace samverkan::test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "sv-importers-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string Sub(std::string_view name) const { return path_ + "/" + std::string(name); }
  // Writes `contents` to a file in the directory and returns its path.
  std::string File(std::string_view name, std::string_view contents) const {
    std::string p = Sub(name);
    std::ofstream(p, std::ios::binary) << contents;
    return p;
  }

 private:
  std::string path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::unique_ptr<Db> OpenDb(const std::string& path) {
  auto db = Db::Open(path, {});
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(*db) : nullptr;
}

inline Result<ImportSummary> Import(Db& db, std::vector<std::string> paths,
                                    ImportMode mode = ImportMode::kAuto,
                                    ImportFormat format = ImportFormat::kAuto) {
  std::vector<ImportInput> inputs;
  for (auto& p : paths) inputs.push_back({p, format});
  ImportOptions options;
  options.mode = mode;
  return ImportFiles(db, inputs, options);
}

// Every node and edge, one per line, by keys (ids left out unless asked):
//   node org:msi actor "MSI" sector=nonprofit aliases=[..] props={..} sources=[..]
//   edge org:msi -participates_in-> proj:x rank=0 weight=1 2020-01-01..- props={..} sources=[..]
inline std::string Dump(const GraphView& view, bool with_ids = false) {
  std::vector<std::string> lines;
  auto key = [&](NodeId id) { return view.GetNode(id)->key; };
  auto keys = [&](const std::vector<NodeId>& ids) {
    std::string s = "[";
    for (NodeId id : ids) s += key(id) + ",";
    return s + "]";
  };
  for (auto n = view.Nodes(); n->Valid(); n->Next()) {
    const Node& x = n->node();
    std::string aliases;
    for (const auto& a : x.aliases) aliases += a + ";";
    lines.push_back((with_ids ? std::to_string(x.id) + " " : "") + "node " + x.key + " " + x.kind +
                    " \"" + x.name + "\" sector=" + x.sector + " aliases=[" + aliases +
                    "] props=" + x.props + " sources=" + keys(x.sources));
  }
  for (auto e = view.AllEdges(); e->Valid(); e->Next()) {
    Edge x = *e->Load();
    std::ostringstream w;
    if (x.weight) w << *x.weight;
    lines.push_back((with_ids ? std::to_string(x.id) + " " : "") + "edge " + key(x.src) + " -" +
                    x.type + "-> " + key(x.dst) + " rank=" + std::to_string(x.rank) +
                    " weight=" + w.str() + " " +
                    (x.validity.from ? x.validity.from->ToString() : "-") + ".." +
                    (x.validity.to ? x.validity.to->ToString() : "-") + " props=" + x.props +
                    " sources=" + keys(x.sources));
  }
  if (!with_ids) std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

inline Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

}  // namespace samverkan::test

#define SV_ASSERT_OK(expr)                                                \
  do {                                                                    \
    ::samverkan::Status sv_s_ = ::samverkan::test::StatusOf(expr);        \
    ASSERT_TRUE(sv_s_.ok()) << sv_s_.ToString();                          \
  } while (0)
