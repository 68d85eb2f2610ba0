#!/bin/bash
# Goal (c): perturbed ISANs with k^T >= 1e5: adaptive prototype vs baselines at the learner's spend and at 10% (capped).
R="dotnet /work/wt14r/bench/LogitRank.Research/bin/Release/net10.0/LogitRank.Research.dll"
CFG="K=40 rank=adaptive rankf=3 fallback=min-r g=adaptive z=4 policy=Leverage W=20 Wc=1 denoise=on reuse=on eval=mc recon=l2"
for kt in "3 12" "4 10" "4 12" "8 8" "8 10"; do
  set -- $kt
  for d in 3 4; do
    for e in 0.01 0.05 0.2; do
      T="perturbed:k=$1,T=$2,d=$d,eps=$e,seed=1"
      out=$($R learn $T $CFG budgets=0.1 2>&1)
      echo "$out" | grep -E '^#|^last|^best within'
      q=$(echo "$out" | grep '^best within' | sed -E 's/.*queries ([0-9,]+).*/\1/' | tr -d ,)
      $R baselines $T budget=$q exactlimit=0 | grep -v wall
    done
  done
done
