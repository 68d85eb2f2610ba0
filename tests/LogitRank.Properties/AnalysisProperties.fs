module LogitRank.Properties.AnalysisProperties

open System
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open LogitRank.Analysis
open LogitRank.FsCheck
open LogitRank.Models
open MathNet.Numerics.LinearAlgebra

/// Random matrix with uniform entries in [-1, 1), sizes drawn from the seed.
let private randomMatrix (seed: int) (maxSize: int) =
    let rnd = Random(seed)
    let m = rnd.Next(1, maxSize + 1)
    let n = rnd.Next(1, maxSize + 1)
    Matrix<double>.Build.Dense(m, n, fun _ _ -> 2.0 * rnd.NextDouble() - 1.0)

/// A valid spectrum: finite absolute values, sorted non-increasing.
let private spectrum (xs: float list) =
    xs |> List.filter Double.IsFinite |> List.map abs |> List.sortDescending |> List.toArray

/// ISAN specs from the packaged generator (LogitRank.FsCheck) with k^T <= 243 (k = 3 up to T = 5).
let private isans = Arb.fromGenShrink (Generators.isanSpecWith 243, Shrinkers.isanSpec)

[<SeededProperty(Runs = 25)>]
let ``logit matrices of a random ISAN have numerical rank at most d at every cut`` () =
    Prop.forAll isans (fun spec ->
        let model = spec.ToModel()
        let sampling = LogitMatrixSampling(HistoryCount = 100, FutureCount = 100)
        let report = SpectrumReport.PerCut(model, sampling, RankStrategy.RelativeThreshold(1e-9), Random(spec.Seed))
        report.Cuts.Count = spec.Horizon && report.Cuts |> Seq.forall (fun c -> c.Rank.Rank <= spec.StateDimension))

[<SeededProperty(Runs = 50)>]
let ``Gram singular values agree with the full SVD within the squared-condition bound`` (seed: int) =
    let a = randomMatrix seed 12
    let full = Spectrum.Compute(a, SpectrumOptions(Method = SpectrumMethod.Full)).Values
    let gram = Spectrum.Compute(a, SpectrumOptions(Method = SpectrumMethod.Gram)).Values
    let s1 = full.[0]
    // |σ̃² - σ²| <= c·n·ε·σ_1² (backward-stable EVD of a rounded Gram matrix, n <= 12): 1e-12·σ_1² is generous.
    full.Count = gram.Count
    && Seq.forall2 (fun (x: float) (y: float) -> abs (x * x - y * y) <= 1e-12 * s1 * s1) full gram

[<SeededProperty(Runs = 100)>]
let ``relative-threshold rank is non-increasing in tau and energy rank non-decreasing in f`` (xs: float list) (t1: float) (t2: float) =
    let values = spectrum xs
    let clamp (x: float) = if Double.IsFinite x then min 1.0 (abs x % 1.0000001) else 0.5
    let lo, hi = min (clamp t1) (clamp t2), max (clamp t1) (clamp t2)
    let rank (s: RankStrategy) = NumericalRank.Select(values, s).Rank
    let p = values.Length
    let inRange r = 0 <= r && r <= p
    rank (RankStrategy.RelativeThreshold lo) >= rank (RankStrategy.RelativeThreshold hi)
    && rank (RankStrategy.EnergyFraction lo) <= rank (RankStrategy.EnergyFraction hi)
    && [ RankStrategy.RelativeThreshold lo; RankStrategy.EnergyFraction hi; RankStrategy.LargestGap(); RankStrategy.AbsoluteThreshold hi ]
       |> List.forall (rank >> inRange)

[<SeededProperty(Runs = 50)>]
let ``best rank-r Frobenius error curve falls from 1 to 0`` (seed: int) =
    let a = randomMatrix seed 10
    let curve = LowRankError.RelativeFrobeniusCurve(Spectrum.Compute(a))
    curve.[0] = 1.0
    && curve.[curve.Count - 1] = 0.0
    && Seq.pairwise curve |> Seq.forall (fun (x, y) -> y <= x)
