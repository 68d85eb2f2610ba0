/// End-to-end guarantee (issue 3, item 8): on generated targets, the certified KL and TV upper bounds lie above the
/// exact divergences (by enumeration) in at least a 1-δ fraction of runs.
module LogitRank.Properties.CertificationProperties

open System
open Xunit
open FsCheck
open FsCheck.FSharp
open LogitRank.Certification
open LogitRank.Evaluation
open LogitRank.FsCheck
open LogitRank.Learning
open LogitRank.Models
open LogitRank.Oracles

let private schedule =
    PracticalSchedule(MaxEpochs = 20, ValidationSamples = 24, SpannerSampleCount = 16, WitnessThreshold = 1e-6)

let private delta = 0.05

/// The targets of the issue: exact-rank ISANs (k ∈ {2,3}, T <= 6 here to keep the suite fast, d <= 4), noisy parities,
/// and perturbed ISANs with ε ∈ {0.01, 0.05, 0.2}.
let private targets: Gen<ModelSpec> =
    let isan =
        gen {
            let! k = Gen.elements [ 2; 3 ]
            let! t = Gen.choose (3, (if k = 2 then 7 else 5))
            let! d = Gen.choose (1, 4)
            let! seed = Gen.choose (0, 10_000)
            return { AlphabetSize = k; Horizon = t; StateDimension = d; Seed = seed; LogitScale = 1.0 }
        }

    Gen.oneof
        [ isan |> Gen.map ModelSpec.Isan
          gen {
              let! bits = Gen.choose (2, 6)
              let! noise = Gen.elements [ 0.05; 0.1; 0.25 ]
              let! seed = Gen.choose (0, 10_000)
              return ModelSpec.NoisyParity { Bits = bits; Noise = noise; Seed = seed }
          }
          gen {
              let! i = isan
              let! eps = Gen.elements [ 0.01; 0.05; 0.2 ]
              let! seed = Gen.choose (0, 10_000)
              return ModelSpec.PerturbedIsan { Isan = i; Epsilon = eps; Seed = seed }
          } ]

/// One run: learn and certify, then compare with the exact divergences. Returns the statements that failed.
let private run (spec: ModelSpec) (seed: int) =
    let target = spec.ToModel()
    let result =
        LogitRankPipeline.LearnAndCertify(ModelOracle target, schedule, CertificationOptions(HoldoutSamples = 300, Delta = delta), seed)

    let tv = ExactDivergence.TotalVariation(target, result.Model)
    let kl = ExactDivergence.KullbackLeibler(target, result.Model)
    let c = result.Certificate

    [ if tv > c.APosteriori.TotalVariationUpper then sprintf "hold-out TV %g > %g" tv c.APosteriori.TotalVariationUpper
      if kl > c.APosteriori.KullbackLeiblerUpper then sprintf "hold-out KL %g > %g" kl c.APosteriori.KullbackLeiblerUpper
      if c.APriori.Holds && tv > c.APriori.TotalVariation then sprintf "a priori TV %g > %g" tv c.APriori.TotalVariation
      if c.APriori.Holds && kl > c.APriori.KullbackLeibler then sprintf "a priori KL %g > %g" kl c.APriori.KullbackLeibler ]

[<Fact>]
let ``certified bounds hold against enumeration in at least a 1-δ fraction of runs`` () =
    // Seed pinned for CI; change it (or loop over seeds) to explore. Printed with every failure.
    let seed = 20261128UL
    let specs = Gen.sampleWithSeed (Rnd(seed, 0x9E3779B97F4A7C15UL)) 10 24 targets
    let statements = 4 * specs.Length
    let failures =
        specs
        |> Array.mapi (fun i spec -> i, spec, run spec i)
        |> Array.filter (fun (_, _, f) -> not f.IsEmpty)

    let failed = failures |> Array.sumBy (fun (_, _, f) -> f.Length)
    // Each statement fails with probability <= δ; allow mean + 3 standard deviations of Binomial(statements, δ).
    let allowed = float statements * delta + 3.0 * sqrt (float statements * delta * (1.0 - delta))
    let detail =
        failures
        |> Array.map (fun (i, spec, f) -> sprintf "run %d (replay: Rnd(%dUL, ...), index %d) %A: %s" i seed i spec (String.Join("; ", f)))

    Assert.True(float failed <= allowed, sprintf "%d of %d statements failed (allowed %.1f):\n%s" failed statements allowed (String.Join("\n", detail)))
