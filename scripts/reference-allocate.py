#!/usr/bin/env python3
"""An auditor's re-implementation of docs/spec.md §1 to §5, from docs/spec.md and docs/outputs.md alone.

    python3 scripts/reference-allocate.py PLAN.json CLAIMS.csv [--keep col,...] [--map field=header]...
        [--delimiter C] [--manifest DIR/manifest.json] [--explain] [--summary] > ledger.csv

Prints ledger.csv (docs/spec.md §5) on stdout, byte for byte what `payout allocate` writes; with
--summary, the totals instead (a JSON subset of summary.json: deductions, net, pools, totals). With
--explain, prints the working on stderr: net, each pool's points, lambda, who is capped or removed,
the leftover cents and which claims got them (with their SHA-256 keys). Standard library only:
fractions.Fraction for exact shares, hashlib for the tie-break. Slow on purpose: one plain loop
per rule, no cleverness, so that it is easy to check against docs/spec.md line by line.

The claims are read as payout reads them: --delimiter C (one character, "tab" for a tab; a first
line `sep=C` names it when no other than "," is given), --map field=header (repeatable: read a
field from a column with another name; with a bucket plan the fields are claim_id, status and the
columns the plan names), --keep col,... (columns carried into the ledger). With
--manifest (a run's manifest.json, or its folder), the run's recorded reading options
(docs/outputs.md, `reading`) are used unless a flag is given; a flag that differs is a warning.

A plan with "buckets" is divided as docs/allocation.md section 12 says, and its claims rows are
checked as that section lists (amounts, hours and units without a sign, hours on the step,
documentation above `documentedAbove`, the choice, empty or repeated claim ids): every problem
as FILE:LINE: COLUMN: message on stderr, then exit 1 and no ledger.
"""
import csv, hashlib, json, re, sys
from fractions import Fraction as F
from math import floor

USAGE = ("usage: python3 scripts/reference-allocate.py PLAN.json CLAIMS.csv [--keep col,...] [--map field=header]... "
         "[--delimiter C] [--manifest DIR/manifest.json] [--explain] [--summary] > ledger.csv")

# How the claims file is read (payout's reading options, a run's manifest): scripts/reference_reading.py.
sys.dont_write_bytecode = True   # no __pycache__ left in scripts/
from reference_reading import CLAIM_FIELDS, Refused, check_map_fields, need_columns, parse_args, read_records, reading_options

def cents(s):  # money string "1234.50" -> integer cents (docs/spec.md §1: at most 2 decimals)
    assert isinstance(s, str) and re.fullmatch(r"\d+(\.\d{1,2})?", s), f"bad money {s!r}"
    return int(F(s) * 100)

def half_up(x): return floor(x + F(1, 2))                   # x >= 0
def key(seed, ident): return hashlib.sha256(f"{seed}:{ident}".encode("utf-8")).hexdigest()

def largest_remainder(exact, keys, total):
    """docs/spec.md §4a: floors, then the total - sum(floors) leftover cents one each to the largest
    remainders; equal remainders: the smaller key first. Returns (amounts, ids that got a cent)."""
    amount = {i: floor(x) for i, x in exact.items()}
    k = total - sum(amount.values())
    order = sorted(exact, key=lambda i: (-(exact[i] - amount[i]), keys[i]))
    for i in order[:k]: amount[i] += 1
    return amount, order[:k]

def solve_pool(N, points, cap, minimum, decimals, say):
    """docs/spec.md §3 (and 4b's amounts) for one pool. points: {row: p}.
    Returns {row: (outcome, exact share, per-point amount or, under 4a, the exact share again)}."""
    active = dict(points)
    removed = set()
    while True:
        # water-filling: cap every claim with lambda*p >= cap, recompute lambda, until nothing changes
        capped, lam = set(), None
        while True:
            free = [i for i in active if i not in capped]
            if not free: lam = None; break
            lam = F(N - (cap or 0) * len(capped)) / sum(active[i] for i in free)
            more = {i for i in free if cap is not None and lam * active[i] >= cap}
            if not more: break
            capped |= more
        share = {i: (F(cap) if i in capped else lam * p) for i, p in active.items()}
        # what the minimum is compared with: the exact share (4a), or the amount paid (4b)
        paid = dict(share)
        v = None
        if decimals is not None:
            if lam is not None:  # 4b: lambda in currency units, floored to `decimals` places (v in cents)
                v = F(floor(lam / 100 * 10**decimals), 10**decimals) * 100
            paid = {i: (cap if i in capped else floor(active[i] * v)) for i in active}
        smallest = min(active.values(), default=None)
        low = [i for i in active if active[i] == smallest]
        if minimum and low and any(paid[i] < minimum for i in low):
            say(f"    minimum: the {len(low)} claims with the smallest points {smallest} would get "
                f"{float(min(paid[i] for i in low)) / 100:.6f} < {minimum / 100:.2f}: removed")
            for i in low: del active[i]; removed.add(i)
            continue
        break
    say(f"    points {sum(active.values())} paid, lambda = {lam} cents/point" + ("" if lam is None else f" = {float(lam):.6f}")
        + ("" if v is None else f", v = {v} cents/point") + f", capped {len(capped)}, removed {len(removed)}")
    out = {i: ("below_minimum", F(0), 0) for i in removed}
    for i in active: out[i] = ("capped" if cap is not None and share[i] == cap else "paid", share[i], paid[i])
    return out

def shortest(x):  # an exact decimal Fraction in its shortest form: 1.50 -> "1.5"
    for scale in range(0, 40):
        if (x * 10**scale).denominator == 1: break
    s = f"{x.numerator * 10**scale // x.denominator:0{scale + 1}d}"
    return s if scale == 0 else f"{s[:-scale]}.{s[-scale:]}"

def fixed(x, places):  # round half-even (Python's round of a Fraction) to `places` decimals
    n = round(x * 10**places); s = f"{n:0{places + 1}d}"
    return f"{s[:-places]}.{s[-places:]}"

def money(c): return f"{c // 100}.{c % 100:02d}"      # cents -> "12.34" (c >= 0)

def quoted(s):  # RFC 4180: quotes only when needed
    return '"' + s.replace('"', '""') + '"' if re.search(r'[",\r\n]', s) else s

def text_cell(s):  # docs/spec.md §5: a leading ' before = + - @ tab CR (and ', so reading back is exact)
    return quoted("'" + s if s and s[0] in "=+-@\t\r'" else s)

# ---- Bucket plans (docs/allocation.md, "Benefit buckets"): a plan with "buckets" instead of "classes".

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
    if "--summary" in flags:
        print(json.dumps({"deductions": deductions, "net": money(net),
                          "buckets": [{"id": b["id"], "paid": money(floor(info[k]["funded"]))} for k, b in enumerate(buckets)],
                          "totalPaid": money(sum(totals)), "residual": money(net - sum(totals))}, indent=2))
        return
    out = sys.stdout.buffer
    out.write((",".join(["claim_id", "status", "outcome"] + [b["id"] for b in buckets] + ["amount"] + [quoted(k) for k in keep]) + "\n").encode())
    for i, c in enumerate(claims):
        o = "ineligible" if not c["eligible"] else "below_minimum" if i in removed else "paid" if claiming[i] and totals[i] > 0 else "nothing_claimed"
        cells = [text_cell(c["id"]), text_cell(c["status"]), o] + [money(a) for a in amounts[i]] + [money(totals[i])] + [text_cell(k) for k in c["kept"]]
        out.write((",".join(cells) + "\n").encode("utf-8"))

def main(argv):
    if "-h" in argv or "--help" in argv:
        print(USAGE); print(__doc__.strip().split("\n\n", 2)[2] if __doc__ else ""); return
    args, values, flags = parse_args(argv)
    if len(args) != 2:
        raise Refused(f"give the plan and the claims file\n{USAGE}", 2)
    warn = lambda m: print(f"reference-allocate.py: warning: {m}", file=sys.stderr)
    say = (lambda m: print(m, file=sys.stderr)) if "--explain" in flags else (lambda m: None)
    plan = json.load(open(args[0], encoding="utf-8-sig"))
    # --map names a field: a classes plan's CLAIM_FIELDS, or claim_id, status and a bucket plan's columns
    delimiter, cmap, keep = reading_options(values, args, warn, bucket_fields(plan) if "buckets" in plan else CLAIM_FIELDS)
    seed = plan["seed"]
    # docs/spec.md §1: fund = gross + interest; deductions in order; percents half-up to the cent
    fund = cents(plan["gross"]) + cents(plan.get("interest", "0"))
    remaining, deductions = fund, []
    for d in plan.get("deductions", []):
        amt = cents(d["amount"]) if "amount" in d else half_up(
            (fund if d["of"] == "gross" else remaining) * F(d["percent"]) / 100)
        remaining -= amt
        deductions.append({"label": d["label"], "amount": money(amt), "remaining": money(remaining)})
        say(f"deduction {d['label']}: {amt / 100:.2f}, remaining {remaining / 100:.2f}")
    net = remaining
    say(f"net {net / 100:.2f}")
    if "buckets" in plan:
        return bucket_main(plan, flags, args, net, deductions, say, (delimiter, cmap, keep))
    check_map_fields(cmap, CLAIM_FIELDS)
    classes = {c["id"].lower(): c for c in plan["classes"]}
    pools_mode = all("poolPercent" in c for c in plan["classes"])
    eligible_statuses = {s.strip().lower() for s in plan.get("eligibleStatuses", ["approved"])}
    cap = None if plan.get("maximumPayment") is None else cents(plan["maximumPayment"])
    minimum = None if plan.get("minimumPayment") is None else cents(plan["minimumPayment"])
    rounding = plan.get("rounding", {"method": "largest-remainder"})
    decimals = rounding.get("decimals", 2) if rounding["method"] == "per-point" else None

    # docs/spec.md §2: header matched case-insensitively after trimming; units default 1, status approved;
    # a blank status cell follows the plan's blankStatus: approved with a warning, or refused.
    # --map field=header reads a field from a column with another name (matched the same way).
    blank_status = plan.get("blankStatus", "approved")
    rows = read_records(args[1], delimiter)
    header = [h.strip().lower() for h in rows[0][1]]
    names = {f: cmap.get(f, f).strip().lower() for f in CLAIM_FIELDS}
    need_columns(args[1], rows[0][0], header, names, cmap, keep)
    col = {f: header.index(names[f]) for f in CLAIM_FIELDS if names[f] in header}
    kept = [header.index(k.strip().lower()) for k in keep]
    claims, refused = [], 0
    for line, r in rows[1:]:
        if not any(c.strip() for c in r): continue
        units_text = r[col["units"]].strip() if "units" in col else "1"
        if "status" in col and r[col["status"]].strip() == "":
            if blank_status == "error":
                print(f"{args[1]}:{line}: status: status is empty (the plan's blankStatus is \"error\")", file=sys.stderr)
                refused += 1; continue
            print(f"{args[1]}:{line}: status: status is empty: paid as \"approved\" (the plan's blankStatus)", file=sys.stderr)
        status = (r[col["status"]].strip().lower() if "status" in col else "") or "approved"
        if len(r) != len(header):
            raise Refused(f"{args[1]}:{line}: expected {len(header)} fields, found {len(r)}")
        cls = classes.get(r[col["class"]].strip().lower())
        if cls is None:
            raise Refused(f"{args[1]}:{line}: class: unknown class \"{r[col['class']].strip()}\" (expected: {', '.join(c['id'] for c in plan['classes'])})")
        try:
            units = F(units_text)
        except (ValueError, ZeroDivisionError):
            raise Refused(f"{args[1]}:{line}: units: \"{units_text}\" is not a decimal such as 1 or 2.5")
        claims.append(dict(id=r[col["claim_id"]].strip(), cls=cls["id"], units=units, status=status,
                           points=units if pools_mode else F(cls["weight"]) * units,
                           eligible=status in eligible_statuses, kept=[r[i] for i in kept]))

    if refused:
        print(f"{refused} claim(s) with a blank status refused: no ledger", file=sys.stderr); sys.exit(1)

    # docs/spec.md §3: the pools. Weights mode: one pool of all of net. Pools mode: net x poolPercent / 100,
    # the pools' cents split by largest remainder with key SHA-256(seed:class id).
    if pools_mode:
        exact = {c["id"]: F(net) * F(c["poolPercent"]) / 100 for c in plan["classes"]}
        pool_net, got = largest_remainder(exact, {i: key(seed, i) for i in exact}, net)
        say(f"pools {', '.join(f'{i} {pool_net[i] / 100:.2f}' for i in pool_net)}; split cent to {got}")
    else:
        pool_net = {"all": net}
    result, total_paid, pool_rows = {}, 0, []
    for pool, N in pool_net.items():
        members = {i: c["points"] for i, c in enumerate(claims) if c["eligible"] and (not pools_mode or c["cls"] == pool)}
        say(f"pool {pool}: {N / 100:.2f} over {len(members)} eligible claims, {sum(members.values())} points")
        solved = solve_pool(N, members, cap, minimum, decimals, say)
        if decimals is None:   # docs/spec.md §4a: largest remainder over the claims paid
            paid = {i: s for i, (o, s, _) in solved.items() if o != "below_minimum"}
            total = sum(paid.values())
            amounts, got = largest_remainder(paid, {i: key(seed, claims[i]["id"]) for i in paid}, int(total)) if paid else ({}, [])
            say(f"    {int(total) - sum(floor(s) for s in paid.values())} leftover cents")
            levels = sorted({paid[i] - floor(paid[i]) for i in paid}, reverse=True)
            for rem in levels:
                tied = sorted((key(seed, claims[i]["id"]), claims[i]["id"], i in got) for i in paid if paid[i] - floor(paid[i]) == rem)
                n_got = sum(g for *_, g in tied)
                if n_got == 0: break
                say(f"      remainder {rem} cents: {len(tied)} claims, {n_got} get a cent"
                    + ("" if n_got == len(tied) else ", by key: " + ("; ".join(f"{i} {k}" for k, i, g in tied) if len(tied) <= 12
                       else f"the {n_got} smallest keys, up to {tied[n_got - 1][0]}")))
        else:                  # docs/spec.md §4b: the per-point amounts; the rest is residual
            amounts = {i: a for i, (o, s, a) in solved.items() if o != "below_minimum"}
        for i, (o, s, _) in solved.items(): result[i] = (o, s, amounts.get(i, 0))
        total_paid += sum(amounts.values())
        pool_rows.append({"id": pool, "net": money(N), "paid": money(sum(amounts.values())),
                          "residual": money(N - sum(amounts.values())),
                          "centsPlaced": 0 if decimals is not None else sum(amounts.values()) - sum(floor(s) for _, s, _ in solved.values())})
        say(f"    paid {sum(amounts.values()) / 100:.2f}, residual {(N - sum(amounts.values())) / 100:.2f}")
    say(f"total paid {total_paid / 100:.2f}, residual {(net - total_paid) / 100:.2f}")

    if "--summary" in flags:
        print(json.dumps({"deductions": deductions, "net": money(net), "pools": pool_rows, "totals": {
            "amount": money(total_paid), "residual": money(net - total_paid), "centsPlaced": sum(p["centsPlaced"] for p in pool_rows)}}, indent=2))
        return
    out = sys.stdout.buffer
    out.write((",".join(quoted(h) for h in ["claim_id", "class", "units", "points", "status", "outcome", "share", "amount"] + keep) + "\n").encode())
    for i, c in enumerate(claims):
        o, s, a = result.get(i, ("ineligible", F(0), 0))
        cells = [text_cell(c["id"]), text_cell(c["cls"]), shortest(c["units"]), shortest(c["points"]), text_cell(c["status"]),
                 o, fixed(s / 100, 6), money(a)] + [text_cell(k) for k in c["kept"]]
        out.write((",".join(cells) + "\n").encode("utf-8"))

def run(argv):
    """main, with every failure as one line on stderr instead of a traceback."""
    try:
        main(argv)
    except BrokenPipeError:   # `… | head` closed the pipe: stop quietly
        sys.stderr.close(); sys.exit(0)
    except Refused as e:
        print(f"reference-allocate.py: {e}", file=sys.stderr); sys.exit(e.code)
    except FileNotFoundError as e:
        print(f"reference-allocate.py: {e.filename}: not found", file=sys.stderr); sys.exit(2)
    except OSError as e:      # a folder given for a file, no permission
        print(f"reference-allocate.py: {e.filename}: cannot read it ({e.strerror})", file=sys.stderr); sys.exit(2)
    except json.JSONDecodeError as e:
        print(f"reference-allocate.py: the plan is not valid JSON: {e}", file=sys.stderr); sys.exit(2)
    except UnicodeDecodeError as e:
        print(f"reference-allocate.py: a file is not UTF-8 (byte {e.object[e.start]:#04x} at offset {e.start}): re-export it as CSV UTF-8", file=sys.stderr); sys.exit(1)
    except KeyError as e:
        print(f"reference-allocate.py: missing key or column {e}", file=sys.stderr); sys.exit(1)
    except (ValueError, TypeError, IndexError, AttributeError, csv.Error) as e:
        print(f"reference-allocate.py: cannot use the input: {e}", file=sys.stderr); sys.exit(1)

if __name__ == "__main__":
    run(sys.argv[1:])
