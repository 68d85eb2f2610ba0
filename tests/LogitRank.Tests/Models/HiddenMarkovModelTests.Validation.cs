using LogitRank.Models;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <summary>
/// Argument checks and row handling of <see cref="HiddenMarkovModel"/>: a transition matrix
/// wrong in one dimension only, an entry of exactly 0, rows renormalised to sum to 1, the order of the checks of
/// <see cref="HiddenMarkovModel.Random"/>, smoothing λ = 1 (every row uniform) and the uniform fallback when every
/// Gamma draw underflows.
/// </summary>
public partial class HiddenMarkovModelTests
{
    private static readonly double[,] Half = { { 0.5, 0.5 }, { 0.5, 0.5 } };

    [Theory]
    [InlineData(2, 3, "2x3")]
    [InlineData(3, 2, "3x2")]
    public void A_transition_matrix_wrong_in_one_dimension_is_rejected(int rows, int columns, string shape)
    {
        // Every row is a valid distribution, so only the shape check can reject it.
        var transition = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                transition[r, c] = 1.0 / columns;
            }
        }

        var e = Assert.Throws<ArgumentException>(() => new HiddenMarkovModel(2, [0.5, 0.5], transition, Half));
        Assert.Equal("transition", e.ParamName);
        Assert.Contains($"{shape}; expected S x S = 2x2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_of_exactly_zero_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new HiddenMarkovModel(2, [0.5, 0.5], Half, new double[,] { { 1.0, 0.0 }, { 0.5, 0.5 } }));
        Assert.Equal("emission", e.ParamName);
        Assert.Contains("Entry (0,1) of the emission matrix is 0;", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_within_the_tolerance_are_renormalised_to_sum_to_one()
    {
        // Each row sums to 1 + 5e-10 (inside RowSumTolerance = 1e-9) and is divided by its sum: the stored rows sum to 1
        // up to a few ulps (2 or 3 divisions and additions of numbers <= 1: error < 1e-15). Not renormalising, or
        // multiplying by the sum, leaves an error of 5e-10 or 1e-9.
        const double Excess = 5e-10;
        var model = new HiddenMarkovModel(
            2,
            [0.25, 0.75 + Excess],
            new double[,] { { 0.5 + Excess, 0.5 }, { 0.125, 0.875 + Excess } },
            new double[,] { { 0.2, 0.3, 0.5 + Excess }, { 0.6 + Excess, 0.2, 0.2 } });
        Assert.Equal(1.0, model.Initial(0) + model.Initial(1), 1e-15);
        Assert.Equal(0.25 / (1 + Excess), model.Initial(0), 1e-16);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(1.0, model.Transition(i, 0) + model.Transition(i, 1), 1e-15);
            Assert.Equal(1.0, model.Emission(i, 0) + model.Emission(i, 1) + model.Emission(i, 2), 1e-15);
        }

        Assert.Equal(0.2 / (1 + Excess), model.Emission(0, 0), 1e-16);
    }

    [Fact]
    public void Random_checks_the_alphabet_before_the_horizon_and_the_horizon_before_the_concentration()
    {
        var k = Assert.Throws<ArgumentOutOfRangeException>(() => HiddenMarkovModel.Random(2, 1, 0, seed: 1));
        Assert.Equal("alphabetSize", k.ParamName);
        Assert.Contains("Expected an alphabet size k >= 2; got 1.", k.Message, StringComparison.Ordinal);

        var t = Assert.Throws<ArgumentOutOfRangeException>(() => HiddenMarkovModel.Random(2, 2, 0, seed: 1, concentration: 0));
        Assert.Equal("horizon", t.ParamName);
        Assert.Contains("Expected a horizon T >= 1; got 0.", t.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Smoothing_of_one_is_allowed_and_makes_every_row_uniform()
    {
        // λ = 1: (1 - λ)·row + λ/len = 1/len exactly for every row, so every next-token distribution is uniform and every
        // centered logit is 0 (up to the rounding of log(Σ_i α_i/3) over 3 terms: < 1e-15).
        var model = HiddenMarkovModel.Random(2, 3, 3, seed: 5, smoothing: 1.0);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(0.5, model.Initial(i), 1e-16);
            Assert.Equal(0.5, model.Transition(i, 1), 1e-16);
            Assert.Equal(1.0 / 3, model.Emission(i, 2), 1e-16);
        }

        Assert.All(SequenceSpace.AllUpTo(3, 2), p => Assert.All(model.NextTokenLogits(p).ToArray(), v => Assert.Equal(0.0, v, 1e-15)));
    }

    [Fact]
    public void Rows_whose_gamma_draws_all_underflow_fall_back_to_uniform()
    {
        // Gamma(α) with α = 1e-300 is sampled as Gamma(α + 1)·U^(1/α) = Gamma(1 + α)·U^(1e300), which is 0 for every
        // U < 1: every Dirichlet row has total 0 and falls back to the uniform row, exactly as λ = 1 would.
        var model = HiddenMarkovModel.Random(2, 3, 2, seed: 9, concentration: 1e-300, smoothing: 0.25);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(0.5, model.Initial(i), 1e-16);
            Assert.Equal(0.5, model.Transition(i, 0), 1e-16);
            for (var z = 0; z < 3; z++)
            {
                Assert.Equal(1.0 / 3, model.Emission(i, z), 1e-16);
            }
        }
    }
}
