using System.Text;
using System.Text.Json.Nodes;
using LogitRank.Analysis;
using static LogitRank.Cli.CommandContext;

namespace LogitRank.Cli;

/// <summary>One cut's analysis: the spectrum, numerical rank, power-law fit and best rank-r errors.</summary>
internal sealed record CutAnalysis(
    int Cut,
    int Rows,
    int Columns,
    IReadOnlyList<double> SingularValues,
    int Rank,
    PowerLawFit? PowerLaw,
    IReadOnlyList<double> RelativeFrobeniusErrors,
    IReadOnlyList<double> MeanAbsoluteErrors);

/// <summary><c>logitrank spectrum &lt;target&gt;</c>: the logit-matrix spectrum at every cut.</summary>
internal static class SpectrumCommand
{
    public static CommandDefinition Definition { get; } = new(
        new CommandSpec(
            "spectrum",
            "Logit-matrix spectrum per cut of a target: singular values, numerical rank, power-law exponent, best rank-r errors.",
            ["target"],
            [
                new("histories", "N", "rows per cut: all histories if k^s <= N, else N sampled (default 200)"),
                new("futures", "N", "futures per cut: all if there are at most N, else N sampled (default 100)"),
                new("rank-tolerance", "TAU", "numerical rank: sigma_i > TAU * sigma_1 (default 1e-9)"),
                new("max-rank", "R", "best rank-r errors for r = 0..R (default 6)"),
                new("csv", "FILE", "write cut,i,sigma,relative Frobenius error of the best rank-i approximation"),
                new("out", "FILE", "write the result JSON"),
                new("plot", "PREFIX", "write PREFIX.png and PREFIX.svg (singular values, log-log, with power-law fits)"),
                Targets.CacheOption,
            ]),
        Run);

    public static IReadOnlyList<CutAnalysis> Analyze(ModelSource source, LogitMatrixSampling sampling, double tolerance, int maxRank, Random random, CancellationToken ct, StepProgress? progress = null)
    {
        var cuts = new List<CutAnalysis>(source.Horizon);
        for (var s = 0; s < source.Horizon; s++)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(s, source.Horizon, "cuts");
            var matrix = source.Model is { } model ? LogitMatrix.Build(model, s, sampling, random, ct) : LogitMatrix.Build(source.Oracle, s, sampling, random, ct);
            var a = matrix.ToMatrix();
            var spectrum = Spectrum.Compute(a);
            var rank = NumericalRank.Select(spectrum, RankStrategy.RelativeThreshold(tolerance)).Rank;
            var values = spectrum.Values;
            var positive = values.TakeWhile(v => v > tolerance * spectrum.Largest && v > 0).Count();
            var fit = positive >= 2 ? PowerLawFit.Fit(values, 1, positive) : null;
            var top = Math.Min(maxRank, Math.Min(a.RowCount, a.ColumnCount));
            var frobenius = LowRankError.RelativeFrobeniusCurve(spectrum).Take(top + 1).ToArray();
            var meanAbs = LowRankError.MeanAbsoluteErrors(a, Enumerable.Range(0, top + 1).ToArray());
            cuts.Add(new CutAnalysis(s, a.RowCount, a.ColumnCount, values.ToArray(), rank, fit, frobenius, meanAbs));
        }

        progress?.Report(source.Horizon, source.Horizon, "cuts");

        return cuts;
    }

    private static int Run(CommandContext context)
    {
        var args = context.Arguments;
        var sampling = new LogitMatrixSampling { HistoryCount = args.Int("histories", 200, 1), FutureCount = args.Int("futures", 100, 1) };
        var tolerance = args.Double("rank-tolerance", 1e-9, 0, 1, minExclusive: true, maxExclusive: true);
        var maxRank = args.Int("max-rank", 6, 0, 1000);
        var csv = context.Outputs.Declare("--csv", args.String("csv"));
        var outFile = context.Outputs.Declare("--out", args.String("out"));
        var plot = context.Outputs.Declare("--plot", args.String("plot"), ".png", ".svg");
        using var source = Targets.Open(context, args.Positionals[0], "target");
        context.Note($"Building the logit matrices of {source.Description} at cuts 0..{source.Horizon - 1}...");
        var progress = context.Progress("spectrum");
        IReadOnlyList<CutAnalysis> cuts;
        try
        {
            cuts = Analyze(source, sampling, tolerance, maxRank, new Random(context.Seed), context.CancellationToken, progress);
        }
        finally
        {
            progress.Finish();
        }

        var json = new JsonObject
        {
            ["command"] = "spectrum",
            ["target"] = source.Description,
            ["alphabetSize"] = source.AlphabetSize,
            ["horizon"] = source.Horizon,
            ["seed"] = context.Seed,
            ["rankTolerance"] = tolerance,
            ["maxRank"] = cuts.Count == 0 ? 0 : cuts.Max(c => c.Rank),
            ["cuts"] = new JsonArray([.. cuts.Select(ToJson)]),
        };
        Targets.AddCache(json, source);
        if (csv is not null && context.Outputs.Write("--csv", Csv(cuts)))
        {
            context.Note($"Wrote {csv}.");
        }

        if (outFile is not null && context.Outputs.Write("--out", json.ToJsonString(JsonOptions)))
        {
            context.Note($"Wrote {outFile}.");
        }

        if (plot is not null && Plots.Spectrum(cuts, $"Logit-matrix spectra of {source.Description}", context.Outputs, "--plot") is { Count: > 0 } files)
        {
            context.Note($"Wrote {string.Join(" and ", files)}.");
        }

        if (source.CacheNote is { } note)
        {
            context.Note(note);
        }

        return context.Complete(json, () => PrintHuman(context, source, cuts, tolerance));
    }

    private static void PrintHuman(CommandContext context, ModelSource source, IReadOnlyList<CutAnalysis> cuts, double tolerance)
    {
        context.Out($"Logit-matrix spectrum of {source.Description} (k = {source.AlphabetSize}, T = {source.Horizon}); rank: sigma_i > {F(tolerance, "G2")}*sigma_1");
        context.Out();
        context.Out($"{"s",2}  {"rows x cols",11}  {"sigma_1..sigma_4",-43}  {"rank",4}  {"power law a (R^2)",-17}  mean |A-A_r| for r = 0,1,2,...");
        foreach (var c in cuts)
        {
            var sigma = string.Join(" ", c.SingularValues.Take(4).Select(v => F(v, "0.000E+00")));
            var law = c.PowerLaw is { } p ? $"{F(p.Exponent, "0.00")} ({F(p.RSquared, "0.00")})" : "-";
            var errors = string.Join(" ", c.MeanAbsoluteErrors.Select(e => F(e, "0.0E+00")));
            context.Out($"{c.Cut,2}  {$"{c.Rows} x {c.Columns}",11}  {sigma,-43}  {c.Rank,4}  {law,-17}  {errors}");
        }

        context.Out();
        context.Out($"Largest numerical rank over the cuts: {(cuts.Count == 0 ? 0 : cuts.Max(c => c.Rank))}.");
    }

    private static JsonObject ToJson(CutAnalysis c) => new()
    {
        ["cut"] = c.Cut,
        ["rows"] = c.Rows,
        ["columns"] = c.Columns,
        ["rank"] = c.Rank,
        ["singularValues"] = Numbers(c.SingularValues),
        ["powerLaw"] = c.PowerLaw is { } p
            ? new JsonObject { ["exponent"] = Number(p.Exponent), ["constant"] = Number(p.Constant), ["rSquared"] = Number(p.RSquared), ["first"] = p.First, ["last"] = p.Last }
            : null,
        ["relativeFrobeniusErrors"] = Numbers(c.RelativeFrobeniusErrors),
        ["meanAbsoluteErrors"] = Numbers(c.MeanAbsoluteErrors),
    };

    private static string Csv(IReadOnlyList<CutAnalysis> cuts)
    {
        var text = new StringBuilder();
        text.Append("cut,i,sigma,relative_frobenius_error_rank_i\n");
        foreach (var c in cuts)
        {
            var curve = c.RelativeFrobeniusErrors;
            for (var i = 0; i < c.SingularValues.Count; i++)
            {
                var e = i + 1 < curve.Count ? F(curve[i + 1], "R") : string.Empty;
                text.Append(Culture, $"{c.Cut},{i + 1},{F(c.SingularValues[i], "R")},{e}\n");
            }
        }

        return text.ToString();
    }
}
