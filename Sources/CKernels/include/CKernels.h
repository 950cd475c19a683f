#ifndef SEEM_CKERNELS_H
#define SEEM_CKERNELS_H
/* The two pair loops of the EAM evaluation (Sources/EAM/EAMForceField.swift describes the passes).
 * They are written in C for one reason: the same source is compiled twice, for baseline x86-64 and
 * for AVX2, and picked at run time, so each pair's three splines run as one 4-wide vector chain where
 * the CPU has it, with no build flags. The arithmetic is the same in both versions (IEEE +, −, ×, ÷,
 * sqrt, no fused multiply-add, no reassociation), so results are bit-identical on every machine. */
#include <stdint.h>

/* Where an ordered type pair (tᵢ, tⱼ) finds its table: knot m (1-based) starts at
 * table + base + 8·(m − 1) and holds the knot values (lanes 0–2) then the knot slopes (lanes 4–6);
 * segment m reads knots m and m + 1. Lanes: ρ_{j→i} is `inLane`,
 * ρ_{i→j} is `outLane`, r·φ is lane 2. Pairs with r² ≥ `cutoffSquared` (the global cutoff, or less
 * where all three functions are exactly zero further out) contribute nothing and are skipped. */
typedef struct {
    int64_t base;
    int32_t inLane;
    int32_t outLane;
    double cutoffSquared;
} seem_pair_lookup;

/* Everything the pair loops read. Positions and image shifts are 4 doubles apart (x, y, z, pad). */
typedef struct {
    const double *positions;
    const double *shifts;
    const int32_t *rowStart;
    const int32_t *neighbor;
    const int32_t *image;
    const int32_t *type;
    const double *table;
    const seem_pair_lookup *lookup; /* [tᵢ·typeCount + tⱼ] */
    int32_t typeCount;
    int32_t nr;
    int64_t maxRow; /* longest row: sizes the scratch of seem_eam_density */
    double rdr;
} seem_eam_pairs;

/* Bytes of scratch `seem_eam_density` needs for rows of up to `maxRow` entries. */
int64_t seem_eam_scratch_bytes(int64_t maxRow);

/* Pass 1 over rows [i0, i1): adds ρ_{j→i} to acc[i] and ρ_{i→j} to acc[j]; keeps the pairs within the
 * cutoff at the front of each row's entry range (cutPair: j, image; cutSlopes: ρ'_{j→i}, ρ'_{i→j}, φ',
 * 1/r) and their number in cutCount[i]. Returns the pair energy Σφ of these rows. */
double seem_eam_density(const seem_eam_pairs *p, int32_t i0, int32_t i1, double *acc,
                        int32_t *cutPair, double *cutSlopes, int32_t *cutCount, void *scratch);

/* Pass 3 over rows [i0, i1): pair forces from F' (fp), added to facc[i] and subtracted from facc[j]
 * (4 doubles per atom); adds the pair virial (xx, yy, zz, xy, xz, yz) to virial. */
void seem_eam_forces(const seem_eam_pairs *p, int32_t i0, int32_t i1, const double *fp,
                     const int32_t *cutPair, const double *cutSlopes, const int32_t *cutCount,
                     double *facc, double *virial);

/* 1 when the AVX2 versions run (set SEEM_NO_AVX2=1 in the environment to force the baseline ones). */
int32_t seem_eam_uses_avx2(void);
#endif
