/* What both platforms share; see toe_plat.h. */
#define _GNU_SOURCE
#include "toe_plat.h"

#include <stdarg.h>
#include <stdio.h>

void toe_plat_mark_gone(struct toe_plat *p, const char *fmt, ...)
{
    va_list ap;

    if (p->gone)
        return; /* the first reason is the one that explains the rest */
    va_start(ap, fmt);
    vsnprintf(p->gone_why, sizeof(p->gone_why), fmt, ap);
    va_end(ap);
    p->gone = 1;
}
