/* st-vector.h: batch-sized vector loops that vectorize and stay deterministic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sums run in eight interleaved lanes combined in a fixed order, so the
 * compiler can use vector instructions and every machine, thread count
 * and layout still gets the same bits.  The functions are inline so that
 * each target-specific clone of a kernel (ST_VECTORIZED) gets its own
 * copy built for that target.
 */

#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Eight doubles: GCC lowers them to whatever vector width the target
 * has, always with the same lane arithmetic. */
typedef double StLanes __attribute__ ((vector_size (8 * sizeof (double))));

#define ST_LANES 8

/* Unaligned loads and stores, as macros: passing a 64-byte vector by
 * value would depend on whether AVX-512 is enabled, and GCC warns about
 * that ABI difference. */
#define ST_LOAD_LANES(target, pointer) memcpy (&(target), (pointer), sizeof (StLanes))
#define ST_STORE_LANES(pointer, value) memcpy ((pointer), &(value), sizeof (StLanes))

/* Four doubles, one AVX register.  Without AVX-512, GCC keeps an StLanes
 * that a loop sums into on the stack.  The kernels' narrow forms
 * therefore hold a group's eight lanes in two quads, lanes 0 to 3 and 4
 * to 7, with the same arithmetic in every lane. */
typedef double StQuad __attribute__ ((vector_size (4 * sizeof (double))));

#define ST_LOAD_QUAD(target, pointer) memcpy (&(target), (pointer), sizeof (StQuad))
#define ST_STORE_QUAD(pointer, value) memcpy ((pointer), &(value), sizeof (StQuad))

/* Kernel functions marked with this get one clone per x86-64 level,
 * chosen at load time, so a distribution build still uses AVX2 or
 * AVX-512 where the machine has them.  Without FMA contraction
 * (-ffp-contract=off) the clones compute the same bits.  ThreadSanitizer
 * builds get one version: the clones' resolvers run while the program is
 * being loaded, before the sanitizer's runtime, and crash there. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    !defined(__SANITIZE_THREAD__) && !defined(ST_NO_TARGET_CLONES)
#define ST_VECTORIZED __attribute__ ((target_clones ("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#define ST_HAS_TARGET_CLONES 1
#else
#define ST_VECTORIZED
#endif

/* Whether the kernels take their narrow forms, which sum in quads, for
 * a processor with AVX2 and without AVX-512.  There an StLanes takes two
 * of the 16 AVX registers, and GCC keeps the wide forms' sums on the
 * stack: s1's step took 4 times as long as with AVX-512 on the same
 * core.  The loader picks the x86-64-v3 clone exactly on such
 * processors, so the processor's features identify the running clone.
 * The choice changes the speed only, never a result.
 *
 * TODO: the x86-64 baseline clone keeps the wide forms.  With SSE2, GCC
 * keeps their sums on the stack too (74 to 190 cycles a term in a test
 * program), so that clone needs vectors of 2 doubles.  Other
 * architectures keep the wide forms as well, not measured. */
#if defined(__AVX512F__)
#define ST_USE_QUADS() FALSE
#elif defined(__AVX2__)
#define ST_USE_QUADS() TRUE
#elif defined(ST_HAS_TARGET_CLONES)
#define ST_USE_QUADS() \
  (__builtin_cpu_supports ("x86-64-v3") && !__builtin_cpu_supports ("x86-64-v4"))
#else
#define ST_USE_QUADS() FALSE
#endif

/* The helpers must be inlined into each clone: a call would run the
 * baseline version, and GCC declines to inline the larger ones on its
 * own. */
#define ST_VECTOR_INLINE static inline __attribute__ ((always_inline))

ST_VECTOR_INLINE double
st_lanes_total (StLanes sum)
{
  return ((sum[0] + sum[1]) + (sum[2] + sum[3])) + ((sum[4] + sum[5]) + (sum[6] + sum[7]));
}

/* Returns: st_vector_sum() of a batch of 8 @groups values held in
 * registers, with the same bits. */
ST_VECTOR_INLINE double
st_lanes_sum (const StLanes *lanes,
              guint          groups)
{
  StLanes sum = { 0 };

#pragma GCC unroll 8
  for (guint g = 0; g < groups; g++)
    sum += lanes[g];

  return st_lanes_total (sum);
}

/* Returns: sum over b of a[b] c[b]: eight lane sums over the full blocks,
 * combined pairwise, then the tail in order.  Each lane sum starts from
 * its first product, not from zero: adding a product to zero would cost
 * one vector addition per term of every gradient kernel, for nothing but
 * the sign of a zero sum. */
ST_VECTOR_INLINE double
st_vector_dot (const double *a,
               const double *c,
               guint         n)
{
  StLanes sum = { 0 };
  double total;
  guint b = 0;

  for (; b + ST_LANES <= n; b += ST_LANES)
    {
      StLanes x;
      StLanes y;

      ST_LOAD_LANES (x, a + b);
      ST_LOAD_LANES (y, c + b);
      if (b == 0)
        sum = x * y;
      else
        sum += x * y;
    }

  total = st_lanes_total (sum);
  for (; b < n; b++)
    total += a[b] * c[b];

  return total;
}

/* Returns: sum over b of a[b], in the same lane order as st_vector_dot(). */
ST_VECTOR_INLINE double
st_vector_sum (const double *a,
               guint         n)
{
  StLanes sum = { 0 };
  double total;
  guint b = 0;

  for (; b + ST_LANES <= n; b += ST_LANES)
    {
      StLanes x;

      ST_LOAD_LANES (x, a + b);
      sum += x;
    }

  total = st_lanes_total (sum);
  for (; b < n; b++)
    total += a[b];

  return total;
}

/* y[0..n) += w x[0..n); element-wise, so the lanes change no result. */
ST_VECTOR_INLINE void
st_vector_axpy (double       *y,
                double        w,
                const double *x,
                guint         n)
{
  StLanes scale = { w, w, w, w, w, w, w, w };
  guint b = 0;

  for (; b + ST_LANES <= n; b += ST_LANES)
    {
      StLanes accumulated;
      StLanes added;

      ST_LOAD_LANES (accumulated, y + b);
      ST_LOAD_LANES (added, x + b);
      accumulated += scale * added;
      ST_STORE_LANES (y + b, accumulated);
    }
  for (; b < n; b++)
    y[b] += w * x[b];
}

/* How many terms ahead the separate passes ask for source rows within a
 * row: far enough for a row from the shared cache to arrive in time,
 * near enough to stay in the first-level cache until it is used.  At
 * batch 64 a term takes 8 cache lines.  Measured in the fused step, which
 * now requests its inputs between rows instead: 3 terms ahead beat 4, 8
 * and 16. */
#define ST_PREFETCH_DISTANCE 3

/* Request the @groups cache lines from column @b0 of the source rows of
 * the two terms a loop step takes, ST_PREFETCH_DISTANCE terms ahead.
 * Terms before @from were requested already, by the caller. */
#define ST_PREFETCH_TILE(source, indices, e, end, from, batch, b0, groups)             \
  G_STMT_START {                                                                       \
    const int ahead_ = (e) + ST_PREFETCH_DISTANCE;                                     \
    if (ahead_ + 1 < (end) && ahead_ + 1 >= (from))                                    \
      {                                                                                \
        const double *p0_ = (source) + (gsize) (indices)[ahead_] * (batch) + (b0);     \
        const double *p1_ = (source) + (gsize) (indices)[ahead_ + 1] * (batch) + (b0); \
        _Pragma ("GCC unroll 8")                                                       \
        for (guint g_ = 0; g_ < (groups); g_++)                                        \
          {                                                                            \
            __builtin_prefetch (p0_ + g_ * ST_LANES);                                  \
            __builtin_prefetch (p1_ + g_ * ST_LANES);                                  \
          }                                                                            \
      }                                                                                \
    else if (ahead_ < (end) && ahead_ >= (from))                                       \
      {                                                                                \
        const double *p0_ = (source) + (gsize) (indices)[ahead_] * (batch) + (b0);     \
        _Pragma ("GCC unroll 8")                                                       \
        for (guint g_ = 0; g_ < (groups); g_++)                                        \
          __builtin_prefetch (p0_ + g_ * ST_LANES);                                    \
      }                                                                                \
  } G_STMT_END

/* The most cache lines of source rows that the fused step requests after
 * a row's forward sum: about as many misses as one core keeps in flight
 * (an estimate, found by measuring 16, 24, 32 and 48 lines). */
#define ST_ROW_PREFETCH_LINES 32

/* How far those requests may run past the current row's end, in cache
 * lines.  Short rows (6.5 terms on s4) then have their inputs requested
 * several rows before their sums: 256 lines took 0.91 of the time of 32
 * on s4, and 128 or 512 about the same as 256.  Long rows are unchanged,
 * because each burst ends inside the next row. */
#define ST_ROW_PREFETCH_AHEAD 256

/* Request the first cache lines of a row of @batch doubles, at most
 * @max_lines of 64 bytes. */
ST_VECTOR_INLINE void
st_vector_prefetch_row (const double *row,
                        guint         batch,
                        guint         max_lines)
{
  guint lines = MIN ((batch + 7) / 8, max_lines);

  for (guint k = 0; k < lines; k++)
    __builtin_prefetch (row + 8 * k);
}

/* How many terms' input rows the gradient requests before each group
 * of eight terms, when its caller gives it terms to request (see
 * st_vector_dot_terms_groups()).  On host B, s3 took 0.95 of its time
 * with 2, in 21 alternating rounds.  A first try measured 0.92 and 0.94
 * with 2, 0.97 with 1, 0.93 with 3 or 4 and 0.97 with 8.  The narrow
 * form requests half as many before each group of four terms, the same
 * rate: with AVX2 on host C, s3 took 0.95 of its time with that rate in
 * two runs of 7 alternating rounds, and 0.91 and 0.97 with twice it. */
#define ST_GRADIENT_REQUESTS 2

/* The largest number of lane groups a kernel keeps in registers at
 * once: eight, a whole row of 64 samples.  Two sums of eight take 16 of
 * AVX-512's 32 vector registers. */
#define ST_MAX_GROUPS 8

/* The lane groups of a tile in the narrow forms.  The even and odd sums
 * of two groups take 8 of AVX2's 16 registers, which leaves room for
 * the weights and the loads.  In a test program with AVX2, over s1's
 * rows and inputs in L1, two groups took 8.7 cycles a term and one
 * group 12.1. */
#define ST_NARROW_GROUPS 2

/* Sums the terms into @sums for the samples [b0, b0 + 8 @groups), in the
 * order st_vector_accumulate() states.  @groups is a constant at every
 * call, so the loops over it unroll and the sums stay in registers.
 * The source rows of the terms from @prefetch_from on are requested
 * ahead; the caller asked for the earlier ones already. */
ST_VECTOR_INLINE void
st_vector_accumulate_lanes (StLanes       *sums,
                            double         start,
                            int            first,
                            int            end,
                            int            prefetch_from,
                            const double  *weights,
                            const int     *positions,
                            const int     *indices,
                            const double  *source,
                            guint          batch,
                            guint          b0,
                            guint          groups)
{
  StLanes initial = { start, start, start, start, start, start, start, start };
  StLanes zero = { 0 };
  StLanes even[ST_MAX_GROUPS] = { { 0 } };
  StLanes odd[ST_MAX_GROUPS] = { { 0 } };
  int e = first;

#pragma GCC unroll 8
  for (guint g = 0; g < groups; g++)
    {
      even[g] = initial;
      odd[g] = zero;
    }

  for (; e + 1 < end; e += 2)
    {
      double w0 = weights[positions ? positions[e] : e];
      double w1 = weights[positions ? positions[e + 1] : e + 1];
      StLanes scale0 = { w0, w0, w0, w0, w0, w0, w0, w0 };
      StLanes scale1 = { w1, w1, w1, w1, w1, w1, w1, w1 };
      const double *row0 = source + (gsize) indices[e] * batch + b0;
      const double *row1 = source + (gsize) indices[e + 1] * batch + b0;

      ST_PREFETCH_TILE (source, indices, e, end, prefetch_from, batch, b0, groups);
#pragma GCC unroll 8
      for (guint g = 0; g < groups; g++)
        {
          StLanes x0;
          StLanes x1;

          ST_LOAD_LANES (x0, row0 + g * ST_LANES);
          ST_LOAD_LANES (x1, row1 + g * ST_LANES);
          even[g] += scale0 * x0;
          odd[g] += scale1 * x1;
        }
    }

  if (e < end)
    {
      double w0 = weights[positions ? positions[e] : e];
      StLanes scale0 = { w0, w0, w0, w0, w0, w0, w0, w0 };
      const double *row0 = source + (gsize) indices[e] * batch + b0;

#pragma GCC unroll 8
      for (guint g = 0; g < groups; g++)
        {
          StLanes x0;

          ST_LOAD_LANES (x0, row0 + g * ST_LANES);
          even[g] += scale0 * x0;
        }
    }

#pragma GCC unroll 8
  for (guint g = 0; g < groups; g++)
    sums[g] = even[g] + odd[g];
}

/* Runs st_vector_accumulate_lanes() and stores the sums into
 * y[b0, b0 + 8 @groups). */
ST_VECTOR_INLINE void
st_vector_accumulate_tile (double        *y,
                           double         start,
                           int            first,
                           int            end,
                           int            prefetch_from,
                           const double  *weights,
                           const int     *positions,
                           const int     *indices,
                           const double  *source,
                           guint          batch,
                           guint          b0,
                           guint          groups)
{
  StLanes sums[ST_MAX_GROUPS];

  st_vector_accumulate_lanes (sums, start, first, end, prefetch_from, weights, positions, indices,
                              source, batch, b0, groups);

#pragma GCC unroll 8
  for (guint g = 0; g < groups; g++)
    ST_STORE_LANES (y + b0 + g * ST_LANES, sums[g]);
}

/* Computes the samples [@b0, @batch) of st_vector_accumulate(), one at a
 * time. */
ST_VECTOR_INLINE void
st_vector_accumulate_samples (double        *y,
                              double         start,
                              int            first,
                              int            end,
                              const double  *weights,
                              const int     *positions,
                              const int     *indices,
                              const double  *source,
                              guint          batch,
                              guint          b0)
{
  for (guint b = b0; b < batch; b++)
    {
      double even = start;
      double odd = 0.0;
      int e = first;

      for (; e + 1 < end; e += 2)
        {
          even += weights[positions ? positions[e] : e] * source[(gsize) indices[e] * batch + b];
          odd += weights[positions ? positions[e + 1] : e + 1] *
                 source[(gsize) indices[e + 1] * batch + b];
        }
      if (e < end)
        even += weights[positions ? positions[e] : e] * source[(gsize) indices[e] * batch + b];

      y[b] = even + odd;
    }
}

/* Computes st_vector_accumulate() in tiles of up to 64 samples, for
 * AVX-512. */
ST_VECTOR_INLINE void
st_vector_accumulate_wide (double        *y,
                           double         start,
                           int            first,
                           int            end,
                           int            prefetch_from,
                           const double  *weights,
                           const int     *positions,
                           const int     *indices,
                           const double  *source,
                           guint          batch)
{
  guint b0 = 0;

  for (; b0 + 8 * ST_LANES <= batch; b0 += 8 * ST_LANES)
    st_vector_accumulate_tile (y, start, first, end, prefetch_from, weights, positions, indices,
                               source, batch, b0, 8);
  if (b0 + 4 * ST_LANES <= batch)
    {
      st_vector_accumulate_tile (y, start, first, end, prefetch_from, weights, positions,
                                 indices, source, batch, b0, 4);
      b0 += 4 * ST_LANES;
    }
  if (b0 + 2 * ST_LANES <= batch)
    {
      st_vector_accumulate_tile (y, start, first, end, prefetch_from, weights, positions,
                                 indices, source, batch, b0, 2);
      b0 += 2 * ST_LANES;
    }
  if (b0 + ST_LANES <= batch)
    {
      st_vector_accumulate_tile (y, start, first, end, prefetch_from, weights, positions,
                                 indices, source, batch, b0, 1);
      b0 += ST_LANES;
    }

  st_vector_accumulate_samples (y, start, first, end, weights, positions, indices, source, batch,
                                b0);
}

/* Sums the terms for the samples [b0, b0 + 8 @groups) in quads, in the
 * order st_vector_accumulate() states, and stores them.  @groups is a
 * constant of 1 or 2, so the even and odd sums take 4 or 8 of AVX2's 16
 * registers. */
ST_VECTOR_INLINE void
st_vector_accumulate_quads (double        *y,
                            double         start,
                            int            first,
                            int            end,
                            int            prefetch_from,
                            const double  *weights,
                            const int     *positions,
                            const int     *indices,
                            const double  *source,
                            guint          batch,
                            guint          b0,
                            guint          groups)
{
  StQuad initial = { start, start, start, start };
  StQuad even[2 * 2] = { initial, initial, initial, initial };
  StQuad odd[2 * 2] = { { 0 } };
  guint quads = 2 * groups;
  int e = first;

  for (; e + 1 < end; e += 2)
    {
      double w0 = weights[positions ? positions[e] : e];
      double w1 = weights[positions ? positions[e + 1] : e + 1];
      StQuad scale0 = { w0, w0, w0, w0 };
      StQuad scale1 = { w1, w1, w1, w1 };
      const double *row0 = source + (gsize) indices[e] * batch + b0;
      const double *row1 = source + (gsize) indices[e + 1] * batch + b0;

      ST_PREFETCH_TILE (source, indices, e, end, prefetch_from, batch, b0, groups);
#pragma GCC unroll 4
      for (guint q = 0; q < quads; q++)
        {
          StQuad x0;
          StQuad x1;

          ST_LOAD_QUAD (x0, row0 + 4 * q);
          ST_LOAD_QUAD (x1, row1 + 4 * q);
          even[q] += scale0 * x0;
          odd[q] += scale1 * x1;
        }
    }

  if (e < end)
    {
      double w0 = weights[positions ? positions[e] : e];
      StQuad scale0 = { w0, w0, w0, w0 };
      const double *row0 = source + (gsize) indices[e] * batch + b0;

#pragma GCC unroll 4
      for (guint q = 0; q < quads; q++)
        {
          StQuad x0;

          ST_LOAD_QUAD (x0, row0 + 4 * q);
          even[q] += scale0 * x0;
        }
    }

#pragma GCC unroll 4
  for (guint q = 0; q < quads; q++)
    {
      StQuad sum = even[q] + odd[q];

      ST_STORE_QUAD (y + b0 + 4 * q, sum);
    }
}

/* Computes st_vector_accumulate() in tiles of up to 16 samples, for
 * processors without AVX-512. */
ST_VECTOR_INLINE void
st_vector_accumulate_narrow (double        *y,
                             double         start,
                             int            first,
                             int            end,
                             int            prefetch_from,
                             const double  *weights,
                             const int     *positions,
                             const int     *indices,
                             const double  *source,
                             guint          batch)
{
  guint b0 = 0;

  for (; b0 + ST_NARROW_GROUPS * ST_LANES <= batch; b0 += ST_NARROW_GROUPS * ST_LANES)
    st_vector_accumulate_quads (y, start, first, end, prefetch_from, weights, positions, indices,
                                source, batch, b0, ST_NARROW_GROUPS);
  if (b0 + ST_LANES <= batch)
    {
      st_vector_accumulate_quads (y, start, first, end, prefetch_from, weights, positions,
                                  indices, source, batch, b0, 1);
      b0 += ST_LANES;
    }

  st_vector_accumulate_samples (y, start, first, end, weights, positions, indices, source, batch,
                                b0);
}

/* Runs the form of st_vector_accumulate() that this processor takes.  The
 * terms from @prefetch_from on request their source rows ahead. */
ST_VECTOR_INLINE void
st_vector_accumulate_form (double        *y,
                           double         start,
                           int            first,
                           int            end,
                           int            prefetch_from,
                           const double  *weights,
                           const int     *positions,
                           const int     *indices,
                           const double  *source,
                           guint          batch)
{
  if (ST_USE_QUADS ())
    st_vector_accumulate_narrow (y, start, first, end, prefetch_from, weights, positions, indices,
                                 source, batch);
  else
    st_vector_accumulate_wide (y, start, first, end, prefetch_from, weights, positions, indices,
                               source, batch);
}

/**
 * st_vector_accumulate:
 * @y: (array): output, @batch values
 * @start: the value every element starts from
 * @first: the first term
 * @end: one past the last term
 * @weights: (array): the weight array the terms index into
 * @positions: (array) (nullable): position in @weights of term e, or
 *   %NULL for e itself
 * @indices: (array): the row of @source for each term
 * @source: (array): rows of @batch values
 * @batch: row length
 *
 * Computes y[b] = start + the sum over the terms e of w_e source[index_e][b]
 * in this fixed order: the terms first, third, fifth and so on are added
 * up in one sum and the second, fourth and so on in another, then
 * y = (start + first sum) + second sum.  Two independent sums keep the
 * processor's adders busy; the order depends only on the terms, so every
 * layout and thread count gives the same bits.  Tiles of up to 64 samples
 * (16 in the narrow form, ST_USE_QUADS()) stay in registers across the
 * terms.  The tile widths change no bit, since every sample's sums are
 * its own.
 */
ST_VECTOR_INLINE void
st_vector_accumulate (double        *y,
                      double         start,
                      int            first,
                      int            end,
                      const double  *weights,
                      const int     *positions,
                      const int     *indices,
                      const double  *source,
                      guint          batch)
{
  st_vector_accumulate_form (y, start, first, end, first, weights, positions, indices, source,
                             batch);
}

/* Computes st_vector_accumulate() for a caller that requested the
 * terms' source rows already, so no term requests its row ahead.  The
 * fused step requests them between rows.  With in-row requests on top,
 * its AVX2 form took 1.02 to 1.08 times as long on the 1024 x 1024,
 * 16384 x 16384 and 65536 x 65536 benchmark layers, in two runs of
 * alternating rounds. */
ST_VECTOR_INLINE void
st_vector_accumulate_requested (double        *y,
                                double         start,
                                int            first,
                                int            end,
                                const double  *weights,
                                const int     *positions,
                                const int     *indices,
                                const double  *source,
                                guint          batch)
{
  st_vector_accumulate_form (y, start, first, end, end, weights, positions, indices, source,
                             batch);
}

/* Computes one lane sum of a dot product, sum = a[b..] * row[b..] over
 * @groups lane groups, as st_vector_dot() does before it adds up the
 * lanes: the first group's products replace @sum.  The common factor
 * comes from the registers in @common when @in_registers, from @a
 * otherwise. */
#define ST_DOT_LANES(sum, common, a, row, groups, in_registers)        \
  G_STMT_START {                                                      \
    _Pragma ("GCC unroll 8")                                          \
    for (guint g_ = 0; g_ < (groups); g_++)                           \
      {                                                               \
        StLanes c_;                                                   \
        StLanes y_;                                                   \
        if (in_registers)                                             \
          c_ = (common)[g_];                                          \
        else                                                          \
          ST_LOAD_LANES (c_, (a) + g_ * ST_LANES);                    \
        ST_LOAD_LANES (y_, (row) + g_ * ST_LANES);                    \
        if (g_ == 0)                                                  \
          (sum) = c_ * y_;                                            \
        else                                                          \
          (sum) += c_ * y_;                                           \
      }                                                               \
  } G_STMT_END

/* Pairwise sums of neighbouring lanes of two vectors, interleaved:
 * [p0 + p1, q0 + q1, p2 + p3, q2 + q3, ...]. */
#define ST_PAIR_SUMS(p, q)                                                  \
  (__builtin_shufflevector ((p), (q), 0, 8, 2, 10, 4, 12, 6, 14) +          \
   __builtin_shufflevector ((p), (q), 1, 9, 3, 11, 5, 13, 7, 15))

/* Add up the lanes of eight dot products s0 to s7 into @totals, one term
 * per lane, pairing lanes as st_lanes_total() does: three rounds of
 * shuffles and vector additions instead of seven scalar additions per
 * term. */
#define ST_TOTAL_EIGHT(totals, s0, s1, s2, s3, s4, s5, s6, s7)                        \
  G_STMT_START {                                                                      \
    /* Round 1: lanes (0+1), (2+3), (4+5), (6+7) of two terms each. */                \
    StLanes p01_ = ST_PAIR_SUMS ((s0), (s1));                                         \
    StLanes p23_ = ST_PAIR_SUMS ((s2), (s3));                                         \
    StLanes p45_ = ST_PAIR_SUMS ((s4), (s5));                                         \
    StLanes p67_ = ST_PAIR_SUMS ((s6), (s7));                                         \
    /* Round 2: (0+1) + (2+3) and (4+5) + (6+7) of four terms each. */                \
    StLanes q0_ = __builtin_shufflevector (p01_, p23_, 0, 1, 8, 9, 4, 5, 12, 13) +    \
                  __builtin_shufflevector (p01_, p23_, 2, 3, 10, 11, 6, 7, 14, 15);   \
    StLanes q1_ = __builtin_shufflevector (p45_, p67_, 0, 1, 8, 9, 4, 5, 12, 13) +    \
                  __builtin_shufflevector (p45_, p67_, 2, 3, 10, 11, 6, 7, 14, 15);   \
    /* Round 3: the two halves of each term. */                                       \
    (totals) = __builtin_shufflevector (q0_, q1_, 0, 1, 2, 3, 8, 9, 10, 11) +         \
               __builtin_shufflevector (q0_, q1_, 4, 5, 6, 7, 12, 13, 14, 15);        \
  } G_STMT_END

/* Computes st_vector_dot_terms() over the first @groups lane groups of
 * the batch and the scalar tail past them.  With @in_registers, @groups is a
 * constant of at most ST_MAX_GROUPS.  The common factor's lane groups
 * then come from @common, registers the caller filled once for all the
 * terms, and @a serves only the tail.  Without, every term reads @a.
 *
 * Without @positions, the results of a last group of fewer than eight
 * terms are stored with one vector store when its eight slots end at or
 * before @spare_end, so zeros may land in results between @end and
 * @spare_end.  A caller passes a @spare_end past @end only when it
 * stores those results later itself, and @end otherwise.
 *
 * With @requested, before each group of eight terms the input rows of
 * the next ST_GRADIENT_REQUESTS terms from *@requested up to
 * @request_end are requested, and *@requested moves past them.  Those
 * are later terms of @indices, usually the next row's, so their
 * gathers overlap this row's arithmetic. */
ST_VECTOR_INLINE double
st_vector_dot_terms_groups (double        *results,
                            int            first,
                            int            end,
                            int            spare_end,
                            const int     *positions,
                            const int     *indices,
                            const double  *source,
                            const double  *a,
                            const StLanes *common,
                            guint          batch,
                            guint          groups,
                            gboolean       in_registers,
                            int           *requested,
                            int            request_end)
{
  guint full = groups * ST_LANES;
  StLanes squares = { 0 };

  for (int e = first; e < end; e += 8)
    {
      StLanes s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
      StLanes s4 = { 0 }, s5 = { 0 }, s6 = { 0 }, s7 = { 0 };
      StLanes totals;
      double total[8];
      int count = MIN (end - e, 8);

      if (requested != NULL)
        {
          int stop = MIN (*requested + ST_GRADIENT_REQUESTS, request_end);

          for (; *requested < stop; (*requested)++)
            st_vector_prefetch_row (source + (gsize) indices[*requested] * batch, batch, 8);
        }

#define ST_DOT_TERM(sum, k) \
  ST_DOT_LANES (sum, common, a, source + (gsize) indices[e + (k)] * batch, groups, in_registers)

      /* Highest term first, falling through to the lowest; the sums of
       * missing terms stay zero. */
      switch (count)
        {
        case 8: ST_DOT_TERM (s7, 7); G_GNUC_FALLTHROUGH;
        case 7: ST_DOT_TERM (s6, 6); G_GNUC_FALLTHROUGH;
        case 6: ST_DOT_TERM (s5, 5); G_GNUC_FALLTHROUGH;
        case 5: ST_DOT_TERM (s4, 4); G_GNUC_FALLTHROUGH;
        case 4: ST_DOT_TERM (s3, 3); G_GNUC_FALLTHROUGH;
        case 3: ST_DOT_TERM (s2, 2); G_GNUC_FALLTHROUGH;
        case 2: ST_DOT_TERM (s1, 1); G_GNUC_FALLTHROUGH;
        default: ST_DOT_TERM (s0, 0);
        }

#undef ST_DOT_TERM

      ST_TOTAL_EIGHT (totals, s0, s1, s2, s3, s4, s5, s6, s7);

      /* The batch's tail past the lanes, in order, as st_vector_dot()
       * adds it. */
      if (full < batch)
        {
          ST_STORE_LANES (total, totals);
          for (int k = 0; k < count; k++)
            {
              const double *row = source + (gsize) indices[e + k] * batch;

              for (guint b = full; b < batch; b++)
                total[k] += a[b] * row[b];
            }
          ST_LOAD_LANES (totals, total);
        }

      squares += totals * totals;
      if (positions == NULL && (count == 8 || e + 8 <= spare_end))
        {
          ST_STORE_LANES (results + e, totals);
          continue;
        }
      ST_STORE_LANES (total, totals);
      for (int k = 0; k < count; k++)
        results[positions ? positions[e + k] : e + k] = total[k];
    }

  return st_lanes_total (squares);
}

/* Pairwise sums of neighbouring lanes of two quads, interleaved:
 * [p0 + p1, q0 + q1, p2 + p3, q2 + q3]. */
#define ST_QUAD_PAIR_SUMS(p, q) \
  (__builtin_shufflevector ((p), (q), 0, 4, 2, 6) + __builtin_shufflevector ((p), (q), 1, 5, 3, 7))

/* Returns: (l0 + l1) + (l2 + l3) of each of the quads @s0 to @s3, one
 * per lane. */
ST_VECTOR_INLINE StQuad
st_quad_totals (StQuad s0,
                StQuad s1,
                StQuad s2,
                StQuad s3)
{
  StQuad p01 = ST_QUAD_PAIR_SUMS (s0, s1);
  StQuad p23 = ST_QUAD_PAIR_SUMS (s2, s3);

  return __builtin_shufflevector (p01, p23, 0, 1, 4, 5) +
         __builtin_shufflevector (p01, p23, 2, 3, 6, 7);
}

/* Computes st_vector_dot_terms() for processors without AVX-512 and a
 * batch of at least 8.  It takes four terms at a time and keeps each
 * term's eight lane sums in two quads, so that the sums take 8 of AVX2's
 * 16 registers.  The lane totals pair as st_lanes_total() does:
 * ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).  With @requested,
 * it requests input rows as st_vector_dot_terms_groups() does, before
 * each group of four terms. */
ST_VECTOR_INLINE double
st_vector_dot_terms_narrow (double        *results,
                            int            first,
                            int            end,
                            const int     *positions,
                            const int     *indices,
                            const double  *source,
                            const double  *a,
                            guint          batch,
                            int           *requested,
                            int            request_end)
{
  guint full = batch / ST_LANES * ST_LANES;
  double squares = 0.0;
  StQuad square_quads = { 0 };

  for (int e = first; e < end; e += 4)
    {
      StQuad low[4] = { { 0 } };
      StQuad high[4] = { { 0 } };
      const double *rows[4];
      double total[4];
      StQuad totals;
      int count = MIN (end - e, 4);

      if (requested != NULL)
        {
          int stop = MIN (*requested + ST_GRADIENT_REQUESTS / 2, request_end);

          for (; *requested < stop; (*requested)++)
            st_vector_prefetch_row (source + (gsize) indices[*requested] * batch, batch, 8);
        }

      /* A missing term repeats the last one, and its sums are not stored. */
#pragma GCC unroll 4
      for (int k = 0; k < 4; k++)
        rows[k] = source + (gsize) indices[e + MIN (k, count - 1)] * batch;

      for (guint b = 0; b < full; b += ST_LANES)
        {
          StQuad common_low;
          StQuad common_high;

          ST_LOAD_QUAD (common_low, a + b);
          ST_LOAD_QUAD (common_high, a + b + 4);
#pragma GCC unroll 4
          for (int k = 0; k < 4; k++)
            {
              StQuad y_low;
              StQuad y_high;

              ST_LOAD_QUAD (y_low, rows[k] + b);
              ST_LOAD_QUAD (y_high, rows[k] + b + 4);
              if (b == 0)
                {
                  low[k] = common_low * y_low;
                  high[k] = common_high * y_high;
                }
              else
                {
                  low[k] += common_low * y_low;
                  high[k] += common_high * y_high;
                }
            }
        }

      totals = st_quad_totals (low[0], low[1], low[2], low[3]) +
               st_quad_totals (high[0], high[1], high[2], high[3]);

      /* Whole quads of contiguous results skip the loop below.  The
       * squares' order differs from the loop's, which is allowed: only
       * whether their sum is finite matters (st_vector_dot_terms()). */
      if (count == 4 && full == batch && positions == NULL)
        {
          ST_STORE_QUAD (results + e, totals);
          square_quads += totals * totals;
          continue;
        }

      ST_STORE_QUAD (total, totals);

      for (int k = 0; k < count; k++)
        {
          /* The batch's tail past the lanes, in order, as st_vector_dot()
           * adds it. */
          for (guint b = full; b < batch; b++)
            total[k] += a[b] * rows[k][b];

          results[positions ? positions[e + k] : e + k] = total[k];
          squares += total[k] * total[k];
        }
    }

  return squares + ((square_quads[0] + square_quads[1]) + (square_quads[2] + square_quads[3]));
}

/* Computes st_vector_dot_terms() for AVX-512, and for any batch under 8. */
ST_VECTOR_INLINE double
st_vector_dot_terms_wide (double        *results,
                          int            first,
                          int            end,
                          const int     *positions,
                          const int     *indices,
                          const double  *source,
                          const double  *a,
                          guint          batch,
                          int           *requested,
                          int            request_end)
{
  switch (batch / ST_LANES)
    {
    case 0:
      {
        double sum = 0.0;

        for (int e = first; e < end; e++)
          {
            double d = st_vector_dot (a, source + (gsize) indices[e] * batch, batch);

            results[positions ? positions[e] : e] = d;
            sum += d * d;
          }
        return sum;
      }
    case 1:
    case 2:
    case 4:
    case 8:
      {
        StLanes common[ST_MAX_GROUPS];
        guint groups = batch / ST_LANES;

#pragma GCC unroll 8
        for (guint g = 0; g < groups; g++)
          ST_LOAD_LANES (common[g], a + g * ST_LANES);

        return st_vector_dot_terms_groups (results, first, end, end, positions, indices, source,
                                           a, common, batch, groups, TRUE, requested,
                                           request_end);
      }
    default:
      return st_vector_dot_terms_groups (results, first, end, end, positions, indices, source, a,
                                         NULL, batch, batch / ST_LANES, FALSE, requested,
                                         request_end);
    }
}

/**
 * st_vector_dot_terms:
 * @results: (array): receives one dot product per term, at its position
 * @first: the first term
 * @end: one past the last term
 * @positions: (array) (nullable): where in @results term e goes, or
 *   %NULL for e itself
 * @indices: (array): the row of @source for each term
 * @source: (array): rows of @batch values
 * @a: (array): the common factor, @batch values
 * @batch: row length
 * @requested: (inout) (nullable): the next term whose source row to
 *   request, or %NULL for no requests
 * @request_end: one past the last term to request
 *
 * Stores st_vector_dot (a, source[index_e], batch) for every term, with
 * the same bits.  The wide form takes the terms eight at a time, so that
 * every term shares the shuffled lane totals (ST_TOTAL_EIGHT()).  A last
 * group of fewer is padded with zero sums.  Padding changes no stored
 * bit, because each lane of the totals depends on its own term only.
 * Batches of 8, 16, 32 and 64 keep @a in registers there.  The narrow
 * form (ST_USE_QUADS()) takes four terms at a time and reads @a from
 * memory.  With @requested, both forms request later terms' source rows
 * between their groups of terms, at the rate st_vector_dot_terms_groups()
 * states.  Batches under 8 make no requests.
 *
 * Returns: the sum of the squares of the stored results, in no fixed
 * order: callers use it only to ask whether the gradient is finite
 */
ST_VECTOR_INLINE double
st_vector_dot_terms (double        *results,
                     int            first,
                     int            end,
                     const int     *positions,
                     const int     *indices,
                     const double  *source,
                     const double  *a,
                     guint          batch,
                     int           *requested,
                     int            request_end)
{
  if (batch >= ST_LANES && ST_USE_QUADS ())
    return st_vector_dot_terms_narrow (results, first, end, positions, indices, source, a, batch,
                                       requested, request_end);

  return st_vector_dot_terms_wide (results, first, end, positions, indices, source, a, batch,
                                   requested, request_end);
}

G_END_DECLS
