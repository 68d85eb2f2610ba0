/// The seed and run count of every property test, taken from the environment (as CsCheck takes `CsCheck_Seed` and
/// `CsCheck_Iter`), with a pinned default so that CI and a plain `dotnet test` run the same cases every time.
///
/// - `LOGITRANK_SEED`: unset or empty: the pinned `DefaultSeed`; a decimal integer in 0..2^64-1: that seed; `random`:
///   a fresh seed for this process (to explore), which the replay line of a failure prints as a number.
/// - `LOGITRANK_RUNS`: unset or empty: 1; a positive number: the multiplier of every property's own run count (each
///   property keeps its cost-balanced count, e.g. 10 for a learner, 500 for a vector bound; `LOGITRANK_RUNS=10` runs ten
///   times as many cases of each, `0.5` half as many, at least one).
///
/// FsCheck starts every property from `Rnd(seed, Gamma)` (FsCheck's `Replay`), so a property's cases depend only on the
/// seed and its run count (the size of case i grows with i / run count), not on which other tests run or in what order:
/// the same two variables and a filter naming the property replay a failure (`replayCommand`).
module LogitRank.Properties.Seeds

open System
open System.Globalization
open System.Threading
open FsCheck

/// The environment variable holding the seed.
[<Literal>]
let SeedVariable = "LOGITRANK_SEED"

/// The environment variable holding the run-count multiplier.
[<Literal>]
let RunsVariable = "LOGITRANK_RUNS"

/// The pinned seed used when `LOGITRANK_SEED` is unset (the date the end-to-end property was first pinned).
[<Literal>]
let DefaultSeed = 20261128UL

/// The gamma of FsCheck's SplitMix generator `Rnd(seed, gamma)`: the golden-ratio constant (odd, as SplitMix needs).
/// Fixed, so that one number replays a run.
[<Literal>]
let Gamma = 0x9E3779B97F4A7C15UL

/// The seed and the run-count multiplier of a test process.
type Settings =
    { Seed: uint64
      Runs: float }

    /// FsCheck's replay string `(seed,gamma)`.
    member this.Replay = sprintf "(%d,%d)" this.Seed Gamma

    /// The generator state every property starts from.
    member this.Rnd = Rnd(this.Seed, Gamma)

    /// A property's run count: its own count `baseRuns` times the multiplier, rounded, at least 1.
    member this.Scale(baseRuns: int) : int =
        let scaled = Math.Round(float baseRuns * this.Runs, MidpointRounding.AwayFromZero)
        int (max 1.0 (min scaled (float Int32.MaxValue)))

    /// The environment assignments that reproduce these settings, e.g. `LOGITRANK_SEED=20261128` or
    /// `LOGITRANK_SEED=7 LOGITRANK_RUNS=10` (the multiplier is named only when it is not 1).
    member this.EnvironmentAssignments =
        let seed = sprintf "%s=%d" SeedVariable this.Seed
        if this.Runs = 1.0 then seed
        else seed + " " + RunsVariable + "=" + this.Runs.ToString("R", CultureInfo.InvariantCulture)

/// The settings of a process whose environment sets neither variable.
let defaults = { Seed = DefaultSeed; Runs = 1.0 }

let private freshSeed () =
    BitConverter.ToUInt64(Security.Cryptography.RandomNumberGenerator.GetBytes 8, 0)

/// Reads the two variables' values (null or empty: unset). An unreadable value is an error that names it and says
/// what was expected; `random` draws a fresh seed (a new one at every call).
let parse (seed: string | null) (runs: string | null) : Result<Settings, string> =
    let text (value: string | null) =
        match value with
        | null -> ""
        | v -> v.Trim()

    let seedValue =
        match text seed with
        | "" -> Ok DefaultSeed
        | s when String.Equals(s, "random", StringComparison.OrdinalIgnoreCase) -> Ok(freshSeed ())
        | s ->
            match UInt64.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture) with
            | true, v -> Ok v
            | _ ->
                Error(
                    sprintf
                        "%s='%s' is not a seed: expected a decimal integer in 0..18446744073709551615 or 'random' (unset: the pinned seed %d)."
                        SeedVariable s DefaultSeed
                )

    let runsValue =
        match text runs with
        | "" -> Ok 1.0
        | r ->
            match Double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture) with
            | true, v when Double.IsFinite v && v > 0.0 -> Ok v
            | _ ->
                Error(
                    sprintf
                        "%s='%s' is not a run-count multiplier: expected a positive number such as 0.5, 1 or 10 (unset: 1)."
                        RunsVariable r
                )

    match seedValue, runsValue with
    | Ok s, Ok r -> Ok { Seed = s; Runs = r }
    | Error e, Ok _
    | Ok _, Error e -> Error e
    | Error e1, Error e2 -> Error(e1 + " " + e2)

/// The settings from this process's environment, read once (so that `random` means one seed per process).
let private fromEnvironment =
    lazy (parse (Environment.GetEnvironmentVariable SeedVariable) (Environment.GetEnvironmentVariable RunsVariable))

let private overriding = AsyncLocal<Settings option>()

/// The settings in force: those set by `runWith` on this logical call path, else those of the environment.
let active () : Result<Settings, string> =
    match overriding.Value with
    | Some s -> Ok s
    | None -> fromEnvironment.Value

/// Runs `f` with `settings` in force on its logical call path (tasks it starts included), for the self-tests.
let runWith (settings: Settings) (f: unit -> 'T) : 'T =
    let previous = overriding.Value
    overriding.Value <- Some settings
    try
        f ()
    finally
        overriding.Value <- previous

/// Escapes a value for a `dotnet test --filter` expression: the filter syntax's special characters get a backslash.
let private escapeFilterValue (value: string) =
    let special = set [ '\\'; '('; ')'; '&'; '|'; '='; '!'; '~' ]
    String.Concat(value |> Seq.map (fun c -> if special.Contains c then "\\" + string c else string c))

/// Quotes a word for a POSIX shell.
let private shellQuote (word: string) = "'" + word.Replace("'", "'\\''") + "'"

/// The shell command, from the repository root, that replays the test `fullyQualifiedName` (namespace, module or class,
/// and method, as the test runner names it) under `settings`.
let replayCommand (settings: Settings) (fullyQualifiedName: string) : string =
    sprintf
        "%s dotnet test tests/LogitRank.Properties -c Release --filter %s"
        settings.EnvironmentAssignments
        (shellQuote ("FullyQualifiedName=" + escapeFilterValue fullyQualifiedName))
