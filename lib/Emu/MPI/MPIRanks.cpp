//===- MPIRanks.cpp - Ranks over MPI --------------------------------------===//

#include "wse/Emu/Ranks.h"

#include <cstdlib>

#ifdef WSE_HAVE_MPI
#include <mpi.h>
#endif

namespace wse::emu {

unsigned launchedRanks() {
  for (const char *var :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"})
    if (const char *v = std::getenv(var))
      if (int n = std::atoi(v); n > 0)
        return unsigned(n);
  return 0;
}

#ifdef WSE_HAVE_MPI
namespace {
class MPIRanks final : public Ranks {
public:
  MPIRanks() {
    int ready = 0;
    MPI_Initialized(&ready);
    if (!ready)
      MPI_Init(nullptr, nullptr);
    int r = 0, n = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    me = r;
    count = n;
  }
  ~MPIRanks() override { MPI_Finalize(); }

  unsigned rank() const override { return me; }
  unsigned size() const override { return count; }

  void exchange(llvm::ArrayRef<unsigned> peers, llvm::ArrayRef<Bytes> out,
                llvm::MutableArrayRef<Bytes> in,
                llvm::MutableArrayRef<uint64_t> min) override {
    // Receives posted first, into buffers of the size the caller allows,
    // then one wait for everything: a single blocking call per exchange.
    size_t n = peers.size(), waits = 2 * n + !min.empty();
    requests.resize(waits);
    statuses.resize(waits);
    for (size_t i = 0; i < n; ++i)
      MPI_Irecv(in[i].data(), int(in[i].size()), MPI_BYTE, int(peers[i]), kTag,
                MPI_COMM_WORLD, &requests[i]);
    for (size_t i = 0; i < n; ++i)
      MPI_Isend(out[i].data(), int(out[i].size()), MPI_BYTE, int(peers[i]),
                kTag, MPI_COMM_WORLD, &requests[n + i]);
    if (!min.empty())
      MPI_Iallreduce(MPI_IN_PLACE, min.data(), int(min.size()), MPI_UINT64_T,
                     MPI_MIN, MPI_COMM_WORLD, &requests[2 * n]);
    MPI_Waitall(int(waits), requests.data(), statuses.data());
    for (size_t i = 0; i < n; ++i) {
      int got = 0;
      MPI_Get_count(&statuses[i], MPI_BYTE, &got);
      in[i].resize(got);
    }
  }

  void minAll(llvm::MutableArrayRef<uint64_t> v) override {
    MPI_Allreduce(MPI_IN_PLACE, v.data(), int(v.size()), MPI_UINT64_T, MPI_MIN,
                  MPI_COMM_WORLD);
  }

  void broadcast(Bytes &bytes, unsigned root) override {
    uint64_t n = bytes.size();
    MPI_Bcast(&n, 1, MPI_UINT64_T, int(root), MPI_COMM_WORLD);
    bytes.resize(n);
    for (uint64_t done = 0; done < n;) {
      int part = int(std::min<uint64_t>(n - done, kMaxMessage));
      MPI_Bcast(bytes.data() + done, part, MPI_BYTE, int(root), MPI_COMM_WORLD);
      done += part;
    }
  }

  void gather(const Bytes &mine, std::vector<Bytes> &all) override {
    if (me != 0) {
      sendLarge(mine, 0);
      return;
    }
    all.assign(count, Bytes());
    all[0] = mine;
    for (unsigned r = 1; r < count; ++r)
      recvLarge(all[r], r);
  }

private:
  // Messages past 2^31 bytes (a whole wafer's outputs) go in parts.
  static constexpr uint64_t kMaxMessage = uint64_t(1) << 30;
  static constexpr int kTag = 1, kGatherTag = 2;

  void sendLarge(const Bytes &b, unsigned to) {
    uint64_t n = b.size();
    MPI_Send(&n, 1, MPI_UINT64_T, int(to), kGatherTag, MPI_COMM_WORLD);
    for (uint64_t done = 0; done < n;) {
      int part = int(std::min<uint64_t>(n - done, kMaxMessage));
      MPI_Send(b.data() + done, part, MPI_BYTE, int(to), kGatherTag,
               MPI_COMM_WORLD);
      done += part;
    }
  }
  void recvLarge(Bytes &b, unsigned from) {
    uint64_t n = 0;
    MPI_Recv(&n, 1, MPI_UINT64_T, int(from), kGatherTag, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    b.resize(n);
    for (uint64_t done = 0; done < n;) {
      int part = int(std::min<uint64_t>(n - done, kMaxMessage));
      MPI_Recv(b.data() + done, part, MPI_BYTE, int(from), kGatherTag,
               MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      done += part;
    }
  }

  unsigned me = 0, count = 1;
  std::vector<MPI_Request> requests;
  std::vector<MPI_Status> statuses;
};
} // namespace

std::unique_ptr<Ranks> createMPIRanks() { return std::make_unique<MPIRanks>(); }
#else
std::unique_ptr<Ranks> createMPIRanks() { return nullptr; }
#endif

} // namespace wse::emu
