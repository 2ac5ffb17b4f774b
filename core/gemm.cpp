// C (+)= op(A) @ op(B): the matrix multiply under every layer of glimpse.
//
// A textbook triple loop runs at a few GFLOP/s; this file keeps up with OpenBLAS on the same
// machine (bench/bench_gemm measures both). The speed comes from four ideas, each a few lines
// below. The structure is BLIS's (Goto & van de Geijn, "Anatomy of High-Performance Matrix
// Multiplication", 2008; Van Zee & van de Geijn, "BLIS: A Framework for Rapidly Instantiating
// BLAS Functionality", 2015).
//
// 1. A register tile. The micro-kernel keeps an MR x NR tile of C in vector registers. At each
//    step p of the inner dimension it loads NR values of B (two registers), broadcasts MR values
//    of A one by one and does MR x NR multiply-adds: 24 vector FMAs for 2 vector loads, so the
//    CPU computes instead of waiting for memory.
// 2. Packing. The micro-kernel wants A as slivers of MR rows and B as slivers of NR columns,
//    each laid out step after step. Copying a block into that order once ("packing") costs
//    O(n^2) and lets the O(n^3) loop read memory strictly in order. Packing also absorbs the
//    transposes and the ragged edges (padded with zeros), so the micro-kernel has one case only.
// 3. Cache blocks. The loops are cut so that what is reused stays in a cache close to the core:
//      jc: columns of C, step NC
//        pc: the inner dimension k, step KC  -> pack op(B)[pc:+KC, jc:+NC]
//          ic: rows of C, step MC            -> pack op(A)[ic:+MC, pc:+KC]   (stays in L2)
//            jr: step NR                     -> one B sliver, KC x NR         (stays in L2)
//              ir: step MR                   -> micro-kernel on an MR x NR tile of C, reading
//                                               one A sliver, MR x KC         (fits in L1)
// 4. Both cores. A large product is cut into one stripe of C per core; stripes are independent.
//
// A B met by many products (a recurrent cell's weight, at every step of a sequence) can be packed
// once beforehand, into a PackedMatrix, and its panels read from there (b_panel below).
//
// Products where that machinery cannot pay take shorter paths: a single row or column of C is
// a matrix-vector product (each element of the matrix is used once: nothing to pack), a tiny
// product (up to 6 x 6) is a few dot products, and a medium one (an RNN step, [64 x 64] @
// [64 x 256]) stays on one core.
//
// Every loop is plain C++ that GCC vectorises for AVX-512 under -march=native. The Makefile
// compiles this file with -O3: at -O2, GCC leaves scalar the loops whose length or stride is
// only known at run time (packing, matrix-vector products).

#include "core/gemm.hpp"

#include <omp.h>

#include <algorithm>
#include <memory>
#include <new>

namespace glimpse::kernels {
namespace {

// Sizes for AMD Zen 5: 32 vector registers of 64 bytes (AVX-512), per core L1d 48 KiB, L2 1 MiB.

// The register tile: NR columns fill two vector registers (32 floats or 16 doubles) and MR rows
// give 12 x 2 = 24 accumulators, leaving registers for the two B vectors and one broadcast A.
constexpr int64_t MR = 12;
template <typename T>
constexpr int64_t NR = 128 / sizeof(T);

// KC, the length of the micro-kernel's loop. Long, to spread the cost of loading and storing
// the C tile around it; one A sliver (MR x KC: 24 KiB in float) still fits L1. 256, 384, 512,
// 768 and 1024 were measured: 512 was the fastest.
constexpr int64_t KC = 512;
// MC: one A block (MC x KC: 192 KiB in float) stays in L2 with the B sliver (64 KiB) that the
// micro-kernel walks along it; 4 to 32 times MR were measured, 8 was among the fastest. A
// multiple of MR, so only the last block of rows has a ragged edge.
constexpr int64_t MC = 8 * MR;
// Up to this many columns of C (8 B slivers), and rows of A at most this many bytes apart, a
// row-major A is read in place rather than packed (see multiply_blocked).
template <typename T>
constexpr int64_t kInPlaceMaxColumns = 8 * NR<T>;
constexpr int64_t kInPlaceMaxRowBytes = 2048;
// NC: one B panel (KC x NC: 8 MiB in float) can only live in L3, which is large. Wide, so that
// A is packed again as rarely as possible.
constexpr int64_t NC = 4096;

// Up to this many multiply-adds (a 6 x 6 product), packing costs more than it saves (measured).
constexpr double kDirectMaxWork = 6 * 6 * 6;
// From this many multiply-adds on, two cores pay for the time it takes to share out the work.
constexpr double kParallelMinWork = 128 * 128 * 128;

int64_t ceil_div(int64_t x, int64_t y) {
    return (x + y - 1) / y;
}
int64_t round_up(int64_t x, int64_t multiple) {
    return ceil_div(x, multiple) * multiple;
}

// A read-only vector seen through a stride: a row or a column of a matrix.
template <typename T>
struct Vector {
    const T* data;
    int64_t stride;

    T operator[](int64_t i) const { return data[i * stride]; }
};

// A read-only matrix seen through strides: transposing it is swapping the strides.
template <typename T>
struct Matrix {
    const T* data;
    int64_t row_stride;
    int64_t col_stride;

    const T& operator()(int64_t row, int64_t col) const {
        return data[row * row_stride + col * col_stride];
    }
    Matrix block(int64_t row, int64_t col) const {
        return {data + row * row_stride + col * col_stride, row_stride, col_stride};
    }
    Matrix transposed() const { return {data, col_stride, row_stride}; }
    Vector<T> row(int64_t i) const { return {data + i * row_stride, col_stride}; }
    Vector<T> column(int64_t j) const { return {data + j * col_stride, row_stride}; }
};

// A PackedMatrix seen from one of its columns on: what a stripe of C's columns multiplies with.
template <typename T>
struct PackedColumns {
    const PackedMatrix<T>* packed;
    int64_t first_column;

    // As Matrix::block; a packed B is only ever cut by columns (the row is always 0).
    PackedColumns block(int64_t, int64_t col) const { return {packed, first_column + col}; }
};

// The whole problem: C[m, n] (+)= A[m, k] @ B[k, n], transposes already folded into A and B.
// B is a Matrix, or PackedColumns for a B packed beforehand.
template <typename T, typename B = Matrix<T>>
struct Product {
    Matrix<T> a;
    B b;
    T* c;
    int64_t ldc;
    int64_t m, n, k;
    bool accumulate;

    // The same product restricted to rows [begin, end) of C: an independent, smaller product.
    Product rows(int64_t begin, int64_t end) const {
        return {a.block(begin, 0), b, c + begin * ldc, ldc, end - begin, n, k, accumulate};
    }
    // The same product restricted to columns [begin, end) of C.
    Product columns(int64_t begin, int64_t end) const {
        return {a, b.block(0, begin), c + begin, ldc, m, end - begin, k, accumulate};
    }
};

// ---- Shortcuts: products too small or too thin for packing -----------------------------------

// The sum of x[p] * y[p]. Long vectors are summed in kLanes partial sums, which GCC holds in one
// vector register: a single running sum could not be vectorised, because adding floats in
// another order changes the result, so the compiler may not reorder the additions by itself.
template <typename T>
T dot(Vector<T> x, Vector<T> y, int64_t length) {
    constexpr int64_t kLanes = 64 / sizeof(T);
    T sum = 0;
    int64_t p = 0;
    if (length >= kLanes) {
        T partial[kLanes] = {};
        for (; p + kLanes <= length; p += kLanes) {
            for (int64_t lane = 0; lane < kLanes; ++lane) {
                partial[lane] += x[p + lane] * y[p + lane];
            }
        }
        for (const T value : partial) sum += value;
    }
    for (; p < length; ++p) sum += x[p] * y[p];
    return sum;
}

// For tiny products: each element of C is a dot product of a row of A and a column of B.
template <typename T>
void multiply_directly(const Product<T>& p) {
    for (int64_t i = 0; i < p.m; ++i) {
        T* c_row = p.c + i * p.ldc;
        for (int64_t j = 0; j < p.n; ++j) {
            const T sum = dot(p.a.row(i), p.b.column(j), p.k);
            c_row[j] = p.accumulate ? c_row[j] + sum : sum;
        }
    }
}

// y (+)= M x, with M [rows x depth]: a product with a single column of C (a single row is the
// same product, transposed). Each element of M is used once, so what counts is to read M in
// memory order: along its rows if they are contiguous, else along its columns.
template <typename T>
void multiply_matrix_vector(Matrix<T> m, Vector<T> x, T* y, int64_t y_stride, int64_t rows,
                            int64_t depth, bool accumulate) {
    if (m.col_stride == 1) {
        for (int64_t i = 0; i < rows; ++i) {
            const T sum = dot(m.row(i), x, depth);
            y[i * y_stride] = accumulate ? y[i * y_stride] + sum : sum;
        }
    } else {
        if (!accumulate) {
            for (int64_t i = 0; i < rows; ++i) y[i * y_stride] = 0;
        }
        // M's rows are not contiguous, so its columns are (one of the strides is always 1).
        for (int64_t p = 0; p < depth; ++p) {
            const T x_p = x[p];
            const T* column = &m(0, p);
            for (int64_t i = 0; i < rows; ++i) y[i * y_stride] += x_p * column[i];
        }
    }
}

// ---- The packed, blocked product ------------------------------------------------------------

// Packed blocks are aligned to 64 bytes: one cache line, one vector register.
constexpr std::align_val_t kAlignment{64};

// A per-thread buffer for packed blocks that only grows, so that repeated calls never allocate.
template <typename T>
class Scratch {
  public:
    T* reserve(int64_t count) {
        if (count > capacity_) {
            data_.reset(static_cast<T*>(::operator new(count * sizeof(T), kAlignment)));
            capacity_ = count;
        }
        return data_.get();
    }

  private:
    struct AlignedDelete {
        void operator()(T* p) const { ::operator delete(p, kAlignment); }
    };
    std::unique_ptr<T, AlignedDelete> data_;
    int64_t capacity_ = 0;
};

// Packs `lines` x `depth` of `source` as slivers of W lines: each sliver stores, step after step
// p, the W values source(line, p) of its lines. An A block is packed as it is (W = MR, a line is
// a row of A); a B panel is packed as B^T (W = NR, a line is a column of B). Lines past the end
// are zeros: the micro-kernel computes them along with the others, and they are never stored.
//
// Which order reads memory in order depends on the layout. When the W values of one step are
// neighbours in memory (a row-major B, a column-major A) they are copied step after step. When
// each line is contiguous instead (a B read transposed: a weight W [out, in] multiplied as x W^T)
// reading step after step would gather W values far apart at every step; so each line is read
// along its length and scattered into its column of the sliver, a chunk of steps at a time so
// that the part of the sliver being written stays in L1.
template <int64_t W, typename T>
void pack_slivers(Matrix<T> source, int64_t lines, int64_t depth, T* packed) {
    constexpr int64_t kChunk = 64;  // steps per chunk: 64 x W values, 8 KiB for a float B
    const bool lines_contiguous = source.col_stride == 1 && source.row_stride != 1;
    for (int64_t first = 0; first < lines; first += W, packed += depth * W) {
        const int64_t valid = std::min(W, lines - first);
        // A ragged sliver is zeroed whole first, in one pass: zeroing its few padding values
        // step by step was a short memset per step, whose start-up cost more than the copy.
        if (valid < W) std::fill_n(packed, depth * W, T(0));
        if (!lines_contiguous) {
            for (int64_t p = 0; p < depth; ++p) {
                T* step = packed + p * W;
                for (int64_t i = 0; i < valid; ++i) step[i] = source(first + i, p);
            }
            continue;
        }
        for (int64_t start = 0; start < depth; start += kChunk) {
            const int64_t end = std::min(depth, start + kChunk);
            for (int64_t i = 0; i < valid; ++i) {
                const T* line = &source(first + i, 0);
                for (int64_t p = start; p < end; ++p) packed[p * W + i] = line[p];
            }
        }
    }
}

// Where the micro-kernel reads A: a packed sliver (value (i, p) at p * MR + i), or, when A's rows
// are contiguous, A itself (value (i, p) at i * lda + p; see multiply_packed for why).
template <typename T>
struct ASliver {
    const T* data;
    int64_t row_stride;
    int64_t step_stride;

    static ASliver packed(const T* sliver) { return {sliver, 1, MR}; }
    static ASliver in_place(const T* rows, int64_t lda) { return {rows, lda, 1}; }
};

// The micro-kernel: a Rows x NR tile of C (+)= A sliver (kc x Rows) @ B sliver (kc x NR), B
// packed; Rows is MR but on the ragged last rows of C (see edge_kernel). The tile is a plain
// local array; with the row loops unrolled, GCC keeps all of it in registers and turns each row
// update into two vector FMAs (see it with g++ -S: the loop body is vbroadcastss and
// vfmadd231ps on zmm registers, with no memory access but the loads of A and B). Every loop
// bound is a constant, so nothing is left for the CPU to count or check.
template <int64_t Rows, typename T>
void micro_kernel(int64_t kc, ASliver<T> a, const T* b, T* c, int64_t ldc, bool accumulate) {
    static_assert(Rows <= MR, "a sliver holds MR rows");
    T tile[Rows][NR<T>];
#pragma GCC unroll MR
    for (int64_t i = 0; i < Rows; ++i) {
        for (int64_t j = 0; j < NR<T>; ++j) tile[i][j] = 0;
    }
    const T* a_step = a.data;
    for (int64_t p = 0; p < kc; ++p, a_step += a.step_stride, b += NR<T>) {
#pragma GCC unroll MR
        for (int64_t i = 0; i < Rows; ++i) {
            const T a_ip = a_step[i * a.row_stride];
            for (int64_t j = 0; j < NR<T>; ++j) tile[i][j] += a_ip * b[j];
        }
    }
    if (accumulate) {
#pragma GCC unroll MR
        for (int64_t i = 0; i < Rows; ++i) {
            for (int64_t j = 0; j < NR<T>; ++j) c[i * ldc + j] += tile[i][j];
        }
    } else {
#pragma GCC unroll MR
        for (int64_t i = 0; i < Rows; ++i) {
            for (int64_t j = 0; j < NR<T>; ++j) c[i * ldc + j] = tile[i][j];
        }
    }
}

// A tile on the ragged edge of C, with only rows x cols of it inside C: a micro-kernel computes
// the tile's first Rows rows into a local buffer, and only the part inside C is written.
template <int64_t Rows, typename T>
void edge_kernel(int64_t kc, ASliver<T> a, const T* b, T* c, int64_t ldc, int64_t rows,
                 int64_t cols, bool accumulate) {
    T tile[Rows * NR<T>];
    micro_kernel<Rows>(kc, a, b, tile, NR<T>, false);
    for (int64_t i = 0; i < rows; ++i) {
        T* c_row = c + i * ldc;
        const T* tile_row = tile + i * NR<T>;
        for (int64_t j = 0; j < cols; ++j) {
            c_row[j] = accumulate ? c_row[j] + tile_row[j] : tile_row[j];
        }
    }
}

// A ragged edge of 1 to 4 or 5 to 8 rows is computed by a kernel of 4 or 8 rows, not MR: a batch
// of 64 is five tiles and 4 rows, and a whole 12-row tile there would be two thirds padding.
// Fewer rows keep fewer FMAs in flight, but 8 accumulators (4 rows x 2 registers) still cover
// the FMA's latency on two ports.
template <typename T>
void ragged_kernel(int64_t kc, ASliver<T> a, const T* b, T* c, int64_t ldc, int64_t rows,
                   int64_t cols, bool accumulate) {
    if (rows <= 4) {
        edge_kernel<4>(kc, a, b, c, ldc, rows, cols, accumulate);
    } else if (rows <= 8) {
        edge_kernel<8>(kc, a, b, c, ldc, rows, cols, accumulate);
    } else {
        edge_kernel<MR>(kc, a, b, c, ldc, rows, cols, accumulate);
    }
}

// C[mc, nc] (+)= A block [mc x kc] @ packed B panel [kc x nc], one tile at a time. The B sliver
// is the outer loop: it is reused by every A sliver of the block. `a` is the block's first
// sliver; the next one starts MR rows further: MR * kc values on in a packed block, MR rows of A
// on in place. Only a packed block may have a ragged last sliver (its padding rows are zeros).
template <typename T>
void multiply_packed(ASliver<T> a, const T* b_panel, int64_t mc, int64_t nc, int64_t kc, T* c,
                     int64_t ldc, bool accumulate) {
    const int64_t sliver_distance = a.step_stride == 1 ? MR * a.row_stride : MR * kc;
    for (int64_t jr = 0; jr < nc; jr += NR<T>) {
        const T* b_sliver = b_panel + jr * kc;
        ASliver<T> a_sliver = a;
        for (int64_t ir = 0; ir < mc; ir += MR, a_sliver.data += sliver_distance) {
            T* c_tile = c + ir * ldc + jr;
            const int64_t rows = std::min(MR, mc - ir);
            const int64_t cols = std::min(NR<T>, nc - jr);
            if (rows == MR && cols == NR<T>) {
                micro_kernel<MR>(kc, a_sliver, b_sliver, c_tile, ldc, accumulate);
            } else {
                ragged_kernel(kc, a_sliver, b_sliver, c_tile, ldc, rows, cols, accumulate);
            }
        }
    }
}

// The panel B[pc:+kc, jc:+nc] as the micro-kernel reads it: packed now into a per-thread
// buffer that only grows...
template <typename T>
const T* b_panel(Matrix<T> b, int64_t jc, int64_t pc, int64_t nc, int64_t kc) {
    thread_local Scratch<T> buffer;
    T* panel = buffer.reserve(KC * round_up(nc, NR<T>));
    pack_slivers<NR<T>>(b.block(pc, jc).transposed(), nc, kc, panel);
    return panel;
}

// ... or where it was packed beforehand.
template <typename T>
const T* b_panel(PackedColumns<T> b, int64_t jc, int64_t pc, int64_t, int64_t) {
    return b.packed->panel(pc, b.first_column + jc);
}

// The cache-blocked product on the calling thread (the loop nest of the header comment).
//
// An A whose rows are contiguous (the usual x @ W^T, with x [B, in]) is not packed when C is
// narrow: packing it would be a transpose (MR rows read along, written across), a scalar copy of
// every element that cost as much as the multiply-adds themselves in the small products of an
// RNN step ([64 x 64] @ [64 x 256]). Read in place, each of the MR rows of a sliver is a
// sequential stream, which the caches serve about as well as a packed sliver while few B slivers
// reuse it; a wide C reuses it often, and there the packed, contiguous copy pays. Rows more
// than kInPlaceMaxRowBytes (2 KiB) apart would fall in the same few sets of L1 and evict one
// another, so long rows are packed too. Only the MR-ragged last rows are packed, so that the
// micro-kernel never reads past A.
//
// B's panels come from b_panel: packed in each call, or once beforehand (PackedMatrix).
template <typename T, typename B>
void multiply_blocked(const Product<T, B>& p) {
    thread_local Scratch<T> a_buffer;
    T* a_block = a_buffer.reserve(MC * KC);
    const bool a_in_place = p.a.col_stride == 1 && p.n <= kInPlaceMaxColumns<T> &&
                            p.a.row_stride * static_cast<int64_t>(sizeof(T)) <= kInPlaceMaxRowBytes;

    for (int64_t jc = 0; jc < p.n; jc += NC) {
        const int64_t nc = std::min(NC, p.n - jc);
        for (int64_t pc = 0; pc < p.k; pc += KC) {
            const int64_t kc = std::min(KC, p.k - pc);
            const T* panel = b_panel(p.b, jc, pc, nc, kc);
            // Only the first slice of k may overwrite C; the later ones add to it.
            const bool accumulate = p.accumulate || pc > 0;
            for (int64_t ic = 0; ic < p.m; ic += MC) {
                const int64_t mc = std::min(MC, p.m - ic);
                const int64_t whole = a_in_place ? mc / MR * MR : 0;  // rows read in place
                T* c_block = p.c + ic * p.ldc + jc;
                if (whole > 0) {
                    const ASliver<T> a = ASliver<T>::in_place(&p.a(ic, pc), p.a.row_stride);
                    multiply_packed(a, panel, whole, nc, kc, c_block, p.ldc, accumulate);
                }
                if (whole < mc) {
                    pack_slivers<MR>(p.a.block(ic + whole, pc), mc - whole, kc, a_block);
                    multiply_packed(ASliver<T>::packed(a_block), panel, mc - whole, nc, kc,
                                    c_block + whole * p.ldc, p.ldc, accumulate);
                }
            }
        }
    }
}

// Cuts C into one stripe per core, across its longer side, and multiplies the stripes in
// parallel. Stripe widths are multiples of the tile, so that no tile is split between cores.
template <typename T, typename B>
void multiply_on_all_cores(const Product<T, B>& p) {
    const int threads = omp_get_max_threads();
    const bool by_rows = p.m >= p.n;
    const int64_t length = by_rows ? p.m : p.n;
    const int64_t stripe = round_up(ceil_div(length, threads), by_rows ? MR : NR<T>);
#pragma omp parallel for num_threads(threads)
    for (int t = 0; t < threads; ++t) {
        const int64_t begin = std::min(length, t * stripe);
        const int64_t end = std::min(length, begin + stripe);
        if (begin < end) multiply_blocked(by_rows ? p.rows(begin, end) : p.columns(begin, end));
    }
}

}  // namespace

template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const T* a, int64_t lda,
          const T* b, int64_t ldb, T* c, int64_t ldc, bool accumulate) {
    if (m == 0 || n == 0) return;
    const Matrix<T> stored_a{a, lda, 1};
    const Matrix<T> stored_b{b, ldb, 1};
    const Product<T> p{trans_a ? stored_a.transposed() : stored_a,
                       trans_b ? stored_b.transposed() : stored_b,
                       c,
                       ldc,
                       m,
                       n,
                       k,
                       accumulate};
    // k == 0 leaves C = 0 (or as it was, when accumulating), through the shortcuts.
    const double work = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
    if (n == 1) {
        multiply_matrix_vector(p.a, p.b.column(0), p.c, p.ldc, m, k, accumulate);
    } else if (m == 1) {
        multiply_matrix_vector(p.b.transposed(), p.a.row(0), p.c, 1, n, k, accumulate);
    } else if (work <= kDirectMaxWork) {
        multiply_directly(p);
    } else if (work < kParallelMinWork) {
        multiply_blocked(p);
    } else {
        multiply_on_all_cores(p);
    }
}

template <typename T>
PackedMatrix<T>::PackedMatrix(bool trans_b, int64_t k, int64_t n, const T* b, int64_t ldb)
    : k_(k), n_(n), padded_n_(round_up(n, NR<T>)) {
    data_.reset(static_cast<T*>(::operator new(sizeof(T) * k * padded_n_, kAlignment)));
    const Matrix<T> stored{b, ldb, 1};
    const Matrix<T> op_b = trans_b ? stored.transposed() : stored;
    // Block after block of k, each as multiply_blocked packs one panel: slivers of NR columns,
    // kc x NR each, so block pc starts pc * padded_n_ values in.
    for (int64_t pc = 0; pc < k; pc += KC) {
        pack_slivers<NR<T>>(op_b.block(pc, 0).transposed(), n, std::min(KC, k - pc),
                            data_.get() + pc * padded_n_);
    }
}

template <typename T>
const T* PackedMatrix<T>::panel(int64_t pc, int64_t column) const {
    return data_.get() + pc * padded_n_ + column * std::min(KC, k_ - pc);
}

template <typename T>
void PackedMatrix<T>::AlignedDelete::operator()(T* p) const {
    ::operator delete(p, kAlignment);
}

template <typename T>
void gemm(bool trans_a, int64_t m, const T* a, int64_t lda, const PackedMatrix<T>& b, T* c,
          int64_t ldc, bool accumulate) {
    const int64_t n = b.cols(), k = b.rows();
    if (m == 0 || n == 0) return;
    if (k == 0) {  // no product to add: C = 0, or as it was
        if (!accumulate) {
            for (int64_t i = 0; i < m; ++i) std::fill_n(c + i * ldc, n, T(0));
        }
        return;
    }
    const Matrix<T> stored_a{a, lda, 1};
    const Product<T, PackedColumns<T>> p{
        trans_a ? stored_a.transposed() : stored_a, {&b, 0}, c, ldc, m, n, k, accumulate};
    const double work = static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
    if (work < kParallelMinWork) {
        multiply_blocked(p);
    } else {
        multiply_on_all_cores(p);
    }
}

template class PackedMatrix<float>;
template class PackedMatrix<double>;
template void gemm<float>(bool, int64_t, const float*, int64_t, const PackedMatrix<float>&, float*,
                          int64_t, bool);
template void gemm<double>(bool, int64_t, const double*, int64_t, const PackedMatrix<double>&,
                           double*, int64_t, bool);
template void gemm<float>(bool, bool, int64_t, int64_t, int64_t, const float*, int64_t,
                          const float*, int64_t, float*, int64_t, bool);
template void gemm<double>(bool, bool, int64_t, int64_t, int64_t, const double*, int64_t,
                           const double*, int64_t, double*, int64_t, bool);

}  // namespace glimpse::kernels
