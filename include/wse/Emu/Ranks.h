//===- Ranks.h - The processes of a distributed emulator run ----*- C++ -*-===//
//
// Under mpirun, each process (rank) simulates one band of rows of the mesh
// (docs/emulator/README.md#ranks). The simulator talks to the other ranks
// only through this interface; lib/Emu/MPI implements it with MPI, and a
// build without MPI has no implementation (createMPIRanks returns null).
//
//===----------------------------------------------------------------------===//

#ifndef WSE_EMU_RANKS_H
#define WSE_EMU_RANKS_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace wse::emu {

using Bytes = std::vector<char>;

class Ranks {
public:
  virtual ~Ranks() = default;
  virtual unsigned rank() const = 0;
  virtual unsigned size() const = 0;
  /// Sends out[i] to peers[i] and receives in[i], the one message peers[i]
  /// sends this rank in the same call. in[i] comes sized to the longest
  /// message peers[i] may send, and leaves sized to the one it sent. With
  /// `min` not empty, every rank's `min` becomes the element-wise minimum
  /// over all ranks, as with minAll, while the messages travel.
  virtual void exchange(llvm::ArrayRef<unsigned> peers,
                        llvm::ArrayRef<Bytes> out,
                        llvm::MutableArrayRef<Bytes> in,
                        llvm::MutableArrayRef<uint64_t> min = {}) = 0;
  /// Element-wise minimum over all ranks, in place.
  virtual void minAll(llvm::MutableArrayRef<uint64_t> v) = 0;
  /// `bytes` of rank `root`, on every rank.
  virtual void broadcast(Bytes &bytes, unsigned root) = 0;
  /// Rank 0 gets every rank's `mine` (all[r]); other ranks get nothing.
  virtual void gather(const Bytes &mine, std::vector<Bytes> &all) = 0;
};

/// Whether this process was started by mpirun (Open MPI's, MPICH's or
/// PMIx's environment variables), with the number of processes.
unsigned launchedRanks();

/// The MPI world (MPI_Init now, MPI_Finalize when destroyed), or null when
/// this build has no MPI.
std::unique_ptr<Ranks> createMPIRanks();

/// Writes values into bytes or reads them back in the same order: one
/// function describes a message for both sides.
class Archive {
public:
  explicit Archive(Bytes &buf, bool reading) : buf(buf), reading(reading) {}
  bool isReading() const { return reading; }
  bool atEnd() const { return pos >= buf.size(); }

  template <typename T> void io(T &v) {
    static_assert(std::is_trivially_copyable<T>::value, "plain data only");
    if (reading) {
      std::memcpy(&v, buf.data() + pos, sizeof(T));
      pos += sizeof(T);
    } else {
      const char *p = reinterpret_cast<const char *>(&v);
      buf.insert(buf.end(), p, p + sizeof(T));
    }
  }
  void io(std::string &s) {
    uint64_t n = s.size();
    io(n);
    if (reading) {
      s.assign(buf.data() + pos, n);
      pos += n;
    } else {
      buf.insert(buf.end(), s.begin(), s.end());
    }
  }
  template <typename T> void io(std::vector<T> &v) {
    uint64_t n = v.size();
    io(n);
    if (reading)
      v.resize(n);
    if constexpr (std::is_trivially_copyable<T>::value) {
      size_t bytes = n * sizeof(T);
      // An empty vector's data() may be null, which memcpy must not get
      // even for zero bytes (UBSan, emu/ranks.test in the sanitized build).
      if (bytes == 0)
        return;
      if (reading)
        std::memcpy(v.data(), buf.data() + pos, bytes), pos += bytes;
      else
        buf.insert(buf.end(), reinterpret_cast<const char *>(v.data()),
                   reinterpret_cast<const char *>(v.data()) + bytes);
    } else {
      for (T &e : v)
        io(e);
    }
  }

private:
  Bytes &buf;
  size_t pos = 0;
  bool reading;
};

} // namespace wse::emu

#endif
