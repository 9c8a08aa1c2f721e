//===- Lowering.h - State of the wafer -> pe lowering -----------*- C++ -*-===//
//
// The whole function becomes one SPMD kernel on the bounding rectangle of
// every placement, with one entry task that runs the layers in program
// order. A tensor lives on a PE as its block (the box its #wafer.dist gives
// that PE on the op's rectangle). A consumer reads what it needs through
// the cheapest view (readView): its own block, a slab gathered down the
// column or along the row, a transposed gather (columns to rows), chunks of
// a slab, or, where nothing lines up, a full copy on every PE made by an
// all-gather (owners write their blocks into a zeroed buffer and a sum
// all-reduce runs down the columns and then along the rows: relay chains on
// two alternating colors, then a broadcast back). Weights, constants and
// host inputs arrive on one multicast color from an edge port, in the
// order the code consumes them; linear layers and embeddings consume their
// weight on arrival. docs/pe/lowering.md explains the algorithms.
//
//===----------------------------------------------------------------------===//

#ifndef WSE_CONVERSION_WAFERTOPE_LOWERING_H
#define WSE_CONVERSION_WAFERTOPE_LOWERING_H

#include "Emitter.h"
#include "TensorLayout.h"
#include "dialects/wafer/Analysis/LayerLoop.h"
#include "dialects/wafer/IR/WaferOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <unordered_map>

namespace wse::pe::lowering {

/// Elements of a tensor readable on a PE: global index g is at word
/// base + sum_d g_d * strides[d] of `buffer` (for the indices the view
/// covers).
struct View {
  mlir::FlatSymbolRefAttr buffer;
  llvm::SmallVector<int64_t> strides;
  PerPEExpr base;
  /// base + offsets . strides.
  PerPEExpr at(llvm::ArrayRef<PerPEExpr> offsets) const;
};

/// The first index of a chunk of `len` indices: the constant `first`, or,
/// in a loop over equal chunks, chunk number `counter` (a register) times
/// `len`.
struct ChunkStart {
  int64_t first = 0;
  std::optional<unsigned> counter;
  int64_t len = 0;
};

/// The length of the longest equal chunks of `n` indices with at most
/// `most` indices each (the largest divisor of n not above most; 1 at
/// least).
inline int64_t equalChunkLength(int64_t n, int64_t most) {
  int64_t len = std::max<int64_t>(1, std::min(n, most));
  while (n % len)
    --len;
  return len;
}

/// The indices [lo, hi) of dimension `dim`.
struct Range {
  int64_t dim, lo, hi;
};

/// `count` indices of dimension `dim` from `start`.
struct Chunk {
  int64_t dim;
  ChunkStart start;
  int64_t count;
};

struct TensorState {
  TensorLayout layout;
  mlir::FlatSymbolRefAttr block; ///< this PE's block, if computed
  std::optional<View> full;      ///< the whole tensor on every PE, if made
  /// All elements of the PE's column block (gathered down the column).
  std::optional<View> column;
  /// All elements of the PE's row block (gathered along the row).
  std::optional<View> row;
  /// `full` is also another value's full copy (a reshape alias).
  bool fullShared = false;
  /// The op (program position) that last read `full` / `column`.
  int64_t fullUse = 0, columnUse = 0, rowUse = 0;
  /// A weight stream not read yet: its consumer reads it on arrival.
  wafer::StreamOp pendingStream;
};

/// Rows [rowBegin, rowEnd) of the kernel rectangle (relative to it) and the
/// edge ports on their first row that multicast into them: the west port
/// into the western columns, the east port into the eastern ones (or one
/// port into all of them).
struct StreamBand {
  int64_t rowBegin, rowEnd;
  llvm::SmallVector<std::string, 2> ports;
};

/// The fixed fabric patterns of the kernel rectangle.
struct Channels {
  mlir::FlatSymbolRefAttr inbound; ///< edge port -> every PE (multicast)
  /// Stream bands (docs/pe/lowering.md "Stream bands"): one multicast per
  /// band and port, all on this channel; null when the rectangle crosses
  /// fewer than two rows with ports.
  mlir::FlatSymbolRefAttr banded;
  llvm::SmallVector<StreamBand> bands;
  mlir::FlatSymbolRefAttr outbound; ///< one PE -> edge port
  mlir::FlatSymbolRefAttr colEven, colOdd, colBack;
  mlir::FlatSymbolRefAttr rowEven, rowOdd, rowBack;
};

class Lowering {
public:
  Lowering(mlir::ModuleOp module, mlir::func::FuncOp func,
           mesh::RectAttr kernelRect, const machine::MachineDescription &m,
           Emitter &emitter, Channels channels, std::string port,
           mlir::OpBuilder &declBuilder, mlir::OpBuilder &streamBuilder);

  mlir::LogicalResult run();
  /// Whether each placed op's code begins with `mark N`.
  void setMarks(bool on) { marks = on; }
  /// The body of subroutine `name` (called from Emitter::finish).
  void emitSubroutine(llvm::StringRef name, llvm::ArrayRef<RegAttr> params);

  // Helpers for the op lowerings.
  Emitter &E;
  const TensorLayout &layoutOf(mlir::Value v);
  /// Whether v's block on this PE is the block `layout` gives it.
  bool hasBlockIn(mlir::Value v, const TensorLayout &layout) {
    const TensorLayout &own = layoutOf(v);
    auto it = tensors.find(v);
    return it->second.block && own.sameAs(layout);
  }
  /// Whether v's data already exists (a block or a full copy).
  bool hasData(mlir::Value v) {
    auto it = tensors.find(v);
    return it != tensors.end() && (it->second.block || it->second.full);
  }
  /// The whole tensor on every PE of the kernel.
  View needFull(mlir::Value v);
  /// A view of `v` covering what a PE of `consumer` reads: `dimMap[d]` is
  /// the consumer dimension indexed like v's dimension d, or -1 where the
  /// consumer reads the whole dimension. The cheapest of: v's own block
  /// (every distributed dimension lines up), a gather down the columns (the
  /// column dimension lines up) or along the rows (the row dimension does),
  /// a transposed gather (v's column dimension is the consumer's row
  /// dimension), else the whole tensor.
  View readView(mlir::Value v, const TensorLayout &consumer,
                llvm::ArrayRef<int64_t> dimMap);
  /// The elements of v whose column dimension lies in the PE's column
  /// block, every other dimension whole (v's own block when it is whole
  /// along the columns; the full copy when there is one); none when v has
  /// no column dimension.
  std::optional<View> columnSlab(mlir::Value v);
  /// The part of v's column slab whose dimension `d` lies in [lo, hi),
  /// gathered down the column (v must have its blocks and a column
  /// dimension other than `d`): a bounded piece of a slab too large to
  /// hold.
  View columnChunk(mlir::Value v, int64_t d, int64_t lo, int64_t hi);
  /// columnChunk of `count` indices of `d` from `start`, indexed from the
  /// chunk's start along `d`. A chunk whose start is known only at run time
  /// needs `d` undistributed. With `within`, only that range of another
  /// dimension (indexed from its start too).
  View columnChunkAt(mlir::Value v, int64_t d, const ChunkStart &start,
                     int64_t count, std::optional<Range> within = {});
  /// Words held per index of `v`'s dimension `d` when `v` is read for
  /// `consumer` (dimMap as in readView) one range of `d` at a time
  /// (readChunk): a column chunk, plus the row cut when the consumer reads
  /// v's column dimension along its rows. None when v has no blocks, `d` is
  /// distributed or is v's column dimension, or neither read lines up.
  std::optional<int64_t> chunkWords(mlir::Value v, const TensorLayout &consumer,
                                    llvm::ArrayRef<int64_t> dimMap, int64_t d);
  /// The elements of `v` a PE of `consumer` reads whose dimension
  /// `chunk.dim` lies in the chunk, every other dimension as readView would
  /// cover it: a column chunk (columnChunkAt), or one cut along the rows (a
  /// transposed gather of the chunk). Indexed from the chunk's start along
  /// its dimension. Requires chunkWords(v, consumer, dimMap, chunk.dim).
  View readChunk(mlir::Value v, const TensorLayout &consumer,
                 llvm::ArrayRef<int64_t> dimMap, const Chunk &chunk);
  /// Runs `body` once per chunk of `len` indices (len divides n): one loop
  /// at run time, whose counter gives the chunk's start, so the code does
  /// not grow with the number of chunks (no loop for a single chunk).
  void forEachChunk(int64_t n, int64_t len,
                    llvm::function_ref<void(const ChunkStart &)> body);
  /// The address `base` + (the chunk's first index) * stride; in a loop it
  /// is computed into a register at this point of the code.
  mlir::Attribute offsetAt(const PerPEExpr &base, const ChunkStart &start,
                           int64_t stride);
  /// Words of a column slab above which readers take it in chunks.
  int64_t slabBudget() const { return machine.sramWords() / 8; }
  /// Whether gathering `words` at once would take half of SRAM or more:
  /// where the chunk loops over a whole dimension (forEachChunk) apply.
  bool atLeastHalfOfSRAM(int64_t words) const {
    return 2 * words >= int64_t(machine.sramWords());
  }
  /// Whether `words` take over half of SRAM (where products are chunked).
  bool overHalfOfSRAM(int64_t words) const {
    return 2 * words > int64_t(machine.sramWords());
  }
  /// Where readView(v, consumer, dimMap) would gather v's column slab and
  /// the slab would take over half of SRAM: v's dimension on y, along which
  /// a data movement reads the slab in chunks of slabBudget() words
  /// (columnChunk) instead. None when the view is cheaper, already made, or
  /// v has no blocks. (A smaller slab is gathered whole: one all-reduce and
  /// less code than a call per chunk, and the SRAM plan shows what it
  /// costs.)
  /// The words of v's column slab where readView(v, consumer, dimMap)
  /// would gather it down the columns (and it is not gathered already).
  std::optional<int64_t> columnGatherWords(mlir::Value v,
                                           const TensorLayout &consumer,
                                           llvm::ArrayRef<int64_t> dimMap);
  std::optional<int64_t> chunkedColumnRead(mlir::Value v,
                                           const TensorLayout &consumer,
                                           llvm::ArrayRef<int64_t> dimMap);
  /// v's elements in `layout`'s blocks (v's own block when the layouts
  /// agree, else cut from the full copy).
  mlir::FlatSymbolRefAttr needBlock(mlir::Value v, const TensorLayout &layout);
  /// Makes `result` share `source`'s data without copying, when the two
  /// have the same row-major order (a reshape): the same block buffer if the
  /// blocks coincide, or the same full copy. Returns false if neither holds.
  bool aliasReshape(mlir::Value result, mlir::Value source);
  /// The buffer of `operand`'s full copy if `result` (of the op being
  /// lowered, the operand's only user) may be computed into it in place:
  /// the result's block is the whole tensor, of the operand's shape, and the
  /// copy is dense and nobody else's. Records it as `result`'s block.
  mlir::FlatSymbolRefAttr reuseFullAsBlock(mlir::Value result,
                                           mlir::Value operand);
  /// A fresh block buffer for result `v` of `op`, recorded as computed.
  mlir::FlatSymbolRefAttr defineBlock(mlir::Value v);
  /// The weight stream feeding `v`, if it has not been read yet and `v` has
  /// one use; the stream is scheduled on the port now.
  wafer::StreamOp takeStream(mlir::Value v);
  /// Reads `count` wavelets of `channel` (default: the inbound multicast)
  /// into nowhere.
  void drain(mlir::Attribute count, mlir::FlatSymbolRefAttr channel = {});
  /// Where a PE reads the rows of a weight stream (takeRowStream): the
  /// channel, and the columns [base, base + length) of every row that reach
  /// the PE (all of them, or its stream band's).
  struct RowStream {
    mlir::FlatSymbolRefAttr channel;
    PerPEExpr base, length;
  };
  /// How the rows of a streamed weight meet a consumer's dimension: each
  /// row runs along it (weight[k, n] of a linear, an embedding table) or is
  /// one index of it (weight[n, k] of a transposed linear).
  enum class RowsMeet { Along, Across };
  /// takeStream for a weight read row by row, each PE keeping the part
  /// that its block of `consumer`'s dimension `dim` meets. When that
  /// dimension is split along the mesh's rows and the kernel has stream
  /// bands, every band's ports stream only what the band's PEs hold (the
  /// columns of every row, or the rows), all bands at once; otherwise the
  /// inbound multicast streams the whole tensor. The RowStream's base and
  /// length count columns (Along) or rows (Across). None if `v` is not a
  /// pending stream.
  std::optional<RowStream> takeRowStream(mlir::Value v,
                                         const TensorLayout &consumer,
                                         int64_t dim,
                                         RowsMeet meet = RowsMeet::Along);
  /// Reads one arriving row of `rows`, keeping the words
  /// [start, start + extent) of the full row in `dst` and draining the
  /// others.
  void receiveRowSegment(const RowStream &rows, mlir::FlatSymbolRefAttr dst,
                         PerPEExpr start, PerPEExpr extent);
  /// Reads `len` wavelets of `channel` (default: the inbound multicast)
  /// into `dst` (a memory descriptor).
  void receive(mlir::Attribute dst, mlir::Attribute len,
               mlir::FlatSymbolRefAttr channel = {});
  /// Offset of the PE's first element of `layout` inside a full tensor with
  /// `fullStrides` (per dimension of layout).
  PerPEExpr fullOffset(const TensorLayout &layout,
                       llvm::ArrayRef<int64_t> fullStrides);
  /// Skips the code up to the returned label on PEs that hold nothing.
  Emitter::Guard guard(const PerPEExpr &holds) { return E.onlyWhere(holds); }
  mlir::InFlightDiagnostic emitError(mlir::Operation *op);

  /// Declares host output `hint` (made unique) and streams `v` out through
  /// the port at this point of the program; errors name `what` at `at`.
  /// Outputs of more than `gatherWords` (default: half of SRAM) leave
  /// block by block where their layout allows (with `gatherWords` given,
  /// one column of blocks at a time where that works). A gradient names
  /// the pe.param it is the gradient of (`gradientOf`).
  mlir::LogicalResult emitOutput(mlir::Value v, llvm::StringRef hint,
                                 mlir::Operation *at, llvm::StringRef what,
                                 std::optional<int64_t> gatherWords = {},
                                 mlir::FlatSymbolRefAttr gradientOf = {});
  /// Declares host output `hint` (made unique) of `type`'s shape in f32,
  /// the gradient of `gradientOf` if given, and returns its name.
  std::string declareOutput(llvm::StringRef hint, mlir::RankedTensorType type,
                            mlir::Location loc,
                            mlir::FlatSymbolRefAttr gradientOf = {});
  /// Constant data the compiler made (a pe.param holding `value`), streamed
  /// in whole to every PE now.
  View streamConstantFull(llvm::StringRef hint, mlir::DenseElementsAttr value);
  mlir::FlatSymbolRefAttr sink();
  /// A fresh buffer of `words` words, zeroed by every PE.
  mlir::FlatSymbolRefAttr zeroedBuffer(llvm::StringRef hint, int64_t words);
  /// Sum (or max) all-reduce of `len` words at `addr` down the columns
  /// and/or along the rows of the kernel rectangle (one subroutine call).
  void callAllReduce(bool columns, bool rows, mlir::Attribute addr,
                     mlir::Attribute len, bool max = false);

  Channels ch;

private:
  mlir::ModuleOp module;
  mlir::func::FuncOp func;
  mesh::RectAttr kernelRect;
  const machine::MachineDescription &machine;
  std::string port;
  mlir::OpBuilder &moduleBuilder; ///< declarations, before the kernel
  mlir::OpBuilder &streamBuilder; ///< the port schedule, at the end
  struct ValueHash {
    size_t operator()(mlir::Value v) const { return mlir::hash_value(v); }
  };
  /// Node-based, so the references layoutOf and the lowerings hold stay
  /// valid when a later lookup adds a tensor (a DenseMap moves its entries
  /// when it grows).
  std::unordered_map<mlir::Value, TensorState, ValueHash> tensors;
  llvm::StringMap<unsigned> tensorNames;
  mlir::FlatSymbolRefAttr sinkBuffer;
  unsigned constantCount = 0;
  /// Position of the op being lowered. A gathered copy is reused only by
  /// ops close after its last reader: keeping it longer holds SRAM on every
  /// PE, while the tensor's blocks still exist to gather it again.
  int64_t opIndex = 0;
  int64_t markIndex = 0;
  /// Inside the layer loop: the register holding the next mark number
  /// (marks count on per iteration, so every layer keeps its own).
  std::optional<unsigned> markReg;
  bool marks = true;
  /// The counter of every chunk loop (forEachChunk).
  std::optional<unsigned> chunkCounter;
  /// Per-layer constants, lowered inside the loop instead of in place.
  llvm::DenseSet<mlir::Operation *> deferredConstants;
  /// Constants are streamed in where first read rather than where defined
  /// (a training step: canonicalization hoists its constants to the top,
  /// and the backward pass reads some only at the end).
  bool lazyConstants = false;
  /// Marks only on ops that emit code (a training step; see lowerOp), and
  /// in a layer loop how far the mark register must advance before the
  /// next mark.
  bool sparseMarks = false;
  int64_t marksSkipped = 0;
  /// Streams in the constants `op` reads that have no data yet.
  mlir::LogicalResult lowerConstantsReadBy(mlir::Operation *op);
  static constexpr int64_t kReuseWindow = 4;

  std::string tensorName(llvm::StringRef hint);
  View streamIntoFull(mlir::FlatSymbolRefAttr tensor,
                      llvm::ArrayRef<int64_t> shape, llvm::StringRef hint);
  /// Whether a tensor entering the wafer in `layout` is kept as blocks
  /// (distributed and larger than an eighth of SRAM) instead of whole on
  /// every PE.
  bool streamsIntoBlock(const TensorLayout &layout) const;
  /// Schedules `tensor` on the port and keeps each PE's block of it.
  mlir::FlatSymbolRefAttr streamIntoBlock(mlir::FlatSymbolRefAttr tensor,
                                          const TensorLayout &layout,
                                          llvm::StringRef hint);
  /// Reads a tensor arriving in row-major order, keeping the PE's block.
  mlir::FlatSymbolRefAttr receiveIntoBlock(const TensorLayout &layout,
                                           llvm::StringRef hint);
  /// Gathers v's blocks: down the columns, along the rows, or both; with
  /// `keepDim`, only the PE's block along that dimension (distributed over
  /// the axis not gathered).
  View gather(mlir::Value v, bool columns, bool rows, int64_t keepDim);
  /// v's column slab gathered down the columns (keeping x dimension `dx`),
  /// reused while it is recent.
  View columnGather(mlir::Value v, int64_t dx);
  /// v's column dimension `dx` read as the consumer's row dimension `cd`:
  /// the column's slab (or, with `chunk`, its chunk) gathered down the
  /// column, then along each row the part in the row's block of `cd`. A
  /// chunk's view is indexed from its start along its dimension.
  View gatherTransposed(mlir::Value v, int64_t dx, const TensorLayout &consumer,
                        int64_t cd, std::optional<Chunk> chunk = std::nullopt);
  /// Whether readView may read v's column dimension `dx` as the consumer's
  /// row dimension `cd` (gatherTransposed).
  bool transposes(mlir::Value v, int64_t dx, const TensorLayout &consumer,
                  int64_t cd);
  void scheduleStream(mlir::FlatSymbolRefAttr tensor);
  mlir::LogicalResult declareParameters();
  mlir::LogicalResult lowerInputs();
  mlir::LogicalResult lowerOutputs(mlir::Operation *ret);
  /// The PE next to the port that outputs leave through.
  PerPEExpr atPort() const;
  /// Streams an output too large to gather (over half of SRAM) out block
  /// by block, if its layout allows; returns whether it did. Each block
  /// costs a rectangle-wide all-reduce, so smaller outputs are gathered.
  /// Streams an output out one column of blocks at a time (gathered down
  /// the columns, then each column's slab along the rows to the port's PE),
  /// if its x-blocks are contiguous runs of the tensor: one all-reduce per
  /// mesh column instead of one per block. Returns whether it did.
  bool streamOutColumns(mlir::Value v, mlir::FlatSymbolRefAttr name);
  /// `gatherWords`: the largest output gathered whole instead.
  bool streamOutBlocks(mlir::Value v, mlir::FlatSymbolRefAttr name,
                       int64_t gatherWords);
  mlir::LogicalResult lowerOp(mlir::Operation *op);
  mlir::LogicalResult lowerStream(wafer::StreamOp op);
  mlir::LogicalResult lowerConstant(wafer::ConstantOp op);
  /// The first layer's code inside a loop over every layer (LayerLoop.h).
  /// With `save`, the (op, result) pairs of the body a later loop reads per
  /// iteration (LayerLoop::Kept): each iteration keeps its value in a slot
  /// of its own.
  mlir::LogicalResult
  lowerLayerLoop(const wafer::LayerLoop &loop,
                 llvm::ArrayRef<std::pair<unsigned, unsigned>> save = {});
  /// Where an earlier loop keeps one value per iteration: `words` per slot.
  struct KeptSlots {
    mlir::FlatSymbolRefAttr buffer;
    int64_t words;
  };
  llvm::DenseMap<std::pair<unsigned, unsigned>, KeptSlots> keptSlots;
  /// The name the last emitOutput declared.
  std::string lastOutput;
  /// Operand `operand` of body op `op` is a constant of each layer: one
  /// pe.param per layer, streamed where the first layer reads it. Records
  /// in `renames[i]` the param layer i streams instead of the first's.
  mlir::LogicalResult lowerLayerConstant(
      const wafer::LayerLoop &loop, unsigned op, unsigned operand,
      llvm::MutableArrayRef<llvm::StringMap<std::string>> renames);
  void emitAllReduce(bool columns, mlir::Attribute addr, mlir::Attribute len,
                     bool max);
};

/// The element type a program declares for `t`, or null if it has none.
mlir::Type peElementType(mlir::Type t);

// Op lowerings (ComputeLowering.cpp, MatmulLowering.cpp, MoveLowering.cpp).
mlir::LogicalResult lowerElementwise(Lowering &L, wafer::ElementwiseOp op);
mlir::LogicalResult lowerLinear(Lowering &L, wafer::LinearOp op);
mlir::LogicalResult lowerMatmul(Lowering &L, wafer::MatmulOp op);
mlir::LogicalResult lowerEmbedding(Lowering &L, wafer::EmbeddingOp op);
mlir::LogicalResult lowerNorm(Lowering &L, mlir::Operation *op);
mlir::LogicalResult lowerSoftmax(Lowering &L, wafer::SoftmaxOp op);
mlir::LogicalResult lowerReduce(Lowering &L, wafer::ReduceOp op);
// The training step's own ops (TrainingLowering.cpp).
mlir::LogicalResult lowerCheckpoint(Lowering &L, wafer::CheckpointOp op);
mlir::LogicalResult lowerLoss(Lowering &L, wafer::LossOp op);
mlir::LogicalResult lowerGradientOut(Lowering &L, wafer::StreamOutOp op);
mlir::LogicalResult lowerMove(Lowering &L, mlir::Operation *op);
/// A relayout's blocks, copied from its input (MoveLowering.cpp).
mlir::LogicalResult lowerRelayout(Lowering &L, wafer::RelayoutOp op);
/// `res` holds `in`'s elements in its own layout: shared when the blocks
/// coincide, else copied (MoveLowering.cpp).
mlir::LogicalResult lowerCopy(Lowering &L, mlir::Value res, mlir::Value in);
/// Whether `op` feeds only a product that reads its input range by range
/// (MatmulLowering.cpp): it is then not made.
bool readsRelayoutInRanges(Lowering &L, wafer::RelayoutOp op);

} // namespace wse::pe::lowering

#endif
