namespace LogitRank.FsCheck

open LogitRank.Models

/// Parameters of a random time-varying ISAN (`TimeVaryingIsan.Random`).
type IsanSpec =
    {
      /// The alphabet size k >= 2.
      AlphabetSize: int
      /// The horizon T >= 1.
      Horizon: int
      /// The state dimension d >= 1 (the logit rank bound).
      StateDimension: int
      /// The seed of the model's randomness.
      Seed: int
      /// The bound on raw scores; centered logits lie in [-2·scale, 2·scale].
      LogitScale: float }

    /// Builds the model (same spec, same model).
    member this.ToModel() : TimeVaryingIsan =
        TimeVaryingIsan.Random(this.AlphabetSize, this.Horizon, this.StateDimension, this.Seed, this.LogitScale)

/// Parameters of a noisy-parity model (`NoisyParity.Random`): k = 2, T = n + 1.
type NoisyParitySpec =
    {
      /// The number of input bits n >= 1.
      Bits: int
      /// The flip probability ν in (0, 1/2).
      Noise: float
      /// The seed of the secret.
      Seed: int }

    /// Builds the model.
    member this.ToModel() : NoisyParity = NoisyParity.Random(this.Bits, this.Noise, this.Seed)

/// Parameters of a random hidden Markov model (`HiddenMarkovModel.Random`).
type HmmSpec =
    {
      /// The number of hidden states S >= 1.
      States: int
      /// The alphabet size k >= 2.
      AlphabetSize: int
      /// The horizon T >= 1.
      Horizon: int
      /// The seed of the model's randomness.
      Seed: int
      /// The Dirichlet concentration of every row (small: peaked rows; large: near-uniform rows).
      Concentration: float }

    /// Builds the model (smoothing λ = 1e-3, the library default).
    member this.ToModel() : HiddenMarkovModel =
        HiddenMarkovModel.Random(this.States, this.AlphabetSize, this.Horizon, this.Seed, this.Concentration)

/// Parameters of a perturbed random ISAN (`PerturbedModel` over `TimeVaryingIsan.Random`).
type PerturbedIsanSpec =
    {
      /// The base ISAN.
      Isan: IsanSpec
      /// The bound ε >= 0 on every centered logit change (nats).
      Epsilon: float
      /// The seed of the perturbation hash.
      Seed: int }

    /// Builds the perturbed model.
    member this.ToModel() : PerturbedModel = PerturbedModel(this.Isan.ToModel(), this.Epsilon, this.Seed)

/// Parameters of a random tabular model (`TabularModel.Random`).
type TabularSpec =
    {
      /// The alphabet size k >= 2.
      AlphabetSize: int
      /// The horizon T >= 1.
      Horizon: int
      /// The seed of the table.
      Seed: int
      /// Raw logits are uniform in [-scale, scale] before centering.
      Scale: float }

    /// Builds the model.
    member this.ToModel() : TabularModel = TabularModel.Random(this.AlphabetSize, this.Horizon, this.Seed, this.Scale)

/// A model of any family, by its parameters.
type ModelSpec =
    /// A random time-varying ISAN.
    | Isan of IsanSpec
    /// A noisy-parity model.
    | NoisyParity of NoisyParitySpec
    /// A random HMM.
    | Hmm of HmmSpec
    /// A perturbed random ISAN.
    | PerturbedIsan of PerturbedIsanSpec
    /// A random tabular model.
    | Tabular of TabularSpec

    /// Builds the model.
    member this.ToModel() : ISequenceModel =
        match this with
        | Isan s -> s.ToModel()
        | NoisyParity s -> s.ToModel()
        | Hmm s -> s.ToModel()
        | PerturbedIsan s -> s.ToModel()
        | Tabular s -> s.ToModel()

    /// The number k^T of complete sequences of the model.
    member this.SequenceCount: int64 =
        let count (k: int) (t: int) = pown (int64 k) t
        match this with
        | Isan s -> count s.AlphabetSize s.Horizon
        | NoisyParity s -> count 2 (s.Bits + 1)
        | Hmm s -> count s.AlphabetSize s.Horizon
        | PerturbedIsan s -> count s.Isan.AlphabetSize s.Isan.Horizon
        | Tabular s -> count s.AlphabetSize s.Horizon

/// A raw (uncentered) score vector of length k >= 2 with finite entries.
type RawLogits = RawLogits of float[]

/// A probability vector of length k >= 2: positive entries summing to 1 (up to rounding).
type ProbabilityVector = ProbabilityVector of float[]

/// A model spec with one of its complete sequences y ∈ Σ^T.
type ModelWithSequence =
    {
      /// The model.
      Spec: ModelSpec
      /// A sequence of length T over the model's alphabet.
      Sequence: LogitRank.Sequences.Prefix }
