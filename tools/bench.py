#!/usr/bin/env python3
"""make bench: TX throughput of the RTL, simulation speed, the model's checksum speed
and the synthesis figures; prints a table and writes OUT/bench.json (a flat object).

Throughput is counted in clock cycles of the Verilated RTL, so it does not depend on
how busy the machine is: efficiency = frame bytes per busy clock / bytes per beat (the
share of the datapath's capacity used; 1.0 means no idle or partly filled beat),
goodput = TSO payload bytes per busy clock / bytes per beat. Only the wall-clock
figures (cycles/s, GB/s) are noisy; the checksum figure comes with its ratio to the
reference loop timed in the same run.
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


def bench_line(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("BENCH "))
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", default="out")
    a = ap.parse_args()
    res = {}
    rows = []
    for key, width, payload, count in LOADS:
        tb = os.path.join(a.build, "bin", f"tb_tx_w{width}")
        r = bench_line([tb, "--mode=bench", f"--payload={payload}", f"--count={count}",
                        f"--dma-latency={DMA_LATENCY}", "--seed=1"])
        res[f"tx_efficiency_{key}"] = round(r["efficiency"], 4)
        res[f"tx_goodput_{key}"] = round(r["goodput"], 4)
        rows.append((f"TX {payload} B sends, {width}-bit", r["efficiency"], r["goodput"], r["cycles_per_s"]))
        if key == "65536":
            res["sim_cycles_per_s_tx"] = round(r["cycles_per_s"])
        if key == "65536_w512":
            res["sim_cycles_per_s_tx_w512"] = round(r["cycles_per_s"])
    c = bench_line([os.path.join(a.build, "bin", "bench_csum")])
    res["model_csum_gbytes_per_s"] = round(c["model_csum_gbytes_per_s"], 3)
    res["ref_csum_gbytes_per_s"] = round(c["ref_csum_gbytes_per_s"], 3)
    res["model_csum_speedup"] = round(c["model_csum_speedup"], 2)
    synth = os.path.join(a.out, "synth.json")
    if os.path.exists(synth):
        res.update(json.load(open(synth)))
    else:
        print("bench: no synthesis figures (run make synth)", file=sys.stderr)

    print(f"{'load (MSS 1460, DMA latency %d cycles)' % DMA_LATENCY:44} {'efficiency':>10} {'goodput':>8} {'sim cycles/s':>13}")
    for name, eff, good, cps in rows:
        print(f"{name:44} {eff:10.4f} {good:8.4f} {cps:13.0f}")
    print()
    print(f"model checksum: {res['model_csum_gbytes_per_s']:.2f} GB/s "
          f"(reference 16-bit loop {res['ref_csum_gbytes_per_s']:.2f} GB/s, x{res['model_csum_speedup']})")
    for w, sfx in (("64", ""), ("512", "_w512")):
        if f"synth_luts_tx{sfx}" in res:
            print(f"synthesis W={w}: {res['synth_luts_tx' + sfx]} LUTs, {res['synth_ffs_tx' + sfx]} FFs, "
                  f"{res['synth_bram36_tx' + sfx]} RAMB36, {res['synth_lutram_tx' + sfx]} LUT-RAM LUTs, "
                  f"longest path {res['synth_lut_levels_tx' + sfx]} levels")
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "bench.json"), "w") as fh:
        json.dump(res, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print(f"bench: wrote {os.path.join(a.out, 'bench.json')}")


if __name__ == "__main__":
    main()
