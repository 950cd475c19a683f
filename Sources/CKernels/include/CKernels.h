#ifndef SEEM_CKERNELS_H
#define SEEM_CKERNELS_H
/* Hints Swift cannot spell: a software prefetch for table rows that the pair loop will read next. */
static inline void seem_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
#endif
