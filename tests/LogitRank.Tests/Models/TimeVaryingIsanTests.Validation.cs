using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <summary>
/// Each malformed argument of the <see cref="TimeVaryingIsan"/> constructor and of
/// <see cref="TimeVaryingIsan.FromAffine"/> is rejected with an <see cref="ArgumentException"/> naming the parameter
///. The base case is well formed: k = 2, T = 2, d = 1; each case breaks one thing, and a
/// matrix of the wrong shape is wrong in one dimension only.
/// </summary>
public partial class TimeVaryingIsanTests
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
    [InlineData(2, -1, "horizon")]
    [InlineData(-1, 3, "alphabetSize")]
    public void Random_rejects_an_alphabet_below_2_or_a_horizon_below_1_by_name(int alphabetSize, int horizon, string parameter)
    {
        Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(() => TimeVaryingIsan.Random(alphabetSize, horizon, 2, seed: 1)).ParamName);
    }

    [Fact]
    public void Null_constructor_arguments_are_named()
    {
        Assert.Equal("initialState", Assert.Throws<ArgumentNullException>(() => new TimeVaryingIsan(2, 2, null!, [[One, One]], [Readout, Readout])).ParamName);
        Assert.Equal("transitions", Assert.Throws<ArgumentNullException>(() => new TimeVaryingIsan(2, 2, [1.0], null!, [Readout, Readout])).ParamName);
        Assert.Equal("readouts", Assert.Throws<ArgumentNullException>(() => new TimeVaryingIsan(2, 2, [1.0], [[One, One]], null!)).ParamName);
    }

    [Fact]
    public void Null_affine_arguments_are_named()
    {
        Assert.Equal("initialState", Assert.Throws<ArgumentNullException>(() => TimeVaryingIsan.FromAffine(2, 2, null!, [[One, One]], [[[0.0], [0.0]]], [Readout, Readout], [[0, 0], [0, 0]])).ParamName);
        Assert.Equal("transitions", Assert.Throws<ArgumentNullException>(() => TimeVaryingIsan.FromAffine(2, 2, [1.0], null!, [[[0.0], [0.0]]], [Readout, Readout], [[0, 0], [0, 0]])).ParamName);
        Assert.Equal("offsets", Assert.Throws<ArgumentNullException>(() => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, One]], null!, [Readout, Readout], [[0, 0], [0, 0]])).ParamName);
        Assert.Equal("readouts", Assert.Throws<ArgumentNullException>(() => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, One]], [[[0.0], [0.0]]], null!, [[0, 0], [0, 0]])).ParamName);
        Assert.Equal("readoutOffsets", Assert.Throws<ArgumentNullException>(() => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, One]], [[[0.0], [0.0]]], [Readout, Readout], null!)).ParamName);
    }

    [Fact]
    public void An_empty_initial_state_is_rejected_with_its_message()
    {
        var e = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 2, [], [[One, One]], [Readout, Readout]));
        Assert.Equal("initialState", e.ParamName);
        Assert.Contains("d must be at least 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_number_of_read_outs_is_rejected_with_its_message()
    {
        var e = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 2, [1.0], [[One, One]], [Readout]));
        Assert.Equal("readouts", e.ParamName);
        Assert.Contains("Expected T = 2 read-outs; got 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_transition_step_is_rejected_with_its_message()
    {
        var e = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 2, [1.0], [null!], [Readout, Readout]));
        Assert.Equal("transitions", e.ParamName);
        Assert.Contains("Step 1 of the transitions is null; expected k = 2 matrices", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    public void A_transition_matrix_of_the_wrong_shape_is_rejected_with_its_message(int rows, int columns)
    {
        var e = Assert.Throws<ArgumentException>(() => new TimeVaryingIsan(2, 2, [1.0], [[One, new double[rows, columns]]], [Readout, Readout]));
        Assert.Equal("transitions", e.ParamName);
        Assert.Contains($"A_(1,1) is {rows}x{columns}; expected 1x1", e.Message, StringComparison.Ordinal);

        var affine = Assert.Throws<ArgumentException>(() => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, new double[rows, columns]]], [[[0.0], [0.0]]], [Readout, Readout], [[0, 0], [0, 0]]));
        Assert.Equal("transitions", affine.ParamName);
        Assert.Contains($"A_(1,1) is {rows}x{columns}; expected 1x1", affine.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Affine_offsets_and_read_outs_of_the_wrong_size_are_rejected_with_their_messages()
    {
        var offsets = Assert.Throws<ArgumentException>(() => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, One]], [[[0.0]]], [Readout, Readout], [[0, 0], [0, 0]]));
        Assert.Equal("offsets", offsets.ParamName);
        Assert.Contains("Step 1 has 1 offsets; expected one per transition matrix (2)", offsets.Message, StringComparison.Ordinal);

        var readouts = Assert.Throws<ArgumentException>(() => TimeVaryingIsan.FromAffine(2, 2, [1.0], [[One, One]], [[[0.0], [0.0]]], [Readout, new double[2, 2]], [[0, 0], [0, 0]]));
        Assert.Equal("readouts", readouts.ParamName);
        Assert.Contains("B_1 has 2 columns; expected d = 1", readouts.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void State_rejects_a_prefix_of_length_T()
    {
        var model = new TimeVaryingIsan(2, 2, [1.0], [[One, One]], [Readout, Readout]);
        var e = Assert.Throws<ArgumentException>(() => model.State(Prefix.Of(0, 1)));
        Assert.Contains("length 2; expected at most 1", e.Message, StringComparison.Ordinal);
        Assert.Equal([1.0], model.State(Prefix.Of(1)));
    }
}
