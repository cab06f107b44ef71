"""Synthetic SPLADE-like documents and queries for the api load test (not an effectiveness benchmark).

docs N PREFIX CHUNK: NDJSON files PREFIX.<i>.ndjson of CHUNK documents, each ~120 term ids over the
30,522-term BERT vocabulary with Zipf-like popularity and weights in (0, 3], plus a short text.
queries N FILE: lines "vector<TAB>{search body}" (~40 terms) and "text<TAB>{search body}".
"""
import json
import random
import sys

DIM = 30522
WORDS = ["sparse", "retrieval", "learned", "index", "query", "document", "vector", "search", "model", "term",
         "protein", "cell", "cancer", "gene", "study", "patients", "effect", "risk", "treatment", "results"]


def terms(rng, n):
    ids = set()
    while len(ids) < n:
        # Zipf-like: small ids are popular, as frequent word pieces are.
        ids.add(min(DIM - 1, int(rng.paretovariate(0.6)) + 999))
    ids = sorted(ids)
    return ids, [round(rng.uniform(0.05, 3.0), 3) for _ in ids]


def main():
    rng = random.Random(42)
    if sys.argv[1] == "docs":
        n, prefix, chunk = int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
        for start in range(0, n, chunk):
            with open(f"{prefix}.{start // chunk:04d}.ndjson", "w") as out:
                for i in range(start, min(n, start + chunk)):
                    ids, ws = terms(rng, rng.randint(80, 160))
                    text = " ".join(rng.choice(WORDS) for _ in range(12))
                    out.write(json.dumps({"id": f"d{i}", "text": text, "vector": {"indices": ids, "values": ws}}) + "\n")
    else:
        n, path = int(sys.argv[2]), sys.argv[3]
        with open(path, "w") as out:
            for _ in range(n):
                ids, ws = terms(rng, rng.randint(30, 50))
                out.write("vector\t" + json.dumps({"vector": {"indices": ids, "values": ws}, "k": 10}) + "\n")
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
                out.write("text\t" + json.dumps({"query": text, "k": 10}) + "\n")


if __name__ == "__main__":
    main()
