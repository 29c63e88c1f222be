#!/usr/bin/env bash
# Updates src/<package>/PublicAPI.Unshipped.txt from the analyzer's own findings: builds the packages (net10.0),
# adds every symbol RS0016 reports as missing and removes every line RS0017 reports as gone, then sorts the file as
# the IDE's code fix does. Creates both PublicAPI files for a new package. Read the diff before committing it.
#   bash eng/update-public-api.sh                                  # every package under src/
#   bash eng/update-public-api.sh src/Personalize/Personalize.csproj  # one package (and what it references)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- src/*/*.csproj; fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for project in "$@"; do
  dir=$(dirname "$project")
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$file" ] || printf '#nullable enable\n' > "$dir/$file"
  done
done
# One rebuild of just these packages (a solution filter), with warnings as warnings, so every package reports all it finds.
filter=$(mktemp --suffix=.slnf)
trap 'rm -f "$log" "$filter"' EXIT
python3 - "$filter" "$PWD/Personalize.sln" "$@" <<'PY'
import json, sys
json.dump({"solution": {"path": sys.argv[2], "projects": [p.replace("/", "\\") for p in sys.argv[3:]]}}, open(sys.argv[1], "w"))
PY
dotnet build "$filter" -c Release -f net10.0 --no-incremental -p:TreatWarningsAsErrors=false -nologo -clp:NoSummary > "$log" 2>&1 || true
python3 - "$log" "$@" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for project in sys.argv[2:]:
    full = os.path.abspath(project)
    mine = [l for l in text.splitlines() if f"[{full}" in l]
    added = {m.group(1) for l in mine for m in [re.search(r"RS0016: Symbol '(.+?)' is not part of the declared public API", l)] if m}
    removed = {m.group(1) for l in mine for m in [re.search(r"RS0017: Symbol '(.+?)' is part of the declared API", l)] if m}
    path = os.path.join(os.path.dirname(project), "PublicAPI.Unshipped.txt")
    lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l.strip()]
    body = {l for l in lines if l != "#nullable enable" and l not in removed} | added
    open(path, "w", encoding="utf-8").write("\n".join(["#nullable enable"] + sorted(body, key=lambda s: (s.lower(), s))) + "\n")
    print(f"{path}: {len(added)} added, {len(removed)} removed")
PY
if grep -E 'error [A-Z]+[0-9]+' "$log" | grep -qvE 'RS001[67]'; then
  echo "note: other build errors; fix them and run this again:" >&2
  grep -E 'error [A-Z]+[0-9]+' "$log" | grep -vE 'RS001[67]' | sort -u | head -n 10 >&2
fi
