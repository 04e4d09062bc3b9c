// generated from rtl/data/toe_formats.json by tools/gen_formats.py; do not edit
//
// Struct bit i is byte i/8, bit i%8 of the little-endian memory image:
// the first field in memory sits in the least significant bits.

package toe_pkg;

  // largest TSO payload one descriptor may carry (bytes): 64 KiB, as Linux GSO_MAX_SIZE
  localparam logic [31:0] TSO_MAX_LEN = 32'd65536;
  // smallest raw frame (an Ethernet header)
  localparam logic [31:0] RAW_MIN_LEN = 32'd14;
  // largest raw frame, FCS excluded (jumbo)
  localparam logic [31:0] RAW_MAX_LEN = 32'd9216;
  // smallest MSS a TSO descriptor may use (Linux TCP_MIN_MSS)
  localparam logic [15:0] MSS_MIN = 16'd88;
  // largest MSS a TSO descriptor may use (jumbo)
  localparam logic [15:0] MSS_MAX = 16'd9000;
  // bytes of the timestamp option block: NOP, NOP, kind 8, len 10, TSval, TSecr (RFC 7323 appendix A layout)
  localparam logic [15:0] TS_OPT_LEN = 16'd12;
  // TX frame buffer size: holds one largest segment plus the next one arriving
  localparam logic [31:0] FRAME_BUF_BYTES = 32'd16384;
  // largest received frame; a longer one is dropped (RX_DROP_TOO_LONG)
  localparam logic [31:0] RX_MAX_FRAME = 32'd9216;
  // bytes of a frame the parser looks at: Ethernet + 802.1Q (18) + IPv4 with options (60) + TCP with options (60), rounded up to whole 16-bit words
  localparam logic [15:0] RX_HDR_CAP = 16'd142;
  // connection-table entries by default (parameter CONN_MAX, a power of two up to 65536)
  localparam logic [31:0] CONN_MAX_DEFAULT = 32'd4096;
  // smallest connection table (CONN_MAX): one word of the work bitmap
  localparam logic [31:0] CONN_MAX_MIN = 32'd64;
  // largest connection table (CONN_MAX): 16-bit connection ids
  localparam logic [31:0] CONN_MAX_MAX = 32'd65536;
  // slots per hash bucket; two buckets (one per hash) are searched per lookup
  localparam logic [31:0] CONN_WAYS = 32'd4;
  // RX_DATA event after this many unreported placed bytes (cfg_coalesce_bytes)
  localparam logic [31:0] RX_EVENT_COALESCE_DEFAULT = 32'd16384;
  // delayed-ACK timeout in ticks: 40 ms at the 10 us tick (cfg_delack_ticks; RFC 1122 caps it at 500 ms)
  localparam logic [31:0] DELACK_TICKS_DEFAULT = 32'd4000;
  // the delayed-ACK timeout is capped here whatever cfg_delack_ticks says: 500 ms at the 10 us tick (RFC 1122 4.2.3.2, RFC 9293 3.8.6.3)
  localparam logic [31:0] DELACK_TICKS_MAX = 32'd50000;
  // PCI vendor ID of the device (0x1234, as Corundum's default: an open design without an ID of its own)
  localparam logic [15:0] DEV_VENDOR_ID = 16'd4660;
  // PCI device ID: OpenTOE
  localparam logic [15:0] DEV_DEVICE_ID = 16'd28896;
  // PCI subsystem vendor ID
  localparam logic [15:0] DEV_SUBSYS_VENDOR_ID = 16'd4660;
  // PCI subsystem ID: the reference device (toe-sim)
  localparam logic [15:0] DEV_SUBSYS_ID = 16'd1;
  // PCI revision ID
  localparam logic [7:0] DEV_REVISION = 8'd1;
  // PCI class code: network controller, Ethernet, no programming interface
  localparam logic [31:0] DEV_CLASS = 32'd131072;
  // bytes of BAR0 (64-bit, non-prefetchable memory): registers, MSI-X table and PBA
  localparam logic [31:0] BAR0_SIZE = 32'd65536;
  // offset of the MSI-X table in BAR0 (16 bytes a vector)
  localparam logic [31:0] BAR0_MSIX_TABLE = 32'd32768;
  // offset of the MSI-X pending-bit array in BAR0
  localparam logic [31:0] BAR0_MSIX_PBA = 32'd36864;
  // MSI-X vectors the device has
  localparam logic [15:0] MSIX_VECTORS = 16'd32;
  // first word of every channel HELLO and of the queue memory: 0x43454f54, the bytes 'TOEC' in memory (docs/device.md, The channel)
  localparam logic [31:0] CHAN_MAGIC = 32'd1128615764;
  // channel protocol version; host and device must speak the same one
  localparam logic [31:0] CHAN_VERSION = 32'd1;
  // bytes of a channel ring slot: one chan_msg
  localparam logic [31:0] CHAN_SLOT_SIZE = 32'd64;
  // slots per channel ring unless toe-sim is told otherwise
  localparam logic [31:0] CHAN_NSLOTS_DEFAULT = 32'd1024;
  // most slots per channel ring a host accepts (4 MiB a ring)
  localparam logic [31:0] CHAN_NSLOTS_MAX = 32'd65536;
  // BAR0 ID register: 0x454f544f, the bytes 'OTOE' in memory
  localparam logic [31:0] DEV_ID_MAGIC = 32'd1162826831;
  // host interface major version: a driver refuses a major it does not speak
  localparam logic [31:0] IF_VERSION_MAJOR = 32'd1;
  // host interface minor version: additions a driver of the same major may ignore
  localparam logic [31:0] IF_VERSION_MINOR = 32'd0;
  // core clock of the reference device (toe-sim): 250 MHz, one cycle every DEV_CLK_PS
  localparam logic [31:0] DEV_CLK_MHZ = 32'd250;
  // picoseconds per core clock cycle
  localparam logic [31:0] DEV_CLK_PS = 32'd4000;
  // datapath width of the device toe-sim hosts (bits); the engines build at 64..512
  localparam logic [31:0] DEV_WIDTH_BITS = 32'd64;
  // core cycles per tick of the RX engine's timer clock: 10 us
  localparam logic [31:0] DEV_TICK_CYCLES = 32'd2500;
  // queues of the device (QID_*)
  localparam logic [31:0] DEV_QUEUES = 32'd7;
  // smallest ring: 2 entries
  localparam logic [31:0] QUEUE_LOG2_MIN = 32'd1;
  // largest ring: 32768 entries
  localparam logic [31:0] QUEUE_LOG2_MAX = 32'd15;
  // QREG_VECTOR value for a ring with no interrupt (polled)
  localparam logic [31:0] QUEUE_NO_VECTOR = 32'd4294967295;
  // bytes of firmware mailbox RAM (FW_MBOX_BASE in the firmware's window)
  localparam logic [31:0] FW_MBOX_SIZE = 32'd4096;
  // offset of the mailbox RAM in the firmware's management window
  localparam logic [31:0] FW_MBOX_BASE = 32'd4096;
  // firmware connection command: conn_rsp written at CMD_MBOX_OFF + this, a READ's rx_ctx after it
  localparam logic [31:0] FW_CMD_RSP_OFF = 32'd160;
  // bytes of code + data the RV32 firmware may use
  localparam logic [31:0] FW_CODE_BUDGET = 32'd32768;
  // virtual time a BAR0 read costs the host (round trip): 1 us, the order of a PCIe read
  localparam logic [31:0] MMIO_READ_PS = 32'd1000000;
  // device time one firmware management-bus access costs (toe-sim's firmware CPU): 20 ns
  localparam logic [31:0] FW_ACCESS_PS = 32'd20000;
  // smallest exception receive buffer (rx_buf.len); a frame longer than its buffer is dropped (DEV_CNT_RX_BUF_SMALL)
  localparam logic [31:0] RXB_MIN_LEN = 32'd64;
  // bytes of inline data in an admin command
  localparam logic [31:0] ADMIN_MAX_INLINE = 32'd32;

  // TX_OP: descriptor operation
  localparam logic [7:0] TX_OP_TSO = 8'd0;  // segment the payload by MSS; headers built from the connection context
  localparam logic [7:0] TX_OP_RAW = 8'd1;  // send the buffer as one whole frame; optional checksum insertion

  // TCP_FLAG: TCP header flag bits (RFC 9293 section 3.1, RFC 3168)
  localparam logic [7:0] TCP_FLAG_FIN = 8'd1;  // last segment only
  localparam logic [7:0] TCP_FLAG_SYN = 8'd2;  // single-segment descriptors only
  localparam logic [7:0] TCP_FLAG_RST = 8'd4;  // single-segment descriptors only
  localparam logic [7:0] TCP_FLAG_PSH = 8'd8;  // last segment only
  localparam logic [7:0] TCP_FLAG_ACK = 8'd16;  // every segment; ack number is the context's rcv_nxt
  localparam logic [7:0] TCP_FLAG_URG = 8'd32;  // single-segment descriptors only; urgent pointer from the descriptor
  localparam logic [7:0] TCP_FLAG_ECE = 8'd64;  // every segment
  localparam logic [7:0] TCP_FLAG_CWR = 8'd128;  // first segment only

  // CSUM_FLAG: raw-frame checksum insertion requests
  localparam logic [7:0] CSUM_FLAG_IP = 8'd1;  // fill the IPv4 header checksum at l3_off+10
  localparam logic [7:0] CSUM_FLAG_TCP = 8'd2;  // fill the TCP checksum at l4_off+16 (pseudo-header included)
  localparam logic [7:0] CSUM_FLAG_UDP = 8'd4;  // fill the UDP checksum at l4_off+6 (pseudo-header included; 0 sent as 0xFFFF)

  // CTX_FLAG: connection-context flag bits
  localparam logic [7:0] CTX_FLAG_TS = 8'd1;  // the connection uses TCP timestamps: every segment carries the 12-byte option
  localparam logic [7:0] CTX_FLAG_VLAN = 8'd2;  // insert an 802.1Q tag with vlan_tci
  localparam logic [7:0] CTX_FLAG_DF = 8'd4;  // set IPv4 Don't Fragment

  // TX_STATUS: completion status; checks run in this order and the first failure is reported
  localparam logic [7:0] TX_STATUS_OK = 8'd0;  // every frame was sent
  localparam logic [7:0] TX_STATUS_ERR_OP = 8'd1;  // unknown op
  localparam logic [7:0] TX_STATUS_ERR_LEN = 8'd2;  // TSO len above TSO_MAX_LEN, or raw len outside RAW_MIN_LEN..RAW_MAX_LEN
  localparam logic [7:0] TX_STATUS_ERR_MSS = 8'd3;  // TSO with context mss outside MSS_MIN..MSS_MAX
  localparam logic [7:0] TX_STATUS_ERR_EMPTY = 8'd4;  // TSO with len 0 and none of SYN, FIN, RST
  localparam logic [7:0] TX_STATUS_ERR_FLAGS = 8'd5;  // SYN, RST or URG on a TSO descriptor needing more than one segment; raw with unknown checksum bits or both TCP and UDP
  localparam logic [7:0] TX_STATUS_ERR_ADDR = 8'd6;  // len > 0 and [buf_addr, buf_addr+len) not inside the DMA window [dma_lo, dma_hi)
  localparam logic [7:0] TX_STATUS_ERR_OFFSETS = 8'd7;  // raw checksum offsets odd, l3_off < 14, l4_off < l3_off + 20, or the L4 header runs past len
  localparam logic [7:0] TX_STATUS_ERR_CONN = 8'd8;  // device shell, not the engine: TSO naming a conn_id at or above CONN_MAX or without a TX context (DEV_CNT_TX_BAD_CONN); nothing is sent

  // RX_EXC: why a received frame went to the host whole (exception path)
  localparam logic [7:0] RX_EXC_NOT_IPV4 = 8'd1;  // ethertype is not IPv4 (ARP, IPv6, ...)
  localparam logic [7:0] RX_EXC_NOT_TCP = 8'd2;  // IPv4 protocol other than TCP or UDP (ICMP, ...)
  localparam logic [7:0] RX_EXC_UDP = 8'd3;  // a UDP datagram (checksum verified; no UDP offload)
  localparam logic [7:0] RX_EXC_FRAG = 8'd4;  // an IPv4 fragment (MF set or offset != 0)
  localparam logic [7:0] RX_EXC_NO_CONN = 8'd5;  // TCP, 4-tuple not in the connection table
  localparam logic [7:0] RX_EXC_FLAGS = 8'd6;  // known connection, SYN, RST, FIN or URG set, or ACK clear
  localparam logic [7:0] RX_EXC_OPTIONS = 8'd7;  // known connection, TCP options other than timestamps, or no timestamp on a timestamp connection
  localparam logic [7:0] RX_EXC_PAWS = 8'd8;  // known connection, TSval older than TS.Recent (RFC 7323 section 5)
  localparam logic [7:0] RX_EXC_ACK_RANGE = 8'd9;  // known connection, SEG.ACK outside [SND.UNA - MAX.SND.WND, SND.NXT] (RFC 5961 section 5.2)
  localparam logic [7:0] RX_EXC_OOO = 8'd10;  // data beyond RCV.NXT inside the window (out of order)
  localparam logic [7:0] RX_EXC_OLD = 8'd11;  // data starting before RCV.NXT (a retransmission of bytes already taken)
  localparam logic [7:0] RX_EXC_WINDOW = 8'd12;  // data starting beyond the advertised window
  localparam logic [7:0] RX_EXC_BUF_FULL = 8'd13;  // in-order data, but the receive buffer has less room than the segment

  // RX_DROP: why a received frame was dropped (counted, never delivered)
  localparam logic [7:0] RX_DROP_RUNT = 8'd1;  // shorter than an Ethernet header (including zero-length frames)
  localparam logic [7:0] RX_DROP_TOO_LONG = 8'd2;  // longer than RX_MAX_FRAME
  localparam logic [7:0] RX_DROP_IP_HDR = 8'd3;  // IPv4 version not 4, IHL < 5, header or total length beyond the frame, total length < IHL*4
  localparam logic [7:0] RX_DROP_IP_CSUM = 8'd4;  // IPv4 header checksum wrong
  localparam logic [7:0] RX_DROP_TCP_HDR = 8'd5;  // TCP header truncated, data offset < 5 or beyond the segment, or an option running past the header
  localparam logic [7:0] RX_DROP_TCP_CSUM = 8'd6;  // TCP checksum wrong
  localparam logic [7:0] RX_DROP_UDP_HDR = 8'd7;  // UDP header truncated or UDP length disagreeing with the IPv4 length
  localparam logic [7:0] RX_DROP_UDP_CSUM = 8'd8;  // UDP checksum wrong (a zero checksum means none and is accepted)

  // RX_EV: host event types
  localparam logic [7:0] RX_EV_DATA = 8'd1;  // bytes placed: rcv_nxt now, bytes since the last DATA event
  localparam logic [7:0] RX_EV_TX_UPDATE = 8'd2;  // coalesced: snd_una advanced and/or the peer window changed
  localparam logic [7:0] RX_EV_DUPACK3 = 8'd3;  // the third duplicate ACK (RFC 5681), immediately
  localparam logic [7:0] RX_EV_WND_OPEN = 8'd4;  // the peer window opened from zero, immediately

  // ACK_WHY: why the hardware sent an ACK
  localparam logic [7:0] ACK_WHY_EVERY2 = 8'd1;  // the second full-sized segment since the last ACK (RFC 1122 4.2.3.2)
  localparam logic [7:0] ACK_WHY_DELAYED = 8'd2;  // the delayed-ACK timer ran out
  localparam logic [7:0] ACK_WHY_DUP = 8'd3;  // an unacceptable data segment (out of order, old, beyond the window): RFC 9293 3.10.7.4
  localparam logic [7:0] ACK_WHY_WND_UPDATE = 8'd4;  // the host made room and the window opened enough (receiver SWS avoidance)
  localparam logic [7:0] ACK_WHY_HOST = 8'd5;  // the host asked (quick-ack command)

  // CONN_CMD: connection-table command operations
  localparam logic [7:0] CONN_CMD_INSERT = 8'd1;  // install conn_id with the given context and 4-tuple
  localparam logic [7:0] CONN_CMD_DELETE = 8'd2;  // remove conn_id
  localparam logic [7:0] CONN_CMD_READ = 8'd3;  // return conn_id's context
  localparam logic [7:0] CONN_CMD_RCV_READ = 8'd4;  // the host consumed data: rcv_read = arg0
  localparam logic [7:0] CONN_CMD_RCV_NXT = 8'd5;  // the driver took data itself: rcv_nxt = arg0
  localparam logic [7:0] CONN_CMD_SND = 8'd6;  // the driver's send state: snd_nxt = arg0, snd_una = arg1, snd_wnd = arg2
  localparam logic [7:0] CONN_CMD_ACK_NOW = 8'd7;  // send an ACK now (quick-ack)

  // CONN_STATUS: connection-table command results
  localparam logic [7:0] CONN_STATUS_OK = 8'd0;  // done
  localparam logic [7:0] CONN_STATUS_BAD_OP = 8'd1;  // unknown op
  localparam logic [7:0] CONN_STATUS_BAD_ID = 8'd2;  // conn_id not below CONN_MAX
  localparam logic [7:0] CONN_STATUS_NOT_FOUND = 8'd3;  // conn_id not installed (all ops but INSERT)
  localparam logic [7:0] CONN_STATUS_BUSY = 8'd4;  // INSERT: conn_id already installed
  localparam logic [7:0] CONN_STATUS_EXISTS = 8'd5;  // INSERT: the 4-tuple is already in the table
  localparam logic [7:0] CONN_STATUS_TABLE_FULL = 8'd6;  // INSERT: both buckets of the 4-tuple are full
  localparam logic [7:0] CONN_STATUS_BAD_CTX = 8'd7;  // INSERT: buffer size not a power of two in 64..2^30 or base not 64-byte aligned, window scale > 14, mss outside MSS_MIN..MSS_MAX, or rcv_nxt - rcv_read larger than the ring
  localparam logic [7:0] CONN_STATUS_BAD_ARG = 8'd8;  // RCV_READ, RCV_NXT or SND arguments out of order (see docs/rx-datapath.md)

  // RX_FLAG: rx_ctx flags
  localparam logic [7:0] RX_FLAG_TS = 8'd1;  // timestamps in use (RFC 7323)
  localparam logic [7:0] RX_FLAG_VLAN = 8'd2;  // ACKs carry an 802.1Q tag with vlan_tci
  localparam logic [7:0] RX_FLAG_DF = 8'd4;  // ACKs set IPv4 Don't Fragment
  localparam logic [7:0] RX_FLAG_HW_DUPACK = 8'd8;  // the hardware ACKs unacceptable data segments itself (clear it when the driver sends SACK)

  // EV_FLAG: TX_UPDATE event flags
  localparam logic [7:0] EV_FLAG_ACKED = 8'd1;  // snd_una advanced
  localparam logic [7:0] EV_FLAG_WND = 8'd2;  // the peer window changed

  // CHAN_MSG: channel message types (chan_msg.type); 0 is no message, so a zeroed slot is never one
  localparam logic [7:0] CHAN_MSG_MMIO_READ = 8'd1;  // host to device: read `size` bytes at `offset` in BAR `bar` (payload chan_mmio); `id` tags it
  localparam logic [7:0] CHAN_MSG_MMIO_WRITE = 8'd2;  // host to device: posted write of `value` (payload chan_mmio)
  localparam logic [7:0] CHAN_MSG_MMIO_DONE = 8'd3;  // device to host: the value of the read whose `id` it carries (payload chan_mmio_done)
  localparam logic [7:0] CHAN_MSG_MSIX = 8'd4;  // device to host: an MSI-X message for `vector` (payload chan_msix)
  localparam logic [7:0] CHAN_MSG_SYNC = 8'd5;  // both ways: the sender will send nothing stamped earlier than `time`; from the host, `time` is its clock and `payload.sync.until` the grant (docs/device.md, Time); from the device, `time` is where it stopped
  localparam logic [7:0] CHAN_MSG_RESET = 8'd6;  // host to device: function-level reset

  // CHAN_HELLO: the device's answer to a host's HELLO (chan_hello.status)
  localparam logic [7:0] CHAN_HELLO_OK = 8'd0;  // attached: the queue memory comes with the answer
  localparam logic [7:0] CHAN_HELLO_BUSY = 8'd1;  // another host is attached; a device has one driver
  localparam logic [7:0] CHAN_HELLO_VERSION = 8'd2;  // the host speaks another protocol version: `version` is the device's, `peer_version` the host's
  localparam logic [7:0] CHAN_HELLO_BAD_DMA = 8'd3;  // the DMA memory is unusable: none passed, not a memfd sealed against shrinking, smaller than `dma_size`, size 0, or `dma_iova` + `dma_size` past 2^64

  // CHAN_WAIT: a side's wait word in the queue header: what it sleeps in poll() for, 0 while awake
  localparam logic [7:0] CHAN_WAIT_RX = 8'd1;  // a message in its receive ring: the peer writes a wake byte after publishing a slot
  localparam logic [7:0] CHAN_WAIT_TX = 8'd2;  // a free slot in its send ring: the peer writes a wake byte after handing a slot back

  // QID: the device's queues: host-to-device rings (the host writes PROD) and device-to-host rings (the device writes entries with a phase bit, the host writes CONS)
  localparam logic [7:0] QID_ASQ = 8'd0;  // admin submissions (host to device, admin_cmd, 64 bytes), served by the firmware
  localparam logic [7:0] QID_ACQ = 8'd1;  // admin completions (device to host, admin_cpl, 16 bytes)
  localparam logic [7:0] QID_TXQ = 8'd2;  // TX descriptors (host to device, tx_desc, 32 bytes): TSO sends and raw frames
  localparam logic [7:0] QID_TXCQ = 8'd3;  // TX completions (device to host, tx_cpl, 16 bytes, phase in flags bit 0)
  localparam logic [7:0] QID_RXBQ = 8'd4;  // exception receive buffers (host to device, rx_buf, 16 bytes)
  localparam logic [7:0] QID_EXCQ = 8'd5;  // exception completions (device to host, exc_cpl, 16 bytes, phase in flags bit 7): a frame handed up whole
  localparam logic [7:0] QID_EVQ = 8'd6;  // RX events (device to host, rx_event, 16 bytes, phase in flags bit 7)

  // QERR: QREG_ERROR: why a queue stopped (it is disabled; writing CTRL.ENABLE again clears it)
  localparam logic [31:0] QERR_NONE = 32'd0;  // no error
  localparam logic [31:0] QERR_BAD_CONFIG = 32'd1;  // enable refused: SIZE_LOG2 outside QUEUE_LOG2_MIN..QUEUE_LOG2_MAX, BASE not aligned to 64 bytes, or VECTOR neither below MSIX_VECTORS nor QUEUE_NO_VECTOR
  localparam logic [31:0] QERR_BAD_PROD = 32'd2;  // host-to-device ring: a PROD write that puts more than the ring's size between CONS and PROD
  localparam logic [31:0] QERR_BAD_CONS = 32'd3;  // device-to-host ring: a CONS write beyond PROD or behind the previous CONS
  localparam logic [31:0] QERR_DMA_FAULT = 32'd4;  // an entry read or write of the ring was refused by the DMA bounds check
  localparam logic [31:0] QERR_BAD_ENTRY = 32'd5;  // RXBQ: a buffer with len below RXB_MIN_LEN or rsvd0 not 0

  // FEATURE: REG_FEATURES bits: the offloads the device has
  localparam logic [31:0] FEATURE_TX_CSUM = 32'd1;  // TX checksum insertion (raw frames)
  localparam logic [31:0] FEATURE_TSO = 32'd2;  // TCP segmentation offload
  localparam logic [31:0] FEATURE_RX_CSUM = 32'd4;  // RX checksum verification
  localparam logic [31:0] FEATURE_RX_PLACE = 32'd8;  // in-order payload placement into connection rings
  localparam logic [31:0] FEATURE_HW_ACK = 32'd16;  // ACK generation and incoming-ACK bookkeeping

  // CONTROL: REG_CONTROL bits
  localparam logic [31:0] CONTROL_RESET = 32'd1;  // write 1: function-level reset (as the channel's RESET message); reads 1 until the reset is done
  localparam logic [31:0] CONTROL_ENABLE = 32'd2;  // datapath on: the TX ring is served and received frames are taken; off, received frames are dropped (DEV_CNT_RX_DISABLED_DROPS)

  // STATUS: REG_STATUS bits
  localparam logic [31:0] STATUS_READY = 32'd1;  // the hardware is out of reset: tables cleared, queues disabled
  localparam logic [31:0] STATUS_FATAL = 32'd2;  // the device stopped: only a reset brings it back
  localparam logic [31:0] STATUS_FW_READY = 32'd4;  // the firmware runs and serves the admin queue

  // TIME_MODE: REG_TIME_MODE: how the device's clock runs (toe-sim; real hardware reads REAL)
  localparam logic [31:0] TIME_MODE_REAL = 32'd0;  // the clock runs on its own (real hardware; toe-sim paced to the wall clock)
  localparam logic [31:0] TIME_MODE_VIRTUAL = 32'd1;  // deterministic virtual time: the device runs only while the host waits (docs/device.md, Time)

  // ADMIN_OP: admin command opcodes (admin_cmd.opcode), served by the firmware
  localparam logic [7:0] ADMIN_OP_IDENTIFY = 8'd1;  // write admin_identify (64 bytes) to addr (len >= 64)
  localparam logic [7:0] ADMIN_OP_RESET = 8'd2;  // datapath reset: connection table and TX contexts cleared, queues other than ASQ/ACQ disabled, counters baselined
  localparam logic [7:0] ADMIN_OP_SET_MAC = 8'd3;  // our MAC address: data[0..5], wire order; arg0 bit 0 enables the receive MAC filter
  localparam logic [7:0] ADMIN_OP_SET_IPV4 = 8'd4;  // our IPv4 address arg0, prefix length arg1 (0..32); reported by IDENTIFY
  localparam logic [7:0] ADMIN_OP_CONN_CREATE = 8'd5;  // install conn_id: conn_create (176 bytes: rx_ctx, tx_ctx) read from addr; RX entry first, then the TX context
  localparam logic [7:0] ADMIN_OP_CONN_MODIFY = 8'd6;  // pass a connection-table command to conn_id: arg0 = CONN_CMD (RCV_READ, RCV_NXT, SND, ACK_NOW), its arg0..arg2 in data[0..11]
  localparam logic [7:0] ADMIN_OP_CONN_DESTROY = 8'd7;  // remove conn_id from the table and clear its TX context
  localparam logic [7:0] ADMIN_OP_CONN_READ = 8'd8;  // write conn_id's rx_ctx and tx_ctx (conn_create layout, 176 bytes) to addr
  localparam logic [7:0] ADMIN_OP_CONN_SET_TX = 8'd9;  // replace conn_id's TX context with the tx_ctx (48 bytes) at addr
  localparam logic [7:0] ADMIN_OP_STATS = 8'd10;  // write the counters (TX_CNT, RX_CNT, DEV_CNT: u32 each, in that order, since the last clear) to addr; arg0 bit 0: clear after reading
  localparam logic [7:0] ADMIN_OP_SET_IRQ_MOD = 8'd11;  // interrupt moderation of vector arg0: MOD_NS = arg1, MOD_COUNT = data[0..3]
  localparam logic [7:0] ADMIN_OP_SET_RX_CFG = 8'd12;  // delayed-ACK timeout arg0 ticks (the hardware caps it at DELACK_TICKS_MAX), DATA coalescing arg1 bytes, timestamp clock data[0..3] ticks per unit
  localparam logic [7:0] ADMIN_OP_SELF_TEST = 8'd13;  // mailbox RAM patterns, DMA loopback through the host scratch buffer at addr (len >= 256), and a connection INSERT/READ/DELETE at conn_id (which must be free); val0 = failed checks (bits)

  // ADMIN_STATUS: admin completion status (admin_cpl.status)
  localparam logic [7:0] ADMIN_STATUS_OK = 8'd0;  // done
  localparam logic [7:0] ADMIN_STATUS_BAD_OPCODE = 8'd1;  // unknown opcode
  localparam logic [7:0] ADMIN_STATUS_BAD_FIELD = 8'd2;  // a reserved field or flags not 0, or an argument out of range (val0 = offset of the field)
  localparam logic [7:0] ADMIN_STATUS_BAD_CONN = 8'd3;  // conn_id at or above CONN_MAX
  localparam logic [7:0] ADMIN_STATUS_DMA_FAULT = 8'd4;  // the host buffer [addr, addr+len) was refused by the DMA bounds check
  localparam logic [7:0] ADMIN_STATUS_BUF_SMALL = 8'd5;  // len is smaller than the command needs (val0 = bytes needed)
  localparam logic [7:0] ADMIN_STATUS_CONN_ERROR = 8'd6;  // the connection table refused: val0 = CONN_STATUS
  localparam logic [7:0] ADMIN_STATUS_SELFTEST_FAIL = 8'd7;  // SELF_TEST: a check failed (val0 = failed checks)
  localparam logic [7:0] ADMIN_STATUS_NO_TX_CTX = 8'd8;  // CONN_READ/CONN_SET_TX: conn_id has no connection

  // FW_ATTN: FW_ATTN bits: why the firmware should look
  localparam logic [31:0] FW_ATTN_ASQ = 32'd1;  // the admin submission ring is enabled and PROD != CONS
  localparam logic [31:0] FW_ATTN_RESET = 32'd2;  // a function-level reset happened: initialise, then write FW_CTRL.RESET_ACK

  // FW_CTRL: FW_CTRL bits (write)
  localparam logic [31:0] FW_CTRL_READY = 32'd1;  // set STATUS.FW_READY
  localparam logic [31:0] FW_CTRL_RESET_ACK = 32'd2;  // clear FW_ATTN.RESET
  localparam logic [31:0] FW_CTRL_NOT_READY = 32'd4;  // clear STATUS.FW_READY

  // FW_DMA: FW_DMA_CTRL (write) and FW_DMA_STATUS (read) bits: the firmware's DMA mover between host memory and the mailbox
  localparam logic [31:0] FW_DMA_GO = 32'd1;  // CTRL: start a transfer of DMA_LEN bytes
  localparam logic [31:0] FW_DMA_TO_HOST = 32'd2;  // CTRL: mailbox to host (else host to mailbox)
  localparam logic [31:0] FW_DMA_BUSY = 32'd1;  // STATUS: a transfer is under way
  localparam logic [31:0] FW_DMA_FAULT = 32'd2;  // STATUS: the last transfer was refused by the DMA bounds check (nothing moved)
  localparam logic [31:0] FW_DMA_BAD_ARG = 32'd4;  // STATUS: the last GO had DMA_LEN 0 or above FW_MBOX_SIZE, or MBOX_OFF + LEN past the mailbox; nothing moved

  // FW_TXCTX: FW_TXCTX_CTRL operations (write) and FW_TXCTX_STATUS bits (read)
  localparam logic [31:0] FW_TXCTX_WRITE = 32'd1;  // CTRL: the tx_ctx at TXCTX_MBOX_OFF becomes conn TXCTX_CONN's context (valid)
  localparam logic [31:0] FW_TXCTX_READ = 32'd2;  // CTRL: conn TXCTX_CONN's context to the mailbox at TXCTX_MBOX_OFF
  localparam logic [31:0] FW_TXCTX_CLEAR = 32'd3;  // CTRL: conn TXCTX_CONN has no context
  localparam logic [31:0] FW_TXCTX_BAD_ID = 32'd1;  // STATUS: TXCTX_CONN at or above CONN_MAX, or MBOX_OFF + 48 past the mailbox; nothing done
  localparam logic [31:0] FW_TXCTX_VALID = 32'd2;  // STATUS: after READ, the context was valid

  // TX engine counters: 32 bits, wrapping; the first TX_STATUS-many count completions by status
  localparam int unsigned TX_CNT_DESC_OK = 0;  // descriptors completed with status OK
  localparam int unsigned TX_CNT_ERR_OP = 1;  // descriptors rejected: ERR_OP
  localparam int unsigned TX_CNT_ERR_LEN = 2;  // descriptors rejected: ERR_LEN
  localparam int unsigned TX_CNT_ERR_MSS = 3;  // descriptors rejected: ERR_MSS
  localparam int unsigned TX_CNT_ERR_EMPTY = 4;  // descriptors rejected: ERR_EMPTY
  localparam int unsigned TX_CNT_ERR_FLAGS = 5;  // descriptors rejected: ERR_FLAGS
  localparam int unsigned TX_CNT_ERR_ADDR = 6;  // descriptors rejected: ERR_ADDR
  localparam int unsigned TX_CNT_ERR_OFFSETS = 7;  // descriptors rejected: ERR_OFFSETS
  localparam int unsigned TX_CNT_FRAMES = 8;  // frames emitted
  localparam int unsigned TX_CNT_FRAME_BYTES = 9;  // frame bytes emitted (FCS excluded)
  localparam int unsigned TX_CNT_PAYLOAD_BYTES = 10;  // TSO payload bytes emitted
  localparam int unsigned TX_CNT_NUM = 11;

  // RX engine counters: 32 bits, wrapping
  localparam int unsigned RX_CNT_FRAMES = 0;  // frames received
  localparam int unsigned RX_CNT_BYTES = 1;  // bytes received (FCS excluded)
  localparam int unsigned RX_CNT_FAST_SEGS = 2;  // data segments placed by the fast path
  localparam int unsigned RX_CNT_FAST_BYTES = 3;  // payload bytes placed
  localparam int unsigned RX_CNT_ACKS_IN = 4;  // segments whose ACK the hardware processed
  localparam int unsigned RX_CNT_DUPACKS_IN = 5;  // duplicate ACKs counted (RFC 5681)
  localparam int unsigned RX_CNT_EXC = 6;  // frames sent to the exception path
  localparam int unsigned RX_CNT_DROPS = 7;  // frames dropped
  localparam int unsigned RX_CNT_EXC_NOT_IPV4 = 8;  // exception: NOT_IPV4
  localparam int unsigned RX_CNT_EXC_NOT_TCP = 9;  // exception: NOT_TCP
  localparam int unsigned RX_CNT_EXC_UDP = 10;  // exception: UDP
  localparam int unsigned RX_CNT_EXC_FRAG = 11;  // exception: FRAG
  localparam int unsigned RX_CNT_EXC_NO_CONN = 12;  // exception: NO_CONN
  localparam int unsigned RX_CNT_EXC_FLAGS = 13;  // exception: FLAGS
  localparam int unsigned RX_CNT_EXC_OPTIONS = 14;  // exception: OPTIONS
  localparam int unsigned RX_CNT_EXC_PAWS = 15;  // exception: PAWS
  localparam int unsigned RX_CNT_EXC_ACK_RANGE = 16;  // exception: ACK_RANGE
  localparam int unsigned RX_CNT_EXC_OOO = 17;  // exception: OOO
  localparam int unsigned RX_CNT_EXC_OLD = 18;  // exception: OLD
  localparam int unsigned RX_CNT_EXC_WINDOW = 19;  // exception: WINDOW
  localparam int unsigned RX_CNT_EXC_BUF_FULL = 20;  // exception: BUF_FULL
  localparam int unsigned RX_CNT_DROP_RUNT = 21;  // drop: RUNT
  localparam int unsigned RX_CNT_DROP_TOO_LONG = 22;  // drop: TOO_LONG
  localparam int unsigned RX_CNT_DROP_IP_HDR = 23;  // drop: IP_HDR
  localparam int unsigned RX_CNT_DROP_IP_CSUM = 24;  // drop: IP_CSUM
  localparam int unsigned RX_CNT_DROP_TCP_HDR = 25;  // drop: TCP_HDR
  localparam int unsigned RX_CNT_DROP_TCP_CSUM = 26;  // drop: TCP_CSUM
  localparam int unsigned RX_CNT_DROP_UDP_HDR = 27;  // drop: UDP_HDR
  localparam int unsigned RX_CNT_DROP_UDP_CSUM = 28;  // drop: UDP_CSUM
  localparam int unsigned RX_CNT_ACKS_OUT = 29;  // ACK frames generated
  localparam int unsigned RX_CNT_ACK_EVERY2 = 30;  // ACKs: EVERY2
  localparam int unsigned RX_CNT_ACK_DELAYED = 31;  // ACKs: DELAYED
  localparam int unsigned RX_CNT_ACK_DUP = 32;  // ACKs: DUP
  localparam int unsigned RX_CNT_ACK_WND_UPDATE = 33;  // ACKs: WND_UPDATE
  localparam int unsigned RX_CNT_ACK_HOST = 34;  // ACKs: HOST
  localparam int unsigned RX_CNT_EVENTS = 35;  // events issued
  localparam int unsigned RX_CNT_CMDS = 36;  // commands completed
  localparam int unsigned RX_CNT_CMD_ERRORS = 37;  // commands that failed
  localparam int unsigned RX_CNT_NUM = 38;

  // device-shell counters: 32 bits, wrapping
  localparam int unsigned DEV_CNT_MMIO_BAD = 0;  // BAR0 accesses to no register, or writes to a read-only one (ignored; reads give 0)
  localparam int unsigned DEV_CNT_DMA_RD_FAULTS = 1;  // DMA reads refused by the bounds check
  localparam int unsigned DEV_CNT_DMA_WR_FAULTS = 2;  // DMA writes refused by the bounds check
  localparam int unsigned DEV_CNT_QUEUE_ERRORS = 3;  // queues stopped with a QERR
  localparam int unsigned DEV_CNT_TX_DESCS = 4;  // TX descriptors fetched
  localparam int unsigned DEV_CNT_TX_BAD_CONN = 5;  // TSO descriptors completed ERR_CONN
  localparam int unsigned DEV_CNT_TX_CPLS = 6;  // TX completions written
  localparam int unsigned DEV_CNT_RX_FRAMES_IN = 7;  // frames from the wire
  localparam int unsigned DEV_CNT_RX_FILTERED = 8;  // frames dropped by the MAC filter (not our MAC, broadcast or multicast)
  localparam int unsigned DEV_CNT_RX_DISABLED_DROPS = 9;  // frames dropped because CONTROL.ENABLE was off
  localparam int unsigned DEV_CNT_RX_FIFO_DROPS = 10;  // frames dropped because the receive FIFO was full
  localparam int unsigned DEV_CNT_RX_NO_BUF = 11;  // exception frames dropped: no buffer posted on RXBQ
  localparam int unsigned DEV_CNT_RX_BUF_SMALL = 12;  // exception frames dropped: longer than the next buffer
  localparam int unsigned DEV_CNT_EXC_FRAMES = 13;  // exception frames delivered (EXCQ entries)
  localparam int unsigned DEV_CNT_EVENTS = 14;  // EVQ entries written
  localparam int unsigned DEV_CNT_MSIX_SENT = 15;  // MSI-X messages sent
  localparam int unsigned DEV_CNT_MSIX_HELD = 16;  // MSI-X messages held pending because the vector or function was masked
  localparam int unsigned DEV_CNT_FW_DMA_OPS = 17;  // firmware DMA mover transfers
  localparam int unsigned DEV_CNT_RESETS = 18;  // function-level resets
  localparam int unsigned DEV_CNT_NUM = 19;

  // TX descriptor: one send (TSO) or one raw frame (32 bytes)
  localparam int unsigned TX_DESC_BITS = 256;
  typedef struct packed {
    logic [15:0] rsvd1;  // @30: reserved, write 0
    logic [15:0] ip_id;  // @28: TSO: IPv4 ID of the first segment (+1 per segment); the device shell puts it in the context it hands the engine (the driver counts segments; RFC 6864)
    logic [15:0] urg_ptr;  // @26: TSO with URG: urgent pointer
    logic [7:0] rsvd0;  // @25: reserved, write 0
    logic [7:0] l4_off;  // @24: raw: offset of the TCP/UDP header in the frame
    logic [7:0] l3_off;  // @23: raw: offset of the IPv4 header in the frame
    logic [7:0] csum_flags;  // @22: raw: CSUM_FLAG bits
    logic [7:0] tcp_flags;  // @21: TSO: TCP_FLAG bits of the whole send
    logic [7:0] op;  // @20: TX_OP
    logic [15:0] tag;  // @18: driver cookie echoed in the completion
    logic [15:0] conn_id;  // @16: connection-table index; echoed in the completion
    logic [31:0] seq;  // @12: TSO: sequence number of the first segment
    logic [31:0] len;  // @8: payload bytes (TSO) or frame bytes (raw)
    logic [63:0] buf_addr;  // @0: host address of the payload (TSO) or of the frame (raw)
  } tx_desc_t;
  localparam int unsigned TX_DESC_BUF_ADDR_LSB = 0;
  localparam int unsigned TX_DESC_LEN_LSB = 64;
  localparam int unsigned TX_DESC_SEQ_LSB = 96;
  localparam int unsigned TX_DESC_CONN_ID_LSB = 128;
  localparam int unsigned TX_DESC_TAG_LSB = 144;
  localparam int unsigned TX_DESC_OP_LSB = 160;
  localparam int unsigned TX_DESC_TCP_FLAGS_LSB = 168;
  localparam int unsigned TX_DESC_CSUM_FLAGS_LSB = 176;
  localparam int unsigned TX_DESC_L3_OFF_LSB = 184;
  localparam int unsigned TX_DESC_L4_OFF_LSB = 192;
  localparam int unsigned TX_DESC_RSVD0_LSB = 200;
  localparam int unsigned TX_DESC_URG_PTR_LSB = 208;
  localparam int unsigned TX_DESC_IP_ID_LSB = 224;
  localparam int unsigned TX_DESC_RSVD1_LSB = 240;

  // connection-context fields the TX path reads (a TSO descriptor's headers come from here) (48 bytes)
  localparam int unsigned TX_CTX_BITS = 384;
  typedef struct packed {
    logic [31:0] rsvd1;  // @44: reserved
    logic [7:0] rsvd0;  // @43: reserved
    logic [7:0] tos;  // @42: IPv4 DSCP/ECN byte
    logic [15:0] ip_id;  // @40: IPv4 ID of the first segment; +1 per segment
    logic [15:0] mss;  // @38: MSS as announced by the peer; payload per segment is mss, less TS_OPT_LEN with timestamps (RFC 6691)
    logic [15:0] rcv_wnd;  // @36: window field as sent (already scaled down)
    logic [31:0] ts_recent;  // @32: TSecr sent when CTX_FLAG_TS (RFC 7323 TS.Recent)
    logic [31:0] rcv_nxt;  // @28: ack number sent when ACK is set
    logic [15:0] dst_port;  // @26: peer TCP port
    logic [15:0] src_port;  // @24: local TCP port
    logic [31:0] dst_ip;  // @20: peer IPv4 address
    logic [31:0] src_ip;  // @16: local IPv4 address (192.0.2.1 is 0xC0000201)
    logic [7:0] ttl;  // @15: IPv4 TTL
    logic [7:0] flags;  // @14: CTX_FLAG bits
    logic [15:0] vlan_tci;  // @12: 802.1Q TCI (PCP, DEI, VID) when CTX_FLAG_VLAN
    logic [47:0] src_mac;  // @6: source MAC, wire order
    logic [47:0] dst_mac;  // @0: destination MAC, wire order
  } tx_ctx_t;
  localparam int unsigned TX_CTX_DST_MAC_LSB = 0;
  localparam int unsigned TX_CTX_SRC_MAC_LSB = 48;
  localparam int unsigned TX_CTX_VLAN_TCI_LSB = 96;
  localparam int unsigned TX_CTX_FLAGS_LSB = 112;
  localparam int unsigned TX_CTX_TTL_LSB = 120;
  localparam int unsigned TX_CTX_SRC_IP_LSB = 128;
  localparam int unsigned TX_CTX_DST_IP_LSB = 160;
  localparam int unsigned TX_CTX_SRC_PORT_LSB = 192;
  localparam int unsigned TX_CTX_DST_PORT_LSB = 208;
  localparam int unsigned TX_CTX_RCV_NXT_LSB = 224;
  localparam int unsigned TX_CTX_TS_RECENT_LSB = 256;
  localparam int unsigned TX_CTX_RCV_WND_LSB = 288;
  localparam int unsigned TX_CTX_MSS_LSB = 304;
  localparam int unsigned TX_CTX_IP_ID_LSB = 320;
  localparam int unsigned TX_CTX_TOS_LSB = 336;
  localparam int unsigned TX_CTX_RSVD0_LSB = 344;
  localparam int unsigned TX_CTX_RSVD1_LSB = 352;

  // TX completion: one per descriptor, in descriptor order (16 bytes)
  localparam int unsigned TX_CPL_BITS = 128;
  typedef struct packed {
    logic [15:0] rsvd0;  // @14: reserved
    logic [15:0] next_ip_id;  // @12: TSO: ip_id + nsegs
    logic [31:0] next_seq;  // @8: TSO: seq + len + SYN + FIN
    logic [15:0] nsegs;  // @6: frames emitted for this descriptor
    logic [7:0] flags;  // @5: bit 0: ring phase (written by the completion ring writer; 0 from the engine)
    logic [7:0] status;  // @4: TX_STATUS
    logic [15:0] conn_id;  // @2: the descriptor's conn_id
    logic [15:0] tag;  // @0: the descriptor's tag
  } tx_cpl_t;
  localparam int unsigned TX_CPL_TAG_LSB = 0;
  localparam int unsigned TX_CPL_CONN_ID_LSB = 16;
  localparam int unsigned TX_CPL_STATUS_LSB = 32;
  localparam int unsigned TX_CPL_FLAGS_LSB = 40;
  localparam int unsigned TX_CPL_NSEGS_LSB = 48;
  localparam int unsigned TX_CPL_NEXT_SEQ_LSB = 64;
  localparam int unsigned TX_CPL_NEXT_IP_ID_LSB = 96;
  localparam int unsigned TX_CPL_RSVD0_LSB = 112;

  // connection-table entry: what the RX fast path, the ACK generator and incoming-ACK processing keep per connection (sequence numbers modulo 2^32) (128 bytes)
  localparam int unsigned RX_CTX_BITS = 1024;
  typedef struct packed {
    logic [63:0] rsvd2;  // @120: reserved
    logic [31:0] rsvd1;  // @116: reserved
    logic [31:0] acks_out;  // @112: ACK frames sent (wrapping)
    logic [31:0] bytes_in;  // @108: payload bytes placed (wrapping)
    logic [31:0] segs_in;  // @104: data segments placed (wrapping)
    logic [7:0] rsvd0;  // @103: reserved
    logic [7:0] pend;  // @102: pending work: bit 0 delayed ACK armed, bit 1 TX_UPDATE ACKED, bit 2 TX_UPDATE WND
    logic [7:0] segs_unacked;  // @101: full-sized segments received since our last ACK
    logic [7:0] dupacks;  // @100: duplicate ACKs in a row (RFC 5681), saturating at 255
    logic [31:0] ev_rx_bytes;  // @96: bytes placed since the last DATA event
    logic [31:0] delack_deadline;  // @92: tick at which a pending delayed ACK is sent
    logic [31:0] max_snd_wnd;  // @88: MAX.SND.WND, the largest window the peer offered (RFC 5961)
    logic [31:0] snd_wl2;  // @84: SND.WL2: ack of the segment that last updated the window
    logic [31:0] snd_wl1;  // @80: SND.WL1: seq of the segment that last updated the window
    logic [31:0] snd_wnd;  // @76: SND.WND in bytes (scaled)
    logic [31:0] snd_nxt;  // @72: SND.NXT (set by the driver, SND command)
    logic [31:0] snd_una;  // @68: SND.UNA
    logic [31:0] ts_recent;  // @64: TS.Recent
    logic [31:0] last_ack_sent;  // @60: RCV.NXT carried by the last ACK sent (RFC 7323 Last.ACK.sent)
    logic [31:0] rcv_adv;  // @56: right edge of the window last advertised (RCV.NXT + window)
    logic [31:0] buf_seq0;  // @52: sequence number that maps to ring offset 0: byte s lives at (s - buf_seq0) mod size
    logic [31:0] rcv_read;  // @48: sequence number of the first byte the host has not consumed
    logic [31:0] rcv_nxt;  // @44: RCV.NXT
    logic [15:0] mss;  // @42: full-sized segment length (the peer's sending MSS) for the ACK policy
    logic [15:0] ip_id;  // @40: ACK frames: next IPv4 ID (+1 per ACK)
    logic [7:0] tos;  // @39: ACK frames: IPv4 DSCP/ECN
    logic [7:0] ttl;  // @38: ACK frames: IPv4 TTL
    logic [15:0] vlan_tci;  // @36: ACK frames: 802.1Q TCI with RX_FLAG_VLAN
    logic [47:0] src_mac;  // @30: ACK frames: source MAC, wire order
    logic [47:0] dst_mac;  // @24: ACK frames: destination MAC, wire order
    logic [7:0] snd_wscale;  // @23: the peer's window scale: SND.WND = field << snd_wscale
    logic [7:0] rcv_wscale;  // @22: our window scale (RFC 7323): window field = window >> rcv_wscale
    logic [7:0] buf_size_log2;  // @21: host receive ring size is 2^buf_size_log2 bytes (6..30)
    logic [7:0] flags;  // @20: RX_FLAG bits
    logic [15:0] remote_port;  // @18: the peer's TCP port (key)
    logic [15:0] local_port;  // @16: our TCP port (key)
    logic [31:0] remote_ip;  // @12: the peer's IPv4 address (key)
    logic [31:0] local_ip;  // @8: our IPv4 address (key)
    logic [63:0] buf_base;  // @0: host receive ring: base address, 64-byte aligned
  } rx_ctx_t;
  localparam int unsigned RX_CTX_BUF_BASE_LSB = 0;
  localparam int unsigned RX_CTX_LOCAL_IP_LSB = 64;
  localparam int unsigned RX_CTX_REMOTE_IP_LSB = 96;
  localparam int unsigned RX_CTX_LOCAL_PORT_LSB = 128;
  localparam int unsigned RX_CTX_REMOTE_PORT_LSB = 144;
  localparam int unsigned RX_CTX_FLAGS_LSB = 160;
  localparam int unsigned RX_CTX_BUF_SIZE_LOG2_LSB = 168;
  localparam int unsigned RX_CTX_RCV_WSCALE_LSB = 176;
  localparam int unsigned RX_CTX_SND_WSCALE_LSB = 184;
  localparam int unsigned RX_CTX_DST_MAC_LSB = 192;
  localparam int unsigned RX_CTX_SRC_MAC_LSB = 240;
  localparam int unsigned RX_CTX_VLAN_TCI_LSB = 288;
  localparam int unsigned RX_CTX_TTL_LSB = 304;
  localparam int unsigned RX_CTX_TOS_LSB = 312;
  localparam int unsigned RX_CTX_IP_ID_LSB = 320;
  localparam int unsigned RX_CTX_MSS_LSB = 336;
  localparam int unsigned RX_CTX_RCV_NXT_LSB = 352;
  localparam int unsigned RX_CTX_RCV_READ_LSB = 384;
  localparam int unsigned RX_CTX_BUF_SEQ0_LSB = 416;
  localparam int unsigned RX_CTX_RCV_ADV_LSB = 448;
  localparam int unsigned RX_CTX_LAST_ACK_SENT_LSB = 480;
  localparam int unsigned RX_CTX_TS_RECENT_LSB = 512;
  localparam int unsigned RX_CTX_SND_UNA_LSB = 544;
  localparam int unsigned RX_CTX_SND_NXT_LSB = 576;
  localparam int unsigned RX_CTX_SND_WND_LSB = 608;
  localparam int unsigned RX_CTX_SND_WL1_LSB = 640;
  localparam int unsigned RX_CTX_SND_WL2_LSB = 672;
  localparam int unsigned RX_CTX_MAX_SND_WND_LSB = 704;
  localparam int unsigned RX_CTX_DELACK_DEADLINE_LSB = 736;
  localparam int unsigned RX_CTX_EV_RX_BYTES_LSB = 768;
  localparam int unsigned RX_CTX_DUPACKS_LSB = 800;
  localparam int unsigned RX_CTX_SEGS_UNACKED_LSB = 808;
  localparam int unsigned RX_CTX_PEND_LSB = 816;
  localparam int unsigned RX_CTX_RSVD0_LSB = 824;
  localparam int unsigned RX_CTX_SEGS_IN_LSB = 832;
  localparam int unsigned RX_CTX_BYTES_IN_LSB = 864;
  localparam int unsigned RX_CTX_ACKS_OUT_LSB = 896;
  localparam int unsigned RX_CTX_RSVD1_LSB = 928;
  localparam int unsigned RX_CTX_RSVD2_LSB = 960;

  // connection-table command (an INSERT carries an rx_ctx beside it) (32 bytes)
  localparam int unsigned CONN_CMD_BITS = 256;
  typedef struct packed {
    logic [63:0] rsvd3;  // @24: reserved
    logic [31:0] rsvd2;  // @20: reserved
    logic [31:0] arg2;  // @16: see CONN_CMD
    logic [31:0] arg1;  // @12: see CONN_CMD
    logic [31:0] arg0;  // @8: see CONN_CMD
    logic [15:0] rsvd1;  // @6: reserved
    logic [15:0] tag;  // @4: echoed in the response
    logic [15:0] conn_id;  // @2: entry
    logic [7:0] rsvd0;  // @1: reserved
    logic [7:0] op;  // @0: CONN_CMD
  } conn_cmd_t;
  localparam int unsigned CONN_CMD_OP_LSB = 0;
  localparam int unsigned CONN_CMD_RSVD0_LSB = 8;
  localparam int unsigned CONN_CMD_CONN_ID_LSB = 16;
  localparam int unsigned CONN_CMD_TAG_LSB = 32;
  localparam int unsigned CONN_CMD_RSVD1_LSB = 48;
  localparam int unsigned CONN_CMD_ARG0_LSB = 64;
  localparam int unsigned CONN_CMD_ARG1_LSB = 96;
  localparam int unsigned CONN_CMD_ARG2_LSB = 128;
  localparam int unsigned CONN_CMD_RSVD2_LSB = 160;
  localparam int unsigned CONN_CMD_RSVD3_LSB = 192;

  // connection-table command response, one per command in order (a READ's context comes beside it) (16 bytes)
  localparam int unsigned CONN_RSP_BITS = 128;
  typedef struct packed {
    logic [63:0] rsvd1;  // @8: reserved
    logic [15:0] rsvd0;  // @6: reserved
    logic [7:0] status;  // @5: CONN_STATUS
    logic [7:0] op;  // @4: the command's op
    logic [15:0] conn_id;  // @2: the command's conn_id
    logic [15:0] tag;  // @0: the command's tag
  } conn_rsp_t;
  localparam int unsigned CONN_RSP_TAG_LSB = 0;
  localparam int unsigned CONN_RSP_CONN_ID_LSB = 16;
  localparam int unsigned CONN_RSP_OP_LSB = 32;
  localparam int unsigned CONN_RSP_STATUS_LSB = 40;
  localparam int unsigned CONN_RSP_RSVD0_LSB = 48;
  localparam int unsigned CONN_RSP_RSVD1_LSB = 64;

  // event to the host (16 bytes)
  localparam int unsigned RX_EVENT_BITS = 128;
  typedef struct packed {
    logic [31:0] tick;  // @12: tick count when the event was made
    logic [31:0] val;  // @8: DATA: bytes since the last DATA event; others: snd_wnd
    logic [31:0] seq;  // @4: DATA: rcv_nxt; others: snd_una
    logic [15:0] conn_id;  // @2: connection
    logic [7:0] flags;  // @1: EV_FLAG bits (TX_UPDATE); bit 7 is the ring phase (written by the event ring writer)
    logic [7:0] ev_type;  // @0: RX_EV
  } rx_event_t;
  localparam int unsigned RX_EVENT_EV_TYPE_LSB = 0;
  localparam int unsigned RX_EVENT_FLAGS_LSB = 8;
  localparam int unsigned RX_EVENT_CONN_ID_LSB = 16;
  localparam int unsigned RX_EVENT_SEQ_LSB = 32;
  localparam int unsigned RX_EVENT_VAL_LSB = 64;
  localparam int unsigned RX_EVENT_TICK_LSB = 96;

  // exception-path record: precedes each frame handed to the host whole (16 bytes)
  localparam int unsigned RX_EXC_BITS = 128;
  typedef struct packed {
    logic [31:0] rsvd0;  // @12: reserved
    logic [31:0] tick;  // @8: tick count when the frame arrived
    logic [7:0] l4_off;  // @7: offset of the TCP/UDP header (0 if none)
    logic [7:0] l3_off;  // @6: offset of the IPv4 header (0 if not IPv4)
    logic [15:0] len;  // @4: frame bytes that follow
    logic [15:0] conn_id;  // @2: the connection when reason >= RX_EXC_FLAGS (a known connection); otherwise 0xFFFF, which in a 65536-entry table is also a real id: the reason decides
    logic [7:0] flags;  // @1: bit 7: ring phase (written by the ring writer)
    logic [7:0] reason;  // @0: RX_EXC
  } rx_exc_t;
  localparam int unsigned RX_EXC_REASON_LSB = 0;
  localparam int unsigned RX_EXC_FLAGS_LSB = 8;
  localparam int unsigned RX_EXC_CONN_ID_LSB = 16;
  localparam int unsigned RX_EXC_LEN_LSB = 32;
  localparam int unsigned RX_EXC_L3_OFF_LSB = 48;
  localparam int unsigned RX_EXC_L4_OFF_LSB = 56;
  localparam int unsigned RX_EXC_TICK_LSB = 64;
  localparam int unsigned RX_EXC_RSVD0_LSB = 96;

  // payload of MMIO_READ and MMIO_WRITE (48 bytes)
  localparam int unsigned CHAN_MMIO_BITS = 384;
  typedef struct packed {
    logic [239:0] rsvd;  // @18: reserved, 0
    logic [7:0] size;  // @17: bytes: 4 or 8
    logic [7:0] bar;  // @16: BAR number, 0 to 5
    logic [63:0] value;  // @8: MMIO_WRITE: the value, in the low `size` bytes (the rest 0); MMIO_READ: 0
    logic [63:0] offset;  // @0: byte offset in the BAR, a multiple of size
  } chan_mmio_t;
  localparam int unsigned CHAN_MMIO_OFFSET_LSB = 0;
  localparam int unsigned CHAN_MMIO_VALUE_LSB = 64;
  localparam int unsigned CHAN_MMIO_BAR_LSB = 128;
  localparam int unsigned CHAN_MMIO_SIZE_LSB = 136;
  localparam int unsigned CHAN_MMIO_RSVD_LSB = 144;

  // payload of MMIO_DONE (48 bytes)
  localparam int unsigned CHAN_MMIO_DONE_BITS = 384;
  typedef struct packed {
    logic [319:0] rsvd;  // @8: reserved, 0
    logic [63:0] value;  // @0: the value read, in the low bytes of a 4-byte read
  } chan_mmio_done_t;
  localparam int unsigned CHAN_MMIO_DONE_VALUE_LSB = 0;
  localparam int unsigned CHAN_MMIO_DONE_RSVD_LSB = 64;

  // payload of MSIX (48 bytes)
  localparam int unsigned CHAN_MSIX_BITS = 384;
  typedef struct packed {
    logic [367:0] rsvd;  // @2: reserved, 0
    logic [15:0] vector_;  // @0: MSI-X vector, below MSIX_VECTORS
  } chan_msix_t;
  localparam int unsigned CHAN_MSIX_VECTOR_LSB = 0;
  localparam int unsigned CHAN_MSIX_RSVD_LSB = 16;

  // payload of SYNC (48 bytes)
  localparam int unsigned CHAN_SYNC_BITS = 384;
  typedef struct packed {
    logic [319:0] rsvd;  // @8: reserved, 0
    logic [63:0] until_;  // @0: host to device: the grant - the device may run until this time (>= the message's time; UINT64_MAX: until an interrupt); device to host: 0
  } chan_sync_t;
  localparam int unsigned CHAN_SYNC_UNTIL_LSB = 0;
  localparam int unsigned CHAN_SYNC_RSVD_LSB = 64;

  // one channel ring slot (CHAN_SLOT_SIZE bytes): a message, with its ownership byte (64 bytes)
  localparam int unsigned CHAN_MSG_BITS = 512;
  typedef struct packed {
    logic [383:0] payload;  // @16: per type; bytes a type does not use are 0
    logic [63:0] time_;  // @8: the sender's virtual time in picoseconds; never decreases along a ring
    logic [31:0] id;  // @4: MMIO_READ: the host's tag; MMIO_DONE: the tag of the read it answers; otherwise 0
    logic [15:0] flags;  // @2: reserved, 0
    logic [7:0] type_;  // @1: CHAN_MSG
    logic [7:0] own;  // @0: 0: the producer's, 1: the consumer's; stored last with release order, read first with acquire order
  } chan_msg_t;
  localparam int unsigned CHAN_MSG_OWN_LSB = 0;
  localparam int unsigned CHAN_MSG_TYPE_LSB = 8;
  localparam int unsigned CHAN_MSG_FLAGS_LSB = 16;
  localparam int unsigned CHAN_MSG_ID_LSB = 32;
  localparam int unsigned CHAN_MSG_TIME_LSB = 64;
  localparam int unsigned CHAN_MSG_PAYLOAD_LSB = 128;

  // HELLO on the channel socket: the host's, with its DMA memfd (SCM_RIGHTS), then the device's answer, with the queue memfd when status is OK. magic and version keep their offsets in every protocol version (64 bytes)
  localparam int unsigned CHAN_HELLO_BITS = 512;
  typedef struct packed {
    logic [127:0] rsvd;  // @48: reserved, 0
    logic [63:0] queue_size;  // @40: device: bytes of queue memory, 256 + 2 * nslots * CHAN_SLOT_SIZE; host: 0
    logic [31:0] rsvd0;  // @36: reserved, 0
    logic [31:0] nslots;  // @32: device: slots per ring; host: 0
    logic [63:0] dma_iova;  // @24: host: the bus address (IOVA) of its first byte; device: 0
    logic [63:0] dma_size;  // @16: host: bytes of DMA memory; device: 0
    logic [31:0] peer_version;  // @12: device: the version the host's HELLO said; host: 0
    logic [31:0] status;  // @8: device: CHAN_HELLO; host: 0
    logic [31:0] version;  // @4: the sender's CHAN_VERSION
    logic [31:0] magic;  // @0: CHAN_MAGIC
  } chan_hello_t;
  localparam int unsigned CHAN_HELLO_MAGIC_LSB = 0;
  localparam int unsigned CHAN_HELLO_VERSION_LSB = 32;
  localparam int unsigned CHAN_HELLO_STATUS_LSB = 64;
  localparam int unsigned CHAN_HELLO_PEER_VERSION_LSB = 96;
  localparam int unsigned CHAN_HELLO_DMA_SIZE_LSB = 128;
  localparam int unsigned CHAN_HELLO_DMA_IOVA_LSB = 192;
  localparam int unsigned CHAN_HELLO_NSLOTS_LSB = 256;
  localparam int unsigned CHAN_HELLO_RSVD0_LSB = 288;
  localparam int unsigned CHAN_HELLO_QUEUE_SIZE_LSB = 320;
  localparam int unsigned CHAN_HELLO_RSVD_LSB = 384;

  // start of the queue memory; the host-to-device ring follows at 256, the device-to-host ring after it. The wait words sit in cache lines of their own (256 bytes)
  localparam int unsigned CHAN_QHDR_BITS = 2048;
  typedef struct packed {
    logic [991:0] rsvd2;  // @132: reserved, 0
    logic [31:0] dev_wait;  // @128: CHAN_WAIT: what the device sleeps for; written by the device only
    logic [479:0] rsvd1;  // @68: reserved, 0
    logic [31:0] host_wait;  // @64: CHAN_WAIT: what the host sleeps for; written by the host only
    logic [383:0] rsvd0;  // @16: reserved, 0
    logic [31:0] slot_size;  // @12: CHAN_SLOT_SIZE
    logic [31:0] nslots;  // @8: slots per ring, 1 to CHAN_NSLOTS_MAX
    logic [31:0] version;  // @4: CHAN_VERSION
    logic [31:0] magic;  // @0: CHAN_MAGIC
  } chan_qhdr_t;
  localparam int unsigned CHAN_QHDR_MAGIC_LSB = 0;
  localparam int unsigned CHAN_QHDR_VERSION_LSB = 32;
  localparam int unsigned CHAN_QHDR_NSLOTS_LSB = 64;
  localparam int unsigned CHAN_QHDR_SLOT_SIZE_LSB = 96;
  localparam int unsigned CHAN_QHDR_RSVD0_LSB = 128;
  localparam int unsigned CHAN_QHDR_HOST_WAIT_LSB = 512;
  localparam int unsigned CHAN_QHDR_RSVD1_LSB = 544;
  localparam int unsigned CHAN_QHDR_DEV_WAIT_LSB = 1024;
  localparam int unsigned CHAN_QHDR_RSVD2_LSB = 1056;

  // exception receive buffer (RXBQ entry): one frame per buffer (16 bytes)
  localparam int unsigned RX_BUF_BITS = 128;
  typedef struct packed {
    logic [31:0] rsvd0;  // @12: reserved, write 0
    logic [31:0] len;  // @8: bytes, at least RXB_MIN_LEN
    logic [63:0] addr;  // @0: host address of the buffer
  } rx_buf_t;
  localparam int unsigned RX_BUF_ADDR_LSB = 0;
  localparam int unsigned RX_BUF_LEN_LSB = 64;
  localparam int unsigned RX_BUF_RSVD0_LSB = 96;

  // exception completion (EXCQ entry): the frame is in the RXBQ buffer buf_idx names (16 bytes)
  localparam int unsigned EXC_CPL_BITS = 128;
  typedef struct packed {
    logic [31:0] buf_idx;  // @12: RXBQ index (free-running) of the buffer that holds it
    logic [31:0] tick;  // @8: tick count when the frame arrived
    logic [7:0] l4_off;  // @7: as rx_exc
    logic [7:0] l3_off;  // @6: as rx_exc
    logic [15:0] len;  // @4: frame bytes written at the start of the buffer
    logic [15:0] conn_id;  // @2: as rx_exc.conn_id
    logic [7:0] flags;  // @1: bit 7: ring phase
    logic [7:0] reason;  // @0: RX_EXC
  } exc_cpl_t;
  localparam int unsigned EXC_CPL_REASON_LSB = 0;
  localparam int unsigned EXC_CPL_FLAGS_LSB = 8;
  localparam int unsigned EXC_CPL_CONN_ID_LSB = 16;
  localparam int unsigned EXC_CPL_LEN_LSB = 32;
  localparam int unsigned EXC_CPL_L3_OFF_LSB = 48;
  localparam int unsigned EXC_CPL_L4_OFF_LSB = 56;
  localparam int unsigned EXC_CPL_TICK_LSB = 64;
  localparam int unsigned EXC_CPL_BUF_IDX_LSB = 96;

  // admin submission (ASQ entry) (64 bytes)
  localparam int unsigned ADMIN_CMD_BITS = 512;
  typedef struct packed {
    logic [255:0] data;  // @32: inline data (ADMIN_MAX_INLINE bytes)
    logic [31:0] rsvd1;  // @28: reserved, 0
    logic [31:0] len;  // @24: bytes of that buffer
    logic [63:0] addr;  // @16: host buffer of commands that carry or return more than fits
    logic [31:0] arg1;  // @12: see ADMIN_OP
    logic [31:0] arg0;  // @8: see ADMIN_OP
    logic [15:0] rsvd0;  // @6: reserved, 0
    logic [15:0] conn_id;  // @4: connection commands: the entry
    logic [15:0] tag;  // @2: echoed in the completion
    logic [7:0] flags;  // @1: reserved, 0
    logic [7:0] opcode;  // @0: ADMIN_OP
  } admin_cmd_t;
  localparam int unsigned ADMIN_CMD_OPCODE_LSB = 0;
  localparam int unsigned ADMIN_CMD_FLAGS_LSB = 8;
  localparam int unsigned ADMIN_CMD_TAG_LSB = 16;
  localparam int unsigned ADMIN_CMD_CONN_ID_LSB = 32;
  localparam int unsigned ADMIN_CMD_RSVD0_LSB = 48;
  localparam int unsigned ADMIN_CMD_ARG0_LSB = 64;
  localparam int unsigned ADMIN_CMD_ARG1_LSB = 96;
  localparam int unsigned ADMIN_CMD_ADDR_LSB = 128;
  localparam int unsigned ADMIN_CMD_LEN_LSB = 192;
  localparam int unsigned ADMIN_CMD_RSVD1_LSB = 224;
  localparam int unsigned ADMIN_CMD_DATA_LSB = 256;

  // admin completion (ACQ entry), one per submission in order (16 bytes)
  localparam int unsigned ADMIN_CPL_BITS = 128;
  typedef struct packed {
    logic [31:0] val1;  // @12: per command and status
    logic [31:0] val0;  // @8: per command and status
    logic [15:0] sq_head;  // @6: ASQ CONS after this command (low 16 bits)
    logic [7:0] rsvd0;  // @5: reserved
    logic [7:0] flags;  // @4: bit 0: ring phase
    logic [7:0] status;  // @3: ADMIN_STATUS
    logic [7:0] opcode;  // @2: the command's opcode
    logic [15:0] tag;  // @0: the command's tag
  } admin_cpl_t;
  localparam int unsigned ADMIN_CPL_TAG_LSB = 0;
  localparam int unsigned ADMIN_CPL_OPCODE_LSB = 16;
  localparam int unsigned ADMIN_CPL_STATUS_LSB = 24;
  localparam int unsigned ADMIN_CPL_FLAGS_LSB = 32;
  localparam int unsigned ADMIN_CPL_RSVD0_LSB = 40;
  localparam int unsigned ADMIN_CPL_SQ_HEAD_LSB = 48;
  localparam int unsigned ADMIN_CPL_VAL0_LSB = 64;
  localparam int unsigned ADMIN_CPL_VAL1_LSB = 96;

  // IDENTIFY's answer (64 bytes)
  localparam int unsigned ADMIN_IDENTIFY_BITS = 512;
  typedef struct packed {
    logic [31:0] rsvd0;  // @60: reserved
    logic [31:0] ts_ticks;  // @56: ticks per timestamp-clock unit
    logic [31:0] coalesce_bytes;  // @52: DATA coalescing threshold
    logic [31:0] delack_ticks;  // @48: delayed-ACK timeout in ticks
    logic [31:0] fw_code_bytes;  // @44: firmware code + data size
    logic [31:0] ipv4;  // @40: our IPv4 address (SET_IPV4)
    logic [7:0] mac_filter;  // @39: 1: receive MAC filter on
    logic [7:0] prefix_len;  // @38: IPv4 prefix length (SET_IPV4)
    logic [47:0] mac;  // @32: our MAC address (SET_MAC), wire order
    logic [31:0] mbox_size;  // @28: firmware mailbox bytes
    logic [15:0] width_bytes;  // @26: datapath width
    logic [15:0] clk_mhz;  // @24: core clock
    logic [31:0] tick_ns;  // @20: ns per RX-engine tick
    logic [15:0] queues;  // @18: DEV_QUEUES
    logic [15:0] msix_vectors;  // @16: MSI-X vectors
    logic [31:0] conn_max;  // @12: connection-table entries
    logic [31:0] features;  // @8: FEATURE bits
    logic [31:0] fw_version;  // @4: firmware version: major << 16 | minor
    logic [31:0] if_version;  // @0: IF_VERSION_MAJOR << 16 | IF_VERSION_MINOR
  } admin_identify_t;
  localparam int unsigned ADMIN_IDENTIFY_IF_VERSION_LSB = 0;
  localparam int unsigned ADMIN_IDENTIFY_FW_VERSION_LSB = 32;
  localparam int unsigned ADMIN_IDENTIFY_FEATURES_LSB = 64;
  localparam int unsigned ADMIN_IDENTIFY_CONN_MAX_LSB = 96;
  localparam int unsigned ADMIN_IDENTIFY_MSIX_VECTORS_LSB = 128;
  localparam int unsigned ADMIN_IDENTIFY_QUEUES_LSB = 144;
  localparam int unsigned ADMIN_IDENTIFY_TICK_NS_LSB = 160;
  localparam int unsigned ADMIN_IDENTIFY_CLK_MHZ_LSB = 192;
  localparam int unsigned ADMIN_IDENTIFY_WIDTH_BYTES_LSB = 208;
  localparam int unsigned ADMIN_IDENTIFY_MBOX_SIZE_LSB = 224;
  localparam int unsigned ADMIN_IDENTIFY_MAC_LSB = 256;
  localparam int unsigned ADMIN_IDENTIFY_PREFIX_LEN_LSB = 304;
  localparam int unsigned ADMIN_IDENTIFY_MAC_FILTER_LSB = 312;
  localparam int unsigned ADMIN_IDENTIFY_IPV4_LSB = 320;
  localparam int unsigned ADMIN_IDENTIFY_FW_CODE_BYTES_LSB = 352;
  localparam int unsigned ADMIN_IDENTIFY_DELACK_TICKS_LSB = 384;
  localparam int unsigned ADMIN_IDENTIFY_COALESCE_BYTES_LSB = 416;
  localparam int unsigned ADMIN_IDENTIFY_TS_TICKS_LSB = 448;
  localparam int unsigned ADMIN_IDENTIFY_RSVD0_LSB = 480;

  // CONN_CREATE's buffer and CONN_READ's answer: the RX entry and the TX context of one connection (176 bytes)
  localparam int unsigned CONN_CREATE_BITS = 1408;
  typedef struct packed {
    logic [383:0] tx;  // @128: the TX context (tx_ctx)
    logic [1023:0] rx;  // @0: the connection-table entry (rx_ctx)
  } conn_create_t;
  localparam int unsigned CONN_CREATE_RX_LSB = 0;
  localparam int unsigned CONN_CREATE_TX_LSB = 1024;

  // BAR0 global registers
  localparam logic [15:0] REG_ID = 16'h0000;  // RO: DEV_ID_MAGIC
  localparam logic [15:0] REG_IF_VERSION = 16'h0004;  // RO: IF_VERSION_MAJOR << 16 | IF_VERSION_MINOR
  localparam logic [15:0] REG_FEATURES = 16'h0008;  // RO: FEATURE bits
  localparam logic [15:0] REG_DATAPATH = 16'h000c;  // RO: datapath width in bytes (bits 15:0), core clock in MHz (bits 31:16)
  localparam logic [15:0] REG_CONN_MAX = 16'h0010;  // RO: connection-table entries
  localparam logic [15:0] REG_QUEUES = 16'h0014;  // RO: DEV_QUEUES
  localparam logic [15:0] REG_TICK_NS = 16'h0018;  // RO: ns per RX-engine tick
  localparam logic [15:0] REG_TIME_MODE = 16'h001c;  // RO: TIME_MODE
  localparam logic [15:0] REG_CONTROL = 16'h0020;  // RW: CONTROL bits
  localparam logic [15:0] REG_STATUS = 16'h0024;  // RO: STATUS bits
  localparam logic [15:0] REG_SCRATCH = 16'h0028;  // RW: reads what was written; MMIO round trips and tests
  localparam logic [15:0] REG_TIME_LO = 16'h0030;  // RO: device clock in ns, low word; reading it latches TIME_HI
  localparam logic [15:0] REG_TIME_HI = 16'h0034;  // RO: high word latched by the last TIME_LO read
  localparam logic [15:0] REG_DMA_LO_LO = 16'h0040;  // RW: TX engine DMA window [DMA_LO, DMA_HI): low word of DMA_LO (writable while CONTROL.ENABLE is off)
  localparam logic [15:0] REG_DMA_LO_HI = 16'h0044;  // RW: high word of DMA_LO
  localparam logic [15:0] REG_DMA_HI_LO = 16'h0048;  // RW: low word of DMA_HI
  localparam logic [15:0] REG_DMA_HI_HI = 16'h004c;  // RW: high word of DMA_HI
  localparam logic [15:0] REG_CNT_BASE = 16'h0100;  // RO: DEV_CNT counters, 4 bytes each, from here

  // BAR0 queue registers: queue q (QID) at QREG_BASE + q * QREG_STRIDE
  localparam int unsigned QREG_BASE = 32'h1000;
  localparam int unsigned QREG_STRIDE = 32'h40;
  localparam int unsigned QREG_COUNT = 7;
  localparam logic [15:0] QREG_BASE_LO = 16'h0000;  // RW: ring base, low word (64-byte aligned); writable while disabled
  localparam logic [15:0] QREG_BASE_HI = 16'h0004;  // RW: ring base, high word
  localparam logic [15:0] QREG_SIZE_LOG2 = 16'h0008;  // RW: entries = 2^SIZE_LOG2; writable while disabled
  localparam logic [15:0] QREG_PROD = 16'h000c;  // RW/RO: free-running producer index: host-to-device rings, written by the host (the doorbell); device-to-host rings, read-only
  localparam logic [15:0] QREG_CONS = 16'h0010;  // RO/RW: free-running consumer index: host-to-device rings, read-only (entries the device took); device-to-host rings, written by the host
  localparam logic [15:0] QREG_CTRL = 16'h0014;  // RW: bit 0 ENABLE: set to start (the indices restart at 0), clear to stop
  localparam logic [15:0] QREG_VECTOR = 16'h0018;  // RW: device-to-host rings: MSI-X vector, or QUEUE_NO_VECTOR for a polled ring; writable while disabled
  localparam logic [15:0] QREG_ERROR = 16'h001c;  // RO: QERR
  localparam logic [15:0] QREG_ENTRY_SIZE = 16'h0020;  // RO: bytes per entry

  // BAR0 interrupt vector registers: vector v at VREG_BASE + v * VREG_STRIDE (moderation is set with the admin command SET_IRQ_MOD)
  localparam int unsigned VREG_BASE = 32'h2000;
  localparam int unsigned VREG_STRIDE = 32'h10;
  localparam int unsigned VREG_COUNT = 32;
  localparam logic [15:0] VREG_MOD_NS = 16'h0000;  // RO: time moderation: a message at the latest MOD_NS after the first unsignalled entry
  localparam logic [15:0] VREG_MOD_COUNT = 16'h0004;  // RO: count moderation: a message once MOD_COUNT entries are unsignalled (0: off)
  localparam logic [15:0] VREG_SENT = 16'h0008;  // RO: messages sent on this vector (wrapping)
  localparam logic [15:0] VREG_PENDING = 16'h000c;  // RO: entries not yet signalled

  // BAR0 MSI-X table (PCIe 6.8.2): entry v at BAR0_MSIX_TABLE + 16 v; the PBA at BAR0_MSIX_PBA
  localparam int unsigned MSIX_BASE = 32'h8000;
  localparam int unsigned MSIX_STRIDE = 32'h10;
  localparam int unsigned MSIX_COUNT = 32;
  localparam logic [15:0] MSIX_ADDR_LO = 16'h0000;  // RW: message address, low word
  localparam logic [15:0] MSIX_ADDR_HI = 16'h0004;  // RW: message address, high word
  localparam logic [15:0] MSIX_DATA = 16'h0008;  // RW: message data
  localparam logic [15:0] MSIX_VCTRL = 16'h000c;  // RW: bit 0 mask (1 after reset)

  // the firmware's management window (its CPU's view of the hardware; toe-sim's firmware reaches it through toe_fw_bus)
  localparam logic [15:0] FW_ID = 16'h0000;  // RO: DEV_ID_MAGIC
  localparam logic [15:0] FW_ATTN = 16'h0004;  // RO: FW_ATTN bits
  localparam logic [15:0] FW_CTRL = 16'h0008;  // WO: FW_CTRL bits
  localparam logic [15:0] FW_NOW_TICK = 16'h000c;  // RO: RX-engine tick count
  localparam logic [15:0] FW_CONN_MAX = 16'h0010;  // RO: connection-table entries
  localparam logic [15:0] FW_ASQ_BASE_LO = 16'h0020;  // RO: admin submission ring base, low word
  localparam logic [15:0] FW_ASQ_BASE_HI = 16'h0024;  // RO: high word
  localparam logic [15:0] FW_ASQ_SIZE_LOG2 = 16'h0028;  // RO: its size
  localparam logic [15:0] FW_ASQ_PROD = 16'h002c;  // RO: the host's producer index
  localparam logic [15:0] FW_ASQ_CONS = 16'h0030;  // RW: the firmware's consumer index (the host sees it as QREG_CONS of QID_ASQ)
  localparam logic [15:0] FW_ASQ_CTRL = 16'h0034;  // RO: bit 0: enabled
  localparam logic [15:0] FW_ACQ_BASE_LO = 16'h0040;  // RO: admin completion ring base, low word
  localparam logic [15:0] FW_ACQ_BASE_HI = 16'h0044;  // RO: high word
  localparam logic [15:0] FW_ACQ_SIZE_LOG2 = 16'h0048;  // RO: its size
  localparam logic [15:0] FW_ACQ_PROD = 16'h004c;  // RW: the firmware's producer index: advancing it (after the entries are written) counts them for the interrupt logic
  localparam logic [15:0] FW_ACQ_CONS = 16'h0050;  // RO: the host's consumer index
  localparam logic [15:0] FW_ACQ_CTRL = 16'h0054;  // RO: bit 0: enabled
  localparam logic [15:0] FW_DMA_HOST_LO = 16'h0060;  // RW: mover: host address, low word
  localparam logic [15:0] FW_DMA_HOST_HI = 16'h0064;  // RW: high word
  localparam logic [15:0] FW_DMA_LEN = 16'h0068;  // RW: bytes, 1..FW_MBOX_SIZE
  localparam logic [15:0] FW_DMA_MBOX_OFF = 16'h006c;  // RW: mailbox offset
  localparam logic [15:0] FW_DMA_CTRL = 16'h0070;  // WO: FW_DMA GO, TO_HOST
  localparam logic [15:0] FW_DMA_STATUS = 16'h0074;  // RO: FW_DMA BUSY, FAULT, BAD_ARG
  localparam logic [15:0] FW_CMD_MBOX_OFF = 16'h0080;  // RW: connection command: conn_cmd (32 bytes) here, an INSERT's rx_ctx at +32; conn_rsp at +FW_CMD_RSP_OFF, a READ's rx_ctx at +FW_CMD_RSP_OFF+16 (the area must fit in the mailbox)
  localparam logic [15:0] FW_CMD_CTRL = 16'h0084;  // WO: bit 0 GO
  localparam logic [15:0] FW_CMD_STATUS = 16'h0088;  // RO: bit 0 BUSY, bit 1 BAD_OFF (the area does not fit; nothing done)
  localparam logic [15:0] FW_TXCTX_CONN = 16'h0090;  // RW: TX context: connection id
  localparam logic [15:0] FW_TXCTX_MBOX_OFF = 16'h0094;  // RW: mailbox offset of the 48-byte tx_ctx
  localparam logic [15:0] FW_TXCTX_CTRL = 16'h0098;  // WO: FW_TXCTX WRITE, READ, CLEAR
  localparam logic [15:0] FW_TXCTX_STATUS = 16'h009c;  // RO: FW_TXCTX BAD_ID, VALID
  localparam logic [15:0] FW_MAC_LO = 16'h00a0;  // RW: our MAC, bytes 0..3 (byte 0, first on the wire, in bits 7:0)
  localparam logic [15:0] FW_MAC_HI = 16'h00a4;  // RW: bytes 4..5 in bits 15:0
  localparam logic [15:0] FW_IPV4 = 16'h00a8;  // RW: our IPv4 address (kept for IDENTIFY)
  localparam logic [15:0] FW_RX_FILTER = 16'h00ac;  // RW: bit 0: drop frames not for our MAC, broadcast or multicast
  localparam logic [15:0] FW_DELACK_TICKS = 16'h00b0;  // RW: RX engine cfg_delack_ticks (reset DELACK_TICKS_DEFAULT)
  localparam logic [15:0] FW_COALESCE_BYTES = 16'h00b4;  // RW: cfg_coalesce_bytes (reset RX_EVENT_COALESCE_DEFAULT)
  localparam logic [15:0] FW_TS_TICKS = 16'h00b8;  // RW: cfg_ts_ticks (reset 100)
  localparam logic [15:0] FW_VEC_BASE = 16'h0200;  // RW: vector v: MOD_NS at VEC_BASE + 8 v, MOD_COUNT at VEC_BASE + 8 v + 4
  localparam logic [15:0] FW_TX_CNT_BASE = 16'h0400;  // RO: TX_CNT counters, 4 bytes each
  localparam logic [15:0] FW_RX_CNT_BASE = 16'h0480;  // RO: RX_CNT counters
  localparam logic [15:0] FW_DEV_CNT_BASE = 16'h0580;  // RO: DEV_CNT counters
  localparam logic [15:0] FW_MBOX = 16'h1000;  // RW: mailbox RAM, FW_MBOX_SIZE bytes, 32-bit accesses

endpackage
