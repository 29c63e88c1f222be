#!/usr/bin/env bash
# Checks what CI packed (artifacts/packages): every package under src/ was packed with its symbols package, carries its
# README, licence expression and repository, and depends on no test-only or benchmark-only package (the real Scriban and
# Fluid are test oracles and benchmark peers only). Prints one line per problem; exits 1 if there is any.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - "${1:-artifacts/packages}" <<'PY'
import glob, os, re, sys, zipfile
folder = sys.argv[1]
test_only = {"scriban.signed", "scriban", "fluid.core", "dotliquid", "handlebars.net", "xunit", "xunit.assert",
             "xunit.core", "xunit.extensibility.core", "xunit.runner.visualstudio", "microsoft.net.test.sdk",
             "benchmarkdotnet", "bogus", "cscheck", "fscheck", "shouldly", "microsoft.playwright", "smtpserver"}
problems = []
packages = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob("src/*/*.csproj"))
for package in packages:
    found = [p for p in glob.glob(os.path.join(folder, package + ".*.nupkg")) if re.fullmatch(re.escape(package) + r"\.\d[^A-Za-z]*(-[^.]+(\.[^.]+)*)?\.nupkg", os.path.basename(p))]
    if len(found) != 1:
        problems.append(f"{package}: expected one .nupkg in {folder}, found {len(found)}")
        continue
    nupkg = found[0]
    if not os.path.exists(nupkg[:-len(".nupkg")] + ".snupkg"):
        problems.append(f"{package}: no symbols package (.snupkg) beside {os.path.basename(nupkg)}")
    with zipfile.ZipFile(nupkg) as z:
        names = z.namelist()
        nuspec = z.read(next(n for n in names if n.endswith(".nuspec"))).decode("utf-8")
        if "README.md" not in names or "<readme>README.md</readme>" not in nuspec:
            problems.append(f"{package}: README.md is not the package's readme")
        if '<license type="expression">' not in nuspec:
            problems.append(f"{package}: no licence expression")
        if "<repository " not in nuspec:
            problems.append(f"{package}: no repository element (SourceLink)")
        if not any(n.startswith("lib/net8.0/") for n in names) or not any(n.startswith("lib/net10.0/") for n in names):
            problems.append(f"{package}: lib/net8.0 and lib/net10.0 expected")
        for dep in re.findall(r'<dependency id="([^"]+)"', nuspec):
            if dep.lower() in test_only:
                problems.append(f"{package}: depends on {dep}, a test oracle or benchmark peer that no shipped package may use")
for p in problems:
    print("package check: " + p)
print(f"package check: {len(packages)} packages, {len(problems)} problems")
sys.exit(1 if problems else 0)
PY
