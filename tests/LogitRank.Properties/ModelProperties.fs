module LogitRank.Properties.ModelProperties

open System
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open LogitRank.FsCheck
open LogitRank.Models
open LogitRank.Numerics
open LogitRank.Sequences

/// Singular values at or below this fraction of σ_1 count as zero (same justification as the C# tests: entries are
/// accurate to ~1e-15 relative, the SVD is backward stable, so spurious singular values stay below ~1e-12·σ_1).
let rankTolerance = 1e-9

let private span (a: float[]) = ReadOnlySpan a

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 300)>]
let ``centered logits sum to zero`` (RawLogits raw) =
    let c = LogSpace.Center(span raw)
    let magnitude = raw |> Array.map abs |> Array.max

    // Entries ≤ 80 in magnitude; the compensated mean is exact to ~1 ulp, each subtraction adds ≤ ½ ulp, so the
    // sum of k ≤ 5 entries is within ~k·ulp(80) ≈ 1e-13.
    abs (Array.sum c) <= 1e-14 * (1.0 + magnitude) * float raw.Length
    |> Prop.label (sprintf "sum = %g" (Array.sum c))

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 300)>]
let ``softmax of centered logits equals softmax of raw logits`` (RawLogits raw) =
    let a = LogSpace.LogSoftmax(span raw)
    let b = LogSpace.LogSoftmax(span (LogSpace.Center(span raw)))

    // Log-softmax differs only through rounding of x - mean and of logsumexp: a few ulps of |x| ≤ 80 and of
    // |log p| ≤ 130, so 1e-12 absolute is generous; probabilities then agree to 1e-12 relative.
    Array.forall2 (fun x y -> abs (x - y) <= 1e-12) a b
    && LogitVector.FromLogits(span raw).MaxAbsDifference(LogitVector.FromLogits(span (LogSpace.Center(span raw)))) <= 1e-12

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 300)>]
let ``probability vectors are positive, normalised and round-trip through logits`` (ProbabilityVector p) =
    let back = LogitVector.FromProbabilities(span p).Probabilities()
    Array.forall (fun v -> v > 0.0) p
    && abs (Array.sum p - 1.0) <= 1e-12
    // log and exp each add ~1 ulp relative error on values of magnitude ≤ 130: 1e-12 relative.
    && Array.forall2 (fun x y -> abs (x - y) <= 1e-12 * x) p back

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 300)>]
let ``logit vectors are centered and reproduce their probabilities`` (v: LogitVector) =
    let values = v.ToArray()
    abs (Array.sum values) <= 1e-12
    && abs (Array.sum (v.Probabilities()) - 1.0) <= 1e-12

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 30)>]
let ``every generated model is a probability distribution over Σ^T`` (spec: ModelSpec) =
    let model = spec.ToModel()
    let total = Exact.sequenceProbabilities model |> Array.sumBy snd

    // ≤ 4096 terms, each exp of a sum of ≤ 12 log-probabilities accurate to a few ulps: relative error ≤ 1e-13
    // per term, so the total is within ~1e-12 of 1; 1e-9 is a wide margin that still catches any normalisation bug.
    (spec.SequenceCount <= int64 Generators.DefaultMaxSequences && abs (total - 1.0) <= 1e-9)
    |> Prop.label (sprintf "total = %.17g" total)

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 100)>]
let ``log-probability is the sum of next-token log-probabilities`` (x: ModelWithSequence) =
    let model = x.Spec.ToModel()
    let y = x.Sequence
    let chain =
        [ 0 .. y.Length - 1 ]
        |> List.sumBy (fun t -> log ((model.NextTokenProbabilities(y.Take t)).[y.[t]]))

    // ≤ 12 terms of magnitude ≤ ~60 by two formulas: agreement to 1e-11 absolute.
    abs (chain - model.LogProbability y) <= 1e-11
    |> Prop.label (sprintf "chain %g vs %g" chain (model.LogProbability y))

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 50)>]
let ``sampling is a function of the seed and yields sequences of length T`` (spec: ModelSpec) (seed: int) =
    let model = spec.ToModel()
    let a = model.SampleMany(20, seed)
    let b = model.SampleMany(20, seed)
    Seq.forall2 (=) a b
    && a |> Seq.forall (fun y -> y.Length = model.Horizon && Seq.forall (fun t -> t >= 0 && t < model.AlphabetSize) y)

/// ISAN specs with k^T <= 1024 (rank checks build every cut's logit matrix).
let private smallIsans =
    Arb.fromGenShrink (Generators.isanSpecWith 1024, Shrinkers.isanSpec)

[<SeededProperty(Runs = 25)>]
let ``ISAN logit matrices have rank at most d, and for d >= 2 exactly min(d, k^s, k^(T-s) - 1)`` () =
    Prop.forAll smallIsans (fun spec ->
        let model = spec.ToModel()
        let k, horizon, d = int64 spec.AlphabetSize, spec.Horizon, int64 spec.StateDimension
        [ 0 .. horizon - 1 ]
        |> List.forall (fun s ->
            let rank = Exact.logitMatrix model s |> Exact.numericalRank rankTolerance |> int64
            let generic = min d (min (pown k s) (pown k (horizon - s) - 1L))
            // d = 1 is not generic: a normalised 1-dimensional Gaussian row is ±logitScale, so the read-out rows
            // coincide with positive probability and a cut can have rank 0 (regression found by this property,
            // pinned in TimeVaryingIsanTests.Random_isan_with_d_1_has_sign_readouts_and_can_be_degenerate).
            rank <= d && (d = 1L || rank = generic)))

[<SeededProperty(Runs = 25)>]
let ``noisy parity has logit rank exactly 1 at every cut with entries 0 or ±B`` () =
    Prop.forAll (Arb.fromGenShrink (Generators.noisyParitySpecWith 1024, Shrinkers.noisyParitySpec)) (fun spec ->
        let model = spec.ToModel()
        let b = 0.5 * log ((1.0 - spec.Noise) / spec.Noise)
        [ 0 .. model.Horizon - 1 ]
        |> List.forall (fun s ->
            let m = Exact.logitMatrix model s
            Exact.numericalRank rankTolerance m = 1
            // B computed by the same formula here as in the model: entries agree to rounding (1e-15 relative).
            && m.Enumerate() |> Seq.forall (fun v -> v = 0.0 || abs (abs v - b) <= 1e-14 * b)))

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 30)>]
let ``a perturbed ISAN is within epsilon of its base at every prefix`` (spec: PerturbedIsanSpec) =
    let model = spec.ToModel()
    let baseModel = spec.Isan.ToModel()
    SequenceSpace.AllUpTo(model.AlphabetSize, model.Horizon - 1)
    |> Seq.forall (fun h -> model.NextTokenLogits(h).MaxAbsDifference(baseModel.NextTokenLogits h) <= spec.Epsilon)

/// Pr[y_1..y_t] by summing over all hidden paths (independent of the forward algorithm).
let private bruteForce (hmm: HiddenMarkovModel) (y: Prefix) =
    SequenceSpace.All(hmm.States, y.Length)
    |> Seq.sumBy (fun path ->
        let mutable p = 1.0
        for t in 0 .. y.Length - 1 do
            p <- p * (if t = 0 then hmm.Initial path.[0] else hmm.Transition(path.[t - 1], path.[t]))
            p <- p * hmm.Emission(path.[t], y.[t])
        p)

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 25)>]
let ``HMM forward logits equal brute-force marginalisation`` (spec: HmmSpec) =
    // Keep S^T small enough to enumerate hidden paths: horizon at most 4.
    let spec = { spec with Horizon = min spec.Horizon 4 }
    let hmm = spec.ToModel()
    SequenceSpace.AllUpTo(hmm.AlphabetSize, hmm.Horizon - 1)
    |> Seq.forall (fun h ->
        let marginal = bruteForce hmm h
        let conditional = Array.init hmm.AlphabetSize (fun z -> bruteForce hmm (h.Append z) / marginal)

        // Sums of ≤ 625 positive products: relative error ~1e-13; logs of ratios agree to ~1e-12. Peaked rows
        // (concentration 0.1) give logits up to ~15 in magnitude, still well within 1e-9.
        LogitVector.FromProbabilities(span conditional).MaxAbsDifference(hmm.NextTokenLogits h) <= 1e-9)

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 100)>]
let ``shrinking keeps specs valid and never grows the sequence space`` (spec: ModelSpec) =
    Shrinkers.modelSpec spec
    |> Seq.forall (fun smaller ->
        let model = smaller.ToModel() // throws on an invalid spec
        smaller <> spec
        && smaller.SequenceCount <= spec.SequenceCount
        && (model.AlphabetSize, model.Horizon) = Generators.shape smaller)

[<SeededProperty(Arbitrary = [| typeof<Arbitraries> |], Runs = 100)>]
let ``generated specs respect the enumeration bound`` (spec: ModelSpec) =
    spec.SequenceCount <= int64 Generators.DefaultMaxSequences
