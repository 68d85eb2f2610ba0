namespace LogitRank.FsCheck

open FsCheck
open FsCheck.FSharp
open LogitRank.Numerics

/// FsCheck arbitraries for the model specs and vectors, for `[<Property(Arbitrary = [| typeof<Arbitraries> |])>]`.
/// Model sizes obey k^T <= `Generators.DefaultMaxSequences`; specs shrink toward smaller k, T, d, S, n and seed 0.
type Arbitraries =
    /// Random ISAN specs.
    static member IsanSpec() : Arbitrary<IsanSpec> =
        Arb.fromGenShrink (Generators.isanSpec, Shrinkers.isanSpec)

    /// Noisy-parity specs.
    static member NoisyParitySpec() : Arbitrary<NoisyParitySpec> =
        Arb.fromGenShrink (Generators.noisyParitySpec, Shrinkers.noisyParitySpec)

    /// Random HMM specs.
    static member HmmSpec() : Arbitrary<HmmSpec> =
        Arb.fromGenShrink (Generators.hmmSpec, Shrinkers.hmmSpec)

    /// Perturbed-ISAN specs.
    static member PerturbedIsanSpec() : Arbitrary<PerturbedIsanSpec> =
        Arb.fromGenShrink (Generators.perturbedIsanSpec, Shrinkers.perturbedIsanSpec)

    /// Random tabular specs.
    static member TabularSpec() : Arbitrary<TabularSpec> =
        Arb.fromGenShrink (Generators.tabularSpec, Shrinkers.tabularSpec)

    /// Specs of any family.
    static member ModelSpec() : Arbitrary<ModelSpec> =
        Arb.fromGenShrink (Generators.modelSpec, Shrinkers.modelSpec)

    /// A spec with one of its complete sequences. When the spec shrinks, the sequence is cut to the new horizon
    /// and its tokens are clamped to the new alphabet.
    static member ModelWithSequence() : Arbitrary<ModelWithSequence> =
        let shrink (x: ModelWithSequence) =
            Shrinkers.modelSpec x.Spec
            |> Seq.map (fun s ->
                let k, t = Generators.shape s
                let tokens = x.Sequence |> Seq.truncate t |> Seq.map (fun token -> min token (k - 1))
                { Spec = s; Sequence = LogitRank.Sequences.Prefix.From tokens })
        Arb.fromGenShrink (Generators.modelWithSequenceWith Generators.DefaultMaxSequences, shrink)

    /// Raw score vectors of length 2..5.
    static member RawLogits() : Arbitrary<RawLogits> =
        let gen = Generators.alphabetSize |> Gen.bind Generators.rawLogits |> Gen.map RawLogits
        Arb.fromGenShrink (gen, (fun (RawLogits v) -> Shrinkers.vector v |> Seq.map RawLogits))

    /// Probability vectors of length 2..5.
    static member ProbabilityVector() : Arbitrary<ProbabilityVector> =
        Arb.fromGen (Generators.alphabetSize |> Gen.bind Generators.probabilityVector |> Gen.map ProbabilityVector)

    /// Centered logit vectors of length 2..5.
    static member LogitVector() : Arbitrary<LogitVector> =
        Arb.fromGen (Generators.alphabetSize |> Gen.bind Generators.logitVector)
