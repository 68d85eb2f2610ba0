using LogitRank.Analysis;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The documented method choice of <see cref="Spectrum.Resolve"/> at its edges and the empty-matrix check of
/// <see cref="Spectrum.Compute(double[,], SpectrumOptions?)"/> (proofs-notes/mutation.md).
/// </summary>
public class SpectrumMutationTests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(3, 0)]
    [InlineData(0, 0)]
    public void An_empty_matrix_is_rejected_by_name(int rows, int columns)
    {
        var e = Assert.Throws<ArgumentException>(() => Spectrum.Compute(new double[rows, columns]));
        Assert.Equal("matrix", e.ParamName);
        Assert.Contains($"got {rows}x{columns}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_takes_the_full_SVD_up_to_the_limit_then_randomized_when_the_rank_is_small_enough_else_Gram()
    {
        var options = new SpectrumOptions { FullSvdLimit = 10, Oversampling = 2 };
        Assert.Equal(SpectrumMethod.Full, Spectrum.Resolve(options, 10, 50)); // min = limit: still full
        Assert.Equal(SpectrumMethod.Gram, Spectrum.Resolve(options, 11, 50)); // no rank given
        Assert.Equal(SpectrumMethod.Randomized, Spectrum.Resolve(options with { Rank = 1 }, 12, 50)); // 4·(1 + 2) = 12 <= 12
        Assert.Equal(SpectrumMethod.Gram, Spectrum.Resolve(options with { Rank = 1 }, 11, 50)); // 12 > 11
        Assert.Equal(SpectrumMethod.Gram, Spectrum.Resolve(options with { Method = SpectrumMethod.Gram }, 2, 2)); // explicit wins
    }
}
