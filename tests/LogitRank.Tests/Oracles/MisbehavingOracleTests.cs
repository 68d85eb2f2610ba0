using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Oracles;

/// <summary>
/// The wrappers that consume another oracle's answers (<see cref="OracleExtensions.Query(ILogitOracle, Prefix, QueryPhase, CancellationToken)"/>,
/// <see cref="OracleSampler"/>, <see cref="NoisyOracle"/>) reject a misbehaving inner oracle with
/// <see cref="InvalidOracleAnswerException"/> whose fields say what was wrong: a missing or mis-sized batch (no prefix,
/// batch and entry index -1, expected and actual counts, -1 for a null list), a null answer (its batch index, actual -1)
/// or an answer of the wrong length (expected k, actual length).
/// </summary>
public class MisbehavingOracleTests
{
    /// <summary>How the inner oracle misbehaves.</summary>
    public enum Fault
    {
        /// <summary>Returns null instead of a list.</summary>
        NullList,

        /// <summary>Returns one answer fewer than asked.</summary>
        MissingAnswer,

        /// <summary>Returns null answers.</summary>
        NullEntry,

        /// <summary>Returns answers of length 2 for k = 3.</summary>
        ShortEntry,
    }

    /// <summary>An oracle with k = 3, T = 4 that misbehaves as <paramref name="fault"/> says.</summary>
    private static SpyOracle Bad(Fault fault) => new(3, 4, prefixes => fault switch
    {
        Fault.NullList => null!,
        Fault.MissingAnswer => [.. prefixes.Skip(1).Select(_ => LogitVector.Uniform(3))],
        Fault.NullEntry => [.. prefixes.Select(_ => (LogitVector)null!)],
        _ => [.. prefixes.Select(_ => LogitVector.Uniform(2))],
    });

    /// <summary>The four faults on a batch of two prefixes: the reported problem, batch index, expected and actual value.</summary>
    public static TheoryData<Fault, AnswerProblem, int, int, int> BatchFaults => new()
    {
        { Fault.NullList, AnswerProblem.WrongCount, -1, 2, -1 },
        { Fault.MissingAnswer, AnswerProblem.WrongCount, -1, 2, 1 },
        { Fault.NullEntry, AnswerProblem.NullAnswer, 0, 3, -1 },
        { Fault.ShortEntry, AnswerProblem.WrongLength, 0, 3, 2 },
    };

    private static void AssertAnswer(InvalidOracleAnswerException e, AnswerProblem problem, int batchIndex, int expected, int actual)
    {
        Assert.Equal(problem, e.Problem);
        Assert.Equal(batchIndex, e.BatchIndex);
        Assert.Equal(-1, e.EntryIndex);
        Assert.Equal(expected, e.Expected);
        Assert.Equal(actual, e.Actual);
    }

    [Theory]
    [InlineData(Fault.NullList, AnswerProblem.WrongCount, -1, 1, -1)]
    [InlineData(Fault.MissingAnswer, AnswerProblem.WrongCount, -1, 1, 0)]
    [InlineData(Fault.NullEntry, AnswerProblem.NullAnswer, 0, 3, -1)]
    public void Single_query_reports_the_fault(Fault fault, AnswerProblem problem, int batchIndex, int expected, int actual) =>
        AssertAnswer(Assert.Throws<InvalidOracleAnswerException>(() => Bad(fault).Query(Prefix.Of(1))), problem, batchIndex, expected, actual);

    [Theory]
    [MemberData(nameof(BatchFaults))]
    public void Sampler_reports_the_fault(Fault fault, AnswerProblem problem, int batchIndex, int expected, int actual) =>
        AssertAnswer(Assert.Throws<InvalidOracleAnswerException>(() => OracleSampler.Sample(Bad(fault), 2, 3, new Random(1))), problem, batchIndex, expected, actual);

    [Theory]
    [MemberData(nameof(BatchFaults))]
    public void Noisy_oracle_reports_the_fault(Fault fault, AnswerProblem problem, int batchIndex, int expected, int actual) =>
        AssertAnswer(Assert.Throws<InvalidOracleAnswerException>(() => new NoisyOracle(Bad(fault), 0.1, seed: 1).Query([Prefix.Empty, Prefix.Of(2)])), problem, batchIndex, expected, actual);
}
