// Byte encodings used in keys and values.
//
// Keys use fixed-width big-endian integers so that RocksDB's bytewise order
// is numeric order. Values use LEB128 varints to stay small.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace samverkan::storage {

inline void PutFixed32BE(std::string* dst, uint32_t v) {
  char buf[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                 static_cast<char>(v >> 8), static_cast<char>(v)};
  dst->append(buf, 4);
}

inline void PutFixed64BE(std::string* dst, uint64_t v) {
  PutFixed32BE(dst, static_cast<uint32_t>(v >> 32));
  PutFixed32BE(dst, static_cast<uint32_t>(v));
}

// REQUIRES: p points at 4 (or 8) readable bytes.
inline uint32_t DecodeFixed32BE(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}
inline uint64_t DecodeFixed64BE(const char* p) {
  return (uint64_t{DecodeFixed32BE(p)} << 32) | DecodeFixed32BE(p + 4);
}

inline void PutVarint64(std::string* dst, uint64_t v) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}

inline void PutLengthPrefixed(std::string* dst, std::string_view s) {
  PutVarint64(dst, s.size());
  dst->append(s);
}

inline void PutDouble(std::string* dst, double d) {
  PutFixed64BE(dst, std::bit_cast<uint64_t>(d));
}

// A cursor over an encoded value. Every Get* returns false, and leaves the
// reader failed, when the input ends early or is malformed.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  bool GetVarint64(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      if (in_.empty()) return false;
      auto byte = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      result |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  bool GetVarint32(uint32_t* v) {
    uint64_t wide = 0;
    if (!GetVarint64(&wide) || wide > UINT32_MAX) return false;
    *v = static_cast<uint32_t>(wide);
    return true;
  }
  bool GetFixed32BE(uint32_t* v) {
    if (in_.size() < 4) return false;
    *v = DecodeFixed32BE(in_.data());
    in_.remove_prefix(4);
    return true;
  }
  bool GetFixed64BE(uint64_t* v) {
    if (in_.size() < 8) return false;
    *v = DecodeFixed64BE(in_.data());
    in_.remove_prefix(8);
    return true;
  }
  bool GetDouble(double* d) {
    uint64_t bits = 0;
    if (!GetFixed64BE(&bits)) return false;
    *d = std::bit_cast<double>(bits);
    return true;
  }
  bool GetByte(uint8_t* b) {
    if (in_.empty()) return false;
    *b = static_cast<uint8_t>(in_.front());
    in_.remove_prefix(1);
    return true;
  }
  bool GetLengthPrefixed(std::string* s) {
    uint64_t len = 0;
    if (!GetVarint64(&len) || len > in_.size()) return false;
    s->assign(in_.data(), len);
    in_.remove_prefix(len);
    return true;
  }
  // The unread rest.
  std::string_view rest() const { return in_; }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

}  // namespace samverkan::storage
