/*
 * A small pcap writer for Ethernet frames (libpcap's dump API), so that
 * model and simulation output can be read with tcpdump or Wireshark.
 */
#ifndef TOE_PCAP_H
#define TOE_PCAP_H

#include <stddef.h>
#include <stdint.h>

struct toe_pcap;

/*
 * Create (or truncate) the pcap file at path, link type Ethernet, snapshot
 * length 65535, nanosecond timestamps where libpcap supports them (1.5 and
 * later) and microseconds otherwise.  Returns NULL after a message on
 * stderr on failure.
 */
struct toe_pcap *toe_pcap_open(const char *path);

/*
 * Append one frame (no FCS) stamped time_ns nanoseconds after the epoch
 * (rounded down to microseconds in a microsecond file).  Frames longer than
 * 65535 bytes are recorded truncated, with their original length.
 */
void toe_pcap_write(struct toe_pcap *pc, uint64_t time_ns, const uint8_t *frame,
                    size_t len);

/* Flush and close the file and free pc; NULL is ignored.  A write error
 * found while flushing is reported on stderr. */
void toe_pcap_close(struct toe_pcap *pc);

#endif /* TOE_PCAP_H */
