#!/bin/bash
# Goals (a) and (b): charlm-dev at T = 4 (exact TV) and T = 6 (hold-out certificate), prototype settings.
R="dotnet /work/wt14r/bench/LogitRank.Research/bin/Release/net10.0/LogitRank.Research.dll"
C="fallback=min-r g=adaptive z=4 policy=Leverage W=4 Wc=4 reuse=on recon=l2seq n=16 K=1"
echo "### T=4 today's learner (CLI defaults) for reference: see report"
for cfg in "rank=auto Ns=200 exhaustive=200 f2=on f2max=1" "rank=auto Ns=200 exhaustive=200 f2=on f2max=1 f2groups=2" "rank=auto Ns=200 exhaustive=200 f2=on f2max=1 f2groups=4" "rank=auto Ns=120 exhaustive=200 f2=on f2max=1 f2groups=4" "rank=auto Ns=300 exhaustive=300 f2=on f2max=1 f2groups=2" "rank=adaptive rankf=3 Ns=200 exhaustive=200 f2=on f2max=1 f2groups=4" "fixedrank=64 Ns=200 exhaustive=200 f2=on f2max=1 f2groups=4"; do
  echo "== charlm:T=4 $C $cfg"; $R learn charlm:T=4 $C $cfg cert=1000 2>&1 | grep -E '^last|hold-out'
done
for cfg in "Ns=150 f2groups=4" "Ns=300 f2groups=4" "Ns=300 f2groups=8" "Ns=600 f2groups=4"; do
  echo "== charlm:T=6 $C rank=auto exhaustive=600 f2=on f2max=1 $cfg"; $R learn charlm:T=6 $C rank=auto exhaustive=600 f2=on f2max=1 $cfg eval=none cert=1000 2>&1 | grep -E '^last|hold-out'
done
echo "== charlm:T=6 with witnesses under a 1% budget"
$R learn charlm:T=6 fallback=min-r g=adaptive z=4 policy=Leverage W=20 Wc=1 reuse=on recon=l2seq n=16 K=30 rank=auto exhaustive=600 f2=on f2max=1 Ns=600 f2groups=4 eval=none cert=1000 budget=346368 2>&1 | grep -E '^last|^best|hold-out|certifying'
