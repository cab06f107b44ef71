#!/usr/bin/env python3
"""Structure statistics of a real Seismic index file (TusKANNy/seismic @ bae6604, bincode).

Usage: seismic-anchor-stats.py INDEX.index.seismic

Prints the posting, block and summary-entry counts and the block-size distribution, so that the
real Seismic's structure can be compared with `lsr bench seismic`'s (`index` section of its
report). The file is a bincode InvertedIndex<u16, f16>: the forward index (n_vecs, d, offsets,
components, values), then per posting list: packed postings (u64 each), block offsets (u64 each)
and a QuantizedSummary (n_summaries, d, an Elias-Fano sequence of per-term offsets, u16 summary
ids, u8 codes, f32 minimums, f32 quants). The Elias-Fano part is not decoded: the parser finds the
summary arrays after it by their length prefixes (N, 2N bytes, N, N bytes, n_summaries, ...) and
checks that the next list starts where they end; empty lists are skipped the same way. It is a
diagnostic, not a reader: it says where it stops if the layout does not match.
"""
import struct
import sys
import mmap

import numpy as np
if len(sys.argv) != 2:
    sys.exit(__doc__)
f = open(sys.argv[1], "rb")
m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
p = 0
def u64():
    global p; v = struct.unpack_from('<Q', m, p)[0]; p += 8; return v
n_vecs = u64(); d = u64()
L = u64(); p += 8 * L
L = u64(); nnz = L; p += 2 * L
L = u64(); assert L == nnz; p += 2 * L
print("forward: vectors", n_vecs, "dim", d, "nnz", nnz, "bytes", p)
nl = u64(); print("lists", nl)
tot_post = tot_blocks = tot_entries = 0; ef_bytes = 0
sizes = []
def list_at(q):
    np_ = struct.unpack_from('<Q', m, q)[0]
    if not (0 < np_ < 100000) or q + 16 + 8 * np_ > len(m): return False
    nb = struct.unpack_from('<Q', m, q + 8 + 8 * np_)[0]
    if not (1 < nb <= np_ + 1): return False
    a = q + 16 + 8 * np_
    if struct.unpack_from('<Q', m, a)[0] != 0 or struct.unpack_from('<Q', m, a + 8 * (nb - 1))[0] != np_: return False
    return struct.unpack_from('<Q', m, a + 8 * nb)[0] == nb - 1
li = -1
empties = 0
while p < len(m) - 64 and li < nl - 1:
    li += 1
    if struct.unpack_from('<Q', m, p)[0] == 0:
        empties += 1
        q = p + 8
        while q < len(m) - 64 and not list_at(q): q += 1
        if q >= len(m) - 64: break
        p = q
        continue
    npost = u64(); p += 8 * npost
    nb1 = u64(); bo = struct.unpack_from('<%dQ' % nb1, m, p); p += 8 * nb1
    nsum = u64(); dd = u64()
    assert nsum == max(0, nb1 - 1), (li, nsum, nb1)
    # skip Elias-Fano: find N such that u64 at q == N and u64 at q+8+2N == N
    found = False
    W = 400000
    buf = np.frombuffer(m, dtype=np.uint8, count=min(W, len(m) - p), offset=p)
    cands = []
    for al in range(8):
        n8 = (len(buf) - al) // 8
        v = buf[al:al + 8 * n8].view('<u8')
        idx = np.nonzero((v < 10_000_000) & ((v > 0) if nsum > 0 else (v == 0)))[0]
        cands.extend((p + al + 8 * int(i), int(v[i])) for i in idx)
    cands.sort()
    for q, N in cands:
        if q + 8 + 2 * N + 8 > len(m) or struct.unpack_from('<Q', m, q + 8 + 2 * N)[0] != N:
            continue
        r = q + 8 + 2 * N + 8 + N
        if struct.unpack_from('<Q', m, r)[0] == nsum and struct.unpack_from('<Q', m, r + 8 + 4 * nsum)[0] == nsum:
            e = r + 8 + 4 * nsum + 8 + 4 * nsum
            ok = li == nl - 1 or struct.unpack_from('<Q', m, e)[0] == 0 or list_at(e)
            if ok:
                found = True; break
    if not found:
        print("stopped at list", li); break
    ef_bytes += q - p
    p = q + 8 + 2 * N + 8 + N
    L = u64(); p += 4 * L
    L = u64(); p += 4 * L
    tot_post += npost; tot_blocks += nsum; tot_entries += N
    for i in range(nsum): sizes.append(bo[i + 1] - bo[i])

print("empty lists", empties, "postings", tot_post, "blocks", tot_blocks, "summary entries", tot_entries, "entries/block %.1f" % (tot_entries / max(1, tot_blocks)), "EF+hdr bytes", ef_bytes, "end", p, "file", len(m))

sizes.sort(); n = len(sizes)
print("block size mean %.2f median %d p10 %d p90 %d max %d" % (sum(sizes) / n, sizes[n // 2], sizes[n // 10], sizes[9 * n // 10], sizes[-1]))
