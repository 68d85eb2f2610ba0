/// Shrinkers toward smaller alphabets, horizons and state dimensions, simpler seeds and round parameters.
/// Every shrink keeps the spec valid and k^T no larger than before.
module LogitRank.FsCheck.Shrinkers

/// Candidates strictly between `target` and `x`, then `target` first: target, the midpoint, x - 1 (toward target).
let towards (target: int) (x: int) : seq<int> =
    if x = target then
        Seq.empty
    else
        let step = if x > target then x - 1 else x + 1
        [ target; target + (x - target) / 2; step ] |> Seq.distinct |> Seq.filter (fun v -> v <> x)

/// Seeds shrink toward 0 by halving.
let seed (s: int) : seq<int> =
    if s = 0 then Seq.empty else [ 0; s / 2 ] |> Seq.distinct |> Seq.filter (fun v -> v <> s)

/// A float parameter shrinks to one canonical value (if different).
let toValue (canonical: float) (x: float) : seq<float> =
    if x = canonical then Seq.empty else Seq.singleton canonical

/// Shrinks an ISAN spec: k toward 2, T toward 1, d toward 1, the seed toward 0, the scale toward 1.
let isanSpec (s: IsanSpec) : seq<IsanSpec> =
    seq {
        for k in towards 2 s.AlphabetSize -> { s with AlphabetSize = k }
        for t in towards 1 s.Horizon -> { s with Horizon = t }
        for d in towards 1 s.StateDimension -> { s with StateDimension = d }
        for x in seed s.Seed -> { s with Seed = x }
        for c in toValue 1.0 s.LogitScale -> { s with LogitScale = c }
    }

/// Shrinks a noisy-parity spec: n toward 1, the seed toward 0, ν toward 0.25.
let noisyParitySpec (s: NoisyParitySpec) : seq<NoisyParitySpec> =
    seq {
        for n in towards 1 s.Bits -> { s with Bits = n }
        for x in seed s.Seed -> { s with Seed = x }
        for nu in toValue 0.25 s.Noise -> { s with Noise = nu }
    }

/// Shrinks an HMM spec: S toward 1, k toward 2, T toward 1, the seed toward 0, the concentration toward 1.
let hmmSpec (s: HmmSpec) : seq<HmmSpec> =
    seq {
        for n in towards 1 s.States -> { s with States = n }
        for k in towards 2 s.AlphabetSize -> { s with AlphabetSize = k }
        for t in towards 1 s.Horizon -> { s with Horizon = t }
        for x in seed s.Seed -> { s with Seed = x }
        for c in toValue 1.0 s.Concentration -> { s with Concentration = c }
    }

/// Shrinks a perturbed-ISAN spec: the ISAN as above, the seed toward 0, ε toward 0.1.
let perturbedIsanSpec (s: PerturbedIsanSpec) : seq<PerturbedIsanSpec> =
    seq {
        for i in isanSpec s.Isan -> { s with Isan = i }
        for x in seed s.Seed -> { s with Seed = x }
        for e in toValue 0.1 s.Epsilon -> { s with Epsilon = e }
    }

/// Shrinks a tabular spec: k toward 2, T toward 1, the seed toward 0, the scale toward 1.
let tabularSpec (s: TabularSpec) : seq<TabularSpec> =
    seq {
        for k in towards 2 s.AlphabetSize -> { s with AlphabetSize = k }
        for t in towards 1 s.Horizon -> { s with Horizon = t }
        for x in seed s.Seed -> { s with Seed = x }
        for c in toValue 1.0 s.Scale -> { s with Scale = c }
    }

/// Shrinks within the spec's family.
let modelSpec (spec: ModelSpec) : seq<ModelSpec> =
    match spec with
    | Isan s -> isanSpec s |> Seq.map Isan
    | NoisyParity s -> noisyParitySpec s |> Seq.map NoisyParity
    | Hmm s -> hmmSpec s |> Seq.map Hmm
    | PerturbedIsan s -> perturbedIsanSpec s |> Seq.map PerturbedIsan
    | Tabular s -> tabularSpec s |> Seq.map Tabular

/// Shrinks a vector by zeroing one entry at a time (keeps the length, so k stays fixed).
let vector (v: float[]) : seq<float[]> =
    seq {
        for i in 0 .. v.Length - 1 do
            if v.[i] <> 0.0 then
                yield Array.updateAt i 0.0 v
    }
