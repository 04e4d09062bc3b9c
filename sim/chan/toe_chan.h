/*
 * toe_chan: the message channel between toe-sim (the device) and the host
 * driver, as docs/device.md "The channel" describes it (after SimBricks' PCIe
 * protocol). Both sides link this library.
 *
 *   - A Unix stream socket carries the handshake: the host's HELLO with its DMA
 *     memory (a memfd, SCM_RIGHTS), the device's answer with the queue memory
 *     (another memfd). Afterwards it carries only wake bytes, and its end (EOF,
 *     error) is how a side learns that its peer is gone.
 *   - The queue memory holds two single-producer single-consumer rings of
 *     64-byte slots (struct toe_chan_msg, include/toe_formats.h): host to device
 *     and device to host. A slot's `own` byte says whose it is; nothing else is
 *     shared but the two wait words.
 *   - Everything the peer controls (HELLO fields, memfds, slot contents) is
 *     checked; a bad value is a clear error, a counter and a log line, never a
 *     crash or a hang.
 *
 * Use, device side (toe-sim):
 *     ch = toe_chan_new(&opts);          toe_chan_listen(ch, path);
 *     toe_chan_accept(ch, timeout_ms);   then send, receive, wait, DMA;
 *     a wait that returns -EPIPE means the host left: toe_chan_detach(ch),
 *     toe_chan_accept(ch, ...) again.
 * Host side (driver):
 *     fd = toe_chan_memfd("dma", size);  ch = toe_chan_new(&opts);
 *     toe_chan_connect(ch, path, fd, size, iova);  then send, receive, wait.
 *
 * One thread per channel: nothing here locks. Functions that fail return a
 * negative errno; toe_chan_error() then says why in words.
 */
#ifndef TOE_CHAN_H
#define TOE_CHAN_H

#include <stddef.h>
#include <stdint.h>

#include "toe_formats.h"

struct toe_chan;

/* What toe_chan_wait() waits for and returns; the same bits the shared wait
 * words use. */
enum {
    TOE_CHAN_RX = CHAN_WAIT_RX, /* a message to receive */
    TOE_CHAN_TX = CHAN_WAIT_TX, /* a free slot to send in */
    TOE_CHAN_EXTRA = 0x80,      /* toe_chan_wait_fd(): the extra descriptor is readable */
};

/* Which ring a message travels on (toe_chan_msg_check()). */
enum toe_chan_dir { TOE_CHAN_H2D, TOE_CHAN_D2H };

struct toe_chan_opts {
    /* Device: slots per ring, 1 to CHAN_NSLOTS_MAX (0: CHAN_NSLOTS_DEFAULT). */
    uint32_t nslots;
    /* How long a handshake may take once the connection exists, in ms (0: 5000).
     * Bounds what a silent or half-speaking peer can cost. */
    int handshake_timeout_ms;
    /* toe_chan_wait() looks at the rings for this long before it sleeps in
     * poll(): a peer that answers within it costs no system call and no wake
     * byte (0: sleep at once, the polite choice on a machine with few cores). */
    uint32_t spin_ns;
    /* The protocol version this side says it speaks (0: CHAN_VERSION). Other
     * values exist to show what a mismatch does. */
    uint32_t version;
    /* Where log lines go (without newline); NULL: stderr, "toe-chan: " first. */
    void (*log)(void *arg, const char *line);
    void *log_arg;
};

struct toe_chan_stats {
    uint64_t tx;             /* messages published */
    uint64_t rx;             /* good messages received */
    uint64_t rx_bad;         /* received messages refused (dropped, slot handed back) */
    uint64_t tx_refused;     /* commits refused because the message was malformed */
    uint64_t sleeps;         /* times toe_chan_wait() slept in poll() */
    uint64_t wakes_sent;     /* wake bytes written to a sleeping peer */
    uint64_t dma_refused;    /* toe_chan_dma_ptr() ranges outside the DMA memory */
    uint64_t hosts_refused;  /* device: connections refused (BUSY, VERSION, BAD_DMA) */
    uint64_t hosts_dropped;  /* device: connections dropped (no HELLO, bad magic, malformed) */
};

/* A channel, not yet connected; NULL with errno EINVAL (bad opts) or ENOMEM.
 * opts may be NULL for the defaults. */
struct toe_chan *toe_chan_new(const struct toe_chan_opts *opts);

/* Detaches, stops listening (removing the socket file if it is still ours) and
 * frees. NULL is allowed. */
void toe_chan_close(struct toe_chan *ch);

/* Device: listen on the Unix socket `path`. A socket file nobody listens on (a
 * toe-sim that died) is replaced; one somebody listens on gives -EADDRINUSE. */
int toe_chan_listen(struct toe_chan *ch, const char *path);

/* Device: wait up to timeout_ms (< 0: forever) for a host and shake hands.
 * 0: attached. -ETIMEDOUT: no host, or a host that did not finish its HELLO
 * within the handshake timeout (dropped). -ECONNRESET: a host hung up during
 * its HELLO. -EPROTO: a host dropped for a bad magic or a malformed HELLO.
 * -EPROTONOSUPPORT: answered VERSION. -EINVAL: answered BAD_DMA. -EISCONN: a
 * host is attached already. A failed handshake leaves the channel listening,
 * and toe_chan_error() says what the host did. */
int toe_chan_accept(struct toe_chan *ch, int timeout_ms);

/* Host: connect to the device at `path`, offering dma_size bytes of the memfd
 * dma_fd (see toe_chan_memfd()) at bus address dma_iova. 0: attached, and the
 * DMA memory is mapped for toe_chan_dma_ptr() too; dma_fd stays the caller's.
 * -EBUSY: another host is attached. -EPROTONOSUPPORT: the device speaks another
 * version (the error names both). -EINVAL: the device refused the DMA memory.
 * -EPROTO: the device's answer or its queue memory is malformed. -ECONNRESET:
 * the device hung up during the handshake. -ETIMEDOUT, or the errno of a
 * failed connect(). */
int toe_chan_connect(struct toe_chan *ch, const char *path, int dma_fd,
                     uint64_t dma_size, uint64_t dma_iova);

/* Ends the attachment (the peer sees the socket close) and unmaps both
 * memories; a device keeps listening. Harmless when not attached. */
void toe_chan_detach(struct toe_chan *ch);

/* A memfd of `size` bytes fit for DMA memory: sealed against shrinking and
 * growing, so that neither side can pull pages from under the other's mapping
 * (a SIGBUS). Returns the fd (close-on-exec) or -errno. */
int toe_chan_memfd(const char *name, uint64_t size);

/* The next free slot of the send ring, zeroed, or NULL when the ring is full
 * (or nothing is attached). Fill type, id, time and payload; own is the
 * library's. Calling it again before a commit gives the same slot. */
struct toe_chan_msg *toe_chan_tx_alloc(struct toe_chan *ch);

/* Publish the slot toe_chan_tx_alloc() gave, waking the peer if it sleeps for
 * a message. The message is checked as the peer will check it; a malformed one
 * is not published: -EINVAL, and the slot stays allocated. */
int toe_chan_tx_commit(struct toe_chan *ch, struct toe_chan_msg *m);

/* toe_chan_tx_alloc() + copy of m (own ignored) + toe_chan_tx_commit().
 * -EAGAIN when the ring is full. */
int toe_chan_send(struct toe_chan *ch, const struct toe_chan_msg *m);

/* The next received message. 1: *m points at a checked private copy (the peer
 * cannot change it under the caller), valid until toe_chan_rx_release(); the
 * slot stays the caller's until then, which is the ring's back-pressure. 0:
 * none. -EPROTO: the next slot held a malformed message; it was dropped,
 * counted and handed back, and toe_chan_error() says what was wrong; peek
 * again. -ENOTCONN: not attached. */
int toe_chan_rx_peek(struct toe_chan *ch, const struct toe_chan_msg **m);

/* Hand the peeked slot back to the sender (waking it if it sleeps for a free
 * slot). -EINVAL when nothing is peeked. */
int toe_chan_rx_release(struct toe_chan *ch);

/* Wait up to timeout_ms (< 0: forever) until one of `what` (TOE_CHAN_RX,
 * TOE_CHAN_TX) holds. Returns the bits that hold (> 0), 0 on timeout,
 * -EPIPE once the peer is gone and none holds (messages it sent before it went
 * are received first), -EINTR when a signal interrupted the sleep, -ENOTCONN.
 * A device also answers BUSY to any other host that connects meanwhile. */
int toe_chan_wait(struct toe_chan *ch, unsigned what, int timeout_ms);

/* toe_chan_wait(), also returning (with TOE_CHAN_EXTRA set) as soon as
 * extra_fd (>= 0; -1: none) is readable or hung up: a program that serves the
 * channel and another socket (toe-sim's cable) sleeps in one place. */
int toe_chan_wait_fd(struct toe_chan *ch, unsigned what, int extra_fd, int timeout_ms);

/* Device: the listening socket, for a poll() that also waits for a host to
 * connect while none is attached (then call toe_chan_accept()); -1 if none. */
int toe_chan_listen_fd(const struct toe_chan *ch);

/* A pointer to the DMA memory for bus addresses [iova, iova + len), or NULL
 * when that range is not wholly inside it (an IOMMU fault: counted in
 * dma_refused and logged, and nothing is touched). A length of 0 is refused:
 * an access of nothing is a bug in the caller, and the end of the region is
 * not a pointer to dereference. */
void *toe_chan_dma_ptr(struct toe_chan *ch, uint64_t iova, uint64_t len);

/* The bounds check itself: 1 when [iova, iova + len) lies inside [base, base +
 * size), len > 0, with no overflow anywhere; else 0. */
int toe_chan_dma_range_ok(uint64_t base, uint64_t size, uint64_t iova, uint64_t len);

/* Checks a message as the receiver on ring `dir` does: a type that travels that
 * way, reserved fields and unused payload bytes 0, the payload's own rules
 * (MMIO size 4 or 8 and aligned, BAR 0 to 5, a 4-byte write's value in 32
 * bits, MSI-X vector below MSIX_VECTORS) and a time not below min_time (the
 * last one on that ring). `own` is not looked at. 0, or -EPROTO with the reason
 * in why. */
int toe_chan_msg_check(const struct toe_chan_msg *m, enum toe_chan_dir dir,
                       uint64_t min_time, char *why, size_t whylen);

/* A message type's name ("MMIO_READ"), or "?" */
const char *toe_chan_msg_name(unsigned type);

const char *toe_chan_error(const struct toe_chan *ch);  /* last error, "" if none */
const struct toe_chan_stats *toe_chan_stats(const struct toe_chan *ch);
int toe_chan_attached(const struct toe_chan *ch);       /* 1 while attached */
uint32_t toe_chan_nslots(const struct toe_chan *ch);    /* slots per ring; 0 unattached */
uint64_t toe_chan_dma_iova(const struct toe_chan *ch);  /* DMA memory's bus address */
uint64_t toe_chan_dma_size(const struct toe_chan *ch);  /* and size; 0 unattached */
/* The peer's wait word (CHAN_WAIT bits): what it sleeps for now. For tests and
 * diagnostics; it may change the moment after it is read. */
unsigned toe_chan_peer_wait(const struct toe_chan *ch);

#endif /* TOE_CHAN_H */
