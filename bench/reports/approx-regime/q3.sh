#!/bin/bash
# Question 3: witness threshold and choice. Usage: q3.sh TARGET
R="dotnet /work/wt14r/bench/LogitRank.Research/bin/Release/net10.0/LogitRank.Research.dll"
T=$1
BASE="K=30 rank=adaptive rankf=3 fallback=min-r"
run() { echo "== $*"; $R learn $T $BASE "$@" 2>&1 | grep -E '^last|^best|ACCEPTED|wall' | sed 's/nu=\[.*\]//'; }
run g=1e-4 policy=Paper
for gf in 0.1 0.25 0.5 1; do run gf=$gf g=adaptive policy=Paper; done
for z in 3 4 6; do run g=adaptive z=$z policy=Paper; done
run g=adaptive z=4 policy=PerCut W=20
run g=adaptive z=4 policy=Leverage W=20 Wc=1
run g=adaptive z=4 policy=Leverage W=20 Wc=2
run g=adaptive z=4 policy=Leverage W=20 Wc=1 levmin=0.5
run g=adaptive z=4 policy=Leverage W=20 Wc=1 stop=on
run g=adaptive z=4 policy=Leverage W=3 Wc=1
