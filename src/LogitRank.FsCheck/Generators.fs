/// FsCheck 3 generators and shrinkers of model specs, logit vectors, probability vectors and prefixes.
/// Every model is built from a spec by a seeded constructor, so a failing case prints a spec that reproduces it.
module LogitRank.FsCheck.Generators

open FsCheck
open FsCheck.FSharp
open LogitRank.Numerics
open LogitRank.Sequences

/// The default bound on k^T for generated models: small enough that Σ^T can be enumerated exactly.
[<Literal>]
let DefaultMaxSequences = 4096

/// The largest alphabet size the generators produce.
[<Literal>]
let MaxAlphabetSize = 5

/// A prefix over an alphabet of `k` tokens with length in `0..maxLength`.
let prefix (k: int) (maxLength: int) : Gen<Prefix> =
    gen {
        let! n = Gen.choose (0, maxLength)
        let! tokens = Gen.arrayOfLength n (Gen.choose (0, k - 1))
        return Prefix.From tokens
    }

/// A sequence over `k` tokens of exactly `length` tokens.
let sequence (k: int) (length: int) : Gen<Prefix> =
    Gen.arrayOfLength length (Gen.choose (0, k - 1)) |> Gen.map Prefix.From

/// The largest horizon T with k^T <= maxSequences (at least 1).
let maxHorizon (k: int) (maxSequences: int) : int =
    let mutable t = 1
    while pown (int64 k) (t + 1) <= int64 maxSequences do
        t <- t + 1
    t

/// An alphabet size k in 2..5 and a horizon T >= 1 with k^T <= maxSequences (T = 1 is always allowed).
let alphabetAndHorizon (maxSequences: int) : Gen<int * int> =
    gen {
        let! k = Gen.choose (2, MaxAlphabetSize)
        let! t = Gen.choose (1, maxHorizon k maxSequences)
        return k, t
    }

/// A seed: small non-negative integers most of the time (they read well in failure reports), any int sometimes.
let seed: Gen<int> =
    Gen.frequency [ 3, Gen.choose (0, 1000); 1, Gen.choose (System.Int32.MinValue, System.Int32.MaxValue) ]

/// An ISAN spec with k^T <= maxSequences, d in 1..6 and logit scale in {0.25, 0.5, ..., 3}.
let isanSpecWith (maxSequences: int) : Gen<IsanSpec> =
    gen {
        let! k, t = alphabetAndHorizon maxSequences
        let! d = Gen.choose (1, 6)
        let! s = seed
        let! scale = Gen.choose (1, 12) |> Gen.map (fun q -> float q / 4.0)
        return
            { AlphabetSize = k
              Horizon = t
              StateDimension = d
              Seed = s
              LogitScale = scale }
    }

/// A noisy-parity spec with 2^(n+1) <= maxSequences and ν in {0.01, 0.02, ..., 0.49}.
let noisyParitySpecWith (maxSequences: int) : Gen<NoisyParitySpec> =
    gen {
        let! n = Gen.choose (1, max 1 (maxHorizon 2 maxSequences - 1))
        let! nu = Gen.choose (1, 49) |> Gen.map (fun q -> float q / 100.0)
        let! s = seed
        return { Bits = n; Noise = nu; Seed = s }
    }

/// An HMM spec with k^T <= maxSequences, S in 1..5 and concentration in {0.1, 0.2, ..., 5}.
let hmmSpecWith (maxSequences: int) : Gen<HmmSpec> =
    gen {
        let! k, t = alphabetAndHorizon maxSequences
        let! states = Gen.choose (1, 5)
        let! s = seed
        let! c = Gen.choose (1, 50) |> Gen.map (fun q -> float q / 10.0)
        return
            { States = states
              AlphabetSize = k
              Horizon = t
              Seed = s
              Concentration = c }
    }

/// A perturbed-ISAN spec with ε in {0, 0.01, ..., 1}.
let perturbedIsanSpecWith (maxSequences: int) : Gen<PerturbedIsanSpec> =
    gen {
        let! isan = isanSpecWith maxSequences
        let! eps = Gen.choose (0, 100) |> Gen.map (fun q -> float q / 100.0)
        let! s = seed
        return { Isan = isan; Epsilon = eps; Seed = s }
    }

/// A tabular spec with k^T <= maxSequences (the table has (k^T - 1)/(k - 1) rows) and scale in {0.25, ..., 4}.
let tabularSpecWith (maxSequences: int) : Gen<TabularSpec> =
    gen {
        let! k, t = alphabetAndHorizon maxSequences
        let! s = seed
        let! scale = Gen.choose (1, 16) |> Gen.map (fun q -> float q / 4.0)
        return
            { AlphabetSize = k
              Horizon = t
              Seed = s
              Scale = scale }
    }

/// A spec of any family (uniform over the five families).
let modelSpecWith (maxSequences: int) : Gen<ModelSpec> =
    Gen.oneof
        [ isanSpecWith maxSequences |> Gen.map Isan
          noisyParitySpecWith maxSequences |> Gen.map NoisyParity
          hmmSpecWith maxSequences |> Gen.map Hmm
          perturbedIsanSpecWith maxSequences |> Gen.map PerturbedIsan
          tabularSpecWith maxSequences |> Gen.map Tabular ]

/// `isanSpecWith DefaultMaxSequences`.
let isanSpec = isanSpecWith DefaultMaxSequences

/// `noisyParitySpecWith DefaultMaxSequences`.
let noisyParitySpec = noisyParitySpecWith DefaultMaxSequences

/// `hmmSpecWith DefaultMaxSequences`.
let hmmSpec = hmmSpecWith DefaultMaxSequences

/// `perturbedIsanSpecWith DefaultMaxSequences`.
let perturbedIsanSpec = perturbedIsanSpecWith DefaultMaxSequences

/// `tabularSpecWith DefaultMaxSequences`.
let tabularSpec = tabularSpecWith DefaultMaxSequences

/// `modelSpecWith DefaultMaxSequences`.
let modelSpec = modelSpecWith DefaultMaxSequences

/// The alphabet size and horizon of a spec.
let shape (spec: ModelSpec) : int * int =
    match spec with
    | Isan s -> s.AlphabetSize, s.Horizon
    | NoisyParity s -> 2, s.Bits + 1
    | Hmm s -> s.AlphabetSize, s.Horizon
    | PerturbedIsan s -> s.Isan.AlphabetSize, s.Isan.Horizon
    | Tabular s -> s.AlphabetSize, s.Horizon

/// A spec of any family together with one of its complete sequences.
let modelWithSequenceWith (maxSequences: int) : Gen<ModelWithSequence> =
    gen {
        let! spec = modelSpecWith maxSequences
        let k, t = shape spec
        let! y = sequence k t
        return { Spec = spec; Sequence = y }
    }

/// Raw scores of length k: a common offset in [-50, 50] plus entries in [-scale, scale] (multiples of scale/1000),
/// with scale drawn from {0.001, 1, 10, 30}.
let rawLogits (k: int) : Gen<float[]> =
    gen {
        let! scale = Gen.elements [ 0.001; 1.0; 10.0; 30.0 ]
        let! offset = Gen.choose (-50, 50) |> Gen.map float
        let! entries = Gen.arrayOfLength k (Gen.choose (-1000, 1000))
        return entries |> Array.map (fun q -> offset + scale * float q / 1000.0)
    }

/// Centered logits of length k (sum 0 up to rounding): `LogSpace.Center` of `rawLogits k`.
let centeredLogits (k: int) : Gen<float[]> =
    rawLogits k |> Gen.map (fun raw -> LogSpace.Center(System.ReadOnlySpan raw))

/// A `LogitVector` of length k.
let logitVector (k: int) : Gen<LogitVector> =
    rawLogits k |> Gen.map (fun raw -> LogitVector.FromLogits(System.ReadOnlySpan raw))

/// A probability vector of length k: softmax of raw logits, so every entry is positive (entries can be as small as
/// e^-60 when the scale is 30) and the sum is 1 up to rounding.
let probabilityVector (k: int) : Gen<float[]> =
    rawLogits k |> Gen.map (fun raw -> LogSpace.Softmax(System.ReadOnlySpan raw))

/// An alphabet size in 2..5.
let alphabetSize: Gen<int> = Gen.choose (2, MaxAlphabetSize)
