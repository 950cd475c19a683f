/* The EAM pair loops (see CKernels.h). Each pair's three tabulated functions — ρ_{j→i}, ρ_{i→j} and
 * r·φ — sit side by side as the lanes of 4-wide vectors (knot values and knot slopes), so one Horner
 * chain evaluates all three values and one more their slopes. */
#include "CKernels.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Results must not depend on the instruction set: no fused multiply-add anywhere. */
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)
/* The vector helpers below are always inlined, so the vector calling convention never applies. */
#pragma clang diagnostic ignored "-Wpsabi"

typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE v4d load4(const double *p) { v4d v; memcpy(&v, p, sizeof v); return v; }
ALWAYS_INLINE void store4(double *p, v4d v) { memcpy(p, &v, sizeof v); }
/* a where mask is all ones, b where it is zero. */
ALWAYS_INLINE v4d lane_select(v4i mask, v4d a, v4d b) { return (v4d)(((v4i)a & mask) | ((v4i)b & ~mask)); }
/* (x, y, z, 0) of a 4-double position record; the padding lane may hold anything. */
ALWAYS_INLINE v4d xyz0(v4d v) { return (v4d)((v4i)v & (v4i){-1, -1, -1, 0}); }

int64_t seem_eam_scratch_bytes(int64_t maxRow) {
    int64_t n = ((maxRow > 0 ? maxRow : 1) + 3) & ~(int64_t)3;
    return n * (int64_t)(3 * sizeof(double) + sizeof(const double *) + 2 * sizeof(int32_t)) + 64;
}

ALWAYS_INLINE double density_rows(const seem_eam_pairs *restrict P, int32_t i0, int32_t i1,
                                  double *restrict acc, int32_t *restrict cutPair,
                                  double *restrict cutSlopes, int32_t *restrict cutCount,
                                  void *scratch) {
    const double *restrict pos = P->positions, *restrict shift = P->shifts;
    const int32_t *restrict rowStart = P->rowStart, *restrict nbr = P->neighbor;
    const int32_t *restrict img = P->image, *restrict type = P->type;
    const double *table = P->table;
    const seem_pair_lookup *restrict lookup = P->lookup;
    const int64_t nt = P->typeCount, nr = P->nr, cap = ((P->maxRow > 0 ? P->maxRow : 1) + 3) & ~(int64_t)3;
    const double rdr = P->rdr;
    /* Per-row scratch: r² then r, spline position q, segment m, table row, the pair's j and image. */
    double *restrict R = (double *)scratch;
    double *restrict Q = R + cap;
    int64_t *restrict M = (int64_t *)(Q + cap);
    const double **restrict ROW = (const double **)(M + cap);
    int32_t *restrict J = (int32_t *)(ROW + cap);
    int32_t *restrict K = J + cap;

    double e = 0.0;
    for (int32_t i = i0; i < i1; i++) {
        const v4d xi = load4(pos + 4 * (int64_t)i);
        const seem_pair_lookup *restrict lookupRow = lookup + (int64_t)type[i] * nt;
        const int64_t p0 = rowStart[i], p1 = rowStart[i + 1];
        /* Keep the entries within the pair's cutoff, branch-free (the others are ~40 % and random). */
        int64_t n = 0;
        for (int64_t p = p0; p < p1; p++) {
            const int32_t j = nbr[p], k = img[p];
            const v4d d = xi - load4(pos + 4 * (int64_t)j) - load4(shift + 4 * (int64_t)k);
            const double rsq = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            J[n] = j;
            K[n] = k;
            R[n] = rsq;
            n += rsq < lookupRow[type[j]].cutoffSquared;
        }
        /* r, the segment m and the position q in it (as LAMMPS: q = r/Δr + 1, m = ⌊q⌋ ≤ nr − 1),
         * four pairs at a time (the scratch is padded to a multiple of 4; lanes past n get a harmless
         * r² = 1 and are not used). */
        for (int64_t c = n; c < ((n + 3) & ~(int64_t)3); c++) R[c] = 1.0;
        for (int64_t c = 0; c < n; c += 4) {
            const v4d r = __builtin_elementwise_sqrt(load4(R + c));
            v4d q = r * rdr + 1.0;
            v4i m = __builtin_convertvector(q, v4i);
            m = __builtin_elementwise_min(m, (v4i){nr - 1, nr - 1, nr - 1, nr - 1});
            q -= __builtin_convertvector(m, v4d);
            q = __builtin_elementwise_min(q, (v4d){1.0, 1.0, 1.0, 1.0});
            store4(Q + c, q);
            store4(R + c, r);
            memcpy(M + c, &m, sizeof m);
        }
        /* Table rows, prefetched now so that their misses overlap. */
        for (int64_t c = 0; c < n; c++) {
            const double *row = table + lookupRow[type[J[c]]].base + 8 * (M[c] - 1);
            __builtin_prefetch(row, 0, 3);
            __builtin_prefetch(row + 8, 0, 3);
            ROW[c] = row;
        }
        double rhoi = 0.0;
        for (int64_t c = 0; c < n; c++) {
            const double *row = ROW[c];
            const int32_t j = J[c];
            const seem_pair_lookup L = lookupRow[type[j]];
            const double q = Q[c];
            /* Knots m and m+1: values f and slopes s; LAMMPS's coefficients, in LAMMPS's order. */
            const v4d f0 = load4(row), s0 = load4(row + 4), f1 = load4(row + 8), s1 = load4(row + 12);
            const v4d c4 = 3.0 * (f1 - f0) - 2.0 * s0 - s1;
            const v4d c3 = s0 + s1 - 2.0 * (f1 - f0);
            const v4d value = ((c3 * q + c4) * q + s0) * q + f0;
            const v4d slope = ((3.0 * c3 * q + 2.0 * c4) * q + s0) * rdr;
            /* Lanes 0 and 1 hold (ρ_{b→a}, ρ_{a→b}) of the table's pair a ≤ b: swap them when i is b. */
            const v4i swap = (v4i){0, 0, 0, 0} - (int64_t)L.inLane;
            const v4d v = lane_select(swap, __builtin_shufflevector(value, value, 1, 0, 2, 3), value);
            const v4d s = lane_select(swap, __builtin_shufflevector(slope, slope, 1, 0, 2, 3), slope);
            rhoi += v[0];
            acc[j] += v[1];
            const double recip = 1.0 / R[c];
            const double phi = v[2] * recip;
            const double phip = s[2] * recip - phi * recip;
            e += phi;
            const int64_t p = p0 + c;
            cutPair[2 * p] = j;
            cutPair[2 * p + 1] = K[c];
            store4(cutSlopes + 4 * p, (v4d){s[0], s[1], phip, recip});
        }
        acc[i] += rhoi;
        cutCount[i] = (int32_t)n;
    }
    return e;
}

ALWAYS_INLINE void force_rows(const seem_eam_pairs *restrict P, int32_t i0, int32_t i1,
                              const double *restrict fp, const int32_t *restrict cutPair,
                              const double *restrict cutSlopes, const int32_t *restrict cutCount,
                              double *restrict facc, double *restrict virial) {
    const double *restrict pos = P->positions, *restrict shift = P->shifts;
    const int32_t *restrict rowStart = P->rowStart;
    v4d wd = {0, 0, 0, 0}, wo = {0, 0, 0, 0}; /* (xx, yy, zz, ·), (xy, xz, yz, ·) */
    for (int32_t i = i0; i < i1; i++) {
        const v4d xi = load4(pos + 4 * (int64_t)i);
        const double fpi = fp[i];
        v4d fi = {0, 0, 0, 0};
        const int64_t p0 = rowStart[i], p1 = p0 + cutCount[i];
        for (int64_t p = p0; p < p1; p++) {
            const int32_t j = cutPair[2 * p], k = cutPair[2 * p + 1];
            const double *s = cutSlopes + 4 * p;
            const v4d d = xyz0(xi - load4(pos + 4 * (int64_t)j) - load4(shift + 4 * (int64_t)k));
            const double psip = fpi * s[0] + fp[j] * s[1] + s[2];
            const double fpair = -psip * s[3];
            const v4d f = d * fpair;
            fi += f;
            double *fj = facc + 4 * (int64_t)j;
            store4(fj, load4(fj) - f);
            wd += d * f;
            wo += __builtin_shufflevector(d, d, 0, 0, 1, 3) * __builtin_shufflevector(f, f, 1, 2, 2, 3);
        }
        double *fa = facc + 4 * (int64_t)i;
        store4(fa, load4(fa) + fi);
    }
    virial[0] += wd[0]; virial[1] += wd[1]; virial[2] += wd[2];
    virial[3] += wo[0]; virial[4] += wo[1]; virial[5] += wo[2];
}

static double density_baseline(const seem_eam_pairs *P, int32_t i0, int32_t i1, double *acc,
                               int32_t *cutPair, double *cutSlopes, int32_t *cutCount, void *scratch) {
    return density_rows(P, i0, i1, acc, cutPair, cutSlopes, cutCount, scratch);
}
static void forces_baseline(const seem_eam_pairs *P, int32_t i0, int32_t i1, const double *fp,
                            const int32_t *cutPair, const double *cutSlopes, const int32_t *cutCount,
                            double *facc, double *virial) {
    force_rows(P, i0, i1, fp, cutPair, cutSlopes, cutCount, facc, virial);
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static double density_avx2(const seem_eam_pairs *P, int32_t i0, int32_t i1, double *acc,
                           int32_t *cutPair, double *cutSlopes, int32_t *cutCount, void *scratch) {
    return density_rows(P, i0, i1, acc, cutPair, cutSlopes, cutCount, scratch);
}
__attribute__((target("avx2")))
static void forces_avx2(const seem_eam_pairs *P, int32_t i0, int32_t i1, const double *fp,
                        const int32_t *cutPair, const double *cutSlopes, const int32_t *cutCount,
                        double *facc, double *virial) {
    force_rows(P, i0, i1, fp, cutPair, cutSlopes, cutCount, facc, virial);
}
#endif

int32_t seem_eam_uses_avx2(void) {
    static int32_t cached = -1; /* a benign race: every thread computes the same value */
    if (cached < 0) {
        int32_t use = 0;
#if defined(__x86_64__)
        __builtin_cpu_init();
        const char *off = getenv("SEEM_NO_AVX2");
        use = __builtin_cpu_supports("avx2") && !(off && off[0] && strcmp(off, "0") != 0);
#endif
        cached = use;
    }
    return cached;
}

double seem_eam_density(const seem_eam_pairs *p, int32_t i0, int32_t i1, double *acc,
                        int32_t *cutPair, double *cutSlopes, int32_t *cutCount, void *scratch) {
#if defined(__x86_64__)
    if (seem_eam_uses_avx2()) return density_avx2(p, i0, i1, acc, cutPair, cutSlopes, cutCount, scratch);
#endif
    return density_baseline(p, i0, i1, acc, cutPair, cutSlopes, cutCount, scratch);
}

void seem_eam_forces(const seem_eam_pairs *p, int32_t i0, int32_t i1, const double *fp,
                     const int32_t *cutPair, const double *cutSlopes, const int32_t *cutCount,
                     double *facc, double *virial) {
#if defined(__x86_64__)
    if (seem_eam_uses_avx2()) { forces_avx2(p, i0, i1, fp, cutPair, cutSlopes, cutCount, facc, virial); return; }
#endif
    forces_baseline(p, i0, i1, fp, cutPair, cutSlopes, cutCount, facc, virial);
}
