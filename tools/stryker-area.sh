#!/usr/bin/env bash
# One area of the core's complete mutation run at one commit, in two stages (proofs-notes/mutation.md,
# "The complete run at <commit> (issue 17, item 8)"). Run from the repository root of a worktree at the run's commit.
#
#   tools/stryker-area.sh AREA 1   stage 1: the area's mutants against the C# tests of that area (FILTER below);
#                                  perTest coverage, 60 s additional timeout, Release, concurrency 1.
#                                  Output StrykerOutput/full-AREA-s1/.
#   tools/stryker-area.sh AREA 1 CHUNK FILE...  stage 1 of some of the area's files only (FILE: a name under src/LogitRank/AREA/,
#                                  globs allowed). Output StrykerOutput/full-AREA@CHUNK-s1/. A run that is stopped loses
#                                  only its chunk (a stopped stage 1 cannot be scored from its log: mixed sessions).
#   tools/stryker-area.sh AREA[+AREA...] 2  stage 2: every mutant that stage 1 did not kill (tools/stryker-stage2-spans.py reads
#                                  stage 1's JSON report), with stryker-config.json (both test projects,
#                                  Category!=Slow), one mutant per session, concurrency 1. Output StrykerOutput/full-AREA[+AREA...]-s2/
#                                  (several areas in one run pay Stryker's start-up and coverage capture once).
#   tools/stryker-area.sh AREA[+AREA...] 2cs   stage 2 in two steps, cheaper: first the C# project only (its coverage
#   tools/stryker-area.sh AREA[+AREA...] 2fs   capture takes a third of the whole suite's), then the F# properties only,
#                                  on what 2cs did not kill (spans from full-AREA[+AREA...]-s2cs's report; several 2cs
#                                  runs separated by commas, "Sequences+Oracles,Models 2fs", pay the capture once). A mutant
#                                  killed by either is killed by the whole suite. Outputs full-AREA[+AREA...]-s2cs/-s2fs/.
#                                  Their additional-timeout is 120 s and 300 s unless STAGE2_TIMEOUT says otherwise.
#                                  STAGE2_COVERAGE=off skips the coverage-capture run (over 20 minutes for the whole
#                                  suite at 26029b4) and runs the whole suite against each mutant: cheaper when stage 2
#                                  has few mutants. STAGE2_TIMEOUT=300000 sets additional-timeout (ms): against the
#                                  mutated assembly the whole suite runs slower than in Stryker's initial run.
#   tools/stryker-area.sh NAME ns 'NS[+NS...]' REPORT[@PREFIX]...   the mutants that REPORTs (Stryker JSON reports of earlier steps)
#                                  did not kill (Timeouts too: a test added since may now fail fast), against the C# tests of the namespaces NS
#                                  (LogitRank.Tests.NS.; NS may name a class, Learning.ReconstructorTests) with coverage analysis OFF
#                                  (REPORT@PREFIX: only its mutants of files src/LogitRank/PREFIX*): every such test runs against every
#                                  mutant. perTest coverage attributes code that a test class's shared fixture (a static
#                                  field or Lazy) runs to the one test that first touches it, so the tests that use the
#                                  fixture later are never run against those mutants: false survivors. Output
#                                  StrykerOutput/full-NAME-sns/; additional-timeout 60 s unless STAGE2_TIMEOUT says otherwise.
#
# Each stage runs under `script` with a wide terminal (Stryker's progress bar crashes on a narrow one before writing
# the report) and --log-to-file (per-mutant debug log under OUT/logs/). The tests' copy of LogitRank.dll is restored
# from Stryker's backup on exit, also when the run is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
area=${1:?area}; stage=${2:?stage 1 or 2}
chunk=${3:-}; files=("${@:4}")
root=$(pwd)
case "$area" in
  # Stage 1 test filter per area: the C# tests of the area's namespace; end-to-end tests are left to stage 2.
  *) filter="FullyQualifiedName~LogitRank.Tests.$area." ;;
esac
out="StrykerOutput/full-$area${chunk:+@$chunk}-s$stage"
if [ "$stage" = ns ]; then
  out="StrykerOutput/full-$area-sns"
  filter=$(echo "$chunk" | tr '+' '\n' | sed 's/.*/FullyQualifiedName~LogitRank.Tests.&./' | paste -sd'|')
fi
restore_assemblies() {
  find tests -path '*/bin/*' -name '*.dll.stryker-unchanged' -print0 |
    while IFS= read -r -d '' backup; do mv -f "$backup" "${backup%.stryker-unchanged}"; done
}
find tests -path '*/bin/*' -name '*.dll.stryker-unchanged' -delete
mkdir -p "$out"
# load average once a minute while the stage runs
( while sleep 60; do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; done >> "$out/load.txt" ) &
sampler=$!
trap 'kill $sampler 2>/dev/null; restore_assemblies' EXIT
if [ "$stage" = 1 ] || [ "$stage" = ns ]; then
  python3 - "$filter" "$stage" > "$out/stryker-config.json" <<'PY'
import json, os, sys
c = json.load(open('stryker-config.json'))
s = c['stryker-config']
s['test-projects'] = ['../../tests/LogitRank.Tests/LogitRank.Tests.csproj']
s['test-case-filter'] = sys.argv[1]
s['concurrency'] = 1
s.pop('mutate')  # given on the command line
if sys.argv[2] == 'ns':
    s['coverage-analysis'] = 'off'
    s['disable-mix-mutants'] = True
    s['additional-timeout'] = int(os.environ.get('STAGE2_TIMEOUT') or s['additional-timeout'])
print(json.dumps(c, indent=2))
PY
  spans=()
  if [ "$stage" = ns ]; then
    for r in "${files[@]}"; do  # REPORT or REPORT@PREFIX (only the mutants of files under src/LogitRank/PREFIX...)
      if [[ "$r" == *.json@* ]]; then only=(--only "${r#*.json@}"); r="${r%%.json@*}.json"; else only=(); fi
      mapfile -t more < <(python3 tools/stryker-stage2-spans.py "$r" --args "${only[@]}")
      spans+=("${more[@]}")
    done
    if [ ${#spans[@]} -eq 0 ]; then echo "the reports leave nothing to re-test"; exit 0; fi
  elif [ -n "$chunk" ]; then for f in "${files[@]}"; do spans+=(-m "**/$area/$f"); done; else spans=(-m "**/$area/*.cs"); fi
else
  python3 - "$stage" > "$out/stryker-config.json" <<'PY'
import json, os, sys
c = json.load(open('stryker-config.json'))
s = c['stryker-config']
projects = {'2cs': ['../../tests/LogitRank.Tests/LogitRank.Tests.csproj'],
            '2fs': ['../../tests/LogitRank.Properties/LogitRank.Properties.fsproj']}
s['test-projects'] = projects.get(sys.argv[1], s['test-projects'])
s['concurrency'] = 1
s['disable-mix-mutants'] = True
s.pop('mutate')
if os.environ.get('STAGE2_COVERAGE'):  # "off": every mutant runs the whole suite, no coverage-capture run
    s['coverage-analysis'] = os.environ['STAGE2_COVERAGE']
# additional-timeout in ms; see the note on sessions of the whole suite. A longer allowance cannot make a kill, only
# give a slow session time to decide; a genuine hang costs it once. 2cs and 2fs default to 120 s and 300 s.
s['additional-timeout'] = int(os.environ.get('STAGE2_TIMEOUT') or {'2cs': 120000, '2fs': 300000}.get(sys.argv[1], s['additional-timeout']))
print(json.dumps(c, indent=2))
PY
  spans=()
  if [ "$stage" = 2fs ]; then
    for b in ${area//,/ }; do  # 2fs may take several 2cs runs at once: "Sequences+Oracles,Models+Learning@R"
      mapfile -t more < <(python3 tools/stryker-stage2-spans.py "StrykerOutput/full-$b-s2cs/reports/mutation-report.json" --args --except-timeouts)
      spans+=("${more[@]}")
    done
  else for a in ${area//+/ }; do  # stage 2 may take several areas at once, e.g. Statistics+Sequences
    for d in "StrykerOutput/full-$a-s1" StrykerOutput/full-"$a"@*-s1; do  # the whole area, or its chunks
      [ -e "$d/reports/mutation-report.json" ] || continue
      mapfile -t more < <(python3 tools/stryker-stage2-spans.py "$d/reports/mutation-report.json" --args)
      spans+=("${more[@]}")
    done
  done; fi
  if [ ${#spans[@]} -eq 0 ]; then echo "stage 1 killed every mutant of $area: nothing for stage 2"; exit 0; fi
fi
args=$(printf ' %q' "${spans[@]}")
echo "$(date -u +%FT%TZ) start $area stage $stage ($(( ${#spans[@]} / 2 )) -m patterns) at commit $(git rev-parse HEAD) (src/ tree $(git rev-parse HEAD:src)), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/times.txt"
(cd src/LogitRank && script -qfec "stty cols 200 rows 50; dotnet stryker --config-file ../../$out/stryker-config.json$args --output ../../$out --log-to-file --skip-version-check" "../../$out/console.txt" > /dev/null) || echo "stryker exit $?"
echo "$(date -u +%FT%TZ) end $area stage $stage, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/times.txt"
