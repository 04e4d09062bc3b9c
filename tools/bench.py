#!/usr/bin/env python3
"""make bench: TX throughput of the RTL, simulation speed, the model's checksum speed,
MMIO round trips over the toe-sim channel, the cable's impairment stage and the
synthesis figures; prints a table and writes OUT/bench.json (a flat object).

Throughput is counted in clock cycles of the Verilated RTL, so it does not depend on
how busy the machine is: efficiency = frame bytes per busy clock / bytes per beat (the
share of the datapath's capacity used; 1.0 means no idle or partly filled beat),
goodput = TSO payload bytes per busy clock / bytes per beat. Only the wall-clock
figures (cycles/s, GB/s) are noisy; each comes with a ratio to a reference timed in
the same run: the checksum against the plain RFC 1071 loop, the RTL simulation against
the C model producing the same frames, the channel's round trips against the same
ping-pong over a plain Unix socketpair.
"""
import argparse
import json
import os
import re
import subprocess
import sys

# (key suffix, width, payload bytes per send, sends)
LOADS = [
    ("64", 64, 64, 4000),
    ("512", 64, 512, 2000),
    ("1460", 64, 1460, 1000),
    ("65536", 64, 65536, 24),
    ("1460_w512", 512, 1460, 2000),
    ("65536_w512", 512, 65536, 48),
]
DMA_LATENCY = 16  # clock cycles from read request to first data beat

# RX: (key suffix, width, payload per segment, segments) over 4000 connections, round
# robin. Payload 0 is a pure ACK padded to the 60-byte minimum frame (64 with FCS);
# 1460 makes 1514-byte frames (1500-byte MTU).
RX_LOADS = [
    ("64", 64, 0, 8000),
    ("1500", 64, 1460, 4000),
    ("64_w512", 512, 0, 8000),
    ("1500_w512", 512, 1460, 4000),
]


def bench_line(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("BENCH "))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def kv_lines(cmd):
    """A program that prints "key value" lines (bench_dev)."""
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return {k: float(v) for k, v in (l.split() for l in out.splitlines() if len(l.split()) == 2)}


def toe_sim_pair_fps(build, backend, frames):
    """Raw frames per wall second from one driver through two toe-sims (virtual time,
    joined by a cable) to another driver: the whole path, channel and firmware
    included (tests/integration/toesim.sh has the same pair)."""
    import shutil
    import tempfile
    import time
    d = tempfile.mkdtemp(prefix="toe-bench-")
    sim = os.path.join(build, "bin", "toe-sim")
    dt = os.path.join(build, "bin", "toe-devtest")
    procs = []
    try:
        for n in ("a", "b"):
            os.makedirs(os.path.join(d, n))
        procs.append(subprocess.Popen([sim, f"--pci-dir={d}/a", f"--backend={backend}",
                                       f"--wire=listen:{d}/cable"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        while not os.path.exists(f"{d}/cable"):
            time.sleep(0.02)
        procs.append(subprocess.Popen([sim, f"--pci-dir={d}/b", f"--backend={backend}",
                                       f"--wire=connect:{d}/cable"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        for n in ("a", "b"):
            while not os.path.exists(f"{d}/{n}/devices/0000:00:05.0/toe-sim.sock"):
                time.sleep(0.02)
        t0 = time.monotonic()
        rx = subprocess.Popen([dt, "--pci-dir", f"{d}/b", "--timeout", "600s", "raw-recv", str(frames)],
                              stdout=subprocess.DEVNULL)
        subprocess.run([dt, "--pci-dir", f"{d}/a", "raw-send", str(frames)], check=True,
                       stdout=subprocess.DEVNULL)
        if rx.wait() != 0:
            raise RuntimeError(f"toe-sim pair ({backend}): frames lost")
        return frames / (time.monotonic() - t0)
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(d, ignore_errors=True)


def host_instr_per_conn(build, out, n=100):
    """Host instructions of the TOE per connection (open, a byte each way, close),
    counted by callgrind: only under the TOE's own calls (its socket calls, the
    harness's runs and injections) and only in the driver's files (driver/: stack,
    socket layer, driver core), not the simulated device, its firmware or the peer
    stack. Two runs, N connections and none, so that setup cancels out."""
    bench = os.path.join(build, "bin", "bench_tcp")

    def ir(count):
        cg = os.path.join(out, f"callgrind.tcp.{count}")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}",
                        "--toggle-collect=toe_side", "--toggle-collect=toe_harness_run_until",
                        "--toggle-collect=toe_harness_inject", bench, "--mode=conns", f"--count={count}",
                        "--no-ref"], check=True, capture_output=True)
        ann = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100", cg],
                             check=True, capture_output=True, text=True).stdout
        total = 0
        for line in ann.splitlines():
            m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S+):", line)
            if m and "/driver/" in m.group(2) and "/driver/pktdrill/" not in m.group(2):
                total += int(m.group(1).replace(",", ""))
        return total

    return (ir(n) - ir(0)) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", default="out")
    a = ap.parse_args()
    res = {}
    rows = []
    for key, width, payload, count in LOADS:
        tb = os.path.join(a.build, "bin", f"tb_tx_w{width}")
        # Cycle counts are exact; the wall-clock figures keep the best of three runs.
        runs = [bench_line([tb, "--mode=bench", f"--payload={payload}", f"--count={count}",
                            f"--dma-latency={DMA_LATENCY}", "--seed=1"]) for _ in range(3)]
        r = dict(runs[0])
        r["cycles_per_s"] = max(x["cycles_per_s"] for x in runs)
        r["model_speedup"] = max(x["model_speedup"] for x in runs)
        res[f"tx_efficiency_{key}"] = round(r["efficiency"], 4)
        res[f"tx_goodput_{key}"] = round(r["goodput"], 4)
        rows.append((f"TX {payload} B sends, {width}-bit", r["efficiency"], r["goodput"], r["cycles_per_s"]))
        if key == "65536":
            res["sim_cycles_per_s_tx"] = round(r["cycles_per_s"])
            res["model_vs_rtl_speedup_tx"] = round(r["model_speedup"], 1)
        if key == "65536_w512":
            res["sim_cycles_per_s_tx_w512"] = round(r["cycles_per_s"])
            res["model_vs_rtl_speedup_tx_w512"] = round(r["model_speedup"], 1)
    rx_rows = []
    for key, width, payload, count in RX_LOADS:
        tb = os.path.join(a.build, "bin", f"tb_rx_w{width}")
        r = bench_line([tb, "--mode=bench", f"--payload={payload}", f"--count={count}", "--conns=4000", "--seed=1"])
        res[f"rx_efficiency_{key}"] = round(r["efficiency"], 4)
        rx_rows.append((f"RX {'64 B' if payload == 0 else '1514 B'} frames, {width}-bit", r["efficiency"],
                        r["lookups_per_clock"]))
        if key == "64_w512":
            # The input is never the limit here: this is what the connection stage sustains.
            res["rx_lookups_per_clock"] = round(r["lookups_per_clock"], 4)
        if key == "1500":
            res["ack_latency_cycles"] = int(r["ack_latency"])
    c = bench_line([os.path.join(a.build, "bin", "bench_csum")])
    res["model_csum_gbytes_per_s"] = round(c["model_csum_gbytes_per_s"], 3)
    res["ref_csum_gbytes_per_s"] = round(c["ref_csum_gbytes_per_s"], 3)
    res["model_csum_speedup"] = round(c["model_csum_speedup"], 2)
    ch = bench_line([os.path.join(a.build, "bin", "bench_chan")])
    res["chan_roundtrips_per_s"] = round(ch["chan_roundtrips_per_s"])
    res["chan_spin_roundtrips_per_s"] = round(ch["chan_spin_roundtrips_per_s"])
    res["socket_roundtrips_per_s"] = round(ch["socket_roundtrips_per_s"])
    res["chan_vs_socket"] = round(ch["chan_vs_socket"], 2)
    res["chan_spin_vs_socket"] = round(ch["chan_spin_vs_socket"], 2)
    imp = bench_line([os.path.join(a.build, "bin", "bench_impair")])
    res["impair_frames_per_s"] = round(imp["impair_frames_per_s"])
    res["impair_plain_frames_per_s"] = round(imp["impair_plain_frames_per_s"])
    res["impair_vs_copy"] = round(imp["impair_vs_copy"], 3)
    # The whole device in one process (sim/bench/bench_dev.c): cycles from a doorbell
    # to the frame, events and interrupts per MB with and without moderation, the
    # Verilated device's clock rate against the model's, two devices back to back.
    for backend in ("model", "rtl"):
        dv = kv_lines([os.path.join(a.build, "bin", "bench_dev"), f"--backend={backend}"])
        for k, v in dv.items():
            k2 = k if backend == "rtl" or k.endswith("_model") or k.startswith("frames_per_s") else f"{k}_model"
            if k.startswith("frames_per_s_"):
                k2 = "dev_pair_" + k
            res[k2] = round(v, 1) if v < 1000 else round(v)
    res["frames_per_s_model"] = round(toe_sim_pair_fps(a.build, "model", 20000))
    res["sim_cycles_per_s_device_vs_model"] = round(res["sim_cycles_per_s_device"] /
                                                     res["sim_cycles_per_s_device_model"], 5)
    res["frames_per_s_rtl"] = round(toe_sim_pair_fps(a.build, "rtl", 2000))
    res["frames_rtl_vs_model"] = round(res["frames_per_s_rtl"] / res["frames_per_s_model"], 4)
    # TCP over the embedded TOE (sim/bench/bench_tcp.c): connections one after another
    # from a peer stack (open, a byte each way, close) in virtual time, on the model and
    # the RTL, with two software stacks and no device as the reference of the same run;
    # the most connections at once, each verified by a byte each way; callgrind's count
    # of the TOE's host instructions per connection.
    tcp = kv_lines([os.path.join(a.build, "bin", "bench_tcp"), "--backend=model", "--mode=conns", "--count=500"])
    res["handshakes_per_s_model"] = round(tcp["handshakes_per_s"])
    res["handshakes_per_s_soft"] = round(tcp["handshakes_per_s_soft"])
    res["handshakes_model_vs_soft"] = round(tcp["handshakes_per_s"] / tcp["handshakes_per_s_soft"], 4)
    res["virtual_us_per_conn_model"] = round(tcp["virtual_ns_per_conn"] / 1000, 1)
    tcp = kv_lines([os.path.join(a.build, "bin", "bench_tcp"), "--backend=rtl", "--mode=conns", "--count=20"])
    res["handshakes_per_s_rtl"] = round(tcp["handshakes_per_s"], 1)
    res["handshakes_rtl_vs_soft"] = round(tcp["handshakes_per_s"] / tcp["handshakes_per_s_soft"], 6)
    mx = kv_lines([os.path.join(a.build, "bin", "bench_tcp"), "--backend=model", "--mode=max", "--count=65536"])
    for k in ("max_established_conns", "max_offloaded_conns", "driver_bytes_per_idle_conn", "dma_bytes_per_idle_conn"):
        res[k] = round(mx[k])
    res["host_instr_per_conn"] = round(host_instr_per_conn(a.build, a.out))
    fw = os.path.join(a.out, "firmware.json")
    if os.path.exists(fw):
        res.update(json.load(open(fw)))
    synth = os.path.join(a.out, "synth.json")
    if os.path.exists(synth):
        res.update(json.load(open(synth)))
    else:
        print("bench: no synthesis figures (run make synth)", file=sys.stderr)

    print(f"{'load (MSS 1460, DMA latency %d cycles)' % DMA_LATENCY:44} {'efficiency':>10} {'goodput':>8} {'sim cycles/s':>13}")
    for name, eff, good, cps in rows:
        print(f"{name:44} {eff:10.4f} {good:8.4f} {cps:13.0f}")
    print()
    print(f"{'RX load (4000 connections, round robin)':44} {'efficiency':>10} {'lookups/clock':>13}")
    for name, eff, lpc in rx_rows:
        print(f"{name:44} {eff:10.4f} {lpc:13.4f}")
    print(f"ACK latency (last beat of a segment to first beat of its immediate ACK): "
          f"{res['ack_latency_cycles']} cycles")
    print()
    print(f"C model vs Verilated RTL on the same 64 KiB sends (same run): x{res['model_vs_rtl_speedup_tx']} "
          f"at 64 bits, x{res['model_vs_rtl_speedup_tx_w512']} at 512 bits")
    print(f"model checksum: {res['model_csum_gbytes_per_s']:.2f} GB/s "
          f"(reference 16-bit loop {res['ref_csum_gbytes_per_s']:.2f} GB/s, x{res['model_csum_speedup']})")
    print(f"channel MMIO round trips: {res['chan_roundtrips_per_s']:,}/s sleeping, "
          f"{res['chan_spin_roundtrips_per_s']:,}/s spinning on two CPUs "
          f"(Unix socketpair ping-pong {res['socket_roundtrips_per_s']:,}/s: "
          f"x{res['chan_vs_socket']}, x{res['chan_spin_vs_socket']})")
    print(f"cable impairment stage, 60-byte frames: {res['impair_frames_per_s'] / 1e6:.1f} M frames/s with every "
          f"knob on, {res['impair_plain_frames_per_s'] / 1e6:.1f} M with none "
          f"(x{res['impair_vs_copy']} of copying each frame into a ring and out, same run)")
    print()
    print(f"device (toe_dev, W=64, 250 MHz): doorbell to last byte of a 60-byte raw frame "
          f"{res['doorbell_to_frame_cycles']:.0f} cycles on the RTL "
          f"({res['doorbell_to_frame_cycles_model']:.0f} in the model)")
    print(f"events per MB received (1460-byte segments): {res['events_per_mb_unmoderated']} with no "
          f"coalescing, {res['events_per_mb_moderated']} coalesced; interrupts per MB "
          f"{res['irqs_per_mb_unmoderated']} unmoderated, {res['irqs_per_mb_moderated']} moderated")
    print(f"Verilated device: {res['sim_cycles_per_s_device']:,} cycles/s (model x"
          f"{1 / res['sim_cycles_per_s_device_vs_model']:.0f} faster in the same run)")
    print(f"raw frames through two toe-sims, driver to driver: {res['frames_per_s_model']:,}/s model, "
          f"{res['frames_per_s_rtl']:,}/s RTL (x{res['frames_rtl_vs_model']})")
    print(f"TCP connections (open, a byte each way, close) from a peer stack: "
          f"{res['handshakes_per_s_model']:,}/s model, {res['handshakes_per_s_rtl']}/s RTL "
          f"(two software stacks, no device: {res['handshakes_per_s_soft']:,}/s in the same run); "
          f"{res['virtual_us_per_conn_model']} us of virtual time each")
    print(f"host instructions of the TOE per connection (callgrind, driver code only): "
          f"{res['host_instr_per_conn']:,}")
    print(f"simultaneous established connections, each verified by a byte each way: "
          f"{res['max_established_conns']:,} ({res['max_offloaded_conns']:,} in the hardware table); "
          f"{res['driver_bytes_per_idle_conn']} bytes of driver memory per idle connection "
          f"(+ {res['dma_bytes_per_idle_conn']} bytes of receive ring in DMA memory)")
    if "firmware_rv32_bytes" in res:
        print(f"firmware RV32IMC image: {res['firmware_rv32_bytes']} bytes of {32768}")
    for unit, w, sfx in (("tx", "64", ""), ("tx", "512", "_w512"), ("csum", "512", "_w512"), ("rx", "64", "")):
        k = f"{unit}{sfx}"
        if f"synth_luts_{k}" in res:
            print(f"synthesis {dict(tx='TX engine', rx='RX engine', csum='checksum unit')[unit]} W={w}: "
                  f"{res['synth_luts_' + k]} LUTs, {res['synth_ffs_' + k]} FFs, "
                  f"{res['synth_bram36_' + k]} RAMB36, {res['synth_lutram_' + k]} LUT-RAM LUTs, "
                  f"longest path {res['synth_lut_levels_' + k]} levels")
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "bench.json"), "w") as fh:
        json.dump(res, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"bench: wrote {os.path.join(a.out, 'bench.json')}")


if __name__ == "__main__":
    main()
