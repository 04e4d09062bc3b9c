#!/usr/bin/env python3
"""Generate the SystemVerilog package, the C header and the docs table for the
OpenTOE hardware formats from rtl/data/toe_formats.json (the single source of
truth).

  gen_formats.py JSON OUT_DIR      writes OUT_DIR/{rtl/toe_pkg.sv,
                                   include/toe_formats.h, docs/formats.md}

The outputs are committed; tests/check_formats.sh regenerates them into a
temporary directory and fails when they differ from the committed copies.
Only the Python standard library is used.
"""
import json
import os
import sys

TYPE_BYTES = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}
C_TYPES = {"u8": "uint8_t", "u16": "uint16_t", "u32": "uint32_t", "u64": "uint64_t"}
HEADER = "generated from rtl/data/toe_formats.json by tools/gen_formats.py; do not edit"

# A field named like an IEEE 1800-2017 keyword (annex B; the channel message's `type` and
# `time`) or like a C++ word Verilator warns about (SYMRSVDWORD, its V3LanguageWords
# list: `vector`) gets a trailing underscore in the SystemVerilog package only.
SV_KEYWORDS = set("""
accept_on alias always always_comb always_ff always_latch and assert assign assume automatic
before begin bind bins binsof bit break buf bufif0 bufif1 byte case casex casez cell chandle
checker class clocking cmos config const constraint context continue cover covergroup
coverpoint cross deassign default defparam design disable dist do edge else end endcase
endchecker endclass endclocking endconfig endfunction endgenerate endgroup endinterface
endmodule endpackage endprimitive endprogram endproperty endspecify endsequence endtable
endtask enum event eventually expect export extends extern final first_match for force foreach
forever fork forkjoin function generate genvar global highz0 highz1 if iff ifnone
ignore_bins illegal_bins implements implies import incdir include initial inout input inside
instance int integer interconnect interface intersect join join_any join_none large let
liblist library local localparam logic longint macromodule matches medium modport module nand
negedge nettype new nexttime nmos nor noshowcancelled not notif0 notif1 null or output package
packed parameter pmos posedge primitive priority program property protected pull0 pull1
pulldown pullup pulsestyle_ondetect pulsestyle_onevent pure rand randc randcase randsequence
rcmos real realtime ref reg reject_on release repeat restrict return rnmos rpmos rtran
rtranif0 rtranif1 s_always s_eventually s_nexttime s_until s_until_with scalared sequence
shortint shortreal showcancelled signed small soft solve specify specparam static string
strong strong0 strong1 struct super supply0 supply1 sync_accept_on sync_reject_on table
tagged task this throughout time timeprecision timeunit tran tranif0 tranif1 tri tri0 tri1
triand trior trireg type typedef union unique unique0 unsigned until until_with untyped use
uwire var vectored virtual void wait wait_order wand weak weak0 weak1 while wildcard wire with
within wor xnor xor
NULL abort alignas alignof and_eq asm auto bit_vector bitand bitor bool catch cdecl char
char16_t char32_t compl complex concept const_cast const_iterator constexpr decltype delete
deque double dynamic_cast explicit false far float friend goto huge inline interrupt iterator
list long map mutable namespace near noexcept not_eq nullptr operator or_eq override pascal
private public queue reference register reinterpret_cast requires sc_clock sc_in sc_inout
sc_out sc_signal sensitive sensitive_neg sensitive_pos set short sizeof stack static_assert
static_cast switch synchronized template thread_local throw transaction_safe true try
type_info typeid typename uint16_t uint32_t uint8_t using vector wchar_t xor_eq
""".split())


def sv_name(name):
    return name + "_" if name in SV_KEYWORDS else name


def field_bytes(f):
    if f["type"] == "bytes":
        return f["count"]
    return TYPE_BYTES[f["type"]]


def check_layout(s, known):
    """Fields must tile the struct exactly, in offset order, naturally aligned. A
    'bytes' field may have views: other structs of its size, defined earlier, that
    the C header overlays on it as a union (a payload whose layout depends on a type
    field)."""
    pos = 0
    for f in s["fields"]:
        for member, view in f.get("views", {}).items():
            if f["type"] != "bytes":
                sys.exit(f"{s['name']}.{f['name']}: only a 'bytes' field can have views")
            if view not in known:
                sys.exit(f"{s['name']}.{f['name']}: view {member} is {view}, not a struct defined before it")
            if known[view] != f["count"]:
                sys.exit(f"{s['name']}.{f['name']}: view {view} is {known[view]} bytes, field is {f['count']}")
        if f["offset"] != pos:
            sys.exit(f"{s['name']}.{f['name']}: offset {f['offset']}, expected {pos}")
        n = field_bytes(f)
        if f["type"] != "bytes" and f["offset"] % n:
            sys.exit(f"{s['name']}.{f['name']}: not naturally aligned")
        pos += n
    if pos != s["size"]:
        sys.exit(f"{s['name']}: fields cover {pos} bytes, size is {s['size']}")


def counter_names(cs):
    return [(f"{cs['name']}_{c['name']}", i, c["doc"]) for i, c in enumerate(cs["values"])]


def gen_sv(d):
    out = [f"// {HEADER}", "//", "// Struct bit i is byte i/8, bit i%8 of the little-endian memory image:",
           "// the first field in memory sits in the least significant bits.", "",
           "package toe_pkg;", ""]
    for c in d["constants"]:
        out.append(f"  // {c['doc']}")
        out.append(f"  localparam logic [{c['bits'] - 1}:0] {c['name']} = {c['bits']}'d{c['value']};")
    out.append("")
    for e in d["enums"]:
        out.append(f"  // {e['name']}: {e['doc']}")
        for v in e["values"]:
            out.append(f"  localparam logic [{e['bits'] - 1}:0] {e['name']}_{v['name']} = "
                       f"{e['bits']}'d{v['value']};  // {v['doc']}")
        out.append("")
    for cs in d["counters"]:
        cn = counter_names(cs)
        out.append(f"  // {cs['doc']}")
        for name, i, doc in cn:
            out.append(f"  localparam int unsigned {name} = {i};  // {doc}")
        out.append(f"  localparam int unsigned {cs['name']}_NUM = {len(cn)};")
        out.append("")
    for s in d["structs"]:
        out.append(f"  // {s['doc']} ({s['size']} bytes)")
        out.append(f"  localparam int unsigned {s['name'].upper()}_BITS = {s['size'] * 8};")
        out.append("  typedef struct packed {")
        for f in reversed(s["fields"]):
            n = field_bytes(f) * 8
            out.append(f"    logic [{n - 1}:0] {sv_name(f['name'])};  // @{f['offset']}: {f['doc']}")
        out.append(f"  }} {s['name']}_t;")
        for f in s["fields"]:
            out.append(f"  localparam int unsigned {s['name'].upper()}_{f['name'].upper()}_LSB = "
                       f"{f['offset'] * 8};")
        out.append("")
    for b in d.get("registers", []):
        out.append(f"  // {b['doc']}")
        if b["count"] > 1:
            out.append(f"  localparam int unsigned {b['name']}_BASE = 32'h{b['base']:04x};")
            out.append(f"  localparam int unsigned {b['name']}_STRIDE = 32'h{b['stride']:x};")
            out.append(f"  localparam int unsigned {b['name']}_COUNT = {b['count']};")
        for r in b["regs"]:
            out.append(f"  localparam logic [15:0] {b['name']}_{r['name']} = 16'h{r['offset']:04x};  // {r['access']}: {r['doc']}")
        out.append("")
    out.append("endpackage")
    return "\n".join(out) + "\n"


def gen_c(d):
    out = [f"/* {HEADER} */", "#ifndef TOE_FORMATS_H", "#define TOE_FORMATS_H", "",
           "#include <stddef.h>", "#include <stdint.h>", "",
           "#ifdef __cplusplus",
           "#define TOE_STATIC_ASSERT static_assert",
           "#else",
           "#define TOE_STATIC_ASSERT _Static_assert",
           "#endif", "",
           "/* Little-endian memory images; these structs are their host view on a",
           " * little-endian host (checked below). */", ""]
    for c in d["constants"]:
        out.append(f"#define {c['name']} {c['value']}u /* {c['doc']} */")
    out.append("")
    for e in d["enums"]:
        out.append(f"/* {e['name']}: {e['doc']} */")
        out.append("enum {")
        for v in e["values"]:
            out.append(f"    {e['name']}_{v['name']} = {v['value']}, /* {v['doc']} */")
        out.append("};")
        out.append("")
    for cs in d["counters"]:
        cn = counter_names(cs)
        out.append(f"/* {cs['doc']} */")
        out.append("enum {")
        for name, i, doc in cn:
            out.append(f"    {name} = {i}, /* {doc} */")
        out.append(f"    {cs['name']}_NUM = {len(cn)}")
        out.append("};")
        out.append("")
        out.append(f"static const char *const {cs['name'].lower()}_names[{len(cn)}] = {{")
        for c in cs["values"]:
            out.append(f"    \"{c['name'].lower()}\",")
        out.append("};")
        out.append("")
    for b in d.get("registers", []):
        out.append(f"/* {b['doc']} */")
        if b["count"] > 1:
            out.append(f"#define {b['name']}_BASE 0x{b['base']:04x}u")
            out.append(f"#define {b['name']}_STRIDE 0x{b['stride']:x}u")
            out.append(f"#define {b['name']}_COUNT {b['count']}u")
        for r in b["regs"]:
            out.append(f"#define {b['name']}_{r['name']} 0x{r['offset']:04x}u /* {r['access']}: {r['doc']} */")
        out.append("")
    for s in d["structs"]:
        out.append(f"/* {s['doc']} ({s['size']} bytes) */")
        out.append(f"struct toe_{s['name']} {{")
        for f in s["fields"]:
            if f.get("views"):
                out.append("    union {")
                out.append(f"        uint8_t bytes[{f['count']}];")
                for member, view in f["views"].items():
                    out.append(f"        struct toe_{view} {member};")
                out.append(f"    }} {f['name']}; /* @{f['offset']}: {f['doc']} */")
                continue
            if f["type"] == "bytes":
                decl = f"uint8_t {f['name']}[{f['count']}];"
            else:
                decl = f"{C_TYPES[f['type']]} {f['name']};"
            out.append(f"    {decl} /* @{f['offset']}: {f['doc']} */")
        out.append("};")
        out.append(f"TOE_STATIC_ASSERT(sizeof(struct toe_{s['name']}) == {s['size']}, "
                   f"\"toe_{s['name']} size\");")
        for f in s["fields"]:
            out.append(f"TOE_STATIC_ASSERT(offsetof(struct toe_{s['name']}, {f['name']}) == "
                       f"{f['offset']}, \"toe_{s['name']}.{f['name']}\");")
        out.append("")
    out.append("#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__")
    out.append("#error \"toe_formats.h maps memory images directly: little-endian hosts only\"")
    out.append("#endif")
    out.append("")
    out.append("#endif /* TOE_FORMATS_H */")
    return "\n".join(out) + "\n"


def gen_md(d):
    out = ["# Hardware formats", "", f"<!-- {HEADER} -->", "",
           d["about"], "",
           "The SystemVerilog package `rtl/toe_pkg.sv` and the C header `include/toe_formats.h`",
           "come from the same description; `make test` fails when a committed copy differs",
           "from what the generator writes."]
    renamed = sorted({f["name"] for s in d["structs"] for f in s["fields"] if sv_name(f["name"]) != f["name"]})
    if renamed:
        out += ["Fields named like a SystemVerilog keyword (or a C++ word Verilator reserves) take a",
                "trailing underscore in the package: " + ", ".join(f"`{n}_`" for n in renamed) + "."]
    out += ["", "## Constants", "",
           "| name | value | meaning |", "| --- | --- | --- |"]
    for c in d["constants"]:
        out.append(f"| `{c['name']}` | {c['value']} | {c['doc']} |")
    out.append("")
    for e in d["enums"]:
        out += [f"## {e['name']}", "", e["doc"], "", "| name | value | meaning |", "| --- | --- | --- |"]
        for v in e["values"]:
            val = f"0x{v['value']:02x}" if e.get("flags") else str(v["value"])
            out.append(f"| `{e['name']}_{v['name']}` | {val} | {v['doc']} |")
        out.append("")
    for cs in d["counters"]:
        out += [f"## {cs['name']} counters", "", cs["doc"], "",
                "| index | name | meaning |", "| --- | --- | --- |"]
        for name, i, doc in counter_names(cs):
            out.append(f"| {i} | `{name}` | {doc} |")
        out.append("")
    for b in d.get("registers", []):
        out += [f"## Registers: {b['name']}", "", b["doc"] + ".", ""]
        if b["count"] > 1:
            out += [f"Block i of {b['count']} at `{b['name']}_BASE` + i * `{b['name']}_STRIDE` "
                    f"(0x{b['base']:04x} + i * 0x{b['stride']:x}); offsets below are within a block.", ""]
        out += ["| offset | name | access | meaning |", "| --- | --- | --- | --- |"]
        for r in b["regs"]:
            out.append(f"| 0x{r['offset']:04x} | `{b['name']}_{r['name']}` | {r['access']} | {r['doc']} |")
        out.append("")
    for s in d["structs"]:
        out += [f"## {s['name']} ({s['size']} bytes)", "", s["doc"], "",
                "| offset | size | field | meaning |", "| --- | --- | --- | --- |"]
        for f in s["fields"]:
            doc = f["doc"]
            if f.get("views"):
                doc += " (C views: " + ", ".join(f"`{f['name']}.{m}` = {v}" for m, v in f["views"].items()) + ")"
            out.append(f"| {f['offset']} | {field_bytes(f)} | `{f['name']}` | {doc} |")
        out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as fh:
        d = json.load(fh)
    known = {}
    for s in d["structs"]:
        check_layout(s, known)
        known[s["name"]] = s["size"]
    outs = {"rtl/toe_pkg.sv": gen_sv(d), "include/toe_formats.h": gen_c(d),
            "docs/formats.md": gen_md(d)}
    for rel, text in outs.items():
        path = os.path.join(sys.argv[2], rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
