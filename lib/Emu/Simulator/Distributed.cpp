//===- Distributed.cpp - Bands in separate processes (MPI ranks) ----------===//
//
// `mpirun -np N wse-emu` cuts the mesh into N bands exactly as --threads N
// does, and each rank steps its own band. What the threads share in memory
// after every cycle, ranks send: each rank tells its neighbours (the bands
// above and below; links only join adjacent rows) the wavelets its routers
// pushed into their queues, and how full its own queues fed by them were at
// the end of its step, in one message each way. Then all ranks take the
// minimum of (idle, next due cycle, error rank), which is the decision one
// process makes over its bands. The receiver delivers the lower neighbour's
// wavelets first, as Bands.cpp's exchange does, and a sender adds the
// wavelets it pushed this cycle to the count it was sent, which is the
// count a shared queue would show after the exchange: cycles, outputs,
// statistics and trace are those of one process. At the end rank 0
// gathers every band's results and its rows' state, and reports.
//
//===----------------------------------------------------------------------===//

#include "Band.h"

namespace wse::emu {

std::string SimulatorImpl::errorOfRank(uint64_t errorRank) {
  if (!opts.ranks) {
    for (const std::unique_ptr<Band> &b : bands)
      if (b->errorRank == errorRank)
        return b->error;
    return "";
  }
  // Error ranks are cores by index, then ports (Band::fail, Band::stepCycle).
  uint32_t row = errorRank < cores.size()
                     ? pes[cores[errorRank].slot].y
                     : ports[errorRank - cores.size()].port.row;
  unsigned root = bandOfRow(row);
  const std::string &mine = bands[root]->error;
  Bytes msg(mine.begin(), mine.end());
  opts.ranks->broadcast(msg, root);
  return std::string(msg.begin(), msg.end());
}

static void lower(SimulatorImpl::Vote &a, const SimulatorImpl::Vote &b) {
  a.idle = std::min(a.idle, b.idle);
  a.due = std::min(a.due, b.due);
  a.errorRank = std::min(a.errorRank, b.errorRank);
}

SimulatorImpl::Vote SimulatorImpl::exchangeRanks() {
  unsigned me = opts.ranks->rank();
  Band &band = *bands[me];
  // Taken before the neighbours' wavelets arrive: delivering them changes
  // only the receiver's next due cycle, and a band that sent any was busy,
  // so the vote is the one after the exchange.
  Vote vote = localVote(), neighbours = vote;
  if (rankPeers.empty()) {
    for (unsigned peer : {me - 1, me + 1}) {
      if (peer >= bands.size()) // me - 1 wraps for rank 0
        continue;
      RankPeer p;
      p.rank = peer;
      for (uint32_t l = 0; l < links.size(); ++l) {
        if (links[l].owner == me && links[l].sender == peer)
          p.fedByPeer.push_back(l);
        if (links[l].owner == peer && links[l].sender == me)
          p.fedByMe.push_back(l);
      }
      rankPeers.push_back(std::move(p));
    }
    pushedThisCycle.assign(links.size(), 0);
  }
  for (RankPeer &p : rankPeers)
    p.pushes.clear();
  for (const RemotePush &push : band.outbox) {
    uint32_t l = queues[push.queue].remoteIndex;
    ++pushedThisCycle[l];
    for (RankPeer &p : rankPeers)
      if (p.rank == links[l].owner)
        p.pushes.push_back(push);
  }
  llvm::SmallVector<unsigned, 2> peers;
  llvm::SmallVector<Bytes, 2> out, in;
  for (RankPeer &p : rankPeers) {
    p.counts.clear();
    for (uint32_t l : p.fedByPeer)
      p.counts.push_back(queues[links[l].queue].count);
    p.out.clear();
    Archive ar(p.out, false);
    ar.io(p.pushes);
    ar.io(p.counts);
    ar.io(vote);
    peers.push_back(p.rank);
    out.push_back(std::move(p.out));
    // The neighbour's message: at most one wavelet per queue and cycle (a
    // router output moves one per cycle), a count per queue it owns, a vote.
    p.in.resize(2 * sizeof(uint64_t) + p.fedByPeer.size() * sizeof(RemotePush) +
                p.fedByMe.size() * sizeof(uint32_t) + sizeof(Vote));
    in.push_back(std::move(p.in));
  }
  // With two ranks the neighbour's vote is the other one; with more, every
  // rank (ranks 1 to N-2 have two neighbours, the others one) also reduces
  // the votes over all ranks while the messages travel.
  bool reduce = opts.ranks->size() > 2;
  uint64_t all[3] = {vote.idle, vote.due, vote.errorRank};
  opts.ranks->exchange(peers, out, in,
                       reduce ? llvm::MutableArrayRef<uint64_t>(all)
                              : llvm::MutableArrayRef<uint64_t>());
  for (size_t i = 0; i < rankPeers.size(); ++i) {
    RankPeer &p = rankPeers[i];
    p.out = std::move(out[i]);
    p.in = std::move(in[i]);
    Archive ar(p.in, true);
    ar.io(p.pushes);
    for (const RemotePush &push : p.pushes)
      band.receive(push, now);
    ar.io(p.counts);
    for (size_t j = 0; j < p.fedByMe.size(); ++j) {
      uint32_t l = p.fedByMe[j];
      remoteCount[l] = p.counts[j] + pushedThisCycle[l];
    }
    Vote theirs;
    ar.io(theirs);
    lower(neighbours, theirs);
  }
  for (const RemotePush &push : band.outbox)
    pushedThisCycle[queues[push.queue].remoteIndex] = 0;
  band.outbox.clear();
  if (!reduce)
    return neighbours;
  return {all[0], all[1], all[2]};
}

void SimulatorImpl::transferBand(unsigned b, Archive &ar) {
  Band &band = *bands[b];
  ar.io(band.routerBlocked);
  ar.io(band.queuedTotal);
  ar.io(band.trace.truncated);
  uint64_t n = band.trace.events.size();
  ar.io(n);
  band.trace.events.resize(n);
  for (TraceEvent &e : band.trace.events) {
    ar.io(e.name);
    ar.io(e.pid);
    ar.io(e.tid);
    ar.io(e.start);
    ar.io(e.cycles);
    ar.io(e.mark);
    ar.io(e.recorded);
  }
  std::vector<MarkStats> marks;
  for (const auto &[id, m] : band.marks)
    marks.push_back(m);
  ar.io(marks);
  for (const MarkStats &m : marks)
    band.marks[m.id] = m;

  auto mine = [&](uint32_t row) { return bandOfRow(row) == b; };
  for (CoreState &c : cores) {
    if (!mine(pes[c.slot].y))
      continue;
    ar.io(c.state);
    ar.io(c.waitQueue);
    ar.io(c.task);
    ar.io(c.pc);
    ar.io(c.busy);
    ar.io(c.stalled);
    ar.io(c.flops);
    ar.io(c.tasksRun);
    ar.io(c.inMark);
    ar.io(c.markId);
    ar.io(c.markStart);
    ar.io(c.lastTaskEnd);
  }
  for (Queue &q : queues)
    if (mine(q.owner == Queue::PortRx ? ports[q.ownerIndex].port.row
                                      : pes[q.ownerIndex].y))
      ar.io(q.count);
  for (PEInfo &pe : pes)
    if (mine(pe.y))
      ar.io(pe.router.sent);
  for (PortState &p : ports) {
    if (!mine(p.port.row))
      continue;
    ar.io(p.in);
    ar.io(p.out);
    ar.io(p.inWavelets);
    ar.io(p.outWavelets);
    uint64_t read = p.weights.bytesRead();
    ar.io(read);
    if (ar.isReading())
      p.weights.addBytesRead(read);
    for (const std::vector<uint32_t> *ops : {&p.inOps, &p.outOps})
      for (uint32_t i : *ops) {
        ar.io(streamSpans[i].first);
        ar.io(streamSpans[i].second);
      }
  }
  // Output elements: only the band's ports wrote any here.
  struct Element {
    uint64_t index;
    float value;
  };
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::vector<Element> written;
    if (!ar.isReading())
      for (uint64_t k = 0; k < outputWritten[i].size(); ++k)
        if (outputWritten[i][k])
          written.push_back({k, outputs[i].data[k]});
    ar.io(written);
    for (const Element &e : written) {
      outputWritten[i][e.index] = 1;
      outputs[i].data[e.index] = e.value;
    }
  }
}

void SimulatorImpl::gatherRanks() {
  unsigned me = opts.ranks->rank();
  Bytes mine;
  {
    Archive ar(mine, false);
    uint64_t rss = peakRssBytes();
    ar.io(rss);
    transferBand(me, ar);
  }
  std::vector<Bytes> all;
  opts.ranks->gather(mine, all);
  if (me != 0)
    return;
  ranksPeakRss = 0;
  for (unsigned r = 0; r < all.size(); ++r) {
    Archive ar(all[r], true);
    uint64_t rss = 0;
    ar.io(rss);
    ranksPeakRss += rss;
    if (r != me)
      transferBand(r, ar);
  }
}

} // namespace wse::emu
