namespace LogitRank.Properties

open System
open System.Threading
open System.Threading.Tasks
open FsCheck.Xunit
open Xunit
open Xunit.Abstractions
open Xunit.Sdk

/// An FsCheck property whose seed and run count come from `Seeds` (the environment variables `LOGITRANK_SEED` and
/// `LOGITRANK_RUNS`, pinned by default) and whose failure message ends with the command that replays it. Every property
/// of this project uses it instead of FsCheck's `[<Property>]` (`SeededPropertyTests` checks that). Set the property's
/// own run count with `Runs` (default 100), never `MaxTest` or `Replay`: those would bypass the environment.
[<AttributeUsage(AttributeTargets.Method, AllowMultiple = false)>]
[<XunitTestCaseDiscoverer("LogitRank.Properties.SeededPropertyDiscoverer", "LogitRank.Properties")>]
type SeededPropertyAttribute() as this =
    inherit PropertyAttribute()
    // xunit creates the attribute where it runs the test, so the settings are those in force there. Invalid settings
    // leave FsCheck's defaults here; SeededPropertyTestCase then fails the test with the message instead of running it.
    let settings = Seeds.active ()
    let mutable runs = 100

    do
        match settings with
        | Ok s ->
            this.Replay <- s.Replay
            this.MaxTest <- s.Scale runs
        | Error _ -> ()

    /// The property's own number of cases (multiplied by `LOGITRANK_RUNS`); 100 unless set.
    member _.Runs
        with get () = runs
        and set (value: int) =
            runs <- value
            match settings with
            | Ok s -> this.MaxTest <- s.Scale value
            | Error _ -> ()

/// Passes every message on, appending the replay command to the message of a failed test.
type internal ReplayAnnotatingMessageBus(inner: IMessageBus, replay: string) =
    interface IMessageBus with
        member _.QueueMessage(message: IMessageSinkMessage) =
            match message with
            | :? ITestFailed as failed ->
                let messages =
                    match failed.Messages with
                    | [||] -> [| replay |]
                    | m -> Array.append [| m.[0] + Environment.NewLine + replay |] m.[1..]
                inner.QueueMessage(
                    TestFailed(failed.Test, failed.ExecutionTime, failed.Output, failed.ExceptionTypes, messages, failed.StackTraces, failed.ExceptionParentIndices)
                )
            | _ -> inner.QueueMessage message

        // The inner bus belongs to the runner, which disposes it.
        member _.Dispose() = ()

/// FsCheck's xunit test case, with the replay command added to a failure and invalid settings reported as a failure.
type SeededPropertyTestCase =
    inherit PropertyTestCase

    /// For the xunit deserializer.
    [<Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")>]
    new() = { inherit PropertyTestCase() }

    /// A test case of `testMethod`.
    new(sink: IMessageSink, display: TestMethodDisplay, options: TestMethodDisplayOptions, testMethod: ITestMethod) =
        { inherit PropertyTestCase(sink, display, options, testMethod) }

    /// The name `dotnet test --filter FullyQualifiedName=...` selects this test by.
    member this.FullyQualifiedName = this.TestMethod.TestClass.Class.Name + "." + this.TestMethod.Method.Name

    override this.RunAsync(sink: IMessageSink, bus: IMessageBus, arguments: obj[], aggregator: ExceptionAggregator, cancellation: CancellationTokenSource) =
        match Seeds.active () with
        | Ok settings ->
            let replay = "Replay: " + Seeds.replayCommand settings this.FullyQualifiedName
            base.RunAsync(sink, new ReplayAnnotatingMessageBus(bus, replay), arguments, aggregator, cancellation)
        | Error message ->
            let test = XunitTest(this, this.DisplayName)
            let error = ArgumentException(message)
            bus.QueueMessage(TestCaseStarting(this)) |> ignore
            bus.QueueMessage(TestStarting(test)) |> ignore
            bus.QueueMessage(TestFailed(test, 0m, "", error)) |> ignore
            bus.QueueMessage(TestFinished(test, 0m, "")) |> ignore
            bus.QueueMessage(TestCaseFinished(this, 0m, 1, 1, 0)) |> ignore
            Task.FromResult(RunSummary(Total = 1, Failed = 1))

/// Makes `SeededPropertyTestCase`s of the methods that carry `SeededPropertyAttribute`.
type SeededPropertyDiscoverer(sink: IMessageSink) =
    interface IXunitTestCaseDiscoverer with
        member _.Discover(options: ITestFrameworkDiscoveryOptions, testMethod: ITestMethod, _: IAttributeInfo) =
            Seq.singleton (
                new SeededPropertyTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod)
                :> IXunitTestCase
            )
