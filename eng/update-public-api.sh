#!/usr/bin/env bash
# Updates src/<package>/PublicAPI.Unshipped.txt from the analyzer's own findings: builds the package once (net10.0),
# adds every symbol RS0016 reports as missing and removes every line RS0017 reports as gone, then sorts the file.
# Faster than `dotnet format analyzers` and needs no IDE. Read the diff before committing it.
#   bash eng/update-public-api.sh src/Personalize/Personalize.csproj [more projects...]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: bash eng/update-public-api.sh src/<package>/<package>.csproj ..." >&2; exit 2; }
for project in "$@"; do
  dir=$(dirname "$project")
  unshipped="$dir/PublicAPI.Unshipped.txt"
  [ -f "$unshipped" ] || printf '#nullable enable\n' > "$unshipped"
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  log=$(mktemp)
  dotnet build "$project" -c Release -f net10.0 -p:TreatWarningsAsErrors=false -nologo -clp:NoSummary > "$log" 2>&1 || true
  python3 - "$log" "$unshipped" <<'PY'
import re, sys
log, path = sys.argv[1], sys.argv[2]
text = open(log, encoding="utf-8").read()
added = set(re.findall(r"RS0016: Symbol '(.+?)' is not part of the declared public API", text))
removed = set(re.findall(r"RS0017: Symbol '(.+?)' is part of the declared API", text))
lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l.strip()]
body = [l for l in lines if l != "#nullable enable" and l not in removed]
body = sorted(set(body) | added, key=lambda s: (s.lower(), s))  # the order the code fix keeps
open(path, "w", encoding="utf-8").write("\n".join(["#nullable enable"] + body) + "\n")
print(f"{path}: {len(added)} added, {len(removed)} removed")
PY
  if grep -qE 'error (CS|RS00(1[^67]|[2-9]))' "$log"; then
    echo "note: $project has other build errors; fix them and run this again:" >&2
    grep -E 'error (CS|RS)' "$log" | grep -vE 'RS001[67]' | sort -u | head -n 10 >&2
  fi
  rm -f "$log"
done
