#!/usr/bin/env python3
"""A claimant's check of a payout receipt, written from docs/receipts.md alone (no payout code).

    python3 scripts/check-receipt.py RECEIPT.json --root HEX     # exit 0: checked; 1: a check failed
    python3 scripts/check-receipt.py --ledger-root LEDGER.csv    # prints the receipts root of a ledger

Encoding payout-merkle/1:
  netstring(s)  = str(len(utf8(s))) + ":" + utf8(s) + ","
  leaf          = SHA-256(0x00 + netstring(column) + netstring(cell) for each column in order)
  node          = SHA-256(0x01 + left + right)
  tree          = leaves sorted by claim_id (code points), pairs hashed level by level, an odd
                  last node promoted unchanged; the root is the one node left.
Standard library only (hashlib, json, csv).
"""
import csv, hashlib, json, re, sys

ENCODING = "payout-merkle/1"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def netstring(text):
    b = text.encode("utf-8")
    return str(len(b)).encode("ascii") + b":" + b + b","


def leaf_hash(columns, cells):
    return hashlib.sha256(b"\x00" + b"".join(netstring(c) + netstring(v) for c, v in zip(columns, cells))).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def check(receipt_file, published_root):
    """Returns the list of failed checks (empty: the receipt holds)."""
    with open(receipt_file, encoding="utf-8-sig") as f:
        r = json.load(f)
    if r.get("encoding") != ENCODING:
        return [f"encoding {r.get('encoding')!r}: this script checks {ENCODING}"]
    columns = [c["column"] for c in r["row"]]
    cells = [c["cell"] for c in r["row"]]
    failed = []
    row = dict(zip(columns, cells))
    if row.get("claim_id") != r["claimId"]:
        failed.append(f"leaf: the receipt is for claim {r['claimId']!r}, but its row's claim_id is {row.get('claim_id')!r}")
    leaf = leaf_hash(columns, cells)
    if leaf.hex() != r["leaf"]:
        failed.append(f"leaf: the row's cells give {leaf.hex()}, not the receipt's leaf {r['leaf']}")
    h = leaf
    for step in r["proof"]:
        sibling = bytes.fromhex(step["hash"])
        if len(sibling) != 32 or step["side"] not in ("left", "right"):
            failed.append(f"proof: a step is not a side and a SHA-256: {step!r}")
            return failed
        h = node_hash(sibling, h) if step["side"] == "left" else node_hash(h, sibling)
    if h.hex() != r["root"]:
        failed.append(f"proof: the proof leads to {h.hex()}, not to the receipt's root {r['root']}")
    if r["root"] != published_root:
        failed.append(f"root: the receipt's root {r['root']} is not the published root {published_root}")
    return failed


def ledger_root(ledger_file):
    """The receipts root of a ledger.csv as payout writes it (formula guards removed on reading)."""
    with open(ledger_file, encoding="utf-8", newline="") as f:
        rows = [row for row in csv.reader(f) if row != [] and row != [""]]
    columns, rows = [c.strip() for c in rows[0]], rows[1:]
    def unguard(cell):
        return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_START else cell
    rows = [[unguard(c) for c in row] for row in rows]
    idcol = columns.index("claim_id")
    rows.sort(key=lambda row: row[idcol])  # Python compares str by code point
    level = [leaf_hash(columns, row) for row in rows]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        up = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2 == 1:
            up.append(level[-1])
        level = up
    return level[0].hex()


def main(argv):
    if len(argv) == 2 and argv[0] == "--ledger-root":
        print(ledger_root(argv[1]))
        return 0
    if len(argv) == 3 and argv[1] == "--root":
        receipt, root = argv[0], argv[2].lower()
        if not re.fullmatch(r"[0-9a-f]{64}", root):
            print("--root: give the published root, 64 hex digits", file=sys.stderr)
            return 2
        try:
            failed = check(receipt, root)
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"{receipt}: not a payout receipt ({e})", file=sys.stderr)
            return 2
        for f in failed:
            print(f"FAILED {f}")
        print("receipt checked: the row is in the ledger with the published root" if not failed else f"NOT CHECKED: {len(failed)} check(s) failed")
        return 1 if failed else 0
    print(__doc__.strip().splitlines()[2], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
