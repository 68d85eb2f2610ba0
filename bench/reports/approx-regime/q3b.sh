#!/bin/bash
R="dotnet /work/wt14r/bench/LogitRank.Research/bin/Release/net10.0/LogitRank.Research.dll"
T=${1:-perturbed:k=4,T=10,d=4,eps=0.05,seed=1}
run() { echo "== $*"; $R learn $T K=30 eval=mc mc=1000 "$@" 2>&1 | grep -E '^last|^best-by' ; }
run rank=1e-9 g=1e-4 policy=Paper
for gf in 0.5 1 2 4; do run rank=1e-9 fallback=min-r g=adaptive gf=$gf policy=Paper; done
for z in 3 4 6; do run rank=adaptive rankf=3 fallback=min-r g=adaptive z=$z policy=Paper; done
for gf in 0.5 1 2; do run rank=adaptive rankf=3 fallback=min-r g=adaptive gf=$gf policy=Paper; done
run rank=adaptive rankf=3 fallback=min-r g=adaptive z=4 policy=PerCut W=20
run rank=adaptive rankf=3 fallback=min-r g=adaptive z=4 policy=Leverage W=20 Wc=1
run rank=adaptive rankf=3 fallback=min-r g=adaptive z=4 policy=Leverage W=20 Wc=2
run rank=adaptive rankf=3 fallback=min-r g=adaptive z=4 policy=Leverage W=20 Wc=1 levmin=1
run rank=adaptive rankf=3 fallback=min-r g=adaptive z=4 policy=Leverage W=20 Wc=1 stop=on
run rank=adaptive rankf=3 fallback=min-r g=adaptive z=4 policy=Leverage W=20 Wc=1 stop=on stopratio=0.95
run rank=adaptive rankf=3 fallback=min-r g=adaptive z=4 policy=PerCut W=20 stop=on
