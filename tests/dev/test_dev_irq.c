#include "dev_test.h"
size_t dev_irq_tests(struct CMUnitTest *out)
{
    (void)out;
    return 0;
}
