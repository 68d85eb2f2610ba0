using LogitRank.Analysis;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// <see cref="LowRankError.RelativeFrobeniusCurve"/> against its closed form <c>sqrt(Σ_{i&gt;r} σ_i² / ||M||_F²)</c>
/// (proofs-notes/mutation.md): from a complete spectrum the tails are summed directly; from a truncated one the
/// Frobenius norm supplies the total; a zero matrix gives the zero curve.
/// </summary>
public class LowRankErrorMutationTests
{
    [Fact]
    public void Complete_spectrum_gives_the_relative_tail_norms()
    {
        var curve = LowRankError.RelativeFrobeniusCurve(new SingularValueSpectrum([3.0, 2.0, 1.0], SpectrumMethod.Full, 3, 3, Math.Sqrt(14.0)));
        Assert.Equal([1.0, Math.Sqrt(5.0 / 14), Math.Sqrt(1.0 / 14), 0.0], curve.ToArray(), (x, y) => Math.Abs(x - y) <= 1e-15);
    }

    [Fact]
    public void Truncated_spectrum_takes_the_total_from_the_Frobenius_norm()
    {
        var curve = LowRankError.RelativeFrobeniusCurve(new SingularValueSpectrum([3.0, 2.0], SpectrumMethod.Gram, 3, 3, Math.Sqrt(14.0)));
        Assert.Equal([1.0, Math.Sqrt(5.0 / 14), Math.Sqrt(1.0 / 14)], curve.ToArray(), (x, y) => Math.Abs(x - y) <= 1e-15);
    }

    [Fact]
    public void A_zero_matrix_has_the_zero_curve()
    {
        var curve = LowRankError.RelativeFrobeniusCurve(new SingularValueSpectrum([0.0], SpectrumMethod.Gram, 2, 2, 0.0));
        Assert.Equal([0.0, 0.0], curve.ToArray());
    }
}
