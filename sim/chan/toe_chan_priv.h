/*
 * toe_chan internals shared by its files: the channel object, the shared-memory
 * atomics and the error/log helpers. Not for users of the library.
 */
#ifndef TOE_CHAN_PRIV_H
#define TOE_CHAN_PRIV_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "toe_chan.h"

/* The own bytes and wait words are shared with another process. C11 atomics
 * work across processes only when lock-free (a lock-based one would take a lock
 * the other process cannot see), and the casts below need an atomic to have
 * the size of the plain type the format declares. */
_Static_assert(ATOMIC_CHAR_LOCK_FREE == 2, "shared own bytes need lock-free atomics");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "shared wait words need lock-free atomics");
_Static_assert(sizeof(_Atomic uint8_t) == 1 && sizeof(_Atomic uint32_t) == 4,
               "atomic views of the format's fields");

#define TOE_CHAN_QHDR_SIZE ((uint64_t)sizeof(struct toe_chan_qhdr))
#define TOE_CHAN_HANDSHAKE_MS_DEFAULT 5000
/* Refusals are always counted; the log gets the first few of each kind, so that
 * a misbehaving peer cannot flood it. */
#define TOE_CHAN_LOG_LIMIT 16

enum toe_chan_role { ROLE_NONE, ROLE_DEVICE, ROLE_HOST };

struct toe_chan {
    struct toe_chan_opts opts;
    enum toe_chan_role role;

    /* device: the listening socket and the file it is bound to */
    int listen_fd;
    char *path;
    dev_t path_dev;
    ino_t path_ino;

    /* the attachment */
    int sock;                     /* connected socket, -1 when detached */
    int peer_gone;                /* the socket ended: EOF or error */
    uint8_t *queue;               /* queue memory: header, h2d ring, d2h ring */
    uint64_t queue_size;
    uint32_t nslots;
    struct toe_chan_msg *tx_ring, *rx_ring;
    _Atomic uint32_t *my_wait, *peer_wait;
    enum toe_chan_dir tx_dir, rx_dir;
    uint32_t tx_pos, rx_pos;      /* each side's own position, never shared */
    uint64_t tx_time, rx_time;    /* last time sent / received: times never decrease */
    int rx_held;                  /* a peeked message not yet released */
    struct toe_chan_msg rx_copy;  /* its private copy */
    uint8_t *dma;                 /* DMA memory (the host's), mapped */
    uint64_t dma_size, dma_iova;

    struct toe_chan_stats stats;
    char err[256];
};

static inline _Atomic uint8_t *own_of(struct toe_chan_msg *m)
{
    return (_Atomic uint8_t *)&m->own;
}

/* Sets the error text (printf-style) and returns -err, so that a failure is
 * `return fail(ch, EPROTO, "...", ...)`. log_too also sends it to the log. */
int toe_chan_fail(struct toe_chan *ch, int err, int log_too, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void toe_chan_log(struct toe_chan *ch, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Logs only while *count (already incremented for this event) is small. */
void toe_chan_log_limited(struct toe_chan *ch, uint64_t count);

/* toe_chan_ring.c: set the rings up over ch->queue once attached. */
void toe_chan_rings_init(struct toe_chan *ch);
/* toe_chan.c: the device answers a host that connects while one is attached. */
void toe_chan_refuse_busy(struct toe_chan *ch);

/* toe_chan_hello.c: socket I/O for the handshake, bounded by a deadline. */
int toe_chan_send_hello(int fd, const struct toe_chan_hello *h, int pass_fd, int timeout_ms);
/* Reads one HELLO; *got says how many bytes arrived (for the error text); the
 * first fd that came with it goes to *fd (-1 if none; extra ones are closed).
 * 0, -ETIMEDOUT, -ECONNRESET (EOF before 64 bytes) or -errno. */
int toe_chan_recv_hello(int fd, struct toe_chan_hello *h, int *pass_fd, size_t *got,
                        int timeout_ms);
/* Checks that fd is a memfd sealed against shrinking and holding at least
 * `size` bytes (exactly, when exact), and maps it shared, read-write.
 * NULL with the reason in why. */
void *toe_chan_map_memfd(int fd, uint64_t size, int exact, char *why, size_t whylen);

#endif /* TOE_CHAN_PRIV_H */
