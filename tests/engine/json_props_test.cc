// Property JSON (storage/json_props.h), differentially against what
// nlohmann::json's document type makes of the same text: the normal form,
// the errors and RFC 7386 merges must be exactly its, for every kind of
// value, since stored properties were written in its form.
#include "storage/json_props.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace samverkan::storage {
namespace {

using nlohmann::json;

std::string What() { return "properties"; }

// Random JSON text with every kind of scalar, nested objects and arrays,
// keys in random order (never twice in one object) and random spacing.
class RandomJson {
 public:
  explicit RandomJson(uint32_t seed) : rng_(seed) {}

  std::string Object(int depth) {
    std::string out = "{" + Space();
    const int n = static_cast<int>(rng_() % 6);
    std::vector<std::string> keys;
    for (int i = 0; i < n; ++i) {
      std::string key = String();
      // Unique as decoded ("\u00e9" is "é").
      const auto decoded = json::parse(key).get<std::string>();
      if (std::find(keys.begin(), keys.end(), decoded) != keys.end()) continue;
      if (!keys.empty()) out += "," + Space();
      keys.push_back(decoded);
      out += key + Space() + ":" + Space() + Value(depth - 1) + Space();
    }
    return out + "}";
  }

 private:
  std::string Value(int depth) {
    switch (rng_() % (depth > 0 ? 9 : 7)) {
      case 0: return "null";
      case 1: return rng_() % 2 ? "true" : "false";
      case 2: return Integer();
      case 3: return Float();
      case 4:
      case 5: return String();
      case 6: return Float();
      case 7: return Object(depth);
      default: {
        std::string out = "[" + Space();
        const int n = static_cast<int>(rng_() % 4);
        for (int i = 0; i < n; ++i) out += (i ? "," : "") + Value(depth - 1) + Space();
        return out + "]";
      }
    }
  }
  std::string Integer() {
    static const char* const kEdges[] = {"0", "-0", "1", "-1", "9223372036854775807",
                                         "-9223372036854775808", "18446744073709551615",
                                         "18446744073709551616", "123456789012345678901234"};
    if (rng_() % 3 == 0) return kEdges[rng_() % std::size(kEdges)];
    return std::to_string(static_cast<int64_t>(rng_()) - (1ll << 31));
  }
  std::string Float() {
    static const char* const kEdges[] = {"0.0",    "-0.0",   "1.0",  "0.1",   "1e300", "-1e-300",
                                         "5e-324", "1E+2",   "2.5e0", "0.604", "1.7976931348623157e308",
                                         "3.141592653589793238462643383279"};
    if (rng_() % 2 == 0) return kEdges[rng_() % std::size(kEdges)];
    std::uniform_real_distribution<double> d(-1e6, 1e6);
    return fmt::format("{}", d(rng_));
  }
  std::string String() {
    static const char* const kParts[] = {"a", "role", "Z", "", "\\\"", "\\\\", "\\n", "\\t",
                                         "\\u0001", "\\u001f", "\\/", "é", "Malmö", "日本",
                                         "\\ud83d\\ude00", "😀", "\\u00e9", " ", "\x7f"};
    std::string out = "\"";
    const int n = static_cast<int>(rng_() % 4);
    for (int i = 0; i < n; ++i) out += kParts[rng_() % std::size(kParts)];
    return out + "\"";
  }
  std::string Space() {
    static const char* const kSpaces[] = {"", "", "", " ", "\n", "\t ", "\r\n"};
    return kSpaces[rng_() % std::size(kSpaces)];
  }

  std::mt19937 rng_;
};

// nlohmann's document, printed as the stored form ("" for {}).
std::string Expected(const std::string& text) {
  const json j = json::parse(text);
  return j.empty() ? "" : j.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(JsonPropsTest, NormalFormIsNlohmannsForEveryKindOfValue) {
  for (uint32_t seed = 0; seed < 3000; ++seed) {
    const std::string text = RandomJson(seed).Object(4);
    auto got = NormalizeProps(text, What);
    ASSERT_TRUE(got.ok()) << text << ": " << got.status().ToString();
    ASSERT_EQ(*got, Expected(text)) << text;
  }
}

TEST(JsonPropsTest, MergesAsNlohmannsMergePatch) {
  for (uint32_t seed = 0; seed < 3000; ++seed) {
    RandomJson random(seed);
    const std::string base = *NormalizeProps(random.Object(3), What);
    const std::string patch = *NormalizeProps(random.Object(3), What);
    json want = base.empty() ? json::object() : json::parse(base);
    if (!patch.empty()) want.merge_patch(json::parse(patch));
    const std::string expected =
        want.empty() ? "" : want.dump(-1, ' ', false, json::error_handler_t::replace);
    ASSERT_EQ(MergeProps(base, patch), expected) << base << " + " << patch;
  }
  // The cases of RFC 7386's appendix, as objects.
  EXPECT_EQ(MergeProps(R"({"a":"b"})", R"({"a":"c"})"), R"({"a":"c"})");
  EXPECT_EQ(MergeProps(R"({"a":"b"})", R"({"a":null})"), "");
  EXPECT_EQ(MergeProps(R"({"a":"b","b":"c"})", R"({"a":null})"), R"({"b":"c"})");
  EXPECT_EQ(MergeProps(R"({"a":["b"]})", R"({"a":"c"})"), R"({"a":"c"})");
  EXPECT_EQ(MergeProps(R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})"),
            R"({"a":{"b":"d"}})");
  EXPECT_EQ(MergeProps(R"({"e":null})", R"({"a":1})"), R"({"a":1,"e":null})");
  EXPECT_EQ(MergeProps("", R"({"a":{"bb":{"ccc":null}}})"), R"({"a":{"bb":{}}})");
  EXPECT_EQ(MergeProps(R"({"a":1})", ""), R"({"a":1})");
}

TEST(JsonPropsTest, ErrorsAreNlohmannsMessages) {
  const std::vector<std::string> bad = {"{", "{\"a\":}", "{\"a\" 1}", "[1,", "nul", "{\"a\":01}",
                                        "{\"a\":\"\x01\"}", "{\"a\":1}x", "{\"a\":\"\xff\"}",
                                        "{'a':1}", "{\"a\":1,}", "{\"a\":\"\\u12\"}"};
  for (const std::string& text : bad) {
    std::string want;
    try {
      const json parsed = json::parse(text);
      ADD_FAILURE() << text << " parsed as " << parsed.dump();
    } catch (const json::parse_error& e) {
      want = e.what();
      want = "invalid JSON in properties: " + want.substr(want.find("] ") + 2);
    }
    auto got = NormalizeProps(text, What);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_EQ(got.status().message(), want) << text;
  }
  for (auto [text, type] : {std::pair{"[]", "array"}, {"1", "number"}, {"\"x\"", "string"},
                            {"null", "null"}, {"true", "boolean"}}) {
    auto got = NormalizeProps(text, What);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_EQ(got.status().message(), std::string("properties must be a JSON object, not ") + type);
  }
  auto duplicate = NormalizeProps(R"({"a":1,"a":2})", What);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.status().message().find("appears twice"), std::string::npos)
      << duplicate.status().ToString();
}

TEST(JsonPropsTest, NumericPropReadsATopLevelNumber) {
  EXPECT_EQ(NumericProp(R"({"a":1,"b":2.5,"c":"3","d":{"e":4}})", "b"), 2.5);
  EXPECT_EQ(NumericProp(R"({"a":1,"b":2.5})", "a"), 1.0);
  EXPECT_EQ(NumericProp(R"({"a":18446744073709551615})", "a"), 18446744073709551615.0);
  EXPECT_EQ(NumericProp(R"({"c":"3"})", "c"), std::nullopt);
  EXPECT_EQ(NumericProp(R"({"d":{"e":4}})", "e"), std::nullopt);
  EXPECT_EQ(NumericProp("", "a"), std::nullopt);
}

}  // namespace
}  // namespace samverkan::storage
