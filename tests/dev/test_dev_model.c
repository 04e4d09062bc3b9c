/*
 * Unit tests of the device model, toe_dev_model_new() (sim/dev/model),
 * against docs/device.md: registers, reset, rings, TX, RX, the firmware
 * window, MSI-X moderation and time. One cmocka group; the cases live in
 * the test_dev_*.c files by subject. Random cases take their seed from
 * TOE_SEED (default 1) and print it.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <stdio.h>
#include <stdlib.h>

#include "dev_test.h"

int main(void)
{
    static struct CMUnitTest tests[256];
    size_t n = 0;
    const char *env = getenv("TOE_SEED");

    /* TOE_SEED absent: seed 1, so that a plain run repeats itself; the
     * random cases print it (test_seed_init). */
    if (!env || !*env)
        setenv("TOE_SEED", "1", 1);
    n += dev_regs_tests(tests + n);
    n += dev_queue_tests(tests + n);
    n += dev_tx_tests(tests + n);
    n += dev_rx_tests(tests + n);
    n += dev_fw_tests(tests + n);
    n += dev_irq_tests(tests + n);
    n += dev_time_tests(tests + n);
    return _cmocka_run_group_tests("dev_model", tests, n, NULL, NULL);
}
