using ScottPlot;
using ScottPlot.TickGenerators;

namespace LogitRank.Cli;

/// <summary>A series of an error-against-queries plot: points <c>(queries, error)</c> with a legend label.</summary>
internal sealed record ErrorSeries(string Label, IReadOnlyList<double> Queries, IReadOnlyList<double> Errors);

/// <summary>
/// The figures, drawn with ScottPlot 5 (SkiaSharp) and saved as <c>PREFIX.png</c> and <c>PREFIX.svg</c>: singular values on
/// log-log axes with the fitted power laws, and error against queries spent.
/// </summary>
internal static class Plots
{
    public const int Width = 800;
    public const int Height = 560;

    /// <summary>The smallest singular value drawn (relative to the largest): smaller ones are rounding noise and have no logarithm at 0.</summary>
    private const double RelativeFloor = 1e-13;

    public static IReadOnlyList<string> Spectrum(IReadOnlyList<CutAnalysis> cuts, string title, OutputFiles outputs, string option)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var largest = cuts.SelectMany(c => c.SingularValues).DefaultIfEmpty(0).Max();
        for (var i = 0; i < cuts.Count; i++)
        {
            var cut = cuts[i];
            var kept = cut.SingularValues.Select((v, j) => (Index: j + 1, Value: v)).Where(p => p.Value > RelativeFloor * largest && p.Value > 0).ToArray();
            if (kept.Length == 0)
            {
                continue;
            }

            var color = palette.GetColor(i);
            var xs = kept.Select(p => Math.Log10(p.Index)).ToArray();
            var ys = kept.Select(p => Math.Log10(p.Value)).ToArray();
            var scatter = plot.Add.Scatter(xs, ys, color);
            scatter.LegendText = $"cut {cut.Cut}";
            scatter.MarkerSize = 5;
            if (cut.PowerLaw is { } fit)
            {
                double[] fx = [Math.Log10(fit.First), Math.Log10(fit.Last)];
                double[] fy = [Math.Log10(fit.Constant) - (fit.Exponent * fx[0]), Math.Log10(fit.Constant) - (fit.Exponent * fx[1])];
                var line = plot.Add.Scatter(fx, fy, color);
                line.LinePattern = LinePattern.Dashed;
                line.MarkerSize = 0;
                line.LegendText = string.Create(CommandContext.Culture, $"fit a = {fit.Exponent:0.00}");
            }
        }

        LogAxis(plot.Axes.Bottom, integer: true);
        LogAxis(plot.Axes.Left, integer: false);
        plot.Title(title);
        plot.XLabel("index i (log scale)");
        plot.YLabel("singular value σ_i (log scale)");
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, outputs, option);
    }

    /// <summary>Errors below this are drawn at it (a log axis has no 0; exact errors of a learned exact-rank target are ~1e-15).</summary>
    public const double ErrorFloor = 1e-16;

    public static IReadOnlyList<string> ErrorAgainstQueries(IReadOnlyList<ErrorSeries> series, string title, OutputFiles outputs, string option)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double xMax = 1, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            if (s.Queries.Count == 0)
            {
                continue;
            }

            var ys = s.Errors.Select(e => Math.Log10(Math.Max(e, ErrorFloor))).ToArray();
            var scatter = plot.Add.Scatter(s.Queries.ToArray(), ys, palette.GetColor(i));
            scatter.LegendText = s.Label;
            scatter.MarkerSize = 8;
            xMax = Math.Max(xMax, s.Queries.Max());
            yMin = Math.Min(yMin, ys.Min());
            yMax = Math.Max(yMax, ys.Max());
        }

        if (double.IsFinite(yMin))
        {
            // ScottPlot's autoscale ignores lone points at the edge; set the limits from the data.
            plot.Axes.SetLimits(0, xMax * 1.08, Math.Floor(yMin) - 0.5, Math.Ceiling(yMax) + 0.5);
        }

        LogAxis(plot.Axes.Left, integer: false);
        plot.Title(title);
        plot.XLabel("oracle queries spent");
        plot.YLabel("error (log scale)");
        plot.ShowLegend(Alignment.LowerLeft);
        return Save(plot, outputs, option);
    }

    private static void LogAxis(ScottPlot.IAxis axis, bool integer)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => integer
                ? Math.Pow(10, v).ToString("0", CommandContext.Culture)
                : Math.Pow(10, v).ToString("0.#E+0", CommandContext.Culture),
        };
    }

    /// <summary>Writes the PNG and the SVG through <paramref name="outputs"/> (declared with the suffixes .png and .svg); returns the files written.</summary>
    private static string[] Save(Plot plot, OutputFiles outputs, string option)
    {
        var before = outputs.Written.Count;
        outputs.Write(option, ".png", stream => stream.Write(plot.GetImageBytes(Width, Height, ImageFormat.Png)));
        outputs.Write(option, ".svg", stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            writer.Write(plot.GetSvgXml(Width, Height));
        });
        return [.. outputs.Written.Skip(before)];
    }
}
