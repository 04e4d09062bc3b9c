#include "dev_test.h"
size_t dev_rx_tests(struct CMUnitTest *out)
{
    (void)out;
    return 0;
}
