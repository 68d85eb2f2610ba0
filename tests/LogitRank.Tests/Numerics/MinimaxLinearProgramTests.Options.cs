using System.Globalization;
using LogitRank.Numerics;

namespace LogitRank.Tests.Numerics;

/// <summary>Validation of <see cref="LpOptions"/>: every tolerance must be a finite positive number.</summary>
public partial class MinimaxLinearProgramTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-12)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_feasibility_tolerance_that_is_not_finite_and_positive_throws_naming_it(double tolerance)
    {
        var e = Assert.Throws<ArgumentException>("options", () => MinimaxLinearProgram.Solve(new double[1, 1], [1.0], [1.0], [1.0], new LpOptions { FeasibilityTolerance = tolerance }));
        Assert.Contains($"FeasibilityTolerance is {tolerance.ToString(CultureInfo.CurrentCulture)}; expected a finite positive number", e.Message, StringComparison.Ordinal);
    }
}
