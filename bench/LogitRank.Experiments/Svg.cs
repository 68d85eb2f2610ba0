using System.Globalization;
using System.Text;

namespace LogitRank.Experiments;

/// <summary>A hand-written SVG line plot with a log-scale y axis (no plotting dependency).</summary>
internal static class Svg
{
    public static string LogPlot(string title, string xLabel, IReadOnlyList<(double X, double Tab, long? Ls, long? Learner)> points)
    {
        const int W = 560, H = 360, L = 70, R = 150, Tp = 40, B = 50;
        var ys = points.SelectMany(p => new double?[] { p.Tab, p.Ls, p.Learner }).Where(v => v is > 0).Select(v => Math.Log10(v!.Value)).ToList();
        if (points.Count == 0 || ys.Count == 0)
        {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>";
        }

        double xMin = points.Min(p => p.X), xMax = Math.Max(points.Max(p => p.X), xMin + 1);
        double yMin = Math.Floor(ys.Min()), yMax = Math.Max(Math.Ceiling(ys.Max()), yMin + 1);
        string Px(double x) => (L + ((x - xMin) / (xMax - xMin) * (W - L - R))).ToString("0.#", CultureInfo.InvariantCulture);
        string Py(double v) => (Tp + ((yMax - Math.Log10(v)) / (yMax - yMin) * (H - Tp - B))).ToString("0.#", CultureInfo.InvariantCulture);
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">");
        s.Append(CultureInfo.InvariantCulture, $"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/><text x=\"{W / 2}\" y=\"20\" text-anchor=\"middle\">{title}</text>");
        s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"black\"/><line x1=\"{L}\" y1=\"{Tp}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"black\"/>");
        for (var e = yMin; e <= yMax; e++)
        {
            var y = Py(Math.Pow(10, e));
            s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{L}\" y1=\"{y}\" x2=\"{W - R}\" y2=\"{y}\" stroke=\"#ddd\"/><text x=\"{L - 6}\" y=\"{y}\" text-anchor=\"end\">1e{e}</text>");
        }

        foreach (var p in points)
        {
            s.Append(CultureInfo.InvariantCulture, $"<text x=\"{Px(p.X)}\" y=\"{H - B + 16}\" text-anchor=\"middle\">{p.X}</text>");
        }

        s.Append(CultureInfo.InvariantCulture, $"<text x=\"{(L + W - R) / 2}\" y=\"{H - 12}\" text-anchor=\"middle\">{xLabel}</text><text x=\"16\" y=\"{H / 2}\" transform=\"rotate(-90 16 {H / 2})\" text-anchor=\"middle\">queries (log)</text>");
        var series = new (string Name, string Color, Func<(double X, double Tab, long? Ls, long? Learner), double?> Get)[]
        {
            ("tabulation", "#888", p => p.Tab),
            ("least squares", "#d62728", p => p.Ls),
            ("learner", "#1f77b4", p => p.Learner),
        };
        var legendY = Tp + 10;
        foreach (var (name, color, get) in series)
        {
            var pts = points.Where(p => get(p) is > 0).Select(p => $"{Px(p.X)},{Py(get(p)!.Value)}").ToList();
            if (pts.Count == 0)
            {
                continue;
            }

            s.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{string.Join(" ", pts)}\"/>");
            foreach (var pt in pts)
            {
                var xy = pt.Split(',');
                s.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"3\" fill=\"{color}\"/>");
            }

            s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{W - R + 10}\" y1=\"{legendY}\" x2=\"{W - R + 30}\" y2=\"{legendY}\" stroke=\"{color}\" stroke-width=\"2\"/><text x=\"{W - R + 35}\" y=\"{legendY + 4}\">{name}</text>");
            legendY += 18;
        }

        s.Append("</svg>");
        return s.ToString();
    }
}
