/// The seeding of the properties (`Seeds`, `SeededPropertyAttribute`): every property is seeded from the environment,
/// pinned by default, and a failure prints a replay command that does replay it. The deliberate properties below are
/// run through the same xunit test case as the real ones (`SeededPropertyTestCase`), in process; they sit in an internal
/// type, which xunit does not discover, so the suite itself never runs them.
module LogitRank.Properties.SeededPropertyTests

open System
open System.Reflection
open System.Text.RegularExpressions
open System.Threading
open FsCheck.Xunit
open Xunit
open Xunit.Abstractions
open Xunit.Sdk

/// Properties run only by the tests below.
type internal Deliberate =
    /// Fails once the generated integers grow past 30 together (after a few cases: FsCheck's size grows with the case
    /// number), at a case and with values that depend on the seed.
    [<SeededProperty(Runs = 100)>]
    static member ``sums stay small`` (a: int) (b: int) = abs a + abs b < 30

    /// Always holds: FsCheck reports how many cases it ran.
    [<SeededProperty(Runs = 100)>]
    static member ``always holds`` (a: int) = a = a

type private NullSink() =
    interface IMessageSink with
        member _.OnMessage _ = true

type private CapturingBus() =
    let messages = ResizeArray<IMessageSinkMessage>()
    member _.Messages = lock messages (fun () -> List.ofSeq messages)

    interface IMessageBus with
        member _.QueueMessage(message) =
            lock messages (fun () -> messages.Add message)
            true

        member _.Dispose() = ()

/// Runs the method `name` of `Deliberate` as xunit would, under `settings`, and returns the messages it sent.
let private runDeliberate (settings: Seeds.Settings) (name: string) =
    let t = typeof<Deliberate>
    let methodInfo =
        match t.GetMethod(name, BindingFlags.Static ||| BindingFlags.Public ||| BindingFlags.NonPublic) with
        | null -> failwithf "No method %s on %s." name t.FullName
        | m -> m
    let assembly = TestAssembly(Reflector.Wrap(t.Assembly))
    let collection = TestCollection(assembly, null, "SeededPropertyTests")
    let testMethod = TestMethod(TestClass(collection, Reflector.Wrap(t)), Reflector.Wrap(methodInfo))
    let bus = new CapturingBus()
    let summary =
        Seeds.runWith settings (fun () ->
            use testCase = new SeededPropertyTestCase(NullSink(), TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, testMethod)
            testCase.RunAsync(NullSink(), bus, [||], ExceptionAggregator(), new CancellationTokenSource()).Result)
    summary, bus.Messages

/// The failure message of the deliberately failing property under `settings`.
let private failureOf (settings: Seeds.Settings) =
    let summary, messages = runDeliberate settings "sums stay small"
    Assert.Equal(1, summary.Failed)
    let failed = messages |> List.choose (function :? ITestFailed as f -> Some f | _ -> None) |> List.exactlyOne
    failed.Messages.[0]

/// The environment assignments of the replay line, read back as the test process would read them.
let private settingsOfReplayLine (message: string) =
    let line = Regex.Match(message, "^Replay: (.*)$", RegexOptions.Multiline)
    Assert.True(line.Success, sprintf "no replay line in:\n%s" message)
    let variable name : string | null =
        let m = Regex.Match(line.Groups.[1].Value, "(?:^| )" + name + "=(\\S+)")
        if m.Success then m.Groups.[1].Value else null
    match Seeds.parse (variable Seeds.SeedVariable) (variable Seeds.RunsVariable) with
    | Ok s -> line.Groups.[1].Value, s
    | Error e -> failwith e

[<Fact>]
let ``a failure prints a replay line that replays it`` () =
    let first = failureOf { Seeds.defaults with Seed = 12345UL; Runs = 2.0 }
    Assert.StartsWith("\nFalsifiable", first.ReplaceLineEndings("\n"))
    let line, settings = settingsOfReplayLine first
    Assert.Equal(
        "LOGITRANK_SEED=12345 LOGITRANK_RUNS=2 dotnet test tests/LogitRank.Properties -c Release --filter 'FullyQualifiedName=LogitRank.Properties.SeededPropertyTests+Deliberate.sums stay small'",
        line)
    // The same settings give the same cases, the same counterexample and the same message, word for word.
    Assert.Equal(first, failureOf settings)
    // And the seed decides them: another seed fails elsewhere (so the equality above is not vacuous).
    Assert.NotEqual<string>(first, failureOf { settings with Seed = 12346UL })

[<Fact>]
let ``LOGITRANK_SEED=random is printed as the number it drew`` () =
    match Seeds.parse "random" null with
    | Error e -> failwith e
    | Ok drawn ->
        let message = failureOf drawn
        let _, read = settingsOfReplayLine message
        Assert.Equal(drawn, read)
        Assert.Equal(message, failureOf read)

[<Fact>]
let ``LOGITRANK_RUNS multiplies each property's own run count`` () =
    let passedCount (runs: float) =
        let summary, messages = runDeliberate { Seeds.defaults with Runs = runs } "always holds"
        Assert.Equal(0, summary.Failed)
        let passed = messages |> List.choose (function :? ITestPassed as p -> Some p | _ -> None) |> List.exactlyOne
        let m = Regex.Match(passed.Output, "passed (\\d+) tests?\\.")
        Assert.True(m.Success, passed.Output)
        int m.Groups.[1].Value
    Assert.Equal(100, passedCount 1.0)
    Assert.Equal(250, passedCount 2.5)
    Assert.Equal(1, passedCount 0.001) // at least one case

[<Fact>]
let ``unset variables mean the pinned seed and the properties' own counts`` () =
    Assert.Equal(Ok Seeds.defaults, Seeds.parse null null)
    Assert.Equal(Ok Seeds.defaults, Seeds.parse "" " ")
    Assert.Equal(20261128UL, Seeds.defaults.Seed)
    Assert.Equal(Ok { Seeds.defaults with Seed = 18446744073709551615UL; Runs = 0.5 }, Seeds.parse " 18446744073709551615 " "0.5")

[<Fact>]
let ``unreadable variables are errors that name the value and what was expected`` () =
    let error (seed: string | null) (runs: string | null) =
        match Seeds.parse seed runs with
        | Ok s -> failwithf "parsed %A" s
        | Error e -> e
    Assert.Equal(
        "LOGITRANK_SEED='-1' is not a seed: expected a decimal integer in 0..18446744073709551615 or 'random' (unset: the pinned seed 20261128).",
        error "-1" null)
    Assert.Equal(
        "LOGITRANK_RUNS='0' is not a run-count multiplier: expected a positive number such as 0.5, 1 or 10 (unset: 1).",
        error null "0")
    Assert.Contains("LOGITRANK_RUNS='NaN'", error null "NaN")
    Assert.Contains("LOGITRANK_SEED='1e3'", error "1e3" "x")
    Assert.Contains("LOGITRANK_RUNS='x'", error "1e3" "x")

[<Fact>]
let ``every property of this project is a SeededProperty that sets its count through Runs`` () =
    let methods =
        Assembly.GetExecutingAssembly().GetTypes()
        |> Array.collect (fun t -> t.GetMethods(BindingFlags.Public ||| BindingFlags.NonPublic ||| BindingFlags.Static ||| BindingFlags.Instance ||| BindingFlags.DeclaredOnly))
    let properties = methods |> Array.filter (fun m -> not (isNull (m.GetCustomAttribute<PropertyAttribute>())))
    // The 38 properties of the suite and the two deliberate ones above: a search that found none could not fail.
    Assert.True(properties.Length >= 40, sprintf "only %d properties found" properties.Length)
    let offending =
        properties
        |> Array.filter (fun m ->
            let data = m.CustomAttributes |> Seq.find (fun a -> typeof<PropertyAttribute>.IsAssignableFrom a.AttributeType)
            data.AttributeType <> typeof<SeededPropertyAttribute>
            || data.NamedArguments |> Seq.exists (fun a -> a.MemberName = "MaxTest" || a.MemberName = "Replay"))
        |> Array.map (fun m -> (match m.DeclaringType with null -> "" | t -> t.Name) + "." + m.Name)
    Assert.True(offending.Length = 0, "Properties not seeded from LOGITRANK_SEED/LOGITRANK_RUNS: " + String.Join(", ", offending))

[<Fact>]
let ``the replay filter escapes the filter syntax and the shell`` () =
    let command = Seeds.replayCommand Seeds.defaults "M.rank is min(d, k^s) = it's (a|b) & !c ~ x\\y"
    Assert.Equal(
        @"LOGITRANK_SEED=20261128 dotnet test tests/LogitRank.Properties -c Release --filter 'FullyQualifiedName=M.rank is min\(d, k^s\) \= it'\''s \(a\|b\) \& \!c \~ x\\y'",
        command)
