/*
 * The parser fed mutated real scripts (tests/pktdrill/scripts): bytes
 * changed, spans cut or repeated, tokens of the grammar dropped in, the text
 * cut short. Whatever comes out, the parser must either fail with a
 * "FILE:LINE:COL: ..." message or give events that print and parse back to
 * the same events. Each mutant sits in a buffer of exactly its length, so the
 * AddressSanitizer build (tests/suites/56-pktdrill.sh) catches any read past
 * the end, and LeakSanitizer any node not freed. The seed is printed
 * (TOE_SEED repeats a run); PD_FUZZ_ITERS sets the count.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream, opendir */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pd_ast.h"
#include "pd_test_util.h"
#include "test_seed.h"

static const char *const dictionary[] = {
    "<", ">", "...", "+", "~", "*", "(", ")", "[", "]", "{", "}", ",", "=", "|", ":", "-",
    "--", "`", "%{", "}%", "/*", "*/", "//", "\"", "\n", " ", "0", "+0", ".1", "0x", "-1",
    "4294967296", "99999999999999999999", "S.", "FP.", "ack", "win", "urg", "mss", "wscale",
    "sack", "TS val", "ecr", "sackOK", "nop", "eol", "EINPROGRESS", "(text)", "0:0(0)",
    "1:1001(1000)", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{a=", "udp", "[ect0]", "[ce]", "[", "\0",
};

struct corpus {
    char **text;
    size_t *len;
    size_t n;
};

static struct corpus corpus;

static int load_corpus(void **state)
{
    size_t n, i;
    char **paths = pd_script_paths(&n);

    (void)state;
    if (!paths || n == 0)
        return -1;
    corpus.text = calloc(n, sizeof(char *));
    corpus.len = calloc(n, sizeof(size_t));
    if (!corpus.text || !corpus.len)
        return -1;
    for (i = 0; i < n; i++)
        if (!(corpus.text[i] = pd_read_whole(paths[i], &corpus.len[i])))
            return -1;
    corpus.n = n;
    pd_free_paths(paths, n);
    return 0;
}

static int free_corpus(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < corpus.n; i++)
        free(corpus.text[i]);
    free(corpus.text);
    free(corpus.len);
    return 0;
}

/* One mutation of BUF[0..*LEN) in place; CAP bytes are available. */
static void mutate(char *buf, size_t *len, size_t cap)
{
    size_t at = *len ? test_rand_below((uint32_t)*len) : 0;
    size_t span = 1 + test_rand_below(16);

    switch (test_rand_below(6)) {
    case 0: /* one byte, any value */
        if (*len)
            buf[at] = (char)test_rand64();
        break;
    case 1: /* one printable byte */
        if (*len)
            buf[at] = (char)(0x20 + test_rand_below(0x5f));
        break;
    case 2: /* cut a span */
        if (span > *len - at)
            span = *len - at;
        memmove(buf + at, buf + at + span, *len - at - span);
        *len -= span;
        break;
    case 3: /* repeat a span */
        if (span > *len - at)
            span = *len - at;
        if (*len + span <= cap) {
            memmove(buf + at + span, buf + at, *len - at);
            *len += span;
        }
        break;
    case 4: { /* a token of the grammar */
        const char *w = dictionary[test_rand_below(sizeof(dictionary) / sizeof(dictionary[0]))];
        size_t wl = *w ? strlen(w) : 1;

        if (*len + wl <= cap) {
            memmove(buf + at + wl, buf + at, *len - at);
            memcpy(buf + at, w, wl);
            *len += wl;
        }
        break;
    }
    default: /* cut short */
        *len = at;
        break;
    }
}

/* A parsed mutant prints and parses back to the same events. */
static void check_round_trip(const struct pd_script *a)
{
    struct pd_error err;
    struct pd_script *b;
    char *printed = NULL;
    size_t plen = 0, i;
    FILE *f = open_memstream(&printed, &plen);

    assert_non_null(f);
    assert_int_equal(pd_script_print(f, a), 0);
    fclose(f);
    b = pd_parse_text("printed", printed, plen, &err);
    if (!b)
        fail_msg("a parsed mutant printed as text that does not parse: %s\n%s", err.msg, printed);
    assert_int_equal(a->n_events, b->n_events);
    for (i = 0; i < a->n_events; i++)
        if (!pd_event_equal(&a->events[i], &b->events[i]))
            fail_msg("event %zu changed in the round trip:\n%s", i, printed);
    pd_script_free(b);
    free(printed);
}

static void fuzz_mutated_scripts(void **state)
{
    const char *env = getenv("PD_FUZZ_ITERS");
    unsigned long iters = env && *env ? strtoul(env, NULL, 0) : 20000, it;
    unsigned long parsed = 0, refused = 0;

    (void)state;
    for (it = 0; it < iters; it++) {
        size_t pick = test_rand_below((uint32_t)corpus.n);
        size_t cap = corpus.len[pick] * 2 + 64, len = corpus.len[pick];
        char *work = malloc(cap), *exact;
        unsigned k, n = 1 + test_rand_below(4);
        struct pd_error err;
        struct pd_script *s;

        assert_non_null(work);
        memcpy(work, corpus.text[pick], len);
        for (k = 0; k < n; k++)
            mutate(work, &len, cap);
        /* exactly LEN bytes: a read past the end is a heap overflow ASan reports */
        exact = malloc(len ? len : 1);
        assert_non_null(exact);
        memcpy(exact, work, len);
        free(work);
        s = pd_parse_text("fuzz.pkt", exact, len, &err);
        if (s) {
            parsed++;
            check_round_trip(s);
            pd_script_free(s);
        } else {
            refused++;
            if (strncmp(err.msg, "fuzz.pkt:", 9) || err.line < 1 || err.col < 1)
                fail_msg("iteration %lu: a refusal without a position: '%s'", it, err.msg);
        }
        free(exact);
    }
    printf("%lu mutants: %lu parsed and round-tripped, %lu refused with a position\n", iters,
           parsed, refused);
    /* a mutator that breaks nothing, or everything, tests little */
    assert_true(parsed > 0 && refused > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fuzz_mutated_scripts),
    };

    test_seed_init("test_pd_fuzz");
    return cmocka_run_group_tests(tests, load_corpus, free_corpus);
}
