/*
 * Speed of the cable's impairment stage (make bench): frames per second through
 * toe_impair_push and toe_impair_pop, 60-byte frames (the most frames per second
 * a link carries) sent at 90% of 10 Gb/s in virtual time and popped as they fall
 * due.  Two configurations: every knob on (the bench key impair_frames_per_s) and
 * none (impair_plain_frames_per_s); the reference, timed in the same run, is the
 * least any stage must do: copy each frame into a FIFO ring and out again.  Best of
 * five alternating rounds each.  Prints one line of key=value figures.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toe_impair.h"

enum { FRAMES = 400000, LEN = 60, RING = 1024 };
#define SPACING_PS 74667ull /* (60 + 24) * 8 bits at 10 Gb/s is 67200 ps; 90% load */

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Frames per second through a stage with cfg; *sink folds in what came out so the
 * work cannot be optimised away. */
static double run_stage(const struct toe_impair_cfg *cfg, uint64_t *sink)
{
    static uint8_t frame[LEN], buf[TOE_IMPAIR_FRAME_MAX];
    const char *why;
    struct toe_impair *im = toe_impair_new(cfg, 1, &why);
    double t0;
    size_t len;
    uint64_t t;

    if (!im) {
        fprintf(stderr, "bench_impair: %s\n", why);
        exit(1);
    }
    t0 = now_s();
    for (uint64_t i = 0; i < FRAMES; i++) {
        uint64_t now = i * SPACING_PS;

        memcpy(frame, &i, sizeof(i));
        while (toe_impair_pop(im, now, buf, sizeof(buf), &len, &t) == 1)
            *sink += buf[LEN - 1] + t;
        if (toe_impair_push(im, frame, LEN, now) < 0) {
            fprintf(stderr, "bench_impair: push refused\n");
            exit(1);
        }
    }
    while (toe_impair_pop(im, TOE_IMPAIR_TIME_MAX, buf, sizeof(buf), &len, &t) == 1)
        *sink += buf[LEN - 1] + t;
    t0 = now_s() - t0;
    toe_impair_free(im);
    return FRAMES / t0;
}

/* The reference: a ring of RING frame slots, each frame copied in and out. */
static double run_copy(uint64_t *sink)
{
    static uint8_t ring[RING][LEN], frame[LEN], buf[LEN];
    uint64_t head = 0, tail = 0;
    double t0 = now_s();

    for (uint64_t i = 0; i < FRAMES; i++) {
        memcpy(frame, &i, sizeof(i));
        if (head - tail == RING / 2) { /* keep about as many held as the stage does */
            memcpy(buf, ring[tail++ % RING], LEN);
            *sink += buf[LEN - 1] + buf[0];
        }
        memcpy(ring[head++ % RING], frame, LEN);
    }
    while (tail != head) {
        memcpy(buf, ring[tail++ % RING], LEN);
        *sink += buf[LEN - 1] + buf[0];
    }
    return FRAMES / (now_s() - t0);
}

int main(void)
{
    struct toe_impair_cfg all, plain;
    double best_all = 0, best_plain = 0, best_copy = 0;
    uint64_t sink = 0;

    toe_impair_cfg_init(&plain);
    toe_impair_cfg_init(&all);
    all.delay_ps = 10000000;  /* 10 us */
    all.jitter_ps = 1000000;  /* +- 1 us */
    all.loss = 0.01;
    all.duplicate = 0.01;
    all.corrupt = 0.01;
    all.reorder = 0.01;
    all.rate_bps = 10000000000ull;
    for (int round = 0; round < 5; round++) {
        double a = run_stage(&all, &sink), p = run_stage(&plain, &sink), c = run_copy(&sink);

        if (a > best_all)
            best_all = a;
        if (p > best_plain)
            best_plain = p;
        if (c > best_copy)
            best_copy = c;
    }
    printf("BENCH impair_frames_per_s=%.0f impair_plain_frames_per_s=%.0f "
           "impair_ref_copy_frames_per_s=%.0f impair_vs_copy=%.3f sink=%u\n",
           best_all, best_plain, best_copy, best_all / best_copy, (unsigned)(sink & 1));
    return 0;
}
