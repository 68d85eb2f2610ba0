using LogitRank.Models;
using LogitRank.Oracles;

namespace LogitRank.Analysis;

/// <summary>The spectrum and numerical rank of the logit matrix at one cut.</summary>
/// <param name="Cut">The cut <c>s</c> (0-based: histories of length <c>s</c>).</param>
/// <param name="RowCount">The number of rows of the matrix.</param>
/// <param name="ColumnCount">The number of columns of the matrix.</param>
/// <param name="Spectrum">Its singular values.</param>
/// <param name="Rank">Its numerical rank.</param>
public sealed record CutSpectrum(int Cut, int RowCount, int ColumnCount, SingularValueSpectrum Spectrum, RankSelection Rank);

/// <summary>Spectra and numerical ranks of a model's logit matrices at every cut <c>s = 0..T-1</c>.</summary>
/// <param name="Cuts">One entry per cut, in order.</param>
public sealed record SpectrumReport(IReadOnlyList<CutSpectrum> Cuts)
{
    /// <summary>The largest numerical rank over the cuts (the estimated logit rank).</summary>
    public int MaxRank => Cuts.Count == 0 ? 0 : Cuts.Max(c => c.Rank.Rank);

    /// <summary>
    /// Builds the logit matrix at every cut through <paramref name="oracle"/> (sampling with <see cref="OracleSampler"/>)
    /// and reports its spectrum and numerical rank. One <paramref name="random"/> serves all cuts, in order.
    /// </summary>
    public static SpectrumReport PerCut(ILogitOracle oracle, LogitMatrixSampling sampling, RankStrategy strategy, Random random, SpectrumOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        return Run(oracle.Horizon, s => LogitMatrix.Build(oracle, s, sampling, random, cancellationToken), strategy, options);
    }

    /// <summary>
    /// Builds the logit matrix of <paramref name="model"/> at every cut (sampling with <see cref="ISequenceModel.Sample(Random)"/>)
    /// and reports its spectrum and numerical rank. One <paramref name="random"/> serves all cuts, in order.
    /// </summary>
    public static SpectrumReport PerCut(ISequenceModel model, LogitMatrixSampling sampling, RankStrategy strategy, Random random, SpectrumOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Run(model.Horizon, s => LogitMatrix.Build(model, s, sampling, random, cancellationToken), strategy, options);
    }

    private static SpectrumReport Run(int horizon, Func<int, LogitMatrix> build, RankStrategy strategy, SpectrumOptions? options)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var cuts = new List<CutSpectrum>(horizon);
        for (var s = 0; s < horizon; s++)
        {
            var matrix = build(s);
            var spectrum = Spectrum.Compute(matrix.ToMatrix(), options);
            cuts.Add(new CutSpectrum(s, matrix.RowCount, matrix.ColumnCount, spectrum, NumericalRank.Select(spectrum, strategy)));
        }

        return new SpectrumReport(cuts);
    }
}
