/* generated from rtl/data/toe_formats.json by tools/gen_formats.py; do not edit */
#ifndef TOE_FORMATS_H
#define TOE_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define TOE_STATIC_ASSERT static_assert
#else
#define TOE_STATIC_ASSERT _Static_assert
#endif

/* Little-endian memory images; these structs are their host view on a
 * little-endian host (checked below). */

#define TSO_MAX_LEN 65536u /* largest TSO payload one descriptor may carry (bytes): 64 KiB, as Linux GSO_MAX_SIZE */
#define RAW_MIN_LEN 14u /* smallest raw frame (an Ethernet header) */
#define RAW_MAX_LEN 9216u /* largest raw frame, FCS excluded (jumbo) */
#define MSS_MIN 88u /* smallest MSS a TSO descriptor may use (Linux TCP_MIN_MSS) */
#define MSS_MAX 9000u /* largest MSS a TSO descriptor may use (jumbo) */
#define TS_OPT_LEN 12u /* bytes of the timestamp option block: NOP, NOP, kind 8, len 10, TSval, TSecr (RFC 7323 appendix A layout) */
#define FRAME_BUF_BYTES 16384u /* TX frame buffer size: holds one largest segment plus the next one arriving */
#define RX_MAX_FRAME 9216u /* largest received frame; a longer one is dropped (RX_DROP_TOO_LONG) */
#define RX_HDR_CAP 142u /* bytes of a frame the parser looks at: Ethernet + 802.1Q (18) + IPv4 with options (60) + TCP with options (60), rounded up to whole 16-bit words */
#define CONN_MAX_DEFAULT 4096u /* connection-table entries by default (parameter CONN_MAX, a power of two up to 65536) */
#define CONN_MAX_MIN 64u /* smallest connection table (CONN_MAX): one word of the work bitmap */
#define CONN_MAX_MAX 65536u /* largest connection table (CONN_MAX): 16-bit connection ids */
#define CONN_WAYS 4u /* slots per hash bucket; two buckets (one per hash) are searched per lookup */
#define RX_EVENT_COALESCE_DEFAULT 16384u /* RX_DATA event after this many unreported placed bytes (cfg_coalesce_bytes) */
#define DELACK_TICKS_DEFAULT 4000u /* delayed-ACK timeout in ticks: 40 ms at the 10 us tick (cfg_delack_ticks; RFC 1122 caps it at 500 ms) */
#define DELACK_TICKS_MAX 50000u /* the delayed-ACK timeout is capped here whatever cfg_delack_ticks says: 500 ms at the 10 us tick (RFC 1122 4.2.3.2, RFC 9293 3.8.6.3) */
#define DEV_VENDOR_ID 4660u /* PCI vendor ID of the device (0x1234, as Corundum's default: an open design without an ID of its own) */
#define DEV_DEVICE_ID 28896u /* PCI device ID: OpenTOE */
#define DEV_SUBSYS_VENDOR_ID 4660u /* PCI subsystem vendor ID */
#define DEV_SUBSYS_ID 1u /* PCI subsystem ID: the reference device (toe-sim) */
#define DEV_REVISION 1u /* PCI revision ID */
#define DEV_CLASS 131072u /* PCI class code: network controller, Ethernet, no programming interface */
#define BAR0_SIZE 65536u /* bytes of BAR0 (64-bit, non-prefetchable memory): registers, MSI-X table and PBA */
#define BAR0_MSIX_TABLE 32768u /* offset of the MSI-X table in BAR0 (16 bytes a vector) */
#define BAR0_MSIX_PBA 36864u /* offset of the MSI-X pending-bit array in BAR0 */
#define MSIX_VECTORS 32u /* MSI-X vectors the device has */
#define CHAN_MAGIC 1128615764u /* first word of every channel HELLO and of the queue memory: 0x43454f54, the bytes 'TOEC' in memory (docs/device.md, The channel) */
#define CHAN_VERSION 1u /* channel protocol version; host and device must speak the same one */
#define CHAN_SLOT_SIZE 64u /* bytes of a channel ring slot: one chan_msg */
#define CHAN_NSLOTS_DEFAULT 1024u /* slots per channel ring unless toe-sim is told otherwise */
#define CHAN_NSLOTS_MAX 65536u /* most slots per channel ring a host accepts (4 MiB a ring) */
#define DEV_ID_MAGIC 1162826831u /* BAR0 ID register: 0x454f544f, the bytes 'OTOE' in memory */
#define IF_VERSION_MAJOR 1u /* host interface major version: a driver refuses a major it does not speak */
#define IF_VERSION_MINOR 0u /* host interface minor version: additions a driver of the same major may ignore */
#define DEV_CLK_MHZ 250u /* core clock of the reference device (toe-sim): 250 MHz, one cycle every DEV_CLK_PS */
#define DEV_CLK_PS 4000u /* picoseconds per core clock cycle */
#define DEV_WIDTH_BITS 64u /* datapath width of the device toe-sim hosts (bits); the engines build at 64..512 */
#define DEV_TICK_CYCLES 2500u /* core cycles per tick of the RX engine's timer clock: 10 us */
#define DEV_QUEUES 7u /* queues of the device (QID_*) */
#define QUEUE_LOG2_MIN 1u /* smallest ring: 2 entries */
#define QUEUE_LOG2_MAX 15u /* largest ring: 32768 entries */
#define QUEUE_NO_VECTOR 4294967295u /* QREG_VECTOR value for a ring with no interrupt (polled) */
#define FW_MBOX_SIZE 4096u /* bytes of firmware mailbox RAM (FW_MBOX_BASE in the firmware's window) */
#define FW_MBOX_BASE 4096u /* offset of the mailbox RAM in the firmware's management window */
#define FW_CMD_RSP_OFF 160u /* firmware connection command: conn_rsp written at CMD_MBOX_OFF + this, a READ's rx_ctx after it */
#define FW_CODE_BUDGET 32768u /* bytes of code + data the RV32 firmware may use */
#define MMIO_READ_PS 1000000u /* virtual time a BAR0 read costs the host (round trip): 1 us, the order of a PCIe read */
#define FW_ACCESS_PS 20000u /* device time one firmware management-bus access costs (toe-sim's firmware CPU): 20 ns */
#define RXB_MIN_LEN 64u /* smallest exception receive buffer (rx_buf.len); a frame longer than its buffer is dropped (DEV_CNT_RX_BUF_SMALL) */
#define ADMIN_MAX_INLINE 32u /* bytes of inline data in an admin command */

/* TX_OP: descriptor operation */
enum {
    TX_OP_TSO = 0, /* segment the payload by MSS; headers built from the connection context */
    TX_OP_RAW = 1, /* send the buffer as one whole frame; optional checksum insertion */
};

/* TCP_FLAG: TCP header flag bits (RFC 9293 section 3.1, RFC 3168) */
enum {
    TCP_FLAG_FIN = 1, /* last segment only */
    TCP_FLAG_SYN = 2, /* single-segment descriptors only */
    TCP_FLAG_RST = 4, /* single-segment descriptors only */
    TCP_FLAG_PSH = 8, /* last segment only */
    TCP_FLAG_ACK = 16, /* every segment; ack number is the context's rcv_nxt */
    TCP_FLAG_URG = 32, /* single-segment descriptors only; urgent pointer from the descriptor */
    TCP_FLAG_ECE = 64, /* every segment */
    TCP_FLAG_CWR = 128, /* first segment only */
};

/* CSUM_FLAG: raw-frame checksum insertion requests */
enum {
    CSUM_FLAG_IP = 1, /* fill the IPv4 header checksum at l3_off+10 */
    CSUM_FLAG_TCP = 2, /* fill the TCP checksum at l4_off+16 (pseudo-header included) */
    CSUM_FLAG_UDP = 4, /* fill the UDP checksum at l4_off+6 (pseudo-header included; 0 sent as 0xFFFF) */
};

/* CTX_FLAG: connection-context flag bits */
enum {
    CTX_FLAG_TS = 1, /* the connection uses TCP timestamps: every segment carries the 12-byte option */
    CTX_FLAG_VLAN = 2, /* insert an 802.1Q tag with vlan_tci */
    CTX_FLAG_DF = 4, /* set IPv4 Don't Fragment */
};

/* TX_STATUS: completion status; checks run in this order and the first failure is reported */
enum {
    TX_STATUS_OK = 0, /* every frame was sent */
    TX_STATUS_ERR_OP = 1, /* unknown op */
    TX_STATUS_ERR_LEN = 2, /* TSO len above TSO_MAX_LEN, or raw len outside RAW_MIN_LEN..RAW_MAX_LEN */
    TX_STATUS_ERR_MSS = 3, /* TSO with context mss outside MSS_MIN..MSS_MAX */
    TX_STATUS_ERR_EMPTY = 4, /* TSO with len 0 and none of SYN, FIN, RST */
    TX_STATUS_ERR_FLAGS = 5, /* SYN, RST or URG on a TSO descriptor needing more than one segment; raw with unknown checksum bits or both TCP and UDP */
    TX_STATUS_ERR_ADDR = 6, /* len > 0 and [buf_addr, buf_addr+len) not inside the DMA window [dma_lo, dma_hi) */
    TX_STATUS_ERR_OFFSETS = 7, /* raw checksum offsets odd, l3_off < 14, l4_off < l3_off + 20, or the L4 header runs past len */
    TX_STATUS_ERR_CONN = 8, /* device shell, not the engine: TSO naming a conn_id at or above CONN_MAX or without a TX context (DEV_CNT_TX_BAD_CONN); nothing is sent */
};

/* RX_EXC: why a received frame went to the host whole (exception path) */
enum {
    RX_EXC_NOT_IPV4 = 1, /* ethertype is not IPv4 (ARP, IPv6, ...) */
    RX_EXC_NOT_TCP = 2, /* IPv4 protocol other than TCP or UDP (ICMP, ...) */
    RX_EXC_UDP = 3, /* a UDP datagram (checksum verified; no UDP offload) */
    RX_EXC_FRAG = 4, /* an IPv4 fragment (MF set or offset != 0) */
    RX_EXC_NO_CONN = 5, /* TCP, 4-tuple not in the connection table */
    RX_EXC_FLAGS = 6, /* known connection, SYN, RST, FIN or URG set, or ACK clear */
    RX_EXC_OPTIONS = 7, /* known connection, TCP options other than timestamps, or no timestamp on a timestamp connection */
    RX_EXC_PAWS = 8, /* known connection, TSval older than TS.Recent (RFC 7323 section 5) */
    RX_EXC_ACK_RANGE = 9, /* known connection, SEG.ACK outside [SND.UNA - MAX.SND.WND, SND.NXT] (RFC 5961 section 5.2) */
    RX_EXC_OOO = 10, /* data beyond RCV.NXT inside the window (out of order) */
    RX_EXC_OLD = 11, /* data starting before RCV.NXT (a retransmission of bytes already taken) */
    RX_EXC_WINDOW = 12, /* data starting beyond the advertised window */
    RX_EXC_BUF_FULL = 13, /* in-order data, but the receive buffer has less room than the segment */
};

/* RX_DROP: why a received frame was dropped (counted, never delivered) */
enum {
    RX_DROP_RUNT = 1, /* shorter than an Ethernet header (including zero-length frames) */
    RX_DROP_TOO_LONG = 2, /* longer than RX_MAX_FRAME */
    RX_DROP_IP_HDR = 3, /* IPv4 version not 4, IHL < 5, header or total length beyond the frame, total length < IHL*4 */
    RX_DROP_IP_CSUM = 4, /* IPv4 header checksum wrong */
    RX_DROP_TCP_HDR = 5, /* TCP header truncated, data offset < 5 or beyond the segment, or an option running past the header */
    RX_DROP_TCP_CSUM = 6, /* TCP checksum wrong */
    RX_DROP_UDP_HDR = 7, /* UDP header truncated or UDP length disagreeing with the IPv4 length */
    RX_DROP_UDP_CSUM = 8, /* UDP checksum wrong (a zero checksum means none and is accepted) */
};

/* RX_EV: host event types */
enum {
    RX_EV_DATA = 1, /* bytes placed: rcv_nxt now, bytes since the last DATA event */
    RX_EV_TX_UPDATE = 2, /* coalesced: snd_una advanced and/or the peer window changed */
    RX_EV_DUPACK3 = 3, /* the third duplicate ACK (RFC 5681), immediately */
    RX_EV_WND_OPEN = 4, /* the peer window opened from zero, immediately */
};

/* ACK_WHY: why the hardware sent an ACK */
enum {
    ACK_WHY_EVERY2 = 1, /* the second full-sized segment since the last ACK (RFC 1122 4.2.3.2) */
    ACK_WHY_DELAYED = 2, /* the delayed-ACK timer ran out */
    ACK_WHY_DUP = 3, /* an unacceptable data segment (out of order, old, beyond the window): RFC 9293 3.10.7.4 */
    ACK_WHY_WND_UPDATE = 4, /* the host made room and the window opened enough (receiver SWS avoidance) */
    ACK_WHY_HOST = 5, /* the host asked (quick-ack command) */
};

/* CONN_CMD: connection-table command operations */
enum {
    CONN_CMD_INSERT = 1, /* install conn_id with the given context and 4-tuple */
    CONN_CMD_DELETE = 2, /* remove conn_id */
    CONN_CMD_READ = 3, /* return conn_id's context */
    CONN_CMD_RCV_READ = 4, /* the host consumed data: rcv_read = arg0 */
    CONN_CMD_RCV_NXT = 5, /* the driver took data itself: rcv_nxt = arg0 */
    CONN_CMD_SND = 6, /* the driver's send state: snd_nxt = arg0, snd_una = arg1, snd_wnd = arg2 */
    CONN_CMD_ACK_NOW = 7, /* send an ACK now (quick-ack) */
};

/* CONN_STATUS: connection-table command results */
enum {
    CONN_STATUS_OK = 0, /* done */
    CONN_STATUS_BAD_OP = 1, /* unknown op */
    CONN_STATUS_BAD_ID = 2, /* conn_id not below CONN_MAX */
    CONN_STATUS_NOT_FOUND = 3, /* conn_id not installed (all ops but INSERT) */
    CONN_STATUS_BUSY = 4, /* INSERT: conn_id already installed */
    CONN_STATUS_EXISTS = 5, /* INSERT: the 4-tuple is already in the table */
    CONN_STATUS_TABLE_FULL = 6, /* INSERT: both buckets of the 4-tuple are full */
    CONN_STATUS_BAD_CTX = 7, /* INSERT: buffer size not a power of two in 64..2^30 or base not 64-byte aligned, window scale > 14, mss outside MSS_MIN..MSS_MAX, or rcv_nxt - rcv_read larger than the ring */
    CONN_STATUS_BAD_ARG = 8, /* RCV_READ, RCV_NXT or SND arguments out of order (see docs/rx-datapath.md) */
};

/* RX_FLAG: rx_ctx flags */
enum {
    RX_FLAG_TS = 1, /* timestamps in use (RFC 7323) */
    RX_FLAG_VLAN = 2, /* ACKs carry an 802.1Q tag with vlan_tci */
    RX_FLAG_DF = 4, /* ACKs set IPv4 Don't Fragment */
    RX_FLAG_HW_DUPACK = 8, /* the hardware ACKs unacceptable data segments itself (clear it when the driver sends SACK) */
};

/* EV_FLAG: TX_UPDATE event flags */
enum {
    EV_FLAG_ACKED = 1, /* snd_una advanced */
    EV_FLAG_WND = 2, /* the peer window changed */
};

/* CHAN_MSG: channel message types (chan_msg.type); 0 is no message, so a zeroed slot is never one */
enum {
    CHAN_MSG_MMIO_READ = 1, /* host to device: read `size` bytes at `offset` in BAR `bar` (payload chan_mmio); `id` tags it */
    CHAN_MSG_MMIO_WRITE = 2, /* host to device: posted write of `value` (payload chan_mmio) */
    CHAN_MSG_MMIO_DONE = 3, /* device to host: the value of the read whose `id` it carries (payload chan_mmio_done) */
    CHAN_MSG_MSIX = 4, /* device to host: an MSI-X message for `vector` (payload chan_msix) */
    CHAN_MSG_SYNC = 5, /* both ways: the sender will send nothing stamped earlier than `time`; from the host, `time` is its clock and `payload.sync.until` the grant (docs/device.md, Time); from the device, `time` is where it stopped */
    CHAN_MSG_RESET = 6, /* host to device: function-level reset */
};

/* CHAN_HELLO: the device's answer to a host's HELLO (chan_hello.status) */
enum {
    CHAN_HELLO_OK = 0, /* attached: the queue memory comes with the answer */
    CHAN_HELLO_BUSY = 1, /* another host is attached; a device has one driver */
    CHAN_HELLO_VERSION = 2, /* the host speaks another protocol version: `version` is the device's, `peer_version` the host's */
    CHAN_HELLO_BAD_DMA = 3, /* the DMA memory is unusable: none passed, not a memfd sealed against shrinking, smaller than `dma_size`, size 0, or `dma_iova` + `dma_size` past 2^64 */
};

/* CHAN_WAIT: a side's wait word in the queue header: what it sleeps in poll() for, 0 while awake */
enum {
    CHAN_WAIT_RX = 1, /* a message in its receive ring: the peer writes a wake byte after publishing a slot */
    CHAN_WAIT_TX = 2, /* a free slot in its send ring: the peer writes a wake byte after handing a slot back */
};

/* QID: the device's queues: host-to-device rings (the host writes PROD) and device-to-host rings (the device writes entries with a phase bit, the host writes CONS) */
enum {
    QID_ASQ = 0, /* admin submissions (host to device, admin_cmd, 64 bytes), served by the firmware */
    QID_ACQ = 1, /* admin completions (device to host, admin_cpl, 16 bytes) */
    QID_TXQ = 2, /* TX descriptors (host to device, tx_desc, 32 bytes): TSO sends and raw frames */
    QID_TXCQ = 3, /* TX completions (device to host, tx_cpl, 16 bytes, phase in flags bit 0) */
    QID_RXBQ = 4, /* exception receive buffers (host to device, rx_buf, 16 bytes) */
    QID_EXCQ = 5, /* exception completions (device to host, exc_cpl, 16 bytes, phase in flags bit 7): a frame handed up whole */
    QID_EVQ = 6, /* RX events (device to host, rx_event, 16 bytes, phase in flags bit 7) */
};

/* QERR: QREG_ERROR: why a queue stopped (it is disabled; writing CTRL.ENABLE again clears it) */
enum {
    QERR_NONE = 0, /* no error */
    QERR_BAD_CONFIG = 1, /* enable refused: SIZE_LOG2 outside QUEUE_LOG2_MIN..QUEUE_LOG2_MAX, BASE not aligned to 64 bytes, or VECTOR neither below MSIX_VECTORS nor QUEUE_NO_VECTOR */
    QERR_BAD_PROD = 2, /* host-to-device ring: a PROD write that puts more than the ring's size between CONS and PROD */
    QERR_BAD_CONS = 3, /* device-to-host ring: a CONS write beyond PROD or behind the previous CONS */
    QERR_DMA_FAULT = 4, /* an entry read or write of the ring was refused by the DMA bounds check */
    QERR_BAD_ENTRY = 5, /* RXBQ: a buffer with len below RXB_MIN_LEN or rsvd0 not 0 */
};

/* FEATURE: REG_FEATURES bits: the offloads the device has */
enum {
    FEATURE_TX_CSUM = 1, /* TX checksum insertion (raw frames) */
    FEATURE_TSO = 2, /* TCP segmentation offload */
    FEATURE_RX_CSUM = 4, /* RX checksum verification */
    FEATURE_RX_PLACE = 8, /* in-order payload placement into connection rings */
    FEATURE_HW_ACK = 16, /* ACK generation and incoming-ACK bookkeeping */
};

/* CONTROL: REG_CONTROL bits */
enum {
    CONTROL_RESET = 1, /* write 1: function-level reset (as the channel's RESET message); reads 1 until the reset is done */
    CONTROL_ENABLE = 2, /* datapath on: the TX ring is served and received frames are taken; off, received frames are dropped (DEV_CNT_RX_DISABLED_DROPS) */
};

/* STATUS: REG_STATUS bits */
enum {
    STATUS_READY = 1, /* the hardware is out of reset: tables cleared, queues disabled */
    STATUS_FATAL = 2, /* the device stopped: only a reset brings it back */
    STATUS_FW_READY = 4, /* the firmware runs and serves the admin queue */
};

/* TIME_MODE: REG_TIME_MODE: how the device's clock runs (toe-sim; real hardware reads REAL) */
enum {
    TIME_MODE_REAL = 0, /* the clock runs on its own (real hardware; toe-sim paced to the wall clock) */
    TIME_MODE_VIRTUAL = 1, /* deterministic virtual time: the device runs only while the host waits (docs/device.md, Time) */
};

/* ADMIN_OP: admin command opcodes (admin_cmd.opcode), served by the firmware */
enum {
    ADMIN_OP_IDENTIFY = 1, /* write admin_identify (64 bytes) to addr (len >= 64) */
    ADMIN_OP_RESET = 2, /* datapath reset: connection table and TX contexts cleared, queues other than ASQ/ACQ disabled, counters baselined */
    ADMIN_OP_SET_MAC = 3, /* our MAC address: data[0..5], wire order; arg0 bit 0 enables the receive MAC filter */
    ADMIN_OP_SET_IPV4 = 4, /* our IPv4 address arg0, prefix length arg1 (0..32); reported by IDENTIFY */
    ADMIN_OP_CONN_CREATE = 5, /* install conn_id: conn_create (176 bytes: rx_ctx, tx_ctx) read from addr; RX entry first, then the TX context */
    ADMIN_OP_CONN_MODIFY = 6, /* pass a connection-table command to conn_id: arg0 = CONN_CMD (RCV_READ, RCV_NXT, SND, ACK_NOW), its arg0..arg2 in data[0..11] */
    ADMIN_OP_CONN_DESTROY = 7, /* remove conn_id from the table and clear its TX context */
    ADMIN_OP_CONN_READ = 8, /* write conn_id's rx_ctx and tx_ctx (conn_create layout, 176 bytes) to addr */
    ADMIN_OP_CONN_SET_TX = 9, /* replace conn_id's TX context with the tx_ctx (48 bytes) at addr */
    ADMIN_OP_STATS = 10, /* write the counters (TX_CNT, RX_CNT, DEV_CNT: u32 each, in that order, since the last clear) to addr; arg0 bit 0: clear after reading */
    ADMIN_OP_SET_IRQ_MOD = 11, /* interrupt moderation of vector arg0: MOD_NS = arg1, MOD_COUNT = data[0..3] */
    ADMIN_OP_SET_RX_CFG = 12, /* delayed-ACK timeout arg0 ticks (the hardware caps it at DELACK_TICKS_MAX), DATA coalescing arg1 bytes, timestamp clock data[0..3] ticks per unit */
    ADMIN_OP_SELF_TEST = 13, /* mailbox RAM patterns, DMA loopback through the host scratch buffer at addr (len >= 256), and a connection INSERT/READ/DELETE at conn_id (which must be free); val0 = failed checks (bits) */
};

/* ADMIN_STATUS: admin completion status (admin_cpl.status) */
enum {
    ADMIN_STATUS_OK = 0, /* done */
    ADMIN_STATUS_BAD_OPCODE = 1, /* unknown opcode */
    ADMIN_STATUS_BAD_FIELD = 2, /* a reserved field or flags not 0, or an argument out of range (val0 = offset of the field) */
    ADMIN_STATUS_BAD_CONN = 3, /* conn_id at or above CONN_MAX */
    ADMIN_STATUS_DMA_FAULT = 4, /* the host buffer [addr, addr+len) was refused by the DMA bounds check */
    ADMIN_STATUS_BUF_SMALL = 5, /* len is smaller than the command needs (val0 = bytes needed) */
    ADMIN_STATUS_CONN_ERROR = 6, /* the connection table refused: val0 = CONN_STATUS */
    ADMIN_STATUS_SELFTEST_FAIL = 7, /* SELF_TEST: a check failed (val0 = failed checks) */
    ADMIN_STATUS_NO_TX_CTX = 8, /* CONN_READ/CONN_SET_TX: conn_id has no connection */
};

/* FW_ATTN: FW_ATTN bits: why the firmware should look */
enum {
    FW_ATTN_ASQ = 1, /* the admin submission ring is enabled and PROD != CONS */
    FW_ATTN_RESET = 2, /* a function-level reset happened: initialise, then write FW_CTRL.RESET_ACK */
};

/* FW_CTRL: FW_CTRL bits (write) */
enum {
    FW_CTRL_READY = 1, /* set STATUS.FW_READY */
    FW_CTRL_RESET_ACK = 2, /* clear FW_ATTN.RESET */
    FW_CTRL_NOT_READY = 4, /* clear STATUS.FW_READY */
};

/* FW_DMA: FW_DMA_CTRL (write) and FW_DMA_STATUS (read) bits: the firmware's DMA mover between host memory and the mailbox */
enum {
    FW_DMA_GO = 1, /* CTRL: start a transfer of DMA_LEN bytes */
    FW_DMA_TO_HOST = 2, /* CTRL: mailbox to host (else host to mailbox) */
    FW_DMA_BUSY = 1, /* STATUS: a transfer is under way */
    FW_DMA_FAULT = 2, /* STATUS: the last transfer was refused by the DMA bounds check (nothing moved) */
    FW_DMA_BAD_ARG = 4, /* STATUS: the last GO had DMA_LEN 0 or above FW_MBOX_SIZE, or MBOX_OFF + LEN past the mailbox; nothing moved */
};

/* FW_TXCTX: FW_TXCTX_CTRL operations (write) and FW_TXCTX_STATUS bits (read) */
enum {
    FW_TXCTX_WRITE = 1, /* CTRL: the tx_ctx at TXCTX_MBOX_OFF becomes conn TXCTX_CONN's context (valid) */
    FW_TXCTX_READ = 2, /* CTRL: conn TXCTX_CONN's context to the mailbox at TXCTX_MBOX_OFF */
    FW_TXCTX_CLEAR = 3, /* CTRL: conn TXCTX_CONN has no context */
    FW_TXCTX_BAD_ID = 1, /* STATUS: TXCTX_CONN at or above CONN_MAX, or MBOX_OFF + 48 past the mailbox; nothing done */
    FW_TXCTX_VALID = 2, /* STATUS: after READ, the context was valid */
};

/* TX engine counters: 32 bits, wrapping; the first TX_STATUS-many count completions by status */
enum {
    TX_CNT_DESC_OK = 0, /* descriptors completed with status OK */
    TX_CNT_ERR_OP = 1, /* descriptors rejected: ERR_OP */
    TX_CNT_ERR_LEN = 2, /* descriptors rejected: ERR_LEN */
    TX_CNT_ERR_MSS = 3, /* descriptors rejected: ERR_MSS */
    TX_CNT_ERR_EMPTY = 4, /* descriptors rejected: ERR_EMPTY */
    TX_CNT_ERR_FLAGS = 5, /* descriptors rejected: ERR_FLAGS */
    TX_CNT_ERR_ADDR = 6, /* descriptors rejected: ERR_ADDR */
    TX_CNT_ERR_OFFSETS = 7, /* descriptors rejected: ERR_OFFSETS */
    TX_CNT_FRAMES = 8, /* frames emitted */
    TX_CNT_FRAME_BYTES = 9, /* frame bytes emitted (FCS excluded) */
    TX_CNT_PAYLOAD_BYTES = 10, /* TSO payload bytes emitted */
    TX_CNT_NUM = 11
};

static const char *const tx_cnt_names[11] = {
    "desc_ok",
    "err_op",
    "err_len",
    "err_mss",
    "err_empty",
    "err_flags",
    "err_addr",
    "err_offsets",
    "frames",
    "frame_bytes",
    "payload_bytes",
};

/* RX engine counters: 32 bits, wrapping */
enum {
    RX_CNT_FRAMES = 0, /* frames received */
    RX_CNT_BYTES = 1, /* bytes received (FCS excluded) */
    RX_CNT_FAST_SEGS = 2, /* data segments placed by the fast path */
    RX_CNT_FAST_BYTES = 3, /* payload bytes placed */
    RX_CNT_ACKS_IN = 4, /* segments whose ACK the hardware processed */
    RX_CNT_DUPACKS_IN = 5, /* duplicate ACKs counted (RFC 5681) */
    RX_CNT_EXC = 6, /* frames sent to the exception path */
    RX_CNT_DROPS = 7, /* frames dropped */
    RX_CNT_EXC_NOT_IPV4 = 8, /* exception: NOT_IPV4 */
    RX_CNT_EXC_NOT_TCP = 9, /* exception: NOT_TCP */
    RX_CNT_EXC_UDP = 10, /* exception: UDP */
    RX_CNT_EXC_FRAG = 11, /* exception: FRAG */
    RX_CNT_EXC_NO_CONN = 12, /* exception: NO_CONN */
    RX_CNT_EXC_FLAGS = 13, /* exception: FLAGS */
    RX_CNT_EXC_OPTIONS = 14, /* exception: OPTIONS */
    RX_CNT_EXC_PAWS = 15, /* exception: PAWS */
    RX_CNT_EXC_ACK_RANGE = 16, /* exception: ACK_RANGE */
    RX_CNT_EXC_OOO = 17, /* exception: OOO */
    RX_CNT_EXC_OLD = 18, /* exception: OLD */
    RX_CNT_EXC_WINDOW = 19, /* exception: WINDOW */
    RX_CNT_EXC_BUF_FULL = 20, /* exception: BUF_FULL */
    RX_CNT_DROP_RUNT = 21, /* drop: RUNT */
    RX_CNT_DROP_TOO_LONG = 22, /* drop: TOO_LONG */
    RX_CNT_DROP_IP_HDR = 23, /* drop: IP_HDR */
    RX_CNT_DROP_IP_CSUM = 24, /* drop: IP_CSUM */
    RX_CNT_DROP_TCP_HDR = 25, /* drop: TCP_HDR */
    RX_CNT_DROP_TCP_CSUM = 26, /* drop: TCP_CSUM */
    RX_CNT_DROP_UDP_HDR = 27, /* drop: UDP_HDR */
    RX_CNT_DROP_UDP_CSUM = 28, /* drop: UDP_CSUM */
    RX_CNT_ACKS_OUT = 29, /* ACK frames generated */
    RX_CNT_ACK_EVERY2 = 30, /* ACKs: EVERY2 */
    RX_CNT_ACK_DELAYED = 31, /* ACKs: DELAYED */
    RX_CNT_ACK_DUP = 32, /* ACKs: DUP */
    RX_CNT_ACK_WND_UPDATE = 33, /* ACKs: WND_UPDATE */
    RX_CNT_ACK_HOST = 34, /* ACKs: HOST */
    RX_CNT_EVENTS = 35, /* events issued */
    RX_CNT_CMDS = 36, /* commands completed */
    RX_CNT_CMD_ERRORS = 37, /* commands that failed */
    RX_CNT_NUM = 38
};

static const char *const rx_cnt_names[38] = {
    "frames",
    "bytes",
    "fast_segs",
    "fast_bytes",
    "acks_in",
    "dupacks_in",
    "exc",
    "drops",
    "exc_not_ipv4",
    "exc_not_tcp",
    "exc_udp",
    "exc_frag",
    "exc_no_conn",
    "exc_flags",
    "exc_options",
    "exc_paws",
    "exc_ack_range",
    "exc_ooo",
    "exc_old",
    "exc_window",
    "exc_buf_full",
    "drop_runt",
    "drop_too_long",
    "drop_ip_hdr",
    "drop_ip_csum",
    "drop_tcp_hdr",
    "drop_tcp_csum",
    "drop_udp_hdr",
    "drop_udp_csum",
    "acks_out",
    "ack_every2",
    "ack_delayed",
    "ack_dup",
    "ack_wnd_update",
    "ack_host",
    "events",
    "cmds",
    "cmd_errors",
};

/* device-shell counters: 32 bits, wrapping */
enum {
    DEV_CNT_MMIO_BAD = 0, /* BAR0 accesses to no register, or writes to a read-only one (ignored; reads give 0) */
    DEV_CNT_DMA_RD_FAULTS = 1, /* DMA reads refused by the bounds check */
    DEV_CNT_DMA_WR_FAULTS = 2, /* DMA writes refused by the bounds check */
    DEV_CNT_QUEUE_ERRORS = 3, /* queues stopped with a QERR */
    DEV_CNT_TX_DESCS = 4, /* TX descriptors fetched */
    DEV_CNT_TX_BAD_CONN = 5, /* TSO descriptors completed ERR_CONN */
    DEV_CNT_TX_CPLS = 6, /* TX completions written */
    DEV_CNT_RX_FRAMES_IN = 7, /* frames from the wire */
    DEV_CNT_RX_FILTERED = 8, /* frames dropped by the MAC filter (not our MAC, broadcast or multicast) */
    DEV_CNT_RX_DISABLED_DROPS = 9, /* frames dropped because CONTROL.ENABLE was off */
    DEV_CNT_RX_FIFO_DROPS = 10, /* frames dropped because the receive FIFO was full */
    DEV_CNT_RX_NO_BUF = 11, /* exception frames dropped: no buffer posted on RXBQ */
    DEV_CNT_RX_BUF_SMALL = 12, /* exception frames dropped: longer than the next buffer */
    DEV_CNT_EXC_FRAMES = 13, /* exception frames delivered (EXCQ entries) */
    DEV_CNT_EVENTS = 14, /* EVQ entries written */
    DEV_CNT_MSIX_SENT = 15, /* MSI-X messages sent */
    DEV_CNT_MSIX_HELD = 16, /* MSI-X messages held pending because the vector or function was masked */
    DEV_CNT_FW_DMA_OPS = 17, /* firmware DMA mover transfers */
    DEV_CNT_RESETS = 18, /* function-level resets */
    DEV_CNT_NUM = 19
};

static const char *const dev_cnt_names[19] = {
    "mmio_bad",
    "dma_rd_faults",
    "dma_wr_faults",
    "queue_errors",
    "tx_descs",
    "tx_bad_conn",
    "tx_cpls",
    "rx_frames_in",
    "rx_filtered",
    "rx_disabled_drops",
    "rx_fifo_drops",
    "rx_no_buf",
    "rx_buf_small",
    "exc_frames",
    "events",
    "msix_sent",
    "msix_held",
    "fw_dma_ops",
    "resets",
};

/* BAR0 global registers */
#define REG_ID 0x0000u /* RO: DEV_ID_MAGIC */
#define REG_IF_VERSION 0x0004u /* RO: IF_VERSION_MAJOR << 16 | IF_VERSION_MINOR */
#define REG_FEATURES 0x0008u /* RO: FEATURE bits */
#define REG_DATAPATH 0x000cu /* RO: datapath width in bytes (bits 15:0), core clock in MHz (bits 31:16) */
#define REG_CONN_MAX 0x0010u /* RO: connection-table entries */
#define REG_QUEUES 0x0014u /* RO: DEV_QUEUES */
#define REG_TICK_NS 0x0018u /* RO: ns per RX-engine tick */
#define REG_TIME_MODE 0x001cu /* RO: TIME_MODE */
#define REG_CONTROL 0x0020u /* RW: CONTROL bits */
#define REG_STATUS 0x0024u /* RO: STATUS bits */
#define REG_SCRATCH 0x0028u /* RW: reads what was written; MMIO round trips and tests */
#define REG_TIME_LO 0x0030u /* RO: device clock in ns, low word; reading it latches TIME_HI */
#define REG_TIME_HI 0x0034u /* RO: high word latched by the last TIME_LO read */
#define REG_DMA_LO_LO 0x0040u /* RW: TX engine DMA window [DMA_LO, DMA_HI): low word of DMA_LO (writable while CONTROL.ENABLE is off) */
#define REG_DMA_LO_HI 0x0044u /* RW: high word of DMA_LO */
#define REG_DMA_HI_LO 0x0048u /* RW: low word of DMA_HI */
#define REG_DMA_HI_HI 0x004cu /* RW: high word of DMA_HI */
#define REG_CNT_BASE 0x0100u /* RO: DEV_CNT counters, 4 bytes each, from here */

/* BAR0 queue registers: queue q (QID) at QREG_BASE + q * QREG_STRIDE */
#define QREG_BASE 0x1000u
#define QREG_STRIDE 0x40u
#define QREG_COUNT 7u
#define QREG_BASE_LO 0x0000u /* RW: ring base, low word (64-byte aligned); writable while disabled */
#define QREG_BASE_HI 0x0004u /* RW: ring base, high word */
#define QREG_SIZE_LOG2 0x0008u /* RW: entries = 2^SIZE_LOG2; writable while disabled */
#define QREG_PROD 0x000cu /* RW/RO: free-running producer index: host-to-device rings, written by the host (the doorbell); device-to-host rings, read-only */
#define QREG_CONS 0x0010u /* RO/RW: free-running consumer index: host-to-device rings, read-only (entries the device took); device-to-host rings, written by the host */
#define QREG_CTRL 0x0014u /* RW: bit 0 ENABLE: set to start (the indices restart at 0), clear to stop */
#define QREG_VECTOR 0x0018u /* RW: device-to-host rings: MSI-X vector, or QUEUE_NO_VECTOR for a polled ring; writable while disabled */
#define QREG_ERROR 0x001cu /* RO: QERR */
#define QREG_ENTRY_SIZE 0x0020u /* RO: bytes per entry */

/* BAR0 interrupt vector registers: vector v at VREG_BASE + v * VREG_STRIDE (moderation is set with the admin command SET_IRQ_MOD) */
#define VREG_BASE 0x2000u
#define VREG_STRIDE 0x10u
#define VREG_COUNT 32u
#define VREG_MOD_NS 0x0000u /* RO: time moderation: a message at the latest MOD_NS after the first unsignalled entry */
#define VREG_MOD_COUNT 0x0004u /* RO: count moderation: a message once MOD_COUNT entries are unsignalled (0: off) */
#define VREG_SENT 0x0008u /* RO: messages sent on this vector (wrapping) */
#define VREG_PENDING 0x000cu /* RO: entries not yet signalled */

/* BAR0 MSI-X table (PCIe 6.8.2): entry v at BAR0_MSIX_TABLE + 16 v; the PBA at BAR0_MSIX_PBA */
#define MSIX_BASE 0x8000u
#define MSIX_STRIDE 0x10u
#define MSIX_COUNT 32u
#define MSIX_ADDR_LO 0x0000u /* RW: message address, low word */
#define MSIX_ADDR_HI 0x0004u /* RW: message address, high word */
#define MSIX_DATA 0x0008u /* RW: message data */
#define MSIX_VCTRL 0x000cu /* RW: bit 0 mask (1 after reset) */

/* the firmware's management window (its CPU's view of the hardware; toe-sim's firmware reaches it through toe_fw_bus) */
#define FW_ID 0x0000u /* RO: DEV_ID_MAGIC */
#define FW_ATTN 0x0004u /* RO: FW_ATTN bits */
#define FW_CTRL 0x0008u /* WO: FW_CTRL bits */
#define FW_NOW_TICK 0x000cu /* RO: RX-engine tick count */
#define FW_CONN_MAX 0x0010u /* RO: connection-table entries */
#define FW_ASQ_BASE_LO 0x0020u /* RO: admin submission ring base, low word */
#define FW_ASQ_BASE_HI 0x0024u /* RO: high word */
#define FW_ASQ_SIZE_LOG2 0x0028u /* RO: its size */
#define FW_ASQ_PROD 0x002cu /* RO: the host's producer index */
#define FW_ASQ_CONS 0x0030u /* RW: the firmware's consumer index (the host sees it as QREG_CONS of QID_ASQ) */
#define FW_ASQ_CTRL 0x0034u /* RO: bit 0: enabled */
#define FW_ACQ_BASE_LO 0x0040u /* RO: admin completion ring base, low word */
#define FW_ACQ_BASE_HI 0x0044u /* RO: high word */
#define FW_ACQ_SIZE_LOG2 0x0048u /* RO: its size */
#define FW_ACQ_PROD 0x004cu /* RW: the firmware's producer index: advancing it (after the entries are written) counts them for the interrupt logic */
#define FW_ACQ_CONS 0x0050u /* RO: the host's consumer index */
#define FW_ACQ_CTRL 0x0054u /* RO: bit 0: enabled */
#define FW_DMA_HOST_LO 0x0060u /* RW: mover: host address, low word */
#define FW_DMA_HOST_HI 0x0064u /* RW: high word */
#define FW_DMA_LEN 0x0068u /* RW: bytes, 1..FW_MBOX_SIZE */
#define FW_DMA_MBOX_OFF 0x006cu /* RW: mailbox offset */
#define FW_DMA_CTRL 0x0070u /* WO: FW_DMA GO, TO_HOST */
#define FW_DMA_STATUS 0x0074u /* RO: FW_DMA BUSY, FAULT, BAD_ARG */
#define FW_CMD_MBOX_OFF 0x0080u /* RW: connection command: conn_cmd (32 bytes) here, an INSERT's rx_ctx at +32; conn_rsp at +FW_CMD_RSP_OFF, a READ's rx_ctx at +FW_CMD_RSP_OFF+16 (the area must fit in the mailbox) */
#define FW_CMD_CTRL 0x0084u /* WO: bit 0 GO */
#define FW_CMD_STATUS 0x0088u /* RO: bit 0 BUSY, bit 1 BAD_OFF (the area does not fit; nothing done) */
#define FW_TXCTX_CONN 0x0090u /* RW: TX context: connection id */
#define FW_TXCTX_MBOX_OFF 0x0094u /* RW: mailbox offset of the 48-byte tx_ctx */
#define FW_TXCTX_CTRL 0x0098u /* WO: FW_TXCTX WRITE, READ, CLEAR */
#define FW_TXCTX_STATUS 0x009cu /* RO: FW_TXCTX BAD_ID, VALID */
#define FW_MAC_LO 0x00a0u /* RW: our MAC, bytes 0..3 (byte 0, first on the wire, in bits 7:0) */
#define FW_MAC_HI 0x00a4u /* RW: bytes 4..5 in bits 15:0 */
#define FW_IPV4 0x00a8u /* RW: our IPv4 address (kept for IDENTIFY) */
#define FW_RX_FILTER 0x00acu /* RW: bit 0: drop frames not for our MAC, broadcast or multicast */
#define FW_DELACK_TICKS 0x00b0u /* RW: RX engine cfg_delack_ticks (reset DELACK_TICKS_DEFAULT) */
#define FW_COALESCE_BYTES 0x00b4u /* RW: cfg_coalesce_bytes (reset RX_EVENT_COALESCE_DEFAULT) */
#define FW_TS_TICKS 0x00b8u /* RW: cfg_ts_ticks (reset 100) */
#define FW_VEC_BASE 0x0200u /* RW: vector v: MOD_NS at VEC_BASE + 8 v, MOD_COUNT at VEC_BASE + 8 v + 4 */
#define FW_TX_CNT_BASE 0x0400u /* RO: TX_CNT counters, 4 bytes each */
#define FW_RX_CNT_BASE 0x0480u /* RO: RX_CNT counters */
#define FW_DEV_CNT_BASE 0x0580u /* RO: DEV_CNT counters */
#define FW_MBOX 0x1000u /* RW: mailbox RAM, FW_MBOX_SIZE bytes, 32-bit accesses */

/* TX descriptor: one send (TSO) or one raw frame (32 bytes) */
struct toe_tx_desc {
    uint64_t buf_addr; /* @0: host address of the payload (TSO) or of the frame (raw) */
    uint32_t len; /* @8: payload bytes (TSO) or frame bytes (raw) */
    uint32_t seq; /* @12: TSO: sequence number of the first segment */
    uint16_t conn_id; /* @16: connection-table index; echoed in the completion */
    uint16_t tag; /* @18: driver cookie echoed in the completion */
    uint8_t op; /* @20: TX_OP */
    uint8_t tcp_flags; /* @21: TSO: TCP_FLAG bits of the whole send */
    uint8_t csum_flags; /* @22: raw: CSUM_FLAG bits */
    uint8_t l3_off; /* @23: raw: offset of the IPv4 header in the frame */
    uint8_t l4_off; /* @24: raw: offset of the TCP/UDP header in the frame */
    uint8_t rsvd0; /* @25: reserved, write 0 */
    uint16_t urg_ptr; /* @26: TSO with URG: urgent pointer */
    uint16_t ip_id; /* @28: TSO: IPv4 ID of the first segment (+1 per segment); the device shell puts it in the context it hands the engine (the driver counts segments; RFC 6864) */
    uint16_t rsvd1; /* @30: reserved, write 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_tx_desc) == 32, "toe_tx_desc size");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, buf_addr) == 0, "toe_tx_desc.buf_addr");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, len) == 8, "toe_tx_desc.len");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, seq) == 12, "toe_tx_desc.seq");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, conn_id) == 16, "toe_tx_desc.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, tag) == 18, "toe_tx_desc.tag");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, op) == 20, "toe_tx_desc.op");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, tcp_flags) == 21, "toe_tx_desc.tcp_flags");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, csum_flags) == 22, "toe_tx_desc.csum_flags");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, l3_off) == 23, "toe_tx_desc.l3_off");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, l4_off) == 24, "toe_tx_desc.l4_off");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, rsvd0) == 25, "toe_tx_desc.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, urg_ptr) == 26, "toe_tx_desc.urg_ptr");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, ip_id) == 28, "toe_tx_desc.ip_id");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_desc, rsvd1) == 30, "toe_tx_desc.rsvd1");

/* connection-context fields the TX path reads (a TSO descriptor's headers come from here) (48 bytes) */
struct toe_tx_ctx {
    uint8_t dst_mac[6]; /* @0: destination MAC, wire order */
    uint8_t src_mac[6]; /* @6: source MAC, wire order */
    uint16_t vlan_tci; /* @12: 802.1Q TCI (PCP, DEI, VID) when CTX_FLAG_VLAN */
    uint8_t flags; /* @14: CTX_FLAG bits */
    uint8_t ttl; /* @15: IPv4 TTL */
    uint32_t src_ip; /* @16: local IPv4 address (192.0.2.1 is 0xC0000201) */
    uint32_t dst_ip; /* @20: peer IPv4 address */
    uint16_t src_port; /* @24: local TCP port */
    uint16_t dst_port; /* @26: peer TCP port */
    uint32_t rcv_nxt; /* @28: ack number sent when ACK is set */
    uint32_t ts_recent; /* @32: TSecr sent when CTX_FLAG_TS (RFC 7323 TS.Recent) */
    uint16_t rcv_wnd; /* @36: window field as sent (already scaled down) */
    uint16_t mss; /* @38: MSS as announced by the peer; payload per segment is mss, less TS_OPT_LEN with timestamps (RFC 6691) */
    uint16_t ip_id; /* @40: IPv4 ID of the first segment; +1 per segment */
    uint8_t tos; /* @42: IPv4 DSCP/ECN byte */
    uint8_t rsvd0; /* @43: reserved */
    uint32_t rsvd1; /* @44: reserved */
};
TOE_STATIC_ASSERT(sizeof(struct toe_tx_ctx) == 48, "toe_tx_ctx size");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, dst_mac) == 0, "toe_tx_ctx.dst_mac");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, src_mac) == 6, "toe_tx_ctx.src_mac");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, vlan_tci) == 12, "toe_tx_ctx.vlan_tci");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, flags) == 14, "toe_tx_ctx.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, ttl) == 15, "toe_tx_ctx.ttl");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, src_ip) == 16, "toe_tx_ctx.src_ip");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, dst_ip) == 20, "toe_tx_ctx.dst_ip");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, src_port) == 24, "toe_tx_ctx.src_port");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, dst_port) == 26, "toe_tx_ctx.dst_port");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, rcv_nxt) == 28, "toe_tx_ctx.rcv_nxt");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, ts_recent) == 32, "toe_tx_ctx.ts_recent");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, rcv_wnd) == 36, "toe_tx_ctx.rcv_wnd");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, mss) == 38, "toe_tx_ctx.mss");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, ip_id) == 40, "toe_tx_ctx.ip_id");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, tos) == 42, "toe_tx_ctx.tos");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, rsvd0) == 43, "toe_tx_ctx.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_ctx, rsvd1) == 44, "toe_tx_ctx.rsvd1");

/* TX completion: one per descriptor, in descriptor order (16 bytes) */
struct toe_tx_cpl {
    uint16_t tag; /* @0: the descriptor's tag */
    uint16_t conn_id; /* @2: the descriptor's conn_id */
    uint8_t status; /* @4: TX_STATUS */
    uint8_t flags; /* @5: bit 0: ring phase (written by the completion ring writer; 0 from the engine) */
    uint16_t nsegs; /* @6: frames emitted for this descriptor */
    uint32_t next_seq; /* @8: TSO: seq + len + SYN + FIN */
    uint16_t next_ip_id; /* @12: TSO: ip_id + nsegs */
    uint16_t rsvd0; /* @14: reserved */
};
TOE_STATIC_ASSERT(sizeof(struct toe_tx_cpl) == 16, "toe_tx_cpl size");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, tag) == 0, "toe_tx_cpl.tag");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, conn_id) == 2, "toe_tx_cpl.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, status) == 4, "toe_tx_cpl.status");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, flags) == 5, "toe_tx_cpl.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, nsegs) == 6, "toe_tx_cpl.nsegs");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, next_seq) == 8, "toe_tx_cpl.next_seq");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, next_ip_id) == 12, "toe_tx_cpl.next_ip_id");
TOE_STATIC_ASSERT(offsetof(struct toe_tx_cpl, rsvd0) == 14, "toe_tx_cpl.rsvd0");

/* connection-table entry: what the RX fast path, the ACK generator and incoming-ACK processing keep per connection (sequence numbers modulo 2^32) (128 bytes) */
struct toe_rx_ctx {
    uint64_t buf_base; /* @0: host receive ring: base address, 64-byte aligned */
    uint32_t local_ip; /* @8: our IPv4 address (key) */
    uint32_t remote_ip; /* @12: the peer's IPv4 address (key) */
    uint16_t local_port; /* @16: our TCP port (key) */
    uint16_t remote_port; /* @18: the peer's TCP port (key) */
    uint8_t flags; /* @20: RX_FLAG bits */
    uint8_t buf_size_log2; /* @21: host receive ring size is 2^buf_size_log2 bytes (6..30) */
    uint8_t rcv_wscale; /* @22: our window scale (RFC 7323): window field = window >> rcv_wscale */
    uint8_t snd_wscale; /* @23: the peer's window scale: SND.WND = field << snd_wscale */
    uint8_t dst_mac[6]; /* @24: ACK frames: destination MAC, wire order */
    uint8_t src_mac[6]; /* @30: ACK frames: source MAC, wire order */
    uint16_t vlan_tci; /* @36: ACK frames: 802.1Q TCI with RX_FLAG_VLAN */
    uint8_t ttl; /* @38: ACK frames: IPv4 TTL */
    uint8_t tos; /* @39: ACK frames: IPv4 DSCP/ECN */
    uint16_t ip_id; /* @40: ACK frames: next IPv4 ID (+1 per ACK) */
    uint16_t mss; /* @42: full-sized segment length (the peer's sending MSS) for the ACK policy */
    uint32_t rcv_nxt; /* @44: RCV.NXT */
    uint32_t rcv_read; /* @48: sequence number of the first byte the host has not consumed */
    uint32_t buf_seq0; /* @52: sequence number that maps to ring offset 0: byte s lives at (s - buf_seq0) mod size */
    uint32_t rcv_adv; /* @56: right edge of the window last advertised (RCV.NXT + window) */
    uint32_t last_ack_sent; /* @60: RCV.NXT carried by the last ACK sent (RFC 7323 Last.ACK.sent) */
    uint32_t ts_recent; /* @64: TS.Recent */
    uint32_t snd_una; /* @68: SND.UNA */
    uint32_t snd_nxt; /* @72: SND.NXT (set by the driver, SND command) */
    uint32_t snd_wnd; /* @76: SND.WND in bytes (scaled) */
    uint32_t snd_wl1; /* @80: SND.WL1: seq of the segment that last updated the window */
    uint32_t snd_wl2; /* @84: SND.WL2: ack of the segment that last updated the window */
    uint32_t max_snd_wnd; /* @88: MAX.SND.WND, the largest window the peer offered (RFC 5961) */
    uint32_t delack_deadline; /* @92: tick at which a pending delayed ACK is sent */
    uint32_t ev_rx_bytes; /* @96: bytes placed since the last DATA event */
    uint8_t dupacks; /* @100: duplicate ACKs in a row (RFC 5681), saturating at 255 */
    uint8_t segs_unacked; /* @101: full-sized segments received since our last ACK */
    uint8_t pend; /* @102: pending work: bit 0 delayed ACK armed, bit 1 TX_UPDATE ACKED, bit 2 TX_UPDATE WND */
    uint8_t rsvd0; /* @103: reserved */
    uint32_t segs_in; /* @104: data segments placed (wrapping) */
    uint32_t bytes_in; /* @108: payload bytes placed (wrapping) */
    uint32_t acks_out; /* @112: ACK frames sent (wrapping) */
    uint32_t rsvd1; /* @116: reserved */
    uint64_t rsvd2; /* @120: reserved */
};
TOE_STATIC_ASSERT(sizeof(struct toe_rx_ctx) == 128, "toe_rx_ctx size");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, buf_base) == 0, "toe_rx_ctx.buf_base");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, local_ip) == 8, "toe_rx_ctx.local_ip");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, remote_ip) == 12, "toe_rx_ctx.remote_ip");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, local_port) == 16, "toe_rx_ctx.local_port");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, remote_port) == 18, "toe_rx_ctx.remote_port");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, flags) == 20, "toe_rx_ctx.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, buf_size_log2) == 21, "toe_rx_ctx.buf_size_log2");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, rcv_wscale) == 22, "toe_rx_ctx.rcv_wscale");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, snd_wscale) == 23, "toe_rx_ctx.snd_wscale");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, dst_mac) == 24, "toe_rx_ctx.dst_mac");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, src_mac) == 30, "toe_rx_ctx.src_mac");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, vlan_tci) == 36, "toe_rx_ctx.vlan_tci");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, ttl) == 38, "toe_rx_ctx.ttl");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, tos) == 39, "toe_rx_ctx.tos");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, ip_id) == 40, "toe_rx_ctx.ip_id");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, mss) == 42, "toe_rx_ctx.mss");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, rcv_nxt) == 44, "toe_rx_ctx.rcv_nxt");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, rcv_read) == 48, "toe_rx_ctx.rcv_read");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, buf_seq0) == 52, "toe_rx_ctx.buf_seq0");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, rcv_adv) == 56, "toe_rx_ctx.rcv_adv");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, last_ack_sent) == 60, "toe_rx_ctx.last_ack_sent");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, ts_recent) == 64, "toe_rx_ctx.ts_recent");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, snd_una) == 68, "toe_rx_ctx.snd_una");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, snd_nxt) == 72, "toe_rx_ctx.snd_nxt");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, snd_wnd) == 76, "toe_rx_ctx.snd_wnd");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, snd_wl1) == 80, "toe_rx_ctx.snd_wl1");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, snd_wl2) == 84, "toe_rx_ctx.snd_wl2");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, max_snd_wnd) == 88, "toe_rx_ctx.max_snd_wnd");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, delack_deadline) == 92, "toe_rx_ctx.delack_deadline");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, ev_rx_bytes) == 96, "toe_rx_ctx.ev_rx_bytes");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, dupacks) == 100, "toe_rx_ctx.dupacks");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, segs_unacked) == 101, "toe_rx_ctx.segs_unacked");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, pend) == 102, "toe_rx_ctx.pend");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, rsvd0) == 103, "toe_rx_ctx.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, segs_in) == 104, "toe_rx_ctx.segs_in");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, bytes_in) == 108, "toe_rx_ctx.bytes_in");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, acks_out) == 112, "toe_rx_ctx.acks_out");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, rsvd1) == 116, "toe_rx_ctx.rsvd1");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_ctx, rsvd2) == 120, "toe_rx_ctx.rsvd2");

/* connection-table command (an INSERT carries an rx_ctx beside it) (32 bytes) */
struct toe_conn_cmd {
    uint8_t op; /* @0: CONN_CMD */
    uint8_t rsvd0; /* @1: reserved */
    uint16_t conn_id; /* @2: entry */
    uint16_t tag; /* @4: echoed in the response */
    uint16_t rsvd1; /* @6: reserved */
    uint32_t arg0; /* @8: see CONN_CMD */
    uint32_t arg1; /* @12: see CONN_CMD */
    uint32_t arg2; /* @16: see CONN_CMD */
    uint32_t rsvd2; /* @20: reserved */
    uint64_t rsvd3; /* @24: reserved */
};
TOE_STATIC_ASSERT(sizeof(struct toe_conn_cmd) == 32, "toe_conn_cmd size");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, op) == 0, "toe_conn_cmd.op");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, rsvd0) == 1, "toe_conn_cmd.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, conn_id) == 2, "toe_conn_cmd.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, tag) == 4, "toe_conn_cmd.tag");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, rsvd1) == 6, "toe_conn_cmd.rsvd1");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, arg0) == 8, "toe_conn_cmd.arg0");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, arg1) == 12, "toe_conn_cmd.arg1");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, arg2) == 16, "toe_conn_cmd.arg2");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, rsvd2) == 20, "toe_conn_cmd.rsvd2");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_cmd, rsvd3) == 24, "toe_conn_cmd.rsvd3");

/* connection-table command response, one per command in order (a READ's context comes beside it) (16 bytes) */
struct toe_conn_rsp {
    uint16_t tag; /* @0: the command's tag */
    uint16_t conn_id; /* @2: the command's conn_id */
    uint8_t op; /* @4: the command's op */
    uint8_t status; /* @5: CONN_STATUS */
    uint16_t rsvd0; /* @6: reserved */
    uint64_t rsvd1; /* @8: reserved */
};
TOE_STATIC_ASSERT(sizeof(struct toe_conn_rsp) == 16, "toe_conn_rsp size");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_rsp, tag) == 0, "toe_conn_rsp.tag");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_rsp, conn_id) == 2, "toe_conn_rsp.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_rsp, op) == 4, "toe_conn_rsp.op");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_rsp, status) == 5, "toe_conn_rsp.status");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_rsp, rsvd0) == 6, "toe_conn_rsp.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_rsp, rsvd1) == 8, "toe_conn_rsp.rsvd1");

/* event to the host (16 bytes) */
struct toe_rx_event {
    uint8_t ev_type; /* @0: RX_EV */
    uint8_t flags; /* @1: EV_FLAG bits (TX_UPDATE); bit 7 is the ring phase (written by the event ring writer) */
    uint16_t conn_id; /* @2: connection */
    uint32_t seq; /* @4: DATA: rcv_nxt; others: snd_una */
    uint32_t val; /* @8: DATA: bytes since the last DATA event; others: snd_wnd */
    uint32_t tick; /* @12: tick count when the event was made */
};
TOE_STATIC_ASSERT(sizeof(struct toe_rx_event) == 16, "toe_rx_event size");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_event, ev_type) == 0, "toe_rx_event.ev_type");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_event, flags) == 1, "toe_rx_event.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_event, conn_id) == 2, "toe_rx_event.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_event, seq) == 4, "toe_rx_event.seq");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_event, val) == 8, "toe_rx_event.val");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_event, tick) == 12, "toe_rx_event.tick");

/* exception-path record: precedes each frame handed to the host whole (16 bytes) */
struct toe_rx_exc {
    uint8_t reason; /* @0: RX_EXC */
    uint8_t flags; /* @1: bit 7: ring phase (written by the ring writer) */
    uint16_t conn_id; /* @2: the connection when reason >= RX_EXC_FLAGS (a known connection); otherwise 0xFFFF, which in a 65536-entry table is also a real id: the reason decides */
    uint16_t len; /* @4: frame bytes that follow */
    uint8_t l3_off; /* @6: offset of the IPv4 header (0 if not IPv4) */
    uint8_t l4_off; /* @7: offset of the TCP/UDP header (0 if none) */
    uint32_t tick; /* @8: tick count when the frame arrived */
    uint32_t rsvd0; /* @12: reserved */
};
TOE_STATIC_ASSERT(sizeof(struct toe_rx_exc) == 16, "toe_rx_exc size");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_exc, reason) == 0, "toe_rx_exc.reason");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_exc, flags) == 1, "toe_rx_exc.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_exc, conn_id) == 2, "toe_rx_exc.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_exc, len) == 4, "toe_rx_exc.len");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_exc, l3_off) == 6, "toe_rx_exc.l3_off");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_exc, l4_off) == 7, "toe_rx_exc.l4_off");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_exc, tick) == 8, "toe_rx_exc.tick");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_exc, rsvd0) == 12, "toe_rx_exc.rsvd0");

/* payload of MMIO_READ and MMIO_WRITE (48 bytes) */
struct toe_chan_mmio {
    uint64_t offset; /* @0: byte offset in the BAR, a multiple of size */
    uint64_t value; /* @8: MMIO_WRITE: the value, in the low `size` bytes (the rest 0); MMIO_READ: 0 */
    uint8_t bar; /* @16: BAR number, 0 to 5 */
    uint8_t size; /* @17: bytes: 4 or 8 */
    uint8_t rsvd[30]; /* @18: reserved, 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_chan_mmio) == 48, "toe_chan_mmio size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_mmio, offset) == 0, "toe_chan_mmio.offset");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_mmio, value) == 8, "toe_chan_mmio.value");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_mmio, bar) == 16, "toe_chan_mmio.bar");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_mmio, size) == 17, "toe_chan_mmio.size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_mmio, rsvd) == 18, "toe_chan_mmio.rsvd");

/* payload of MMIO_DONE (48 bytes) */
struct toe_chan_mmio_done {
    uint64_t value; /* @0: the value read, in the low bytes of a 4-byte read */
    uint8_t rsvd[40]; /* @8: reserved, 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_chan_mmio_done) == 48, "toe_chan_mmio_done size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_mmio_done, value) == 0, "toe_chan_mmio_done.value");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_mmio_done, rsvd) == 8, "toe_chan_mmio_done.rsvd");

/* payload of MSIX (48 bytes) */
struct toe_chan_msix {
    uint16_t vector; /* @0: MSI-X vector, below MSIX_VECTORS */
    uint8_t rsvd[46]; /* @2: reserved, 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_chan_msix) == 48, "toe_chan_msix size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_msix, vector) == 0, "toe_chan_msix.vector");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_msix, rsvd) == 2, "toe_chan_msix.rsvd");

/* payload of SYNC (48 bytes) */
struct toe_chan_sync {
    uint64_t until; /* @0: host to device: the grant - the device may run until this time (>= the message's time; UINT64_MAX: until an interrupt); device to host: 0 */
    uint8_t rsvd[40]; /* @8: reserved, 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_chan_sync) == 48, "toe_chan_sync size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_sync, until) == 0, "toe_chan_sync.until");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_sync, rsvd) == 8, "toe_chan_sync.rsvd");

/* one channel ring slot (CHAN_SLOT_SIZE bytes): a message, with its ownership byte (64 bytes) */
struct toe_chan_msg {
    uint8_t own; /* @0: 0: the producer's, 1: the consumer's; stored last with release order, read first with acquire order */
    uint8_t type; /* @1: CHAN_MSG */
    uint16_t flags; /* @2: reserved, 0 */
    uint32_t id; /* @4: MMIO_READ: the host's tag; MMIO_DONE: the tag of the read it answers; otherwise 0 */
    uint64_t time; /* @8: the sender's virtual time in picoseconds; never decreases along a ring */
    union {
        uint8_t bytes[48];
        struct toe_chan_mmio mmio;
        struct toe_chan_mmio_done done;
        struct toe_chan_msix msix;
        struct toe_chan_sync sync;
    } payload; /* @16: per type; bytes a type does not use are 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_chan_msg) == 64, "toe_chan_msg size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_msg, own) == 0, "toe_chan_msg.own");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_msg, type) == 1, "toe_chan_msg.type");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_msg, flags) == 2, "toe_chan_msg.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_msg, id) == 4, "toe_chan_msg.id");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_msg, time) == 8, "toe_chan_msg.time");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_msg, payload) == 16, "toe_chan_msg.payload");

/* HELLO on the channel socket: the host's, with its DMA memfd (SCM_RIGHTS), then the device's answer, with the queue memfd when status is OK. magic and version keep their offsets in every protocol version (64 bytes) */
struct toe_chan_hello {
    uint32_t magic; /* @0: CHAN_MAGIC */
    uint32_t version; /* @4: the sender's CHAN_VERSION */
    uint32_t status; /* @8: device: CHAN_HELLO; host: 0 */
    uint32_t peer_version; /* @12: device: the version the host's HELLO said; host: 0 */
    uint64_t dma_size; /* @16: host: bytes of DMA memory; device: 0 */
    uint64_t dma_iova; /* @24: host: the bus address (IOVA) of its first byte; device: 0 */
    uint32_t nslots; /* @32: device: slots per ring; host: 0 */
    uint32_t rsvd0; /* @36: reserved, 0 */
    uint64_t queue_size; /* @40: device: bytes of queue memory, 256 + 2 * nslots * CHAN_SLOT_SIZE; host: 0 */
    uint8_t rsvd[16]; /* @48: reserved, 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_chan_hello) == 64, "toe_chan_hello size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, magic) == 0, "toe_chan_hello.magic");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, version) == 4, "toe_chan_hello.version");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, status) == 8, "toe_chan_hello.status");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, peer_version) == 12, "toe_chan_hello.peer_version");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, dma_size) == 16, "toe_chan_hello.dma_size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, dma_iova) == 24, "toe_chan_hello.dma_iova");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, nslots) == 32, "toe_chan_hello.nslots");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, rsvd0) == 36, "toe_chan_hello.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, queue_size) == 40, "toe_chan_hello.queue_size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_hello, rsvd) == 48, "toe_chan_hello.rsvd");

/* start of the queue memory; the host-to-device ring follows at 256, the device-to-host ring after it. The wait words sit in cache lines of their own (256 bytes) */
struct toe_chan_qhdr {
    uint32_t magic; /* @0: CHAN_MAGIC */
    uint32_t version; /* @4: CHAN_VERSION */
    uint32_t nslots; /* @8: slots per ring, 1 to CHAN_NSLOTS_MAX */
    uint32_t slot_size; /* @12: CHAN_SLOT_SIZE */
    uint8_t rsvd0[48]; /* @16: reserved, 0 */
    uint32_t host_wait; /* @64: CHAN_WAIT: what the host sleeps for; written by the host only */
    uint8_t rsvd1[60]; /* @68: reserved, 0 */
    uint32_t dev_wait; /* @128: CHAN_WAIT: what the device sleeps for; written by the device only */
    uint8_t rsvd2[124]; /* @132: reserved, 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_chan_qhdr) == 256, "toe_chan_qhdr size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_qhdr, magic) == 0, "toe_chan_qhdr.magic");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_qhdr, version) == 4, "toe_chan_qhdr.version");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_qhdr, nslots) == 8, "toe_chan_qhdr.nslots");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_qhdr, slot_size) == 12, "toe_chan_qhdr.slot_size");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_qhdr, rsvd0) == 16, "toe_chan_qhdr.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_qhdr, host_wait) == 64, "toe_chan_qhdr.host_wait");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_qhdr, rsvd1) == 68, "toe_chan_qhdr.rsvd1");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_qhdr, dev_wait) == 128, "toe_chan_qhdr.dev_wait");
TOE_STATIC_ASSERT(offsetof(struct toe_chan_qhdr, rsvd2) == 132, "toe_chan_qhdr.rsvd2");

/* exception receive buffer (RXBQ entry): one frame per buffer (16 bytes) */
struct toe_rx_buf {
    uint64_t addr; /* @0: host address of the buffer */
    uint32_t len; /* @8: bytes, at least RXB_MIN_LEN */
    uint32_t rsvd0; /* @12: reserved, write 0 */
};
TOE_STATIC_ASSERT(sizeof(struct toe_rx_buf) == 16, "toe_rx_buf size");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_buf, addr) == 0, "toe_rx_buf.addr");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_buf, len) == 8, "toe_rx_buf.len");
TOE_STATIC_ASSERT(offsetof(struct toe_rx_buf, rsvd0) == 12, "toe_rx_buf.rsvd0");

/* exception completion (EXCQ entry): the frame is in the RXBQ buffer buf_idx names (16 bytes) */
struct toe_exc_cpl {
    uint8_t reason; /* @0: RX_EXC */
    uint8_t flags; /* @1: bit 7: ring phase */
    uint16_t conn_id; /* @2: as rx_exc.conn_id */
    uint16_t len; /* @4: frame bytes written at the start of the buffer */
    uint8_t l3_off; /* @6: as rx_exc */
    uint8_t l4_off; /* @7: as rx_exc */
    uint32_t tick; /* @8: tick count when the frame arrived */
    uint32_t buf_idx; /* @12: RXBQ index (free-running) of the buffer that holds it */
};
TOE_STATIC_ASSERT(sizeof(struct toe_exc_cpl) == 16, "toe_exc_cpl size");
TOE_STATIC_ASSERT(offsetof(struct toe_exc_cpl, reason) == 0, "toe_exc_cpl.reason");
TOE_STATIC_ASSERT(offsetof(struct toe_exc_cpl, flags) == 1, "toe_exc_cpl.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_exc_cpl, conn_id) == 2, "toe_exc_cpl.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_exc_cpl, len) == 4, "toe_exc_cpl.len");
TOE_STATIC_ASSERT(offsetof(struct toe_exc_cpl, l3_off) == 6, "toe_exc_cpl.l3_off");
TOE_STATIC_ASSERT(offsetof(struct toe_exc_cpl, l4_off) == 7, "toe_exc_cpl.l4_off");
TOE_STATIC_ASSERT(offsetof(struct toe_exc_cpl, tick) == 8, "toe_exc_cpl.tick");
TOE_STATIC_ASSERT(offsetof(struct toe_exc_cpl, buf_idx) == 12, "toe_exc_cpl.buf_idx");

/* admin submission (ASQ entry) (64 bytes) */
struct toe_admin_cmd {
    uint8_t opcode; /* @0: ADMIN_OP */
    uint8_t flags; /* @1: reserved, 0 */
    uint16_t tag; /* @2: echoed in the completion */
    uint16_t conn_id; /* @4: connection commands: the entry */
    uint16_t rsvd0; /* @6: reserved, 0 */
    uint32_t arg0; /* @8: see ADMIN_OP */
    uint32_t arg1; /* @12: see ADMIN_OP */
    uint64_t addr; /* @16: host buffer of commands that carry or return more than fits */
    uint32_t len; /* @24: bytes of that buffer */
    uint32_t rsvd1; /* @28: reserved, 0 */
    uint8_t data[32]; /* @32: inline data (ADMIN_MAX_INLINE bytes) */
};
TOE_STATIC_ASSERT(sizeof(struct toe_admin_cmd) == 64, "toe_admin_cmd size");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, opcode) == 0, "toe_admin_cmd.opcode");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, flags) == 1, "toe_admin_cmd.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, tag) == 2, "toe_admin_cmd.tag");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, conn_id) == 4, "toe_admin_cmd.conn_id");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, rsvd0) == 6, "toe_admin_cmd.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, arg0) == 8, "toe_admin_cmd.arg0");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, arg1) == 12, "toe_admin_cmd.arg1");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, addr) == 16, "toe_admin_cmd.addr");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, len) == 24, "toe_admin_cmd.len");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, rsvd1) == 28, "toe_admin_cmd.rsvd1");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cmd, data) == 32, "toe_admin_cmd.data");

/* admin completion (ACQ entry), one per submission in order (16 bytes) */
struct toe_admin_cpl {
    uint16_t tag; /* @0: the command's tag */
    uint8_t opcode; /* @2: the command's opcode */
    uint8_t status; /* @3: ADMIN_STATUS */
    uint8_t flags; /* @4: bit 0: ring phase */
    uint8_t rsvd0; /* @5: reserved */
    uint16_t sq_head; /* @6: ASQ CONS after this command (low 16 bits) */
    uint32_t val0; /* @8: per command and status */
    uint32_t val1; /* @12: per command and status */
};
TOE_STATIC_ASSERT(sizeof(struct toe_admin_cpl) == 16, "toe_admin_cpl size");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cpl, tag) == 0, "toe_admin_cpl.tag");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cpl, opcode) == 2, "toe_admin_cpl.opcode");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cpl, status) == 3, "toe_admin_cpl.status");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cpl, flags) == 4, "toe_admin_cpl.flags");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cpl, rsvd0) == 5, "toe_admin_cpl.rsvd0");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cpl, sq_head) == 6, "toe_admin_cpl.sq_head");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cpl, val0) == 8, "toe_admin_cpl.val0");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_cpl, val1) == 12, "toe_admin_cpl.val1");

/* IDENTIFY's answer (64 bytes) */
struct toe_admin_identify {
    uint32_t if_version; /* @0: IF_VERSION_MAJOR << 16 | IF_VERSION_MINOR */
    uint32_t fw_version; /* @4: firmware version: major << 16 | minor */
    uint32_t features; /* @8: FEATURE bits */
    uint32_t conn_max; /* @12: connection-table entries */
    uint16_t msix_vectors; /* @16: MSI-X vectors */
    uint16_t queues; /* @18: DEV_QUEUES */
    uint32_t tick_ns; /* @20: ns per RX-engine tick */
    uint16_t clk_mhz; /* @24: core clock */
    uint16_t width_bytes; /* @26: datapath width */
    uint32_t mbox_size; /* @28: firmware mailbox bytes */
    uint8_t mac[6]; /* @32: our MAC address (SET_MAC), wire order */
    uint8_t prefix_len; /* @38: IPv4 prefix length (SET_IPV4) */
    uint8_t mac_filter; /* @39: 1: receive MAC filter on */
    uint32_t ipv4; /* @40: our IPv4 address (SET_IPV4) */
    uint32_t fw_code_bytes; /* @44: firmware code + data size */
    uint32_t delack_ticks; /* @48: delayed-ACK timeout in ticks */
    uint32_t coalesce_bytes; /* @52: DATA coalescing threshold */
    uint32_t ts_ticks; /* @56: ticks per timestamp-clock unit */
    uint32_t rsvd0; /* @60: reserved */
};
TOE_STATIC_ASSERT(sizeof(struct toe_admin_identify) == 64, "toe_admin_identify size");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, if_version) == 0, "toe_admin_identify.if_version");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, fw_version) == 4, "toe_admin_identify.fw_version");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, features) == 8, "toe_admin_identify.features");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, conn_max) == 12, "toe_admin_identify.conn_max");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, msix_vectors) == 16, "toe_admin_identify.msix_vectors");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, queues) == 18, "toe_admin_identify.queues");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, tick_ns) == 20, "toe_admin_identify.tick_ns");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, clk_mhz) == 24, "toe_admin_identify.clk_mhz");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, width_bytes) == 26, "toe_admin_identify.width_bytes");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, mbox_size) == 28, "toe_admin_identify.mbox_size");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, mac) == 32, "toe_admin_identify.mac");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, prefix_len) == 38, "toe_admin_identify.prefix_len");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, mac_filter) == 39, "toe_admin_identify.mac_filter");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, ipv4) == 40, "toe_admin_identify.ipv4");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, fw_code_bytes) == 44, "toe_admin_identify.fw_code_bytes");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, delack_ticks) == 48, "toe_admin_identify.delack_ticks");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, coalesce_bytes) == 52, "toe_admin_identify.coalesce_bytes");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, ts_ticks) == 56, "toe_admin_identify.ts_ticks");
TOE_STATIC_ASSERT(offsetof(struct toe_admin_identify, rsvd0) == 60, "toe_admin_identify.rsvd0");

/* CONN_CREATE's buffer and CONN_READ's answer: the RX entry and the TX context of one connection (176 bytes) */
struct toe_conn_create {
    union {
        uint8_t bytes[128];
        struct toe_rx_ctx rx;
    } rx; /* @0: the connection-table entry (rx_ctx) */
    union {
        uint8_t bytes[48];
        struct toe_tx_ctx tx;
    } tx; /* @128: the TX context (tx_ctx) */
};
TOE_STATIC_ASSERT(sizeof(struct toe_conn_create) == 176, "toe_conn_create size");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_create, rx) == 0, "toe_conn_create.rx");
TOE_STATIC_ASSERT(offsetof(struct toe_conn_create, tx) == 128, "toe_conn_create.tx");

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "toe_formats.h maps memory images directly: little-endian hosts only"
#endif

#endif /* TOE_FORMATS_H */
