/*
 * Unit tests of the pcap writer (sim/model/toe_pcap.c): frames written are
 * read back by libpcap itself with the same bytes, lengths and nanosecond
 * timestamps.
 */
/* mkstemp() and libpcap's BSD types (u_char, u_int) are not ISO C. */
#define _DEFAULT_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "toe_pcap.h"

static char path[64];

static int make_path(void **state)
{
    int fd;

    (void)state;
    snprintf(path, sizeof(path), "/tmp/test_pcap_XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static int remove_path(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

static void round_trip(void **state)
{
    static uint8_t big[70000];
    static const uint8_t small[54] = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01,
                                      0x08, 0x00, 0x45};
    const uint64_t t0 = 1700000000ull * 1000000000ull + 123456789ull;
    struct toe_pcap *pc;
    pcap_t *p;
    char err[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *data;
    uint32_t magic;
    FILE *f;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7);
    pc = toe_pcap_open(path);
    assert_non_null(pc);
    toe_pcap_write(pc, t0, small, sizeof(small));
    toe_pcap_write(pc, t0 + 1, big, 1514);
    toe_pcap_write(pc, 999999999ull, big, sizeof(big)); /* beyond the snapshot length */
    toe_pcap_close(pc);

    /* nanosecond files carry the magic a1b23c4d (little-endian on disk here) */
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(&magic, 4, 1, f), 1);
    fclose(f);
    assert_int_equal(magic, 0xa1b23c4d);

    p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    assert_non_null(p);
    assert_int_equal(pcap_datalink(p), DLT_EN10MB);
    assert_int_equal(pcap_snapshot(p), 65535);

    assert_int_equal(pcap_next_ex(p, &h, &data), 1);
    assert_int_equal(h->ts.tv_sec, 1700000000);
    assert_int_equal(h->ts.tv_usec, 123456789); /* nanoseconds in this mode */
    assert_int_equal(h->caplen, sizeof(small));
    assert_int_equal(h->len, sizeof(small));
    assert_memory_equal(data, small, sizeof(small));

    assert_int_equal(pcap_next_ex(p, &h, &data), 1);
    assert_int_equal(h->ts.tv_usec, 123456790);
    assert_int_equal(h->caplen, 1514);
    assert_memory_equal(data, big, 1514);

    assert_int_equal(pcap_next_ex(p, &h, &data), 1);
    assert_int_equal(h->ts.tv_sec, 0);
    assert_int_equal(h->ts.tv_usec, 999999999);
    assert_int_equal(h->caplen, 65535);
    assert_int_equal(h->len, sizeof(big));
    assert_memory_equal(data, big, 65535);

    assert_int_equal(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK); /* end of file */
    pcap_close(p);
}

static void open_failure(void **state)
{
    (void)state;
    /* prints a message on stderr and returns NULL */
    assert_null(toe_pcap_open("/nonexistent-dir/x.pcap"));
    toe_pcap_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(round_trip, make_path, remove_path),
        cmocka_unit_test(open_failure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
