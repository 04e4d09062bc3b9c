// Byte-order and one's-complement helpers shared by the datapaths.
//
// Stream convention (AXI-Stream): byte lane 0 is tdata[7:0] and is the first byte on
// the wire. A header held as a byte vector therefore keeps its first byte in the least
// significant bits, and a big-endian (network order) field must be byte-swapped into it.
package toe_net_pkg;

  // A 16-bit network-order field as two stream bytes: first byte = most significant.
  function automatic logic [15:0] be16(input logic [15:0] v);
    be16 = {v[7:0], v[15:8]};
  endfunction

  function automatic logic [31:0] be32(input logic [31:0] v);
    be32 = {v[7:0], v[15:8], v[23:16], v[31:24]};
  endfunction

  // End-around-carry fold of a 32-bit one's-complement accumulator to 16 bits
  // (RFC 1071 section 4.1: "fold 32-bit sum to 16 bits"). Two folds always suffice:
  // after the first the value is at most 0x1FFFE, and its low half is then at most
  // 0xFFFE, so adding the carry cannot overflow again.
  function automatic logic [15:0] csum_fold(input logic [31:0] acc);
    logic [16:0] s1;
    s1 = {1'b0, acc[15:0]} + {1'b0, acc[31:16]};
    csum_fold = s1[15:0] + {15'd0, s1[16]};
  endfunction

endpackage
