/*
 * Checksum speed of the C model (make bench): GB/s of toe_csum_partial_fast, the
 * 64-bit accumulating loop the model uses on bulk data, against toe_csum_partial,
 * the plain RFC 1071 16-bit-word loop, measured in the same run so that the ratio
 * holds on a noisy machine (best of ten alternating rounds each). Prints one line
 * of key=value figures.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "toe_csum.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Sums a 64 KiB buffer (at an odd offset, as payloads are) until at least min_s
 * seconds have passed; returns GB/s. The result is folded into *sink so that the
 * compiler cannot drop the work. */
static double run(uint32_t (*fn)(uint32_t, const void *, size_t), const uint8_t *buf,
                  size_t len, double min_s, uint32_t *sink)
{
    uint64_t bytes = 0;
    double t0 = now_s(), t;
    do {
        for (int i = 0; i < 256; i++) {
            *sink ^= fn(*sink, buf + 1, len);
            bytes += len;
        }
        t = now_s() - t0;
    } while (t < min_s);
    return (double)bytes / t / 1e9;
}

int main(void)
{
    enum { LEN = 65536 };
    uint8_t *buf = malloc(LEN + 8);
    uint32_t sink = 0;
    if (!buf) return 1;
    for (size_t i = 0; i < LEN + 8; i++) buf[i] = (uint8_t)(i * 131u + 7u);
    if (toe_csum_partial_fast(0, buf + 1, LEN) != toe_csum_partial(0, buf + 1, LEN)) {
        fprintf(stderr, "bench_csum: fast and reference sums differ\n");
        return 1;
    }
    /* Alternate short rounds of both and keep each one's best: a noisy neighbour then
     * slows both alike instead of whichever happened to run during the noise. */
    double fast = 0, ref = 0;
    for (int round = 0; round < 10; round++) {
        double f = run(toe_csum_partial_fast, buf, LEN, 0.05, &sink);
        double r = run(toe_csum_partial, buf, LEN, 0.05, &sink);
        if (f > fast) fast = f;
        if (r > ref) ref = r;
    }
    printf("BENCH model_csum_gbytes_per_s=%.3f ref_csum_gbytes_per_s=%.3f model_csum_speedup=%.2f sink=%u\n",
           fast, ref, fast / ref, sink & 1);
    free(buf);
    return 0;
}
