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

/* Kernel functions marked with this get one clone per x86-64 level,
 * chosen at load time, so a distribution build still uses AVX2 or
 * AVX-512 where the machine has them.  Without FMA contraction
 * (-ffp-contract=off) the clones compute the same bits.  ThreadSanitizer
 * builds get one version: the clones' resolvers run while the program is
 * being loaded, before the sanitizer's runtime, and crash there. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__) && \
    !defined(__SANITIZE_THREAD__)
#define ST_VECTORIZED __attribute__ ((target_clones ("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define ST_VECTORIZED
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

/* Returns: sum over b of a[b] c[b]: eight lane sums over the full blocks,
 * combined pairwise, then the tail in order. */
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

/* Batch columns held in registers at once by st_vector_accumulate():
 * four lane groups. */
#define ST_TILE (4 * ST_LANES)

/* How many terms ahead the kernels ask for source rows: far enough for a
 * row from the shared cache or memory to arrive in time, near enough to
 * stay in the first-level cache until it is used.  Tuned by measuring,
 * not derived. */
#define ST_PREFETCH_DISTANCE 8

#define ST_PREFETCH_TERM(source, indices, e, end, batch)                       \
  G_STMT_START {                                                               \
    if ((e) + ST_PREFETCH_DISTANCE < (end))                                    \
      __builtin_prefetch ((source) +                                           \
                          (gsize) (indices)[(e) + ST_PREFETCH_DISTANCE] * (batch)); \
  } G_STMT_END

/* Terms ahead of the current row whose source rows the fused step
 * requests.  Like the distance above, found by measuring. */
#define ST_ROW_PREFETCH_TERMS 16

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

/* Load four lane groups from @row and add @scale times them to the four
 * sums named s0 to s3 with the given prefix.  Named variables, not an
 * array, so that the compiler keeps the sums in registers. */
#define ST_ADD_TERM(prefix, scale, row)                             \
  G_STMT_START {                                                    \
    StLanes x0_, x1_, x2_, x3_;                                     \
    ST_LOAD_LANES (x0_, (row));                                     \
    ST_LOAD_LANES (x1_, (row) + ST_LANES);                          \
    ST_LOAD_LANES (x2_, (row) + 2 * ST_LANES);                      \
    ST_LOAD_LANES (x3_, (row) + 3 * ST_LANES);                      \
    prefix##0 += (scale) * x0_;                                     \
    prefix##1 += (scale) * x1_;                                     \
    prefix##2 += (scale) * x2_;                                     \
    prefix##3 += (scale) * x3_;                                     \
  } G_STMT_END

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
 * layout and thread count gives the same bits.  Tiles of the batch stay
 * in registers across the terms.
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
  StLanes initial = { start, start, start, start, start, start, start, start };
  StLanes zero = { 0 };
  guint b0 = 0;

  for (; b0 + ST_TILE <= batch; b0 += ST_TILE)
    {
      StLanes even0 = initial, even1 = initial, even2 = initial, even3 = initial;
      StLanes odd0 = zero, odd1 = zero, odd2 = zero, odd3 = zero;
      int e = first;

      for (; e + 1 < end; e += 2)
        {
          double w0 = weights[positions ? positions[e] : e];
          double w1 = weights[positions ? positions[e + 1] : e + 1];
          StLanes scale0 = { w0, w0, w0, w0, w0, w0, w0, w0 };
          StLanes scale1 = { w1, w1, w1, w1, w1, w1, w1, w1 };

          ST_PREFETCH_TERM (source, indices, e, end, batch);
          ST_ADD_TERM (even, scale0, source + (gsize) indices[e] * batch + b0);
          ST_ADD_TERM (odd, scale1, source + (gsize) indices[e + 1] * batch + b0);
        }
      if (e < end)
        {
          double w0 = weights[positions ? positions[e] : e];
          StLanes scale0 = { w0, w0, w0, w0, w0, w0, w0, w0 };

          ST_ADD_TERM (even, scale0, source + (gsize) indices[e] * batch + b0);
        }

      even0 += odd0;
      even1 += odd1;
      even2 += odd2;
      even3 += odd3;
      ST_STORE_LANES (y + b0, even0);
      ST_STORE_LANES (y + b0 + ST_LANES, even1);
      ST_STORE_LANES (y + b0 + 2 * ST_LANES, even2);
      ST_STORE_LANES (y + b0 + 3 * ST_LANES, even3);
    }

  /* Two lane groups, the whole row when the batch is 16. */
  for (; b0 + 2 * ST_LANES <= batch; b0 += 2 * ST_LANES)
    {
      StLanes even0 = initial, even1 = initial;
      StLanes odd0 = zero, odd1 = zero;
      int e = first;

      for (; e + 1 < end; e += 2)
        {
          double w0 = weights[positions ? positions[e] : e];
          double w1 = weights[positions ? positions[e + 1] : e + 1];
          StLanes scale0 = { w0, w0, w0, w0, w0, w0, w0, w0 };
          StLanes scale1 = { w1, w1, w1, w1, w1, w1, w1, w1 };
          const double *row0 = source + (gsize) indices[e] * batch + b0;
          const double *row1 = source + (gsize) indices[e + 1] * batch + b0;
          StLanes x00, x01, x10, x11;

          ST_PREFETCH_TERM (source, indices, e, end, batch);
          ST_LOAD_LANES (x00, row0);
          ST_LOAD_LANES (x01, row0 + ST_LANES);
          ST_LOAD_LANES (x10, row1);
          ST_LOAD_LANES (x11, row1 + ST_LANES);
          even0 += scale0 * x00;
          even1 += scale0 * x01;
          odd0 += scale1 * x10;
          odd1 += scale1 * x11;
        }
      if (e < end)
        {
          double w0 = weights[positions ? positions[e] : e];
          StLanes scale0 = { w0, w0, w0, w0, w0, w0, w0, w0 };
          const double *row0 = source + (gsize) indices[e] * batch + b0;
          StLanes x00, x01;

          ST_LOAD_LANES (x00, row0);
          ST_LOAD_LANES (x01, row0 + ST_LANES);
          even0 += scale0 * x00;
          even1 += scale0 * x01;
        }

      even0 += odd0;
      even1 += odd1;
      ST_STORE_LANES (y + b0, even0);
      ST_STORE_LANES (y + b0 + ST_LANES, even1);
    }

  for (; b0 + ST_LANES <= batch; b0 += ST_LANES)
    {
      StLanes even = initial;
      StLanes odd = zero;
      int e = first;

      for (; e + 1 < end; e += 2)
        {
          double w0 = weights[positions ? positions[e] : e];
          double w1 = weights[positions ? positions[e + 1] : e + 1];
          StLanes scale0 = { w0, w0, w0, w0, w0, w0, w0, w0 };
          StLanes scale1 = { w1, w1, w1, w1, w1, w1, w1, w1 };
          StLanes x0;
          StLanes x1;

          ST_LOAD_LANES (x0, source + (gsize) indices[e] * batch + b0);
          ST_LOAD_LANES (x1, source + (gsize) indices[e + 1] * batch + b0);
          even += scale0 * x0;
          odd += scale1 * x1;
        }
      if (e < end)
        {
          double w0 = weights[positions ? positions[e] : e];
          StLanes scale0 = { w0, w0, w0, w0, w0, w0, w0, w0 };
          StLanes x0;

          ST_LOAD_LANES (x0, source + (gsize) indices[e] * batch + b0);
          even += scale0 * x0;
        }

      even += odd;
      ST_STORE_LANES (y + b0, even);
    }

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

/* One lane sum of a dot product: sum += a[b..] * row[b..] over the full
 * lane blocks, as st_vector_dot() does before it adds up the lanes. */
#define ST_DOT_LANES(sum, a, row, full)                 \
  G_STMT_START {                                        \
    for (guint b_ = 0; b_ < (full); b_ += ST_LANES)     \
      {                                                 \
        StLanes x_;                                     \
        StLanes y_;                                     \
        ST_LOAD_LANES (x_, (a) + b_);                   \
        ST_LOAD_LANES (y_, (row) + b_);                 \
        (sum) += x_ * y_;                               \
      }                                                 \
  } G_STMT_END

/* Pairwise sums of neighbouring lanes of two vectors, interleaved:
 * [p0 + p1, q0 + q1, p2 + p3, q2 + q3, ...]. */
#define ST_PAIR_SUMS(p, q)                                                  \
  (__builtin_shufflevector ((p), (q), 0, 8, 2, 10, 4, 12, 6, 14) +          \
   __builtin_shufflevector ((p), (q), 1, 9, 3, 11, 5, 13, 7, 15))

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
 *
 * Stores st_vector_dot (a, source[index_e], batch) for every term, with
 * the same bits.  Eight terms at a time share the work of adding up the
 * lanes: three rounds of shuffles and vector additions replace seven
 * scalar additions per term, and they add the same pairs as
 * st_lanes_total() does.
 */
ST_VECTOR_INLINE void
st_vector_dot_terms (double        *results,
                     int            first,
                     int            end,
                     const int     *positions,
                     const int     *indices,
                     const double  *source,
                     const double  *a,
                     guint          batch)
{
  guint full = batch - batch % ST_LANES;
  int e = first;

  for (; full > 0 && e + 8 <= end; e += 8)
    {

      StLanes s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
      StLanes s4 = { 0 }, s5 = { 0 }, s6 = { 0 }, s7 = { 0 };
      StLanes pair01, pair23, pair45, pair67, quad0, quad1, totals;
      double total[8];

      ST_DOT_LANES (s0, a, source + (gsize) indices[e] * batch, full);
      ST_DOT_LANES (s1, a, source + (gsize) indices[e + 1] * batch, full);
      ST_DOT_LANES (s2, a, source + (gsize) indices[e + 2] * batch, full);
      ST_DOT_LANES (s3, a, source + (gsize) indices[e + 3] * batch, full);
      ST_DOT_LANES (s4, a, source + (gsize) indices[e + 4] * batch, full);
      ST_DOT_LANES (s5, a, source + (gsize) indices[e + 5] * batch, full);
      ST_DOT_LANES (s6, a, source + (gsize) indices[e + 6] * batch, full);
      ST_DOT_LANES (s7, a, source + (gsize) indices[e + 7] * batch, full);

      /* Round 1: lanes (0+1), (2+3), (4+5), (6+7) of two terms each. */
      pair01 = ST_PAIR_SUMS (s0, s1);
      pair23 = ST_PAIR_SUMS (s2, s3);
      pair45 = ST_PAIR_SUMS (s4, s5);
      pair67 = ST_PAIR_SUMS (s6, s7);

      /* Round 2: (0+1) + (2+3) and (4+5) + (6+7) of four terms each. */
      quad0 = __builtin_shufflevector (pair01, pair23, 0, 1, 8, 9, 4, 5, 12, 13) +
              __builtin_shufflevector (pair01, pair23, 2, 3, 10, 11, 6, 7, 14, 15);
      quad1 = __builtin_shufflevector (pair45, pair67, 0, 1, 8, 9, 4, 5, 12, 13) +
              __builtin_shufflevector (pair45, pair67, 2, 3, 10, 11, 6, 7, 14, 15);

      /* Round 3: the two halves of each term. */
      totals = __builtin_shufflevector (quad0, quad1, 0, 1, 2, 3, 8, 9, 10, 11) +
               __builtin_shufflevector (quad0, quad1, 4, 5, 6, 7, 12, 13, 14, 15);
      ST_STORE_LANES (total, totals);

      for (guint k = 0; k < 8; k++)
        {
          const double *row = source + (gsize) indices[e + (int) k] * batch;

          for (guint b = full; b < batch; b++)
            total[k] += a[b] * row[b];
          results[positions ? positions[e + (int) k] : e + (int) k] = total[k];
        }
    }

  for (; e < end; e++)
    results[positions ? positions[e] : e] =
      st_vector_dot (a, source + (gsize) indices[e] * batch, batch);
}

G_END_DECLS
