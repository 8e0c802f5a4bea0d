#!/usr/bin/env python3
"""An auditor's re-implementation of docs/spec.md §1 to §5, from docs/spec.md and docs/outputs.md alone.

    python3 scripts/reference-allocate.py PLAN.json CLAIMS.csv [--keep col,...] [--map field=header]...
        [--delimiter C] [--manifest DIR/manifest.json] [--explain] [--summary] > ledger.csv

Prints ledger.csv (docs/spec.md §5) on stdout, byte for byte what `payout allocate` writes; with
--summary, the totals instead (a JSON subset of summary.json: deductions, net, pools, totals, unpaid;
for a bucket plan: deductions, net, buckets, totalPaid, residual, unpaid). With
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
import csv, json, sys
from fractions import Fraction as F
from math import floor

USAGE = ("usage: python3 scripts/reference-allocate.py PLAN.json CLAIMS.csv [--keep col,...] [--map field=header]... "
         "[--delimiter C] [--manifest DIR/manifest.json] [--explain] [--summary] > ledger.csv")

# How the claims file is read (payout's reading options, a run's manifest): scripts/reference_reading.py.
sys.dont_write_bytecode = True   # no __pycache__ left in scripts/
from reference_common import cents, half_up, key, largest_remainder, money, quoted, text_cell
from reference_buckets import bucket_fields, bucket_main
from reference_reading import CLAIM_FIELDS, Refused, check_map_fields, need_columns, parse_args, read_records, reading_options

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
        # docs/outputs.md, `unpaid`: the claims paid 0.00 and why: ineligible by status (most first,
        # then by status), below the minimum, capped at a maximum of 0.00, a share under a cent.
        by_status, below, capped0, rounded0 = {}, 0, 0, 0
        for i, c in enumerate(claims):
            o, _, a = result.get(i, ("ineligible", F(0), 0))
            if o == "ineligible": by_status[c["status"]] = by_status.get(c["status"], 0) + 1
            elif o == "below_minimum": below += 1
            elif a == 0 and o == "capped": capped0 += 1
            elif a == 0: rounded0 += 1
        unpaid = {"claims": sum(by_status.values()) + below + capped0 + rounded0,
                  "byStatus": [{"status": k, "claims": n} for k, n in sorted(by_status.items(), key=lambda kv: (-kv[1], kv[0]))],
                  "belowMinimum": below, "cappedToZero": capped0, "roundedToZero": rounded0}
        print(json.dumps({"deductions": deductions, "net": money(net), "pools": pool_rows, "totals": {
            "amount": money(total_paid), "residual": money(net - total_paid), "centsPlaced": sum(p["centsPlaced"] for p in pool_rows)},
            "unpaid": unpaid}, indent=2))
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
