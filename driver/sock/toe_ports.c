/* Local port selection: toe_ports.h. */
#include "toe_ports.h"

#include <string.h>

void toe_ports_init(struct toe_ports *p, uint16_t low, uint16_t high)
{
    memset(p, 0, sizeof(*p));
    p->low = low;
    p->high = high;
}

uint16_t toe_ports_connect(struct toe_ports *p, uint32_t hash, uint32_t laddr, uint32_t raddr,
                           uint16_t rport, toe_tuple_free_fn tuple_free, void *arg)
{
    const uint32_t remaining = (uint32_t)p->high - p->low + 1;
    uint32_t *perturb = &p->perturb[hash & (TOE_PORTS_PERTURB - 1)];
    /* RFC 6056 3.3.4: offset = F(addresses, secret) + table[G(addresses)] */
    uint32_t offset = hash + *perturb;

    if (remaining == 1)
        offset = 0;
    /* Even ports first (offset even, step 2), then the odd ones. */
    offset &= ~1u;
    for (uint32_t parity = 0; parity < 2; parity++) {
        for (uint32_t i = parity; i < remaining; i += 2) {
            uint16_t port = (uint16_t)(p->low + (i + offset) % remaining);

            p->searched++;
            if (tuple_free(arg, laddr, port, raddr, rport)) {
                /* Linux moves the perturbation on by i + 2 so that the next
                 * connect to the same peer starts past this port. */
                *perturb += i + 2;
                return port;
            }
        }
    }
    p->exhausted++;
    return 0;
}

uint16_t toe_ports_bind_any(struct toe_ports *p, uint32_t rnd, uint32_t laddr, toe_port_unused_fn unused,
                            void *arg)
{
    const uint32_t remaining = (uint32_t)p->high - p->low + 1;
    uint32_t offset = remaining > 1 ? (rnd % remaining) | 1u : 0; /* odd first: connect() takes the even */

    for (uint32_t parity = 0; parity < 2; parity++) {
        for (uint32_t i = parity; i < remaining; i += 2) {
            uint16_t port = (uint16_t)(p->low + (i + offset) % remaining);

            p->searched++;
            if (unused(arg, laddr, port))
                return port;
        }
    }
    p->exhausted++;
    return 0;
}
