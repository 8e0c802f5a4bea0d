"""How scripts/reference-allocate.py reads a claims file: as payout reads it (docs/spec.md §2,
docs/validate.md), with payout's --delimiter, --map and --keep, a first line `sep=X`, or the
reading options a run's manifest records (docs/outputs.md, `reading`). Standard library only."""
import csv, hashlib, itertools, json, os, re

CLAIM_FIELDS = ["claim_id", "class", "units", "status", "email", "name", "address"]

class Refused(Exception):
    """An input this script cannot use: one line on stderr, exit 1 (2 for usage)."""
    def __init__(self, message, code=1):
        super().__init__(message); self.code = code

def need_columns(file, line, header, names, cmap, keep):
    """docs/spec.md §2: claim_id and class are required, a mapped or kept column must be there (a
    missing one is one line, not a traceback). names: {field: the header it is read from}."""
    found = ", ".join(header)
    for field in CLAIM_FIELDS:
        if names[field] not in header and (field in cmap or field in ("claim_id", "class")):
            if field in cmap:
                raise Refused(f"{file}:{line}: --map {field}={cmap[field]}: no column \"{cmap[field]}\" in the header (found: {found})")
            raise Refused(f"{file}:{line}: missing column \"{field}\" (found: {found})")
    for k in keep:
        if k.strip().lower() not in header:
            raise Refused(f"{file}:{line}: --keep {k}: no column \"{k}\" in the header (found: {found})")

# ---- How the claims file is read: payout's --delimiter, --map and --keep, or a run's manifest.

VALUED, FLAGS = ("--keep", "--map", "--delimiter", "--manifest"), ("--explain", "--summary")

def parse_args(argv):
    """(positional arguments, {option: [values, in order]}, {flags}); `--opt value` or `--opt=value`."""
    args, values, flags, i = [], {}, set(), 0
    while i < len(argv):
        a = argv[i]; i += 1
        if a == "--":
            args += argv[i:]; break
        if not a.startswith("--"):
            args.append(a); continue
        name, eq, value = a.partition("=")
        if name in FLAGS and not eq:
            flags.add(name); continue
        if name not in VALUED:
            raise Refused(f"unknown option {a} (see --help)", 2)
        if not eq:
            if i >= len(argv): raise Refused(f"{name} needs a value (see --help)", 2)
            value = argv[i]; i += 1
        values.setdefault(name, []).append(value)
    return args, values, flags

def parse_delimiter(text):  # as payout's --delimiter: one character, "tab" for a tab
    d = "\t" if text in ("tab", "\\t") else text
    if len(d) != 1 or d in '"\r\n':
        raise Refused(f"--delimiter {json.dumps(text, ensure_ascii=False)}: give one character other than a quote or a line break, e.g. --delimiter \";\"", 2)
    return d

def parse_map(entries, fields=CLAIM_FIELDS):  # as payout's --map field=header (repeatable): {field: header}
    # fields: a classes plan's CLAIM_FIELDS; a bucket plan's claim_id, status and the columns it names
    cmap, used = {}, {}
    for entry in entries:
        field, eq, header = entry.partition("=")
        field, header = field.strip().lower(), header.strip()
        if not eq or header == "":
            raise Refused(f"--map {entry}: expected field=header, e.g. --map claim_id=ClaimNumber", 2)
        if field in cmap:
            raise Refused(f"--map {entry}: {field} is already mapped to \"{cmap[field]}\"", 2)
        if header.lower() in used:
            raise Refused(f"--map {entry}: column \"{header}\" is already mapped to {used[header.lower()]}", 2)
        used[header.lower()] = field; cmap[field] = header
    return cmap

def check_map_fields(cmap, fields, listed="fields"):
    """A --map field the plan does not read is a usage error (fields: CLAIM_FIELDS for a classes
    plan; claim_id, status and the columns a bucket plan names)."""
    for field, header in cmap.items():
        if field not in fields:
            raise Refused(f"--map {field}={header}: unknown field \"{field}\" ({listed}: {', '.join(fields)})", 2)

def parse_keep(texts):  # --keep a,b (repeatable here): the column names, as written
    return [k.strip() for t in texts for k in t.split(",") if k.strip() != ""]

def map_text(cmap): return ",".join(f"{f}={h}" for f, h in sorted(cmap.items())) or "none"
def delimiter_text(d): return "tab" if d == "\t" else json.dumps(d, ensure_ascii=False)

def reading_options(values, args, warn, fields=CLAIM_FIELDS):
    """(delimiter, map, keep): the flags given; with --manifest, the run's recorded `reading` for
    each one not given (docs/outputs.md; no record: ",", no map, no keep), and a warning for a flag
    that differs from the record, or for a plan or claims file that is not the one the run read. The delimiter None: "," unless a first line sep=C names another."""
    delimiter = parse_delimiter(values["--delimiter"][-1]) if "--delimiter" in values else None
    cmap = parse_map(values["--map"], fields) if "--map" in values else None
    keep = parse_keep(values["--keep"]) if "--keep" in values else None
    if "--manifest" in values:
        path = values["--manifest"][-1]
        if os.path.isdir(path): path = os.path.join(path, "manifest.json")
        with open(path, encoding="utf-8") as f:
            try: manifest = json.load(f)
            except json.JSONDecodeError as e: raise Refused(f"{path}: not valid JSON: {e}", 2)
        rec = manifest.get("reading", {}) if isinstance(manifest, dict) else None
        if not (isinstance(rec, dict) and isinstance(rec.get("delimiter", ","), str) and isinstance(rec.get("map", {}), dict)
                and isinstance(rec.get("keep", []), list) and all(isinstance(k, str) for k in rec.get("keep", []))):
            raise Refused(f"{path}: not a manifest of payout (its reading is not {{delimiter, map, keep}})", 2)
        r_delimiter = parse_delimiter(rec.get("delimiter", ","))
        r_map = parse_map([f"{k}={v}" for k, v in rec.get("map", {}).items()], fields)
        r_keep = parse_keep(rec.get("keep", []))
        if delimiter is None: delimiter = r_delimiter
        elif delimiter != r_delimiter:
            warn(f"--delimiter {delimiter_text(delimiter)} differs from the manifest's delimiter {delimiter_text(r_delimiter)}: the claims are read with {delimiter_text(delimiter)}")
        if cmap is None: cmap = r_map
        elif map_text(cmap) != map_text(r_map):
            warn(f"--map {map_text(cmap)} differs from the manifest's map {map_text(r_map)}: the claims are read with --map {map_text(cmap)}")
        if keep is None: keep = r_keep
        elif keep != r_keep:
            warn(f"--keep {','.join(keep) or 'none'} differs from the manifest's keep {','.join(r_keep) or 'none'}: the ledger carries {', '.join(keep) or 'no other column'}")
        inputs = dict(zip(("plan", "claims"), args))
        for name in ("plan", "claims"):   # the files the run read, by SHA-256
            recorded = (manifest.get(name) or {}).get("sha256") if isinstance(manifest.get(name), dict) else None
            if recorded is not None and name in inputs:
                with open(inputs[name], "rb") as f: now = hashlib.sha256(f.read()).hexdigest()
                if now != recorded:
                    warn(f"{inputs[name]} is not the {name} file the run read (sha256 {recorded} in {path}, {now} now)")
    return delimiter, cmap or {}, keep or []

SEP_LINE = re.compile(r"sep=([^\r\n\u2028\u2029])\r?\n?", re.I)

def read_records(file, delimiter):
    """The claims file's records, each with the physical line it starts on, as payout reads them: a
    BOM dropped, a first line `sep=C` skipped, C the delimiter unless another than "," was asked."""
    with open(file, encoding="utf-8-sig", newline="") as f:
        first = f.readline()
        sep = SEP_LINE.fullmatch(first)
        start, lines = (2, f) if sep else (1, itertools.chain([first], f))
        if delimiter is None or (sep and delimiter == ","):
            delimiter = sep.group(1) if sep else ","
        reader, rows, line = csv.reader(lines, delimiter=delimiter), [], start
        for r in reader:          # each record with the physical line it starts on
            rows.append((line, r)); line = start + reader.line_num
    while rows and not any(c.strip() for c in rows[0][1]): rows.pop(0)   # blank lines before the header
    if not rows: raise Refused(f"{file}: no header: the file is empty")
    return rows

