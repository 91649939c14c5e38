#!/usr/bin/env python3
"""Builds the tables of benchmarks/README.md from the raw results in benchmarks/results/."""
import json, os, sys

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "results")

def jmh(name):
    p = os.path.join(d, name)
    return json.load(open(p)) if os.path.exists(p) else []

def lines(name):
    p = os.path.join(d, name)
    return [json.loads(l) for l in open(p) if l.startswith("{")] if os.path.exists(p) else []

rows = {}
for r in jmh("transcribe.json") + jmh("transcribe-medium.json"):
    m = r["benchmark"].rsplit(".", 1)[1]
    k = (r["params"]["size"], r["params"]["clip"])
    rows.setdefault(k, {})[m] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
floor = {(f["size"], f["clip"]): (f["floor_ms"], f["error_ms"]) for f in lines("floor.jsonl")}

def fmt(v):
    if v is None:
        return "-"
    s, e = v
    return f"{s:,.0f} ± {e:,.0f}" if e == e else f"{s:,.0f}"

order = {"tiny": 0, "base": 1, "small": 2, "medium": 3}
clips = {"2s": 0, "11s": 1, "60s": 2}
print("| model | clip | cli (ms) | library, load once (ms) | library, load per request (ms) | native floor (ms) | load once / cli | gain | overhead over floor |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for k in sorted(rows, key=lambda k: (order.get(k[0], 9), clips.get(k[1], 9))):
    r = rows[k]
    cli, once, per = r.get("cli"), r.get("libraryLoadOnce"), r.get("libraryLoadPerRequest")
    fl = floor.get(k)
    ratio = once[0] / cli[0] if cli and once else float("nan")
    over = (once[0] / fl[0] - 1) * 100 if once and fl else float("nan")
    over_s = f"{over:+.1f}%" if over == over else "-"
    print(f"| {k[0]} q5_1 | {k[1]} | {fmt(cli)} | {fmt(once)} | {fmt(per)} | {fmt(fl)} | {ratio:.3f} | {(1 - ratio) * 100:.1f}% | {over_s} |")

print()
print("| model file | load + close (ms, JMH) |")
print("| --- | --- |")
for r in jmh("load.json"):
    print(f"| for-tests-ggml-{r['params']['size']}.bin | {r['primaryMetric']['score']:.1f} ± {r['primaryMetric']['scoreError']:.1f} |")

print()
print("| model file | size (MiB) | RSS after load (MiB) | first state (MiB) | each extra concurrent caller (MiB) |")
print("| --- | --- | --- | --- | --- |")
for m in lines("memory.jsonl"):
    print(f"| {m['model']} | {m['file_mib']:.1f} | {m['load_kib'] / 1024:.1f} | {m['first_state_kib'] / 1024:.1f} | {m['per_extra_caller_kib'] / 1024:.1f} |")

print()
print("| model | callers | layout | one round of N concurrent transcriptions (ms) |")
print("| --- | --- | --- | --- |")
for r in jmh("concurrency.json"):
    p = r["params"]
    print(f"| {p['size']} q5_1 | {p['callers']} | {p['layout']} | {r['primaryMetric']['score']:,.0f} ± {r['primaryMetric']['scoreError']:,.0f} |")
