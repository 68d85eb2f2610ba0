/// Property tests of the learner (LogitRank.Learning): the telescoping identity behind the witness search, learned models
/// being proper distributions inside their proved logit bound, exact JSON round trips, and the prefix-monotone uniform
/// fallback. The targets are drawn by the packaged ISAN generator (LogitRank.FsCheck) and shrink toward smaller specs;
/// FsCheck's falsifying example is the spec, which reproduces the instance.
module LogitRank.Properties.LearningProperties

open System
open FsCheck
open FsCheck.FSharp
open LogitRank.FsCheck
open LogitRank.Learning
open LogitRank.Models
open LogitRank.Oracles
open LogitRank.Sequences

let private schedule () =
    PracticalSchedule(MaxEpochs = 30, ValidationSamples = 12, SpannerSampleCount = 12, WitnessThreshold = 1e-6)

/// Exact-rank ISANs with k^T <= 256 (k = 2 up to T = 8, k = 5 up to T = 3; d in 1..6), shrinking toward smaller specs.
let private isans = Arb.fromGenShrink (Generators.isanSpecWith 256, Shrinkers.isanSpec)

/// The target of a spec and the model learned from it (learner seed: the spec's seed).
let private learnIsan (spec: IsanSpec) =
    let target = spec.ToModel()
    let result = LogitRankLearner().Learn(ModelOracle(target), schedule (), spec.Seed)
    target, result.Model

let private randomPrefix (random: Random) (k: int) (length: int) =
    Prefix.From(Array.init length (fun _ -> random.Next k))

/// Σ_{s=1}^{t-1} res_s(a), the residuals recomputed from the target, must equal lhat_raw(y)[a] - l(y)[a] for every prefix
/// y (feasible or not: the identity is algebraic in the coefficients). Tolerance: 1e-9 relative to the largest term
/// Σ_i |c_{s,i}|·|l| — rounding of sums of at most T·(d+1) products is ~1e-15 of that; an index error is O(1).
[<SeededProperty(Runs = 15)>]
let ``telescoping identity holds on random prefixes of learned ISANs`` () =
    // T >= 2: the identity is about prefixes of lengths 1..T-1.
    Prop.forAll (isans |> Arb.filter (fun s -> s.Horizon >= 2)) (fun spec ->
        let target, model = learnIsan spec
        let k = target.AlphabetSize
        let random = Random(spec.Seed)
        seq {
            for _ in 1..10 do
                let t = 1 + random.Next(target.Horizon - 1)
                let y = randomPrefix random k t
                let c = model.Reconstruct y
                let p s =
                    let basis = model.Bases.[s]
                    let path = y.Slice(s, t - s)
                    let values = Array.zeroCreate k
                    let mutable scale = 0.0
                    for i in 0 .. basis.Size - 1 do
                        let l = target.NextTokenLogits(basis.Histories.[i].Concat path)
                        for a in 0 .. k - 1 do
                            values.[a] <- values.[a] + c.Coefficient(s, i) * l.[a]
                            scale <- max scale (abs (c.Coefficient(s, i)) * abs l.[a] * float basis.Size)
                    values, scale
                let sum = Array.zeroCreate k
                let mutable scale = 0.0
                for s in 1 .. t - 1 do
                    let cur, s1 = p s
                    let prev, s0 = p (s - 1)
                    scale <- max scale (max s0 s1)
                    for a in 0 .. k - 1 do
                        sum.[a] <- sum.[a] + cur.[a] - prev.[a]
                let raw = model.Engine.PredictRaw(y, c)
                let l = target.NextTokenLogits y
                yield Seq.forall (fun a -> abs (sum.[a] - (raw.[a] - l.[a])) <= 1e-9 * max 1.0 (scale * float t)) (seq { 0 .. k - 1 })
        }
        |> Seq.forall id)

/// A learned model is a distribution on Σ^T (probabilities sum to 1 up to rounding of k^T <= 256 terms) and every
/// logit lies within the proved LogitBound.
[<SeededProperty(Runs = 15)>]
let ``learned models are proper distributions inside their logit bound`` () =
    Prop.forAll isans (fun spec ->
        let _, model = learnIsan spec
        let total =
            SequenceSpace.All(model.AlphabetSize, model.Horizon) |> Seq.sumBy (fun y -> exp (model.LogProbability y))
        let inside =
            SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1)
            |> Seq.forall (fun h -> model.NextTokenLogits(h).ToArray() |> Array.forall (fun v -> abs v <= model.LogitBound))
        abs (total - 1.0) <= 1e-9 && inside)

/// Save then load restores bit-identical probabilities at every prefix.
[<SeededProperty(Runs = 10)>]
let ``json round trip preserves every probability bit for bit`` () =
    Prop.forAll isans (fun spec ->
        let _, model = learnIsan spec
        let loaded = LearnedModel.FromJson(model.ToJson())
        SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1)
        |> Seq.forall (fun h -> model.NextTokenLogits(h).Probabilities() = loaded.NextTokenLogits(h).Probabilities()))

/// With one spanner sample per cut on a full-rank tabular target, infeasible LPs occur; under the uniform fallback
/// infeasibility is inherited by every extension and the logits there are exactly 0.
[<SeededProperty(Runs = 10)>]
let ``uniform fallback is prefix-monotone`` (seed: int) =
    let target = TabularModel.Random(2, 5, seed)
    let sched = PracticalSchedule(MaxEpochs = 2, ValidationSamples = 4, SpannerSampleCount = 1)
    let model = LogitRankLearner().Learn(ModelOracle(target), sched, seed).Model
    SequenceSpace.AllUpTo(2, 3)
    |> Seq.forall (fun h ->
        model.IsFeasible h
        || ((model.NextTokenLogits(h).ToArray() |> Array.forall (fun v -> v = 0.0))
            && [ 0; 1 ] |> List.forall (fun a -> not (model.IsFeasible(h.Append a)))))

/// Issue 15: the incremental reconstruction against the whole prefix's LP solved from scratch, on random prefixes of
/// models learned from random exact and perturbed ISANs (a few epochs and few spanner samples, so that infeasible
/// prefixes and whole-prefix solves occur): the chain's residual is within [r*, r* + (t-1)·slack·scale + 1e-9·scale] of the
/// whole LP's optimum r* (L10, Claim 1; 1e-9·scale is the LP's own tolerance), except below a prefix the uniform fallback
/// settled as infeasible by a dual certificate, where both exceed τ_lp (Claim 2); and where the optimum is an exact fit
/// of full-rank blocks (the single optimal point) the coefficients agree to 1e-7.
[<SeededProperty(Runs = 12)>]
let ``incremental reconstruction matches the whole-prefix LP`` () =
    let specs = Arb.fromGen (Generators.isanSpecWith 512)
    Prop.forAll specs (fun spec ->
        let target =
            if spec.Seed % 2 = 0 then spec.ToModel() :> ISequenceModel
            else PerturbedModel.RandomIsan(spec.AlphabetSize, spec.Horizon, spec.StateDimension, 0.05, spec.Seed, 2.0) :> ISequenceModel
        let sched = PracticalSchedule(MaxEpochs = 4, ValidationSamples = 6, SpannerSampleCount = 4, WitnessThreshold = 1e-3)
        let model = LogitRankLearner().Learn(ModelOracle(target), sched, spec.Seed).Model
        let engine = model.Engine
        let scale = model.Bases |> Seq.map (fun b -> b.MaxAbsEntry) |> Seq.max
        let random = Random(spec.Seed)
        let certified (y: Prefix) =
            seq { 2 .. y.Length } |> Seq.exists (fun l -> engine.Solve(y.Take l).Route = ReconstructionRoute.CertifiedInfeasible)
        seq {
            for _ in 1 .. 25 do
                if target.Horizon >= 3 then
                    let t = 2 + random.Next(target.Horizon - 2)
                    let y = target.Sample(random).Take t
                    let chain = engine.Solve y
                    let whole = engine.SolveWhole y
                    let lp = 1e-9 * scale
                    if certified y then
                        yield not chain.Feasible && not whole.Feasible && chain.Residual >= whole.Residual - lp
                    else
                        let slack = float (t - 1) * Reconstructor.GreedySlack * scale
                        let near = chain.Residual >= whole.Residual - lp && chain.Residual <= whole.Residual + slack + lp
                        let same =
                            chain.Route <> ReconstructionRoute.LeastSquares || whole.Residual > 1e-12 * scale || spec.Seed % 2 = 1
                            || seq { 1 .. t - 1 } |> Seq.forall (fun s ->
                                seq { 0 .. model.Bases.[s].Size - 1 } |> Seq.forall (fun i -> abs (chain.Coefficient(s, i) - whole.Coefficient(s, i)) <= 1e-7))
                        yield near && same
        }
        |> Seq.forall id)

/// Issue 14 (proofs-notes/lp-reconstruction.md, L11): under the least-squares reconstruction, on random prefixes of models
/// learned from random exact and perturbed ISANs (rebuilt with ReconstructionMethod.LeastSquares, ridge 0 or 0.01 per cut),
/// the reported Residual equals the largest absolute equation residual of the LP's equations at the returned
/// coefficients, recomputed here from the public stored rows and future sets; every coefficient is in the box; and
/// Feasible is Residual <= τ_lp. Tolerance 1e-12 of 1 + scale·Σ|c| (the same products summed in another order).
[<SeededProperty(Runs = 12)>]
let ``least-squares residual is the largest recomputed equation residual`` () =
    let specs = Arb.fromGen (Generators.isanSpecWith 512)
    Prop.forAll specs (fun spec ->
        let target =
            if spec.Seed % 2 = 0 then spec.ToModel() :> ISequenceModel
            else PerturbedModel.RandomIsan(spec.AlphabetSize, spec.Horizon, spec.StateDimension, 0.05, spec.Seed, 2.0) :> ISequenceModel
        let sched = PracticalSchedule(MaxEpochs = 4, ValidationSamples = 6, SpannerSampleCount = 4, WitnessThreshold = 1e-3, Fallback = FallbackPolicy.MinimumResidual)
        let learned = LogitRankLearner().Learn(ModelOracle(target), sched, spec.Seed).Model
        let ridge = Array.create learned.Horizon (if spec.Seed % 3 = 0 then 0.01 else 0.0)
        let options = LearnedModelOptions(learned.Options.Beta, learned.Options.LpTolerance, FallbackPolicy.MinimumResidual, Method = ReconstructionMethod.LeastSquares, Ridge = ridge)
        let model = LearnedModel(learned.FutureSets, learned.Bases, options)
        let futures = model.FutureSets
        let scale = model.Bases |> Seq.map (fun b -> b.MaxAbsEntry) |> Seq.fold max 1.0
        let random = Random(spec.Seed)
        seq {
            for _ in 1 .. 25 do
                if target.Horizon >= 2 then
                    let t = 1 + random.Next(target.Horizon - 1)
                    let y = target.Sample(random).Take t
                    let result = model.Reconstruct y
                    let residuals =
                        [ for s in 0 .. t - 2 do
                              let next = model.Bases.[s + 1]
                              let current = model.Bases.[s]
                              for w in futures.Future(s + 1) do
                                  let mutable e = 0.0
                                  for i in 0 .. next.Size - 1 do
                                      e <- e + result.Coefficient(s + 1, i) * next.[i, futures.IndexInExtended(s + 1, w)]
                                  for i in 0 .. current.Size - 1 do
                                      e <- e - result.Coefficient(s, i) * current.[i, futures.IndexInExtended(s, w.Prepend(y.[s]))]
                                  yield abs e ]
                    let recomputed = List.fold max 0.0 residuals
                    let coefficients = [ for s in 0 .. result.BlockCount - 1 do yield! result.CoefficientsAt s ]
                    let size = 1.0 + scale * (coefficients |> List.sumBy abs)
                    yield abs (recomputed - result.Residual) <= 1e-12 * size
                          && coefficients |> List.forall (fun c -> abs c <= model.Options.Beta)
                          && result.Feasible = (result.Residual <= model.Options.LpTolerance)
        }
        |> Seq.forall id)
