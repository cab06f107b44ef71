#!/usr/bin/env bash
# The real Seismic (Rust, ../shared/anchors/seismic) and `lsr bench seismic` side by side on the very
# same vectors, in one sitting: exports the documents and queries lsr measures as BigANN .csr, runs the
# anchor (its defaults: n_postings 1000, centroid_fraction 0.1, summary_energy 0.4) over a
# query_cut x heap_factor sweep, then lsr on the exported files three times (lsr's defaults, the anchor's
# build parameters, and --recall-target 0.95), and prints the sweeps in one table plus lsr's method
# tables. Extra lsr options go to every lsr run: pass no build or search knob (the tuned run refuses them).
# Usage: eval/bench/seismic-vs-anchor.sh DOCS_SRC QUERIES_SRC WORKDIR [more lsr bench seismic options]
#   e.g. eval/bench/seismic-vs-anchor.sh synthetic:100000 synthetic:1000 /tmp/svsa
# Env: LSR_SEISMIC_ANCHOR (default ../shared/anchors/seismic/run), SWEEP_CUTS, SWEEP_FACTORS, RECALL_TARGET,
#      RUNS (lsr runs, default "defaults tuned"; also anchor-params). A WORKDIR whose anchor/ already holds
#      the anchor's converted files and index (same vectors) reuses them: the anchor script skips those steps.
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ANCHOR=${LSR_SEISMIC_ANCHOR:-$ROOT/../shared/anchors/seismic/run}
[ -x "$ANCHOR" ] || { echo "seismic-vs-anchor: anchor not found at $ANCHOR (set LSR_SEISMIC_ANCHOR)" >&2; exit 2; }
DOCS=$1; QS=$2; W=$3; shift 3
mkdir -p "$W"; W=$(cd "$W" && pwd)
CUTS=${SWEEP_CUTS:-3,5,10,20}
FACTORS=${SWEEP_FACTORS:-1.0,0.9,0.8,0.7,0.6}
SETTINGS=$(for c in ${CUTS//,/ }; do for f in ${FACTORS//,/ }; do printf '%s:%s,' "$c" "$f"; done; done)
SETTINGS=${SETTINGS%,}
LSR="$ROOT/lsr"

echo "== $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== export: $DOCS + $QS -> $W/csr"
"$LSR" bench seismic --docs "$DOCS" --queries "$QS" --export-csr "$W/csr" --export-only --no-progress "$@"

echo "== real Seismic (single thread build and search), settings $SETTINGS"
"$ANCHOR" "$W/csr/docs.csr" "$W/csr/queries.csr" "$W/anchor" 1000 0.1 0.4 "$SETTINGS" | tee "$W/anchor.txt"

run_lsr() { # NAME [options]
  local name=$1; shift
  echo "== lsr bench seismic ($name)"
  "$LSR" bench seismic --docs "$W/csr/docs.csr" --queries "$W/csr/queries.csr" --sweep-query-cuts "$CUTS" \
    --sweep-heap-factors "$FACTORS" --no-progress --json "$W/lsr-$name.json" "$@" 2> "$W/lsr-$name.log" \
    || { tail -20 "$W/lsr-$name.log" >&2; exit 1; }
}
# lsr's defaults are the anchor's build parameters (n_postings 1000, centroid_fraction 0.1, alpha 0.4),
# so the anchor-params run is only worth its minutes when the defaults change: RUNS selects.
for run in ${RUNS:-defaults tuned}; do
  case $run in
    defaults) run_lsr defaults "$@" ;;
    anchor-params) run_lsr anchor-params --n-postings 1000 --centroid-fraction 0.1 --alpha 0.4 "$@" ;;
    tuned) run_lsr tuned --recall-target "${RECALL_TARGET:-0.95}" "$@" ;;
    *) echo "seismic-vs-anchor: unknown run '$run' in RUNS (defaults, anchor-params, tuned)" >&2; exit 2 ;;
  esac
done

python3 - "$W" ${RUNS:-defaults tuned} <<'PY'
import json, re, sys, pathlib
w = pathlib.Path(sys.argv[1])
anchor = {}
build = ''
for line in (w / 'anchor.txt').read_text().splitlines():
    if line.startswith('build_s='):
        build = line
    qc = re.search(r'query_cut=(\d+)', line); hf = re.search(r'heap_factor=([0-9.]+)', line)
    if not (qc and hf):
        continue
    nums = dict(re.findall(r'(\w+(?:@10)?(?:_vs_f16|_vs_f32)?)=([0-9.]+)', line))
    anchor[(int(qc.group(1)), round(float(hf.group(1)), 2))] = nums
runs = {n: json.loads((w / f'lsr-{n}.json').read_text()) for n in sys.argv[2:]}
print()
print(f"real Seismic build: {build or 'see ' + str(w / 'anchor')}")
for n, r in runs.items():
    s = r['methods']['seismic']
    print(f"lsr ({n}) build_s={s['build_s']} index_bytes={s['index_bytes']} params: n_postings={r['params']['n_postings']} "
          f"centroid_fraction={r['params']['centroid_fraction']} alpha={r['params']['summary_alpha']} threads={r['params']['threads']}")
print()
print('| query_cut | heap_factor | Seismic (Rust) p50 us | Seismic mean us | Seismic recall@10 | '
      + ' | '.join(f'lsr {n} p50 us | lsr {n} recall@10' for n in runs) + ' |')
print('|' + ' --- |' * (5 + 2 * len(runs)))
keys = sorted(set(anchor) | {(p['query_cut'], round(p['heap_factor'], 2)) for r in runs.values() for p in r.get('sweep', [])})
def lsr_point(r, key):
    for p in r.get('sweep', []):
        if (p['query_cut'], round(p['heap_factor'], 2)) == key:
            return p
    return None
for key in keys:
    a = anchor.get(key, {})
    cells = [str(key[0]), f'{key[1]:.1f}',
             a.get('p50', a.get('p50_us', '')), a.get('mean', a.get('mean_us', '')), a.get('recall@10_vs_f32', '')]
    for n in runs:
        p = lsr_point(runs[n], key)
        cells += ['' if p is None else f"{p['latency_us']['p50']:.1f}", '' if p is None else f"{p['recall@10']:.4f}"]
    print('| ' + ' | '.join(cells) + ' |')
print()
print('| lsr run | method | recall@10 | p50 us | p99 us | build s | index bytes |')
print('| --- | --- | --- | --- | --- | --- | --- |')
for n, r in runs.items():
    for m, v in r['methods'].items():
        if n == 'defaults' or m == 'seismic':
            print(f"| {n} | {m} | {v['recall@10']:.4f} | {v['latency_us']['p50']:.1f} | {v['latency_us']['p99']:.1f} | {v['build_s']} | {v['index_bytes']:,} |")
t = runs.get('tuned')
if t: print(f"tuned ({t['params'].get('recall_target')}): query_cut={t['params']['query_cut']} heap_factor={t['params']['heap_factor']} "
      f"n_postings={t['params']['n_postings']} centroid_fraction={t['params']['centroid_fraction']} alpha={t['params']['summary_alpha']}; "
      f"tuner: {t.get('tune', {}).get('chosen')} builds={t.get('tune', {}).get('builds')}")
for n, r in runs.items():
    print(f"at_recall ({n}): " + ', '.join(f"{lv}: " + ('none' if p is None else f"{p['latency_us']['p50']:.1f} us at {p['params']['query_cut']}:{p['params']['heap_factor']}")
                                          for lv, p in r['at_recall'].items()))
PY
