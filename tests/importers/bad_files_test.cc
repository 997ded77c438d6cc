// The corpus of bad files in tests/importers/bad/: each file X comes with
// X.error, the exact message the import must fail with (the directory part
// of the path left out). The graph must be unchanged afterwards.
#include "test_util.h"

namespace samverkan::test {
namespace {

std::vector<std::filesystem::path> BadFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(SV_BAD_FILES_DIR)) {
    if (e.path().extension() != ".error" && e.path().filename() != "README.md") {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(BadFiles, EachFailsWithItsExactErrorAndChangesNothing) {
  auto files = BadFiles();
  ASSERT_GE(files.size(), 12u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    TempDir dir;
    auto db = OpenDb(dir.Sub("g.kg"));
    SV_ASSERT_OK(Import(*db, {dir.File("keep.jsonl", "{\"key\":\"keep\",\"kind\":\"actor\"}\n")}));
    std::string before = Dump(*db);
    std::string expected_path = file.string() + ".error";
    ASSERT_TRUE(std::filesystem::exists(expected_path)) << "missing " << expected_path;
    std::string expected = ReadFile(expected_path);
    while (!expected.empty() && expected.back() == '\n') expected.pop_back();

    auto s = Import(*db, {file.string()}, ImportMode::kTransaction);
    ASSERT_FALSE(s.ok());
    std::string msg = s.status().message();
    std::string prefix = file.parent_path().string() + "/";
    for (size_t at; (at = msg.find(prefix)) != std::string::npos;) msg.erase(at, prefix.size());
    EXPECT_EQ(msg, expected);
    EXPECT_EQ(Dump(*db), before);
  }
}

}  // namespace
}  // namespace samverkan::test
