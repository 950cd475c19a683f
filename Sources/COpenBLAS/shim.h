// OpenBLAS's CBLAS plus the LAPACK routines seem calls, declared with the Fortran ABI
// (libopenblas-dev ships liblapack symbols but no LAPACK header).
#include <cblas.h>

/// Least squares min ||A x - b|| by QR (column-major A, m×n; B overwritten by the solution).
void dgels_(const char *trans, const int *m, const int *n, const int *nrhs,
            double *a, const int *lda, double *b, const int *ldb,
            double *work, const int *lwork, int *info);
/// Least squares by complete orthogonal factorization with column pivoting; rank from rcond.
void dgelsy_(const int *m, const int *n, const int *nrhs, double *a, const int *lda,
             double *b, const int *ldb, int *jpvt, const double *rcond, int *rank,
             double *work, const int *lwork, int *info);
/// Inverse of a symmetric positive-definite matrix from its Cholesky factor (after dpotrf_).
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info);
