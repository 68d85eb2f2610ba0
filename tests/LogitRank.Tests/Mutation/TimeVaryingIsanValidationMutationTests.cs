using LogitRank.Models;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// Each malformed argument of the <see cref="TimeVaryingIsan"/> constructor and of
/// <see cref="TimeVaryingIsan.FromAffine"/> is rejected with an <see cref="ArgumentException"/> naming the parameter
/// (proofs-notes/mutation.md). The base case is well formed: k = 2, T = 2, d = 1; each case breaks one thing, and a
/// matrix of the wrong shape is wrong in one dimension only.
/// </summary>
public class TimeVaryingIsanValidationMutationTests
{
    private static readonly double[,] One = { { 1.0 } };
    private static readonly double[,] Readout = { { 1.0 }, { -1.0 } };

    public static TheoryData<string, Func<TimeVaryingIsan>> Malformed => new()
    {
        { "initialState", () => new TimeVaryingIsan(2, 2, [], [[One, One]], [Readout, Readout]) },
        { "transitions", () => new TimeVaryingIsan(2, 2, [1.0], [null!], [Readout, Readout]) },
        { "transitions", () => new TimeVaryingIsan(2, 2, [1.0], [[One, new double[1, 2]]], [Readout, Readout]) },
        { "transitions", () => new TimeVaryingIsan(2, 2, [1.0], [[One, new double[2, 1]]], [Readout, Readout]) },
        { "readouts", () => new TimeVaryingIsan(2, 2, [1.0], [[One, One]], [Readout]) },
        { "readouts", () => new TimeVaryingIsan(2, 2, [1.0], [[One, One]], [Readout, new[,] { { 1.0 }, { double.NaN } }]) },
        { "offsets", () => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, One]], [], [Readout, Readout], [[0, 0], [0, 0]]) },
        { "offsets", () => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, One]], [[[0.0]]], [Readout, Readout], [[0, 0], [0, 0]]) },
        { "readoutOffsets", () => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, One]], [[[0.0], [0.0]]], [Readout, Readout], [[0, 0]]) },
        { "transitions", () => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, new double[1, 2]]], [[[0.0], [0.0]]], [Readout, Readout], [[0, 0], [0, 0]]) },
        { "readouts", () => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, One]], [[[0.0], [0.0]]], [Readout, new double[2, 2]], [[0, 0], [0, 0]]) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_argument_is_rejected_by_name(string parameter, Func<TimeVaryingIsan> build)
    {
        Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(build).ParamName);
    }

    [Fact]
    public void A_non_finite_read_out_is_named_with_its_step()
    {
        var e = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 2, [1.0], [[One, One]], [Readout, new[,] { { 1.0 }, { double.NaN } }]));
        Assert.Contains("B_1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 3, "alphabetSize")]
    [InlineData(2, 0, "horizon")]
    public void Random_rejects_an_alphabet_below_2_or_a_horizon_below_1_by_name(int alphabetSize, int horizon, string parameter)
    {
        Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(() => TimeVaryingIsan.Random(alphabetSize, horizon, 2, seed: 1)).ParamName);
    }
}
