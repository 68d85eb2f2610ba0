module LogitRank.Properties.OracleProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open LogitRank.FsCheck
open LogitRank.Models
open LogitRank.Oracles
open LogitRank.Sequences

let private model = TimeVaryingIsan.Random(4, 4, 2, seed = 2, logitScale = 3.0)

// Rounding allowance: re-centering O(10) logits rounds at ~1e-15; 1e-12 is a wide margin (see the proof note).
let private rounding = 1e-12

[<SeededProperty(Runs = 200)>]
let ``noise stays within xi and centered`` () =
    let gen =
        gen {
            let! seed = Gen.choose (-1000000, 1000000)
            let! xi = Gen.choose (0, 5000) |> Gen.map (fun n -> float n / 1000.0)
            let! prefixes = Gen.listOfLength 5 (Generators.prefix 4 3)
            return seed, xi, prefixes
        }

    Prop.forAll (Arb.fromGen gen) (fun (seed, xi, prefixes) ->
        let exact = ModelOracle(model)
        let noisy = NoisyOracle(exact, xi, seed)
        let batch = ResizeArray prefixes
        let truth = exact.Query(batch)
        let answers = noisy.Query(batch)
        let again = NoisyOracle(ModelOracle(model), xi, seed).Query(batch)

        Seq.forall2 (fun (a: LogitRank.Numerics.LogitVector) t -> a.MaxAbsDifference(t) <= xi + rounding) answers truth
        && answers |> Seq.forall (fun a -> abs (Array.sum (a.ToArray())) < rounding)
        && Seq.forall2 (fun (a: LogitRank.Numerics.LogitVector) (b: LogitRank.Numerics.LogitVector) -> a.Equals b) answers again)

[<SeededProperty(Runs = 100)>]
let ``cache answers equal the inner answers and each distinct prefix reaches the inner oracle once`` () =
    let gen = Gen.listOf (Gen.listOf (Generators.prefix 4 3)) |> Gen.map (List.truncate 8)

    Prop.forAll (Arb.fromGen gen) (fun batches ->
        let counter = CountingOracle(ModelOracle(model))
        let cache = CachingOracle(counter)
        let answers = batches |> List.map (fun b -> cache.Query(ResizeArray b))
        let distinct = batches |> List.concat |> List.distinct |> List.length

        List.forall2 (fun b (a: System.Collections.Generic.IReadOnlyList<_>) ->
            List.forall2 (fun (p: Prefix) (v: LogitRank.Numerics.LogitVector) -> v.Equals(model.NextTokenLogits p)) b (List.ofSeq a)) batches answers
        && counter.Counts.Total = int64 distinct
        && cache.Count = distinct)

[<SeededProperty(Runs = 200)>]
let ``a budget is never exceeded and rejects whole batches only`` () =
    let gen =
        gen {
            let! budget = Gen.choose (0, 30)
            let! sizes = Gen.listOf (Gen.choose (0, 6))
            return int64 budget, sizes
        }

    Prop.forAll (Arb.fromGen gen) (fun (budget, sizes) ->
        let counter = CountingOracle(ModelOracle(model))
        let budgeted = BudgetedOracle(counter, budget)
        let mutable expected = 0L
        let mutable ok = true
        for n in sizes do
            let batch = ResizeArray(List.replicate n Prefix.Empty)
            if expected + int64 n <= budget then
                budgeted.Query(batch) |> ignore
                expected <- expected + int64 n
            else
                try
                    budgeted.Query(batch) |> ignore
                    ok <- false
                with :? QueryBudgetExceededException as e ->
                    ok <- ok && e.Used = expected && e.Requested = int64 n && e.Budget = budget

        ok && counter.Counts.Total = expected && budgeted.Used = expected && expected <= budget)
