#!/usr/bin/env python3
"""An auditor's re-implementation of the second distribution, docs/spec.md §6 and §6a, from the page alone.

    python3 scripts/reference-redistribute.py PLAN.json DIR UNCASHED.csv [COSTS] > ledger.csv

DIR is the first round's folder (payout allocate --out); COSTS an amount such as 12329.50 (default 0).
Prints the second round's ledger.csv (claim_id,class,first_amount,outcome,amount), byte for byte
what `payout redistribute` writes. A plan of classes: points are the first ledger's share column,
each claim's room is maximumPayment - its first amount. A bucket plan (summary.json "mode":
"buckets"): points are the first amounts, one class "all", no cap. The minimum is the rule of §3
(while the smallest points get less, remove all of them); cents by largest remainder with
SHA-256(seed:round-2:claim_id), or under per-point rounding each share floored. Standard library
only; one plain loop per rule. It does not check hashes or report errors as payout does: it
assumes the folder is one payout wrote and the uncashed list is valid.
"""
import csv, hashlib, json, re, sys
from fractions import Fraction as F
from math import floor

def cents(s):  # "1234.50" -> 123450
    assert re.fullmatch(r"\d+(\.\d{1,2})?", s), f"bad money {s!r}"
    return int(F(s) * 100)

def money(c): return f"{c // 100}.{c % 100:02d}"

def quoted(s): return '"' + s.replace('"', '""') + '"' if re.search(r'[",\r\n]', s) else s
def text_cell(s): return quoted("'" + s if s and s[0] in "=+-@\t\r'" else s)        # docs/spec.md §5
def read_cell(s): return s[1:] if len(s) > 1 and s[0] == "'" and s[1] in "=+-@\t\r'" else s

def rows_of(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        r = csv.reader(f)
        header = [h.strip().lower() for h in next(r)]
        return [dict(zip(header, row)) for row in r if any(c.strip() for c in row)]

def main(argv):
    plan_file, folder, uncashed_file = argv[:3]
    costs = cents(argv[3]) if len(argv) > 3 else 0
    plan = json.load(open(plan_file, encoding="utf-8"))
    summary = json.load(open(f"{folder}/summary.json", encoding="utf-8"))
    buckets = summary.get("mode") == "buckets"
    seed = plan["seed"] + ":round-2"
    first = rows_of(f"{folder}/ledger.csv")
    uncashed = {read_cell(r["claim_id"]) for r in rows_of(uncashed_file)}
    cap = None if buckets or plan.get("maximumPayment") is None else cents(plan["maximumPayment"])
    minimum = cents(plan["minimumPayment"]) if plan.get("minimumPayment") else None
    per_point = not buckets and plan.get("rounding", {}).get("method") == "per-point"

    claims = []
    for r in first:
        amount = cents(r["amount"])
        # §6: points are the exact share (micro-units); §6a: the amount paid, in the same unit.
        points = amount * 10**4 if buckets else int(F(r["share"]) * 10**6)
        cid = read_cell(r["claim_id"])
        status = "uncashed" if cid in uncashed else "eligible" if r["outcome"] in ("paid", "capped") and amount > 0 else "ineligible"
        claims.append({"id": cid, "class": "all" if buckets else read_cell(r["class"]), "first": amount, "points": points, "status": status})
    residual1 = cents(summary["residual"] if buckets else summary["totals"]["residual"])
    available = residual1 + sum(c["first"] for c in claims if c["status"] == "uncashed") - costs
    assert available >= 0, "costs above what is available"

    outcome = {i: c["status"] for i, c in enumerate(claims)}
    share = {}
    room = {i: (None if cap is None else max(cap - c["first"], 0)) for i, c in enumerate(claims)}
    active = []
    for i, c in enumerate(claims):
        if c["status"] != "eligible": continue
        if room[i] is not None and room[i] < (minimum or 1): outcome[i], share[i] = "capped", F(0)   # no room
        else: active.append(i)
    while True:   # the minimum rule of §3, around the water-fill with each claim's own room
        capped = set()
        while True:
            free = [i for i in active if i not in capped]
            left = available - sum(room[i] for i in capped)
            total = sum(claims[i]["points"] for i in free)
            lam = F(left, total) if total else F(0)
            more = [i for i in free if room[i] is not None and lam * claims[i]["points"] >= room[i]]
            if not more: break
            capped |= set(more)
        for i in active:
            share[i] = F(room[i]) if i in capped else lam * claims[i]["points"]
            outcome[i] = "capped" if i in capped else "paid"
        if minimum is None or not active: break
        smallest = min(claims[i]["points"] for i in active)
        low = [i for i in active if claims[i]["points"] == smallest]
        if all(share[i] >= minimum for i in low): break
        for i in low: outcome[i], share[i] = "below_minimum", F(0)
        active = [i for i in active if claims[i]["points"] != smallest]

    amount = {i: floor(s) for i, s in share.items()}
    if not per_point:   # §4a: the leftover cents to the largest remainders, ties to the smaller key
        key = lambda i: hashlib.sha256(f"{seed}:{claims[i]['id']}".encode("utf-8")).hexdigest()
        paid = [i for i in share if outcome[i] in ("paid", "capped")]
        k = int(sum(share[i] for i in paid)) - sum(amount[i] for i in paid)
        for i in sorted(paid, key=lambda i: (-(share[i] - amount[i]), key(i)))[:k]: amount[i] += 1

    out = sys.stdout.buffer
    out.write(b"claim_id,class,first_amount,outcome,amount\n")
    for i, c in enumerate(claims):
        cells = [text_cell(c["id"]), text_cell(c["class"]), money(c["first"]), outcome[i], money(amount.get(i, 0))]
        out.write((",".join(cells) + "\n").encode("utf-8"))

if __name__ == "__main__":
    if len(sys.argv) < 4:
        print("usage: python3 scripts/reference-redistribute.py PLAN.json DIR UNCASHED.csv [COSTS] > ledger.csv", file=sys.stderr); sys.exit(2)
    main(sys.argv[1:])
