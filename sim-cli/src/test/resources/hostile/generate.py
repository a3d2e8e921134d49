#!/usr/bin/env python3
"""Writes the hostile-input corpus of HostileInputTest (issue 17): files under configs/, workloads/,
astra/, chakra/, json/ and the case list cases.tsv. Run from this folder: python3 generate.py.
Each case: expected fragment of the error message <TAB> arguments (split on spaces; @H is this
folder, @R the repository root). Every case must exit 2 naming the fragment."""
import gzip, os, struct

H = os.path.dirname(os.path.abspath(__file__))
cases = []

def w(rel, data, mode="w"):
    p = os.path.join(H, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, mode) as f:
        f.write(data)

# where the message names the key or the operation rather than the file (the machine builder and
# the cross-rank checks run after the file is read)
NAMES = {"validate @H/configs/dead-chip-bogus.yaml": "pod.system.deadChips",
         "run -c @R/configs/training-tile.yaml -w @H/workloads/send-no-recv.yaml": "rank 0 node 1",
         "run -c @R/configs/training-tile.yaml -w @H/workloads/peer-missing.yaml": "rank 0 node 1"}

def case(fragment, args):
    cases.append((NAMES.get(args, fragment), args))

# ---------------------------------------------------------------- configs
CFG = {
    "unknown-key": "schemaVersion: 1\npod:\n  system:\n    scoop: tile\n",
    "wrong-type-int": "schemaVersion: 1\nd1:\n  node:\n    clockHz: fast\n",
    "negative-clock": "schemaVersion: 1\nd1:\n  node:\n    clockHz: -2000000000\n",
    "nan-clock": "schemaVersion: 1\nd1:\n  node:\n    clockHz: .nan\n",
    "inf-clock": "schemaVersion: 1\nd1:\n  node:\n    clockHz: .inf\n",
    "huge-clock": "schemaVersion: 1\nd1:\n  node:\n    clockHz: 99999999999999999999999999\n",
    "fraction-int": "schemaVersion: 1\nd1:\n  node:\n    clockHz: 2.5000000001e9\n",
    "no-schema": "d1:\n  node:\n    clockHz: 2000000000\n",
    "schema-2": "schemaVersion: 2\n",
    "schema-string": "schemaVersion: one\n",
    "empty": "",
    "only-comment": "# nothing here\n",
    "top-list": "- schemaVersion: 1\n",
    "top-scalar": "hello\n",
    "bad-indent": "schemaVersion: 1\npod:\n  system:\n scope: tile\n",
    "tab-indent": "schemaVersion: 1\npod:\n\tsystem: {}\n",
    "unclosed-flow": "schemaVersion: 1\npod: {system: {scope: tile}\n",
    "unclosed-quote": "schemaVersion: 1\nrun:\n  workload: \"resnet50\n",
    "scope-bogus": "schemaVersion: 1\npod:\n  system:\n    scope: galaxy\n",
    "cabinets-zero": "schemaVersion: 1\npod:\n  system:\n    cabinets: 0\n",
    "cabinets-huge": "schemaVersion: 1\npod:\n  system:\n    cabinets: 1000000\n",
    "trays-negative": "schemaVersion: 1\npod:\n  system:\n    traysPerCabinet: -1\n",
    "group-as-scalar": "schemaVersion: 1\npod: 3\n",
    "leaf-as-map": "schemaVersion: 1\nd1:\n  node:\n    clockHz: {value: 2}\n",
    "leaf-as-list": "schemaVersion: 1\nd1:\n  node:\n    clockHz: [1, 2]\n",
    "sites-not-list": "schemaVersion: 1\nd1:\n  chip:\n    disabledSites: 7\n",
    "site-off-mesh": "schemaVersion: 1\nd1:\n  chip:\n    activeNodes: 359\n    disabledSites: [\"99,99\"]\n",
    "site-garbage": "schemaVersion: 1\nd1:\n  chip:\n    activeNodes: 359\n    disabledSites: [\"a,b\"]\n",
    "active-nodes-disagree": "schemaVersion: 1\nd1:\n  chip:\n    activeNodes: 100\n",
    "mesh-zero": "schemaVersion: 1\nd1:\n  chip:\n    meshWidth: 0\n",
    "seed-negative": "schemaVersion: 1\nsim:\n  seed: -5\n",
    "seed-text": "schemaVersion: 1\nsim:\n  seed: \"abc\"\n",
    "eventset-bogus": "schemaVersion: 1\nsim:\n  eventSet: magic\n",
    "steps-zero": "schemaVersion: 1\nrun:\n  steps: 0\n",
    "steps-huge": "schemaVersion: 1\nrun:\n  steps: 10000000000000\n",
    "bool-as-text": "schemaVersion: 1\npod:\n  system:\n    tileMeshAcrossTrays: maybe\n",
    "dead-chip-bogus": "schemaVersion: 1\npod:\n  system:\n    deadChips: [\"tile 99 chip 99\"]\n",
    "noc-warmup-huge": "schemaVersion: 1\nnoc:\n  measure:\n    warmupCycles: 2000000000000000000\n",
    "noc-vcs-zero": "schemaVersion: 1\nnoc:\n  vcs: 0\n",
    "noc-routing-bogus": "schemaVersion: 1\nnoc:\n  routing: zigzag\n",
    "alias-bomb": "schemaVersion: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
    "deep-nesting": "schemaVersion: 1\n" + "x: [" * 2000 + "]" * 2000 + "\n",
    "duplicate-key": "schemaVersion: 1\nsim:\n  seed: 1\n  seed: 2\n",
    "null-value": "schemaVersion: 1\nd1:\n  node:\n    clockHz: null\n",
    "hbm-negative": "schemaVersion: 1\npod:\n  dip:\n    hbmBytes: -1\n",
    "size-garbage": "schemaVersion: 1\npod:\n  dip:\n    hbmBytes: 32 potatoes\n",
    "json-in-yaml-name": "{\"schemaVersion\": 1, \"sim\": {\"seed\": \"x\"}}\n",
}
for name, text in CFG.items():
    w("configs/" + name + ".yaml", text)
    case(name + ".yaml", "validate @H/configs/" + name + ".yaml")
# a few through run and info, which must refuse them the same way before building anything
for name in ["unknown-key", "cabinets-huge", "nan-clock", "alias-bomb", "steps-huge"]:
    case(name + ".yaml", "run -c @H/configs/" + name + ".yaml")
for name in ["wrong-type-int", "cabinets-zero", "site-off-mesh"]:
    case(name + ".yaml", "info -c @H/configs/" + name + ".yaml")
w("configs/bad.json", "{\"schemaVersion\": 1, \"sim\": {\"seed\": NaN}}\n")
case("bad.json", "validate @H/configs/bad.json")
w("configs/trailing.json", "{\"schemaVersion\": 1} {}\n")
case("trailing.json", "validate @H/configs/trailing.json")
w("configs/not-utf8.yaml", b"schemaVersion: 1\nsim:\n  seed: \xff\xfe\n", "wb")
case("not-utf8.yaml", "validate @H/configs/not-utf8.yaml")
w("configs/binary.yaml", bytes(range(256)) * 4, "wb")
case("binary.yaml", "validate @H/configs/binary.yaml")
case("configs", "validate @H/configs")
case("no-such-file.yaml", "validate @H/configs/no-such-file.yaml")

# ---------------------------------------------------------------- --set values
SETS = [
    ("d1.node.clockHz", "abc"), ("d1.node.clockHz", "2.5e999"), ("d1.node.clockHz", "1e30"), ("d1.node.clockHz", "-1"),
    ("d1.node.clockHz", "NaN"), ("d1.node.clockHz", "0x10"), ("d1.node.clockHz", "2.50000000001e9"), ("d1.node.clockHz", ""),
    ("pod.system.cabinets", "1000000"), ("pod.system.cabinets", "0"), ("pod.system.cabinets", "1.5"),
    ("pod.system.scope", "universe"), ("pod.system.traysPerCabinet", "99999999999"),
    ("sim.seed", "-1"), ("sim.seed", "18446744073709551616"), ("sim.eventSet", "none"),
    ("run.steps", "0"), ("run.steps", "many"), ("noc.measure.warmupCycles", "2000000000000000000"),
    ("noc.measure.measureCycles", "-1"), ("noc.vcs", "0"), ("noc.packetFlits", "1e9"), ("noc.routing", "random"),
    ("d1.chip.disabledSites", "1;2;3"), ("d1.chip.activeNodes", "999999"), ("pod.dip.hbmBytes", "lots"),
    ("pod.dip.hbmBytes", "-5GiB"), ("pod.system.tileMeshAcrossTrays", "perhaps"),
]
for k, v in SETS:
    case(k, "validate @R/configs/training-tile.yaml --set " + k + "=" + v)
for k, v in SETS[:10]:
    case(k, "run --set " + k + "=" + v)
case("no.such.key", "validate @R/configs/training-tile.yaml --set no.such.key=1")
case("d1.node", "validate @R/configs/training-tile.yaml --set d1.node=1")
case("--set", "validate @R/configs/training-tile.yaml --set novalue")
case("--set", "run --set =5")
case("pod.system.cabinets", "info --set pod.system.cabinets=1000 --set pod.system.traysPerCabinet=100 --set pod.tray.tilesX=64 --set pod.tray.tilesY=64 --set pod.tile.chipsX=64 --set pod.tile.chipsY=64")
case("pod.system.cabinets", "validate @R/configs/training-tile.yaml --set pod.system.scope=pod --set pod.system.cabinets=1000 --set pod.system.traysPerCabinet=100 --set pod.tray.tilesX=64 --set pod.tray.tilesY=64 --set pod.tile.chipsX=64 --set pod.tile.chipsY=64")
case("pod.system.cabinets", "run -w @R/configs/workloads/three-gemms.yaml --set pod.system.cabinets=1000 --set pod.system.traysPerCabinet=100")

# ---------------------------------------------------------------- command-line arguments
ARGS = [
    ("--m", "kernel --m 99999999999"), ("--m", "kernel --scope chip --m 100000 --n 100000 --k 100000"),
    ("--m", "kernel --m 20000 --n 20000 --k 20000"), ("--m", "kernel --m 0"), ("--m", "kernel --m -5"),
    ("--m", "kernel --kernel vector --m 9999999999999"), ("--m", "kernel --scope chip --kernel alltoall --m 99999999999"),
    ("--m", "kernel --m 9223372036854775807 --n 9223372036854775807"), ("--kernel", "kernel --kernel fft"),
    ("--scope", "kernel --scope wafer"), ("int4", "kernel --dtype int4"), ("exact", "kernel --fidelity exact"),
    ("--m", "kernel --m abc"), ("--members", "collective --op allreduce --bytes 1GiB --scope pod --members nodes"),
    ("--members", "collective --op allreduce --bytes 1MiB --members atoms"), ("--scope", "collective --op allreduce --bytes 1MiB --scope moon"),
    ("--op", "collective --op allsmash --bytes 1MiB"), ("--bytes", "collective --op allreduce --bytes lots"),
    ("--bytes", "collective --op allreduce --bytes -1"), ("--bytes", "collective --op allreduce --bytes 0"),
    ("--bytes", "collective --op allreduce --bytes 99999999999EiB"), ("--algorithm", "collective --op allreduce --bytes 1MiB --algorithm magic"),
    ("--chips", "collective --op allreduce --bytes 1MiB --chips 0-99999999"), ("--chips", "collective --op allreduce --bytes 1MiB --chips x-y"),
    ("--chips", "collective --op allreduce --bytes 1MiB --scope chip --chips 0-4"),
    ("noc.measure.warmupCycles", "noc --mesh 4x4 --rate 0.1 --set noc.measure.warmupCycles=2000000000000000000 --set noc.measure.measureCycles=1"),
    ("mesh", "noc --mesh 4x4x --rate 0.1"), ("mesh", "noc --mesh 0x4 --rate 0.1"), ("mesh", "noc --mesh 99999x99999 --rate 0.1"),
    ("mesh", "noc --mesh axb --rate 0.1"), ("rate", "noc --mesh 4x4 --rate 0"), ("rate", "noc --mesh 4x4 --rate 1.5"),
    ("rate", "noc --mesh 4x4 --rate NaN"), ("--rates", "noc --mesh 4x4 --rates 0.00001:1:0.00001"),
    ("--rates", "noc --mesh 4x4 --rates 0.4:0.1:0.1"), ("--rates", "noc --mesh 4x4 --rates 1:2"),
    ("--rate", "noc --mesh 4x4"), ("chaos", "noc --mesh 4x4 --rate 0.1 --traffic chaos"),
    ("--preset", "noc --mesh 4x4 --rate 0.1 --preset garnet"), ("warmupCycles", "noc --mesh 4x4 --rate 0.1 --warmup-cycles -3"),
    ("--d1-die", "noc --d1-die --rate 0.1"), ("packetFlits", "noc --mesh 4x4 --rate 0.1 --packet-flits 0"),
    ("-o", "run -o @R/README.md/out"), ("--trace", "run -w @R/configs/workloads/three-gemms.yaml --trace @R/configs"),
    ("--json", "run -w @R/configs/workloads/three-gemms.yaml --json @R/configs"), ("--json", "noc --mesh 4x4 --rate 0.1 --json @R/README.md/x.json"),
    ("--json", "kernel --json @R/configs"), ("--json", "collective --op allreduce --bytes 1MiB --json @R/README.md/c.json"),
    ("run.steps", "run --steps 0"), ("--steps", "run --steps x"), ("--seed", "run --seed x"), ("--threads", "run --threads 0"),
    ("--threads", "run --threads -4"), ("--unknown", "run --unknown"), ("-j", "sweep @R/sweeps/clock.yaml -j 0"),
    ("nonexistent.yaml", "sweep @H/nonexistent.yaml"), ("workload", "run -w no-such-workload"),
    ("CONFIG", "validate"), ("--op", "collective --bytes 1MiB"), ("frobnicate", "frobnicate"),
]
for frag, a in ARGS:
    case(frag, a)

# ---------------------------------------------------------------- dojosim-format workloads
HEAD = "schemaVersion: 1\nname: hostile\nsource: dojosim\nbatchSize: 1\ndataTypes: [BF16]\n"
def op(extra):
    return "  - rank: 0\n    operations:\n" + extra
WL = {
    "chained-durations": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, measuredDurationPs: 5000000000000000000}\n      - {id: 2, name: b, type: compute, kind: OTHER, dataType: BF16, measuredDurationPs: 5000000000000000000, deps: [1]}\n"),
    "huge-flops": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 9223372036854775807}\n"),
    "negative-flops": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: -1}\n"),
    "negative-bytes": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: collective, collective: ALL_REDUCE, bytes: -4, group: {dimension: DATA}}\n"),
    "huge-bytes": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: collective, collective: ALL_REDUCE, bytes: 99999999999999999999, group: {dimension: DATA}}\n"),
    "dup-ids": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n      - {id: 1, name: b, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n"),
    "cycle": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1, deps: [2]}\n      - {id: 2, name: b, type: compute, kind: OTHER, dataType: BF16, flops: 1, deps: [1]}\n"),
    "missing-dep": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1, deps: [77]}\n"),
    "self-dep": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1, deps: [1]}\n"),
    "unknown-kind": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: MAGIC, dataType: BF16, flops: 1}\n"),
    "unknown-type": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: teleport}\n"),
    "unknown-collective": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: collective, collective: ALL_SMASH, bytes: 4, group: {dimension: DATA}}\n"),
    "unknown-dtype": HEAD.replace("[BF16]", "[BF17]") + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n"),
    "unknown-field": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1, colour: red}\n"),
    "no-ranks": HEAD,
    "empty-ranks": HEAD + "ranks: []\n",
    "ranks-scalar": HEAD + "ranks: 3\n",
    "negative-rank": HEAD + "ranks:\n  - rank: -1\n    operations:\n      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n",
    "dup-rank": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n") + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n"),
    "send-no-recv": HEAD + "ranks:\n" + op("      - {id: 1, name: s, type: send, peer: 1, tag: 1, bytes: 8}\n") + "  - rank: 1\n    operations:\n      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n",
    "peer-missing": HEAD + "ranks:\n" + op("      - {id: 1, name: s, type: send, peer: 9, tag: 1, bytes: 8}\n"),
    "gemm-shape-negative": HEAD + "ranks:\n" + op("      - {id: 1, name: g, type: compute, kind: GEMM, dataType: BF16, shape: {type: gemm, m: -1, n: 4, k: 4}}\n"),
    "gemm-shape-overflow": HEAD + "ranks:\n" + op("      - {id: 1, name: g, type: compute, kind: GEMM, dataType: BF16, shape: {type: gemm, m: 4294967296, n: 4294967296, k: 4294967296}}\n"),
    "gemm-flops-mismatch": HEAD + "ranks:\n" + op("      - {id: 1, name: g, type: compute, kind: GEMM, dataType: BF16, flops: 5, shape: {type: gemm, m: 4, n: 4, k: 4}}\n"),
    "shape-unknown": HEAD + "ranks:\n" + op("      - {id: 1, name: g, type: compute, kind: GEMM, dataType: BF16, shape: {type: hexagon}}\n"),
    "duration-negative": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, measuredDurationPs: -7}\n"),
    "duration-text": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, measuredDurationPs: soon}\n"),
    "phase-bogus": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1, phase: SIDEWAYS}\n"),
    "batch-huge": HEAD.replace("batchSize: 1", "batchSize: 1e40") + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n"),
    "schema-9": HEAD.replace("schemaVersion: 1", "schemaVersion: 9") + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n"),
    "no-schema": HEAD.replace("schemaVersion: 1\n", "") + "ranks:\n" + op("      - {id: 1, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n"),
    "top-list": "- 1\n- 2\n",
    "empty": "",
    "bad-yaml": "schemaVersion: 1\nname: [unclosed\n",
    "two-docs": HEAD + "---\n" + HEAD,
    "alias-bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
    "group-bogus": HEAD + "ranks:\n" + op("      - {id: 1, name: a, type: collective, collective: ALL_REDUCE, bytes: 4, group: {dimension: SIDEWAYS}}\n"),
    "id-text": HEAD + "ranks:\n" + op("      - {id: one, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n"),
    "id-huge": HEAD + "ranks:\n" + op("      - {id: 99999999999999999999999, name: a, type: compute, kind: OTHER, dataType: BF16, flops: 1}\n"),
}
for name, text in WL.items():
    w("workloads/" + name + ".yaml", text)
    if name not in ("send-no-recv", "peer-missing"):
        case(name + ".yaml", "workload inspect @H/workloads/" + name + ".yaml")
for name in ["chained-durations", "huge-flops", "cycle", "huge-bytes", "send-no-recv", "peer-missing"]:
    case(name + ".yaml", "run -c @R/configs/training-tile.yaml -w @H/workloads/" + name + ".yaml")
w("workloads/not-utf8.yaml", b"schemaVersion: 1\nname: \xff\xfe\n", "wb")
case("not-utf8.yaml", "workload inspect @H/workloads/not-utf8.yaml")
w("workloads/nan.json", "{\"schemaVersion\": 1, \"name\": \"x\", \"batchSize\": NaN}\n")
case("nan.json", "workload inspect @H/workloads/nan.json")
w("workloads/truncated.json", "{\"schemaVersion\": 1, \"name\": \"x\", \"ranks\": [{\"rank\": 0, \"operations\": [\n")
case("truncated.json", "workload inspect @H/workloads/truncated.json")
w("workloads/unknown.json", "{\"hello\": \"world\"}\n")
case("unknown.json", "workload inspect @H/workloads/unknown.json")
w("workloads/array.json", "[1, 2, 3]\n")
case("array.json", "workload inspect @H/workloads/array.json")
w("workloads/deep.json", "[" * 5000 + "]" * 5000 + "\n")
case("deep.json", "workload inspect @H/workloads/deep.json")
w("workloads/unknown.bin", "hello\n")
case("unknown.bin", "workload inspect @H/workloads/unknown.bin")

# ---------------------------------------------------------------- ASTRA-sim 1.0 text
ASTRA = {
    "huge-compute": "DATA\n1\nconv1 -1 9223372036854775807 NONE 0 5 NONE 0 5 ALLREDUCE 1048576 5\n",
    "negative-compute": "DATA\n1\nconv1 -1 -5 NONE 0 5 NONE 0 5 ALLREDUCE 1048576 5\n",
    "text-compute": "DATA\n1\nconv1 -1 five NONE 0 5 NONE 0 5 ALLREDUCE 1048576 5\n",
    "bad-keyword": "SIDEWAYS\n1\nconv1 -1 5 NONE 0 5 NONE 0 5 ALLREDUCE 1048576 5\n",
    "bad-comm": "DATA\n1\nconv1 -1 5 TELEPORT 0 5 NONE 0 5 ALLREDUCE 1048576 5\n",
    "count-too-big": "DATA\n5\nconv1 -1 5 NONE 0 5 NONE 0 5 ALLREDUCE 1048576 5\n",
    "count-huge": "DATA\n99999999999\nconv1 -1 5 NONE 0 5 NONE 0 5 ALLREDUCE 1048576 5\n",
    "count-negative": "DATA\n-1\n",
    "count-zero": "DATA\n0\n",
    "short-line": "DATA\n1\nconv1 -1 5 NONE\n",
    "empty": "",
    "only-keyword": "DATA\n",
    "huge-comm-size": "DATA\n1\nconv1 -1 5 NONE 0 5 NONE 0 5 ALLREDUCE 99999999999999999999 5\n",
    "negative-comm-size": "DATA\n1\nconv1 -1 5 NONE 0 5 NONE 0 5 ALLREDUCE -1048576 5\n",
    "huge-delay": "DATA\n1\nconv1 -1 5 NONE 0 5 NONE 0 5 ALLREDUCE 1048576 9223372036854775807\n",
    "two-huge": "MODEL\n2\nl0 -1 4611686018427387904 NONE 0 5 NONE 0 5 NONE 0 5\nl1 -1 4611686018427387904 NONE 0 5 NONE 0 5 NONE 0 5\n",
}
for name, text in ASTRA.items():
    w("astra/" + name + ".txt", text)
    case(name + ".txt", "workload inspect @H/astra/" + name + ".txt")
for name in ["huge-compute", "two-huge", "huge-delay"]:
    case(name + ".txt", "run -c @R/configs/training-tile.yaml -w @H/astra/" + name + ".txt")
w("astra/binary.txt", bytes(range(256)), "wb")
case("binary.txt", "workload inspect @H/astra/binary.txt")

# ---------------------------------------------------------------- Chakra protobuf (.et)
def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = v & 0x7f
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)
def tag(f, wt):
    return varint(f << 3 | wt)
def ld(f, payload):
    return tag(f, 2) + varint(len(payload)) + payload
def msg(payload):
    return varint(len(payload)) + payload
def attr_int(name, v):
    return ld(1, name.encode()) + tag(9, 0) + varint(v)   # int64_val (field 9)
META = msg(ld(1, b"0.0.4"))
def node(i, name, typ=4, dur=None, attrs=b"", deps=()):
    b = tag(1, 0) + varint(i) + ld(2, name.encode()) + tag(3, 0) + varint(typ)
    for d in deps:
        b += tag(5, 0) + varint(d)
    if dur is not None:
        b += tag(7, 0) + varint(dur)
    return msg(b + attrs)
ET = {
    "duration-2-62": META + node(1, "a", dur=1 << 62),
    "num-ops-max": META + node(1, "a", attrs=ld(10, attr_int("num_ops", (1 << 63) - 1))),
    "empty-messages": b"\x00" * 1000,
    "truncated-length": META + varint(1000) + b"\x08\x01",
    "huge-length": META + varint((1 << 62)) + b"\x08",
    "endless-varint": META + b"\xff" * 64,
    "bad-tag": META + msg(b"\x00\x00\x00"),
    "group-wire": META + msg(tag(1, 3) + b"\x00"),
    "cycle": META + node(1, "a", dur=5, deps=[2]) + node(2, "b", dur=5, deps=[1]),
    "dup-id": META + node(1, "a", dur=5) + node(1, "b", dur=5),
    "missing-dep": META + node(1, "a", dur=5, deps=[42]),
    "name-wrong-wire": META + msg(tag(1, 0) + varint(1) + tag(2, 0) + varint(5)),
    "attr-wrong-wire": META + msg(tag(1, 0) + varint(1) + tag(10, 0) + varint(5)),
    "text-file": b"this is not a chakra trace at all\n" * 20,
    "empty": b"",
}
for name, data in ET.items():
    w("chakra/" + name + ".0.et", data, "wb")
    case(name + ".0.et", "workload inspect @H/chakra/" + name + ".0.et")
for name in ["duration-2-62", "num-ops-max"]:
    case(name + ".0.et", "run -c @R/configs/training-tile.yaml -w @H/chakra/" + name + ".0.et")
w("chakra/zeros.0.et", gzip.compress(b"\x00" * 40_000_000, 9, mtime=0), "wb")
case("zeros.0.et", "workload inspect @H/chakra/zeros.0.et")
case("zeros.0.et", "run -c @R/configs/training-tile.yaml -w @H/chakra/zeros.0.et")
w("chakra/bad-gzip.0.et", b"\x1f\x8b\x08\x00garbage garbage", "wb")
case("bad-gzip.0.et", "workload inspect @H/chakra/bad-gzip.0.et")
w("chakra/truncated-gzip.0.et", gzip.compress(META + node(1, "a", dur=5), 9, mtime=0)[:-6], "wb")
case("truncated-gzip.0.et", "workload inspect @H/chakra/truncated-gzip.0.et")

# ---------------------------------------------------------------- JSON traces
JS = {
    "chakra-json-bad-node": "{\"schema\": \"1.0.2-chakra.0.0.4\", \"nodes\": [{\"id\": \"x\", \"name\": 5}]}\n",
    "nan-durations": "{\"schema\": \"1.0.2-chakra.0.0.4\", \"nodes\": [{\"id\": 1, \"name\": \"a\", \"dur\": NaN}]}\n",
    "not-json": "{this is not json\n",
    "empty-object": "{}\n",
    "deep-array": "[" * 3000 + "]" * 3000 + "\n",
    "pytorch-broken": "{\"schema\": \"1.0.1\", \"pid\": 1, \"time\": \"x\", \"start_ts\": 1, \"nodes\": 7}\n",
}
for name, text in JS.items():
    w("json/" + name + ".json", text)
    case(name + ".json", "workload inspect @H/json/" + name + ".json")

with open(os.path.join(H, "cases.tsv"), "w") as f:
    f.write("# expected fragment\targuments (@H: this folder, @R: the repository root); written by generate.py\n")
    for frag, a in cases:
        f.write(frag + "\t" + a + "\n")
print(len(cases), "cases")
