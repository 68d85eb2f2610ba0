/// Properties of the exact and Monte Carlo divergences and of the per-step softmax bounds
/// (proofs-notes/chain-rule.md, hybrid-tv-bound.md, softmax-perturbation-bounds.md). Every property takes FsCheck-generated
/// integers that seed the models/vectors, so a failure prints the seeds that reproduce it.
module LogitRank.Properties.DivergenceProperties

open System
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open LogitRank.Evaluation
open LogitRank.Models
open LogitRank.Numerics

/// (k, T) pairs with k^T <= 1024, including k = 2 and T = 1 boundaries.
let private shapes = [| (2, 1); (2, 2); (2, 5); (2, 10); (3, 1); (3, 3); (3, 6); (4, 5); (5, 4); (10, 3); (32, 2) |]

let private pick (choices: 'a[]) (i: int) = choices.[((i % choices.Length) + choices.Length) % choices.Length]

/// A random model of family `family` (tabular at several logit scales, or a random time-varying ISAN).
let private model (k: int) (t: int) (family: int) (seed: int) : ISequenceModel =
    match ((family % 5) + 5) % 5 with
    | 0 -> TabularModel.Random(k, t, seed, 0.1) :> ISequenceModel
    | 1 -> TabularModel.Random(k, t, seed, 2.0) :> ISequenceModel
    | 2 -> TabularModel.Random(k, t, seed, 8.0) :> ISequenceModel
    | 3 -> TimeVaryingIsan.Random(k, t, 2, seed, 1.0) :> ISequenceModel
    | _ -> TimeVaryingIsan.Random(k, t, 3, seed, 4.0) :> ISequenceModel

let private pair shape familyP familyQ seedP seedQ =
    let (k, t) = pick shapes shape
    model k t familyP seedP, model k t familyQ seedQ

// Chain rule (an identity). The two sides are computed independently: ExactDivergence.SequenceLevel sums
// P(y)(log P(y) - log Q(y)) over the k^T complete sequences using LogProbability, PerStep walks the prefix tree with
// NextTokenLogits. Each log-probability carries a relative rounding error of a few ulps per step (T <= 10 steps), the
// sums are compensated, and the random pairs have KL >= ~1e-3 (different seeds) or exactly 0 on both sides (same
// model), so a relative tolerance of 1e-9 leaves a margin of about 1e4 over the expected error (~1e-13 relative).
[<SeededProperty(Runs = 60)>]
let ``chain-rule KL equals the enumerated KL`` (shape: int) (familyP: int) (familyQ: int) (seedP: int) (seedQ: int) =
    let p, q = pair shape familyP familyQ seedP seedQ
    let enumerated = ExactDivergence.KullbackLeibler(p, q)
    let chain = ExactDivergence.PerStep(p, q).ChainRuleKullbackLeibler
    abs (enumerated - chain) <= 1e-9 * max enumerated chain
    |> Prop.label (sprintf "k=%d T=%d enumerated=%.17g chain=%.17g" p.AlphabetSize p.Horizon enumerated chain)

// Hybrid argument: TV(P,Q) <= Σ_t E TV_t. Slack 1e-12 absolute: both sides are sums of at most 1024 terms in [0, 1].
// Pinsker (TV <= sqrt(KL/2), a classical theorem) cross-checks the two sequence-level computations against each other.
[<SeededProperty(Runs = 60)>]
let ``TV is at most the hybrid bound and obeys Pinsker`` (shape: int) (familyP: int) (familyQ: int) (seedP: int) (seedQ: int) =
    let p, q = pair shape familyP familyQ seedP seedQ
    let exact = ExactDivergence.SequenceLevel(p, q)
    let hybrid = ExactDivergence.PerStep(p, q).HybridTotalVariationBound
    (exact.TotalVariation <= hybrid + 1e-12
     && exact.TotalVariation <= sqrt (exact.KullbackLeibler / 2.0) + 1e-12
     && exact.TotalVariation >= 0.0 && exact.TotalVariation <= 1.0 && exact.KullbackLeibler >= 0.0)
    |> Prop.label (sprintf "k=%d T=%d TV=%.17g hybrid=%.17g KL=%.17g" p.AlphabetSize p.Horizon exact.TotalVariation hybrid exact.KullbackLeibler)

// Σ_y P(y) = 1: at most 1024 terms, each with a relative error of a few ulps per step, so 1e-12 is ample.
[<SeededProperty(Runs = 40)>]
let ``enumerated probabilities sum to one`` (shape: int) (family: int) (seed: int) =
    let (k, t) = pick shapes shape
    let m = model k t family seed
    let total = ExactDivergence.LogProbabilities(m) |> Seq.sumBy Math.Exp
    abs (total - 1.0) <= 1e-12 |> Prop.label (sprintf "k=%d T=%d total=%.17g" k t total)

/// A pair of logit vectors from one seed, covering adversarial shapes: moderate and huge entries, one-hot-ish vectors,
/// near-identical pairs, and k = 2 (where the bounds are tight).
let private vectors (seed: int) =
    let rng = Random(seed)
    let k = if rng.Next(3) = 0 then 2 else rng.Next(2, 9)
    let gaussian scale = Array.init k (fun _ -> scale * (2.0 * rng.NextDouble() - 1.0))
    let oneHot () =
        let v = Array.zeroCreate k
        v.[rng.Next(k)] <- 10.0 + 690.0 * rng.NextDouble()
        v
    let raw () =
        match rng.Next(5) with
        | 0 -> gaussian 1.0
        | 1 -> gaussian 10.0
        | 2 -> gaussian 500.0
        | 3 -> oneHot ()
        | _ -> gaussian 0.01
    let u = raw ()
    let v =
        match rng.Next(4) with
        | 0 -> u |> Array.map (fun x -> x + 1e-8 * (2.0 * rng.NextDouble() - 1.0))
        | 1 -> u |> Array.map (fun x -> -x)
        | _ -> raw ()
    LogitVector.FromLogits(ReadOnlySpan u), LogitVector.FromLogits(ReadOnlySpan v)

// Per-step bounds (proofs-notes/softmax-perturbation-bounds.md) and the specification's weaker forms.
// Rounding slack: KL is a sum of k <= 8 terms p_z (log p_z - log q_z) with |log p - log q| <= R + O(1), so its absolute
// error is below 1e-15·k·(1 + R); we allow 1e-12·(1 + R). TV is a sum of k terms in [0, 1]: 1e-14.
[<SeededProperty(Runs = 500)>]
let ``per-step TV and KL bounds hold on random and adversarial vectors`` (seed: int) =
    let u, v = vectors seed
    let e = Array.init u.Length (fun z -> u.[z] - v.[z])
    let supNorm = e |> Array.map abs |> Array.max
    let r = SoftmaxBounds.Oscillation(u, v)
    let tv = SoftmaxBounds.TotalVariation(u, v)
    let kl = SoftmaxBounds.KullbackLeibler(u, v)
    let klSlack = 1e-12 * (1.0 + r)
    (tv <= SoftmaxBounds.TotalVariationBound(r) + 1e-14
     && tv <= supNorm + 1e-14
     && SoftmaxBounds.TotalVariationBound(r) <= SoftmaxBounds.TotalVariationBoundFromSupNorm(supNorm) * (1.0 + 1e-13)
     && kl <= SoftmaxBounds.KullbackLeiblerBound(r) + klSlack
     && kl <= r + klSlack
     && SoftmaxBounds.KullbackLeiblerBound(r) <= r
     && SoftmaxBounds.KullbackLeiblerBound(r) <= SoftmaxBounds.KullbackLeiblerBoundFromSupNorm(supNorm) * (1.0 + 1e-13)
     && kl >= 0.0 && tv >= 0.0 && tv <= 1.0
     && tv <= sqrt (kl / 2.0) + 1e-7)
    |> Prop.label (sprintf "k=%d R=%.17g sup=%.17g TV=%.17g KL=%.17g" u.Length r supNorm tv kl)

// The bounds are non-decreasing in R (the proof's supremum is over a growing set); checked across the branch points
// 1e-3 and 30 of KullbackLeiblerBound with a relative slack of 1e-13 for the outward rounding.
[<SeededProperty(Runs = 300)>]
let ``bounds are monotone in the oscillation`` (a: int) (b: int) =
    let toR (i: int) = Math.Pow(10.0, float (((i % 2000) + 2000) % 2000) / 250.0 - 5.0) // 1e-5 .. 1e3
    let r1, r2 = min (toR a) (toR b), max (toR a) (toR b)
    (SoftmaxBounds.KullbackLeiblerBound(r1) <= SoftmaxBounds.KullbackLeiblerBound(r2) * (1.0 + 1e-13)
     && SoftmaxBounds.TotalVariationBound(r1) <= SoftmaxBounds.TotalVariationBound(r2) * (1.0 + 1e-13))
    |> Prop.label (sprintf "R1=%.17g R2=%.17g" r1 r2)

// Monte Carlo per-sample values: each per-sample TV lies in [0, T] (the range used by the bounds), and the per-sample
// KL value of a sample equals the sum of its per-step values.
[<SeededProperty(Runs = 30)>]
let ``Monte Carlo per-sample values respect their ranges`` (shape: int) (familyP: int) (familyQ: int) (seedP: int) (seedQ: int) (seed: int) =
    let p, q = pair shape familyP familyQ seedP seedQ
    let result = MonteCarloDivergence.Estimate(p, q, 20, Random(seed), 0.1)
    let t = float p.Horizon
    (result.HybridTotalVariation.Samples |> Seq.forall (fun x -> x >= 0.0 && x <= t)
     && Seq.forall2 (fun (x: float) (steps: Collections.Generic.IReadOnlyList<float>) -> abs (x - Seq.sum steps) <= 1e-12 * (1.0 + x))
            result.KullbackLeibler.Samples result.SampleStepKullbackLeibler)
    |> Prop.label (sprintf "k=%d T=%d" p.AlphabetSize p.Horizon)
