using System.Globalization;
using LogitRank.Analysis;
using LogitRank.Models;

namespace LogitRank.Cli;

/// <summary>
/// The interim README demo: the logit-matrix spectrum of a seeded random time-varying ISAN at every cut, with its
/// numerical rank next to the state dimension <c>d</c> (which bounds it).
/// </summary>
public static class Demo
{
    /// <summary>Runs the demo and writes one line per cut to <paramref name="output"/>.</summary>
    /// <param name="output">Where to write the table.</param>
    /// <param name="alphabetSize">The alphabet size <c>k</c>.</param>
    /// <param name="horizon">The horizon <c>T</c>.</param>
    /// <param name="stateDimension">The ISAN state dimension <c>d</c>.</param>
    /// <param name="seed">The seed of the model and of the sampling.</param>
    /// <returns>The report that was printed.</returns>
    public static SpectrumReport Run(TextWriter output, int alphabetSize = 3, int horizon = 8, int stateDimension = 3, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(output);
        const double relativeThreshold = 1e-9;
        const int leading = 5;
        var model = TimeVaryingIsan.Random(alphabetSize, horizon, stateDimension, seed);
        var sampling = new LogitMatrixSampling { HistoryCount = 200, FutureCount = 100 };
        var report = SpectrumReport.PerCut(model, sampling, RankStrategy.RelativeThreshold(relativeThreshold), new Random(seed));

        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"Random time-varying ISAN: k = {alphabetSize}, T = {horizon}, d = {stateDimension}, seed = {seed}"));
        output.WriteLine(string.Create(culture, $"Logit matrix per cut s (rows: histories of length s; columns: words f∘z). Rank: σ_i > {relativeThreshold:G2}·σ_1."));
        output.WriteLine();
        output.WriteLine(string.Create(culture, $"{"s",2}  {"rows × cols",13}  {"leading singular values",-58}  rank  d"));
        foreach (var cut in report.Cuts)
        {
            var values = string.Join("  ", cut.Spectrum.Values.Take(leading).Select(v => v.ToString("0.000E+00", culture)));
            output.WriteLine(string.Create(culture, $"{cut.Cut,2}  {cut.RowCount,5} × {cut.ColumnCount,-5}  {values,-58}  {cut.Rank.Rank,4}  {stateDimension}"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(culture, $"Largest numerical rank over the cuts: {report.MaxRank} (bound d = {stateDimension})."));
        return report;
    }
}
