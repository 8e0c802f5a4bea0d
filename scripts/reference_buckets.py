"""Bucket plans in scripts/reference-allocate.py: docs/allocation.md section 12 ("Benefit buckets"),
a plan with "buckets" instead of "classes", read from that section alone: the claims rows checked
as it lists, the money set aside, the buckets funded in order, water-filling within a bucket, the
minimum on a claim's total, cents per bucket by largest remainder. Standard library only."""
import json, re, sys
from fractions import Fraction as F
from math import floor

from reference_common import cents, key, largest_remainder, money, quoted, text_cell
from reference_reading import Refused, check_map_fields, read_records

def water_fill(w, caps, M):
    """share_i = min(cap_i, lam * w_i) with sum = M (M <= sum of caps); caps None = no cap."""
    capped = set()
    while True:
        free = [i for i in w if i not in capped and w[i] > 0]
        if not free: lam = None; break
        lam = (M - sum(caps[i] for i in capped)) / sum(w[i] for i in free)
        more = {i for i in free if caps[i] is not None and lam * w[i] >= caps[i]}
        if not more: break
        capped |= more
    return {i: (F(caps[i]) if i in capped else (lam * w[i] if lam is not None and w[i] > 0 else F(0))) for i in w}

def bucket_fields(plan):
    """What --map can name for a bucket plan: claim_id, status, the choice column, each bucket's columns."""
    out = ["claim_id", "status"]
    names = [(plan.get("choice") or {}).get("column")] + [b.get(k) for b in plan["buckets"]
             for k in ("amountColumn", "unitsColumn", "hoursColumn", "documentedColumn")]
    for n in names:
        if n is not None and n.lower() not in out: out.append(n.lower())
    return out

# docs/allocation.md section 12: hours above `documentedAbove` need yes in the documentedColumn.
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}

def bucket_main(plan, flags, args, net, deductions, say, reading):
    seed = plan["seed"]
    buckets = [dict(b, index=i) for i, b in enumerate(plan["buckets"])]
    buckets.sort(key=lambda b: (bool(b.get("residual")), b.get("order", b["index"]), b["index"]))
    opt_cents = lambda b, k: None if b.get(k) is None else cents(b[k])
    eligible_statuses = {s.strip().lower() for s in plan.get("eligibleStatuses", ["approved"])}
    minimum = None if plan.get("minimumPayment") is None else cents(plan["minimumPayment"])
    choice = plan.get("choice")
    # The claims read as for a classes plan: --delimiter (or sep=), --map of the plan's fields, --keep.
    delimiter, cmap, keep = reading
    check_map_fields(cmap, bucket_fields(plan), "fields of this plan")
    ledger_columns = ["claim_id", "status", "outcome"] + [b["id"] for b in plan["buckets"]] + ["amount"]
    for k in keep:
        if k.strip().lower() in ledger_columns:
            raise Refused(f"--keep {k}: the ledger already has the column \"{k.strip().lower()}\"; keep only other columns", 2)
    records = read_records(args[1], delimiter)
    rows = [(line, r) for line, r in records if any(c.strip() for c in r)]
    header = [h.strip().lower() for h in rows[0][1]]
    col = {}
    for i, h in enumerate(header): col.setdefault(h, i)
    for field, h in cmap.items():
        if h.strip().lower() not in col:
            raise Refused(f"{args[1]}:{rows[0][0]}: --map {field}={h}: no column \"{h}\" in the header (found: {', '.join(header)})")
    for k in keep:
        if k.strip().lower() not in col:
            raise Refused(f"{args[1]}:{rows[0][0]}: --keep {k}: no column \"{k}\" in the header (found: {', '.join(header)})")
    kept = [col[k.strip().lower()] for k in keep]
    col.update({f: col[h.strip().lower()] for f, h in cmap.items()})   # a mapped field reads its column
    for field in bucket_fields(plan):   # every column the plan names must be there (status may be absent)
        if field != "status" and field not in col:
            raise Refused(f"{args[1]}:{rows[0][0]}: missing column \"{field}\" (found: {', '.join(rows[0][1])})")
    cell = lambda r, name: r[col[name.lower()]].strip()
    # Each row is checked and every problem reported with its line (docs/allocation.md section 12,
    # "The claims file"); any problem: no ledger, exit 1.
    problems = []
    claims, first_line = [], {}
    # a blank status cell follows the plan's blankStatus, as in a classes plan: approved with a warning, or refused.
    blank_status = plan.get("blankStatus", "approved")
    for line, r in rows[1:]:
        bad = lambda field, message: problems.append(f"{args[1]}:{line}: {field}: {message}")
        if len(r) != len(header):
            problems.append(f"{args[1]}:{line}: expected {len(header)} fields, found {len(r)}"); continue
        ident = cell(r, "claim_id")
        if ident == "": bad("claim_id", "empty claim_id")
        elif ident in first_line: bad("claim_id", f"duplicate claim_id \"{ident}\" (first on line {first_line[ident]})")
        else: first_line[ident] = line
        if "status" in col and cell(r, "status") == "":
            if blank_status == "error":
                bad("status", "status is empty (the plan's blankStatus is \"error\")")
            else:
                print(f"{args[1]}:{line}: status: status is empty: paid as \"approved\" (the plan's blankStatus)", file=sys.stderr)
        status = (cell(r, "status").lower() if "status" in col else "") or "approved"
        chosen = None
        if choice and cell(r, choice["column"]):
            c = cell(r, choice["column"])
            chosen = next((v for v in choice["values"] if v.lower() == c.lower()), None)
            if chosen is None: bad(choice["column"], f"unknown choice \"{c}\" (expected: {', '.join(choice['values'])})")
        inputs = []
        for b in buckets:
            cap = opt_cents(b, "perClaimCap")
            lim = lambda x: x if cap is None else min(x, F(cap))
            x = F(0)
            # a bucket the claim did not choose: nothing claimed in it, its cells not read
            if b.get("choice") is not None and chosen != b["choice"]: pass
            elif b["kind"] == "flat": x = lim(F(cents(b["amount"])))
            elif b["kind"] == "documented":
                t = cell(r, b["amountColumn"])
                if t and not re.fullmatch(r"\d+(\.\d{1,2})?", t):
                    bad(b["amountColumn"], f"negative amount \"{t}\"" if t.startswith("-") else f"\"{t}\" is not an amount with at most 2 decimals")
                elif t: x = lim(F(cents(t)))
            elif b["kind"] == "points":
                t = cell(r, b["unitsColumn"])
                if t and not re.fullmatch(r"\d+(\.\d{1,6})?", t):
                    bad(b["unitsColumn"], f"negative units \"{t}\"" if t.startswith("-") else f"\"{t}\" is not a decimal with at most 6 decimals")
                elif t: x = F(b.get("weight", "1")) * F(t)
            else:  # hours: rate x hours, at most the hour limit; whole steps; above documentedAbove, documented
                t = cell(r, b["hoursColumn"])
                if t and not re.fullmatch(r"\d+(\.\d+)?", t):
                    bad(b["hoursColumn"], f"negative hours \"{t}\"" if t.startswith("-") else f"\"{t}\" is not a number of hours")
                elif t and (F(t) / F(b.get("step", "1"))).denominator != 1:
                    bad(b["hoursColumn"], f"{t} hours are not a whole number of {b.get('step', '1')}-hour steps")
                elif t:
                    h = F(t)
                    documented = True
                    if b.get("documentedAbove") is not None and h > F(b["documentedAbove"]):
                        d = cell(r, b["documentedColumn"]).lower()
                        if d not in YES and d not in NO: bad(b["documentedColumn"], f"\"{cell(r, b['documentedColumn'])}\" is not yes or no")
                        elif d not in YES: bad(b["documentedColumn"], f"{t} hours claimed, documentation missing above {b['documentedAbove']} hours")
                        documented = d in YES
                    if documented:
                        if b.get("limit") is not None: h = min(h, F(b["limit"]))
                        x = lim(cents(b["rate"]) * h)
            inputs.append(x)
        claims.append(dict(id=ident, status=status, eligible=status in eligible_statuses, inputs=inputs,
                           kept=[r[i] for i in kept]))
    if problems:
        for m in problems: print(m, file=sys.stderr)
        print(f"{len(problems)} problem(s) in the claims file: no ledger", file=sys.stderr); sys.exit(1)
    n = len(claims)
    claiming = [c["eligible"] and any(x > 0 for x in c["inputs"]) for c in claims]
    active = set(i for i in range(n) if claiming[i])
    removed = set()
    while True:
        # every bucket's floor first: protected = all it claims, maxReductionPercent = the part it keeps
        info = []
        for k, b in enumerate(buckets):
            w = {i: (claims[i]["inputs"][k] if i in active else F(0)) for i in range(n)}
            pcap, tcap = opt_cents(b, "perClaimCap"), opt_cents(b, "totalCap")
            def claim_cap(x):
                if b["kind"] == "points": return pcap
                if not b.get("residual"): return x
                up = None if b.get("maxIncreasePercent") is None else x * (1 + F(b["maxIncreasePercent"]) / 100)
                return pcap if up is None else (up if pcap is None else min(up, F(pcap)))
            caps = {i: claim_cap(w[i]) for i in w}
            live = [i for i in w if w[i] > 0]
            demand = None if any(caps[i] is None for i in live) else sum((caps[i] for i in live), F(0))
            sum_w = sum(w.values(), F(0))
            mn = lambda a, c: a if c is None else min(a, F(c))
            if b["kind"] == "points": nominal = demand if tcap is None else mn(demand if demand is not None else F(tcap), tcap)
            else: nominal = mn(sum_w, tcap)
            if nominal is None: nominal = F(0)  # a residual points bucket with no caps: nothing to set aside
            fl = nominal if b.get("protected") else (nominal * (1 - F(b["maxReductionPercent"]) / 100) if b.get("maxReductionPercent") is not None else F(0))
            target = (None if tcap is None else F(tcap)) if demand is None else mn(demand, tcap)
            info.append(dict(w=w, caps=caps, sum_w=sum_w, floor=fl, target=target))
        floors = sum((x["floor"] for x in info), F(0))
        if floors > net:
            print(f"refused: floors {floors} over net {net}", file=sys.stderr); sys.exit(2)
        left, kept = F(net), floors
        shares = [[F(0)] * len(buckets) for _ in range(n)]
        for k, x in enumerate(info):
            kept -= x["floor"]
            avail = left - kept
            funded = F(0) if x["sum_w"] == 0 else (avail if x["target"] is None else min(avail, x["target"]))
            left -= funded
            x["funded"] = funded
            for i, v in water_fill(x["w"], x["caps"], funded).items(): shares[i][k] = v
            say(f"bucket {buckets[k]['id']}: claimed {x['sum_w']}, floor {x['floor']}, funded {funded}")
        if minimum is None: break
        low = [i for i in active if sum(floor(v) for v in shares[i]) < minimum]
        if not low: break
        smallest = min(sum(shares[i]) for i in low)
        for i in low:
            if sum(shares[i]) == smallest: active.discard(i); removed.add(i)
    amounts = [[0] * len(buckets) for _ in range(n)]
    for k, b in enumerate(buckets):
        paid = {i: shares[i][k] for i in active if shares[i][k] > 0}
        if paid:
            got, _ = largest_remainder(paid, {i: key(seed, f"{b['id']}:{claims[i]['id']}") for i in paid}, floor(info[k]["funded"]))
            for i, a in got.items(): amounts[i][k] = a
    totals = [sum(a) for a in amounts]
    outcome = lambda i: ("ineligible" if not claims[i]["eligible"] else "below_minimum" if i in removed
                         else "paid" if claiming[i] and totals[i] > 0 else "nothing_claimed")
    if "--summary" in flags:
        # docs/outputs.md, `unpaid` of a bucket plan: the claims paid 0.00 and why: ineligible by status
        # (most first, then by status), below the minimum, nothing claimed in any bucket, only claimed in
        # buckets that had nothing for them (exact share 0), a share under a cent in every bucket.
        by_status, below, none, unfunded, rounded0 = {}, 0, 0, 0, 0
        for i, c in enumerate(claims):
            o = outcome(i)
            if o == "ineligible": by_status[c["status"]] = by_status.get(c["status"], 0) + 1
            elif o == "below_minimum": below += 1
            elif totals[i] > 0: pass
            elif not any(x > 0 for x in c["inputs"]): none += 1
            elif all(s == 0 for s in shares[i]): unfunded += 1
            else: rounded0 += 1
        unpaid = {"claims": sum(by_status.values()) + below + none + unfunded + rounded0,
                  "byStatus": [{"status": k, "claims": n} for k, n in sorted(by_status.items(), key=lambda kv: (-kv[1], kv[0]))],
                  "belowMinimum": below, "noEntitlement": none, "unfunded": unfunded, "roundedToZero": rounded0}
        print(json.dumps({"deductions": deductions, "net": money(net),
                          "buckets": [{"id": b["id"], "paid": money(floor(info[k]["funded"]))} for k, b in enumerate(buckets)],
                          "totalPaid": money(sum(totals)), "residual": money(net - sum(totals)), "unpaid": unpaid}, indent=2))
        return
    out = sys.stdout.buffer
    out.write((",".join(["claim_id", "status", "outcome"] + [b["id"] for b in buckets] + ["amount"] + [quoted(k) for k in keep]) + "\n").encode())
    for i, c in enumerate(claims):
        o = outcome(i)
        cells = [text_cell(c["id"]), text_cell(c["status"]), o] + [money(a) for a in amounts[i]] + [money(totals[i])] + [text_cell(k) for k in c["kept"]]
        out.write((",".join(cells) + "\n").encode("utf-8"))
