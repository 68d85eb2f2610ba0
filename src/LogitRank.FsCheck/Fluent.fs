namespace LogitRank.FsCheck.Fluent

open System
open System.Runtime.InteropServices
open FsCheck
open FsCheck.FSharp
open LogitRank.FsCheck
open LogitRank.Models
open LogitRank.Numerics
open LogitRank.Sequences

/// <summary>
/// The generators of <c>LogitRank.FsCheck</c> for C# (as FsCheck's <c>FsCheck.Fluent</c> beside <c>FsCheck.FSharp</c>):
/// static methods with optional arguments that return FsCheck's <see cref="T:FsCheck.Gen`1"/>, and seeded sampling
/// that returns arrays. No F# type (list, option, function, tuple) appears in a signature. The values are the same as
/// the F# module <c>Generators</c> produces; every model is built from its spec by a seeded constructor, so printing a
/// spec reproduces the model.
/// </summary>
/// <remarks>
/// <c>maxSequences</c> bounds the number <c>k^T</c> of complete sequences of every generated model (alphabet size
/// <c>k</c> in 2..5, horizon <c>T</c>), so that <c>Σ^T</c> can be enumerated exactly; it must be at least 5, the
/// largest alphabet size, so that every family has a spec within the bound.
/// </remarks>
[<AbstractClass; Sealed>]
type ModelGen =
    static member internal CheckMaxSequences(maxSequences: int) =
        if maxSequences < Generators.MaxAlphabetSize then
            raise (
                ArgumentOutOfRangeException(
                    nameof maxSequences,
                    maxSequences,
                    sprintf "Expected a bound k^T of at least %d (the largest alphabet size), got %d." Generators.MaxAlphabetSize maxSequences
                )
            )

    static member internal CheckAlphabet(alphabetSize: int) =
        if alphabetSize < 2 then
            raise (ArgumentOutOfRangeException(nameof alphabetSize, alphabetSize, sprintf "Expected an alphabet size of at least 2, got %d." alphabetSize))

    /// <summary>The default bound on <c>k^T</c>, 4096 (<c>Generators.DefaultMaxSequences</c>).</summary>
    static member DefaultMaxSequences: int = Generators.DefaultMaxSequences

    /// <summary>Random time-varying ISAN specs: <c>k^T &lt;= maxSequences</c>, state dimension <c>d</c> in 1..6 (the
    /// logit rank bound), logit scale in {0.25, 0.5, ..., 3}.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member Isan([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Gen<IsanSpec> =
        ModelGen.CheckMaxSequences maxSequences
        Generators.isanSpecWith maxSequences

    /// <summary>Noisy-parity specs: <c>k = 2</c>, <c>T = n + 1</c> with <c>2^T &lt;= maxSequences</c>, flip
    /// probability <c>ν</c> in {0.01, 0.02, ..., 0.49}.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member NoisyParity([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Gen<NoisyParitySpec> =
        ModelGen.CheckMaxSequences maxSequences
        Generators.noisyParitySpecWith maxSequences

    /// <summary>Random hidden Markov model specs: <c>k^T &lt;= maxSequences</c>, <c>S</c> in 1..5 hidden states,
    /// Dirichlet concentration in {0.1, 0.2, ..., 5}.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member Hmm([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Gen<HmmSpec> =
        ModelGen.CheckMaxSequences maxSequences
        Generators.hmmSpecWith maxSequences

    /// <summary>Perturbed random ISAN specs: an ISAN spec as <see cref="M:LogitRank.FsCheck.Fluent.ModelGen.Isan(System.Int32)"/>
    /// and a bound <c>ε</c> in {0, 0.01, ..., 1} on every centered logit change.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member PerturbedIsan([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Gen<PerturbedIsanSpec> =
        ModelGen.CheckMaxSequences maxSequences
        Generators.perturbedIsanSpecWith maxSequences

    /// <summary>Random tabular specs (full logit rank): <c>k^T &lt;= maxSequences</c>, raw logits uniform in
    /// <c>[-scale, scale]</c> with scale in {0.25, 0.5, ..., 4}.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member Tabular([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Gen<TabularSpec> =
        ModelGen.CheckMaxSequences maxSequences
        Generators.tabularSpecWith maxSequences

    /// <summary>Specs of any of the five families, each family with probability 1/5.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member AnyFamily([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Gen<ModelSpec> =
        ModelGen.CheckMaxSequences maxSequences
        Generators.modelSpecWith maxSequences

    /// <summary>A spec of any family with one of its complete sequences <c>y ∈ Σ^T</c>, uniform given the spec.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member ModelWithSequence([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Gen<ModelWithSequence> =
        ModelGen.CheckMaxSequences maxSequences
        Generators.modelWithSequenceWith maxSequences

    /// <summary>Prefixes over <c>alphabetSize</c> tokens with length uniform in <c>0..maxLength</c>.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    /// <param name="maxLength">The largest length (at least 0).</param>
    static member Prefix(alphabetSize: int, maxLength: int) : Gen<Prefix> =
        ModelGen.CheckAlphabet alphabetSize
        if maxLength < 0 then
            raise (ArgumentOutOfRangeException(nameof maxLength, maxLength, sprintf "Expected a length of at least 0, got %d." maxLength))
        Generators.prefix alphabetSize maxLength

    /// <summary>Centered logit vectors of length <c>alphabetSize</c>: raw scores (a common offset in [-50, 50] plus
    /// entries in <c>[-s, s]</c>, <c>s</c> in {0.001, 1, 10, 30}) centered by <c>LogitVector.FromLogits</c>.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    static member LogitVector(alphabetSize: int) : Gen<LogitVector> =
        ModelGen.CheckAlphabet alphabetSize
        Generators.logitVector alphabetSize

    /// <summary>Probability vectors of length <c>alphabetSize</c>: the softmax of raw scores as in
    /// <see cref="M:LogitRank.FsCheck.Fluent.ModelGen.LogitVector(System.Int32)"/>, so every entry is positive and the
    /// sum is 1 up to rounding.</summary>
    /// <param name="alphabetSize">The alphabet size <c>k &gt;= 2</c>.</param>
    static member ProbabilityVector(alphabetSize: int) : Gen<double[]> =
        ModelGen.CheckAlphabet alphabetSize
        Generators.probabilityVector alphabetSize

    /// <summary>Draws <c>count</c> values of <c>generator</c>, a function of <c>seed</c> alone: FsCheck's SplitMix
    /// generator <c>Rnd(seed, γ)</c> with the golden-ratio gamma <c>γ = 0x9E3779B97F4A7C15</c> and a fixed size.</summary>
    /// <param name="generator">The generator.</param>
    /// <param name="count">The number of values (at least 0).</param>
    /// <param name="seed">The seed (any value; the same seed gives the same values).</param>
    /// <param name="size">FsCheck's size, which size-dependent generators (lists, integers of FsCheck's defaults) read;
    /// the model generators of this class ignore it. Default 10.</param>
    /// <returns>The values, in drawing order.</returns>
    static member Sample<'T>(generator: Gen<'T>, count: int, seed: int, [<Optional; DefaultParameterValue(10)>] size: int) : 'T[] =
        if isNull (box generator) then
            raise (ArgumentNullException(nameof generator))
        if count < 0 then
            raise (ArgumentOutOfRangeException(nameof count, count, sprintf "Expected a count of at least 0, got %d." count))
        if size < 0 then
            raise (ArgumentOutOfRangeException(nameof size, size, sprintf "Expected a size of at least 0, got %d." size))
        Gen.sampleWithSeed (Rnd(uint64 (int64 seed), 0x9E3779B97F4A7C15UL)) size count generator

    /// <summary>Draws <c>count</c> model specs of any family (<see cref="M:LogitRank.FsCheck.Fluent.ModelGen.AnyFamily(System.Int32)"/>),
    /// a function of <c>seed</c> alone. <c>spec.ToModel()</c> builds each model; the spec prints its parameters.</summary>
    /// <param name="count">The number of specs (at least 0).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member SampleSpecs(count: int, seed: int, [<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : ModelSpec[] =
        ModelGen.Sample(ModelGen.AnyFamily maxSequences, count, seed)

    /// <summary>Draws <c>count</c> models of any family, a function of <c>seed</c> alone: the models of
    /// <see cref="M:LogitRank.FsCheck.Fluent.ModelGen.SampleSpecs(System.Int32,System.Int32,System.Int32)"/> with the same
    /// arguments, in the same order (sample the specs instead to print what failed).</summary>
    /// <param name="count">The number of models (at least 0).</param>
    /// <param name="seed">The seed.</param>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member SampleModels(count: int, seed: int, [<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : ISequenceModel[] =
        ModelGen.SampleSpecs(count, seed, maxSequences) |> Array.map (fun spec -> spec.ToModel())

/// <summary>
/// The arbitraries (generator and shrinker) of <c>LogitRank.FsCheck</c> for C#, for FsCheck's <c>Prop.ForAll</c>: the
/// generators of <see cref="T:LogitRank.FsCheck.Fluent.ModelGen"/> with the shrinkers of <c>Shrinkers</c>, which move
/// toward smaller <c>k</c>, <c>T</c>, <c>d</c>, <c>S</c>, seed 0 and round parameters and never enlarge <c>k^T</c>.
/// </summary>
[<AbstractClass; Sealed>]
type ModelArb =
    /// <summary>ISAN specs (<see cref="M:LogitRank.FsCheck.Fluent.ModelGen.Isan(System.Int32)"/>), shrinking.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member Isan([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Arbitrary<IsanSpec> =
        Arb.fromGenShrink (ModelGen.Isan maxSequences, Shrinkers.isanSpec)

    /// <summary>Noisy-parity specs (<see cref="M:LogitRank.FsCheck.Fluent.ModelGen.NoisyParity(System.Int32)"/>), shrinking.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member NoisyParity([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Arbitrary<NoisyParitySpec> =
        Arb.fromGenShrink (ModelGen.NoisyParity maxSequences, Shrinkers.noisyParitySpec)

    /// <summary>HMM specs (<see cref="M:LogitRank.FsCheck.Fluent.ModelGen.Hmm(System.Int32)"/>), shrinking.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member Hmm([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Arbitrary<HmmSpec> =
        Arb.fromGenShrink (ModelGen.Hmm maxSequences, Shrinkers.hmmSpec)

    /// <summary>Perturbed-ISAN specs (<see cref="M:LogitRank.FsCheck.Fluent.ModelGen.PerturbedIsan(System.Int32)"/>), shrinking.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member PerturbedIsan([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Arbitrary<PerturbedIsanSpec> =
        Arb.fromGenShrink (ModelGen.PerturbedIsan maxSequences, Shrinkers.perturbedIsanSpec)

    /// <summary>Tabular specs (<see cref="M:LogitRank.FsCheck.Fluent.ModelGen.Tabular(System.Int32)"/>), shrinking.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member Tabular([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Arbitrary<TabularSpec> =
        Arb.fromGenShrink (ModelGen.Tabular maxSequences, Shrinkers.tabularSpec)

    /// <summary>Specs of any family (<see cref="M:LogitRank.FsCheck.Fluent.ModelGen.AnyFamily(System.Int32)"/>),
    /// shrinking within the family.</summary>
    /// <param name="maxSequences">The bound on <c>k^T</c> (at least 5; default 4096).</param>
    static member AnyFamily([<Optional; DefaultParameterValue(Generators.DefaultMaxSequences)>] maxSequences: int) : Arbitrary<ModelSpec> =
        Arb.fromGenShrink (ModelGen.AnyFamily maxSequences, Shrinkers.modelSpec)
