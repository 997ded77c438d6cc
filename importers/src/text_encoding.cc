#include "text_encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace samverkan::importers {

Result<TextEncoding> ParseTextEncoding(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "utf-8" || n == "utf8") return TextEncoding::kUtf8;
  if (n == "cp1252" || n == "windows-1252") return TextEncoding::kCp1252;
  if (n == "latin-1" || n == "latin1" || n == "iso-8859-1") return TextEncoding::kLatin1;
  return Status::InvalidArgument("unknown encoding '" + std::string(name) +
                                 "' (expected utf-8, cp1252 or latin-1)");
}

Result<std::string> SingleByteToUtf8(std::string_view data, TextEncoding encoding,
                                     size_t* bad_offset) {
  const char* from = encoding == TextEncoding::kCp1252 ? "CP1252" : "ISO-8859-1";
  if (encoding == TextEncoding::kUtf8) return std::string(data);
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::IOError(std::string("cannot convert from ") + from +
                           " (glibc's iconv lacks it: is its gconv directory installed?)");
  }
  // ASCII stays one byte; the rest take two bytes of UTF-8, or three for
  // what cp1252 puts at 0x80-0x9F (the euro sign is E2 82 AC).
  size_t room = data.size();
  for (unsigned char c : data) room += (c >= 0x80) + (c >= 0x80 && c < 0xA0);
  std::string out(room, '\0');
  char* in = const_cast<char*>(data.data());
  size_t in_left = data.size();
  char* to = out.data();
  size_t to_left = out.size();
  const size_t rc = iconv(cd, &in, &in_left, &to, &to_left);
  const int error = errno;
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) {
    *bad_offset = static_cast<size_t>(in - data.data());
    if (error != EILSEQ && error != EINVAL) {
      return Status::Internal("iconv failed converting from " + std::string(from));
    }
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X",
                  static_cast<unsigned>(static_cast<unsigned char>(data[*bad_offset])));
    return Status::InvalidArgument(std::string("byte ") + byte + " is no character in " +
                                   (encoding == TextEncoding::kCp1252 ? "cp1252" : "latin-1") +
                                   " (is the file in another encoding?)");
  }
  out.resize(out.size() - to_left);
  return out;
}

}  // namespace samverkan::importers
