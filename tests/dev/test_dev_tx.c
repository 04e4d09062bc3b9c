#include "dev_test.h"
size_t dev_tx_tests(struct CMUnitTest *out)
{
    (void)out;
    return 0;
}
