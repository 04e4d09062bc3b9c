#include "dev_test.h"
size_t dev_queue_tests(struct CMUnitTest *out)
{
    (void)out;
    return 0;
}
