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
            ("tabulation", Gray, p => p.Tab),
            ("least squares", Palette[1], p => p.Ls),
            ("learner", Palette[0], p => p.Learner),
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

    /// <summary>A named line of (x, y) points, both positive (drawn on log axes).</summary>
    public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

    /// <summary>One panel: a title, its series and an optional vertical reference line (e.g. tabulation's query count).</summary>
    public sealed record Panel(string Title, IReadOnlyList<Series> Series, double? ReferenceX);

    /// <summary>
    /// Small multiples on log-log axes (decades as grid lines), two panels a row, one colour per series name across all
    /// panels, the legend below. Points that are not positive are not drawn.
    /// </summary>
    public static string LogLogPanels(string title, string xLabel, string yLabel, IReadOnlyList<Panel> panels)
    {
        const int PW = 430, PH = 280, L = 60, R = 15, Tp = 30, B = 40, Columns = 2;
        var names = panels.SelectMany(p => p.Series).Select(x => x.Name).Distinct().ToList();
        var rows = (panels.Count + Columns - 1) / Columns;
        var legendHeight = 18 * ((names.Count + 1) / 2) + 20;
        int width = PW * Columns, height = 30 + (rows * PH) + legendHeight;
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">");
        s.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/><text x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>");
        for (var i = 0; i < panels.Count; i++)
        {
            var panel = panels[i];
            int ox = (i % Columns) * PW, oy = 30 + ((i / Columns) * PH);
            var points = panel.Series.SelectMany(x => x.Points).Where(p => p.X > 0 && p.Y > 0).ToList();
            var xs = points.Select(p => Math.Log10(p.X)).Concat(panel.ReferenceX is > 0 ? [Math.Log10(panel.ReferenceX.Value)] : []).ToList();
            var ys = points.Select(p => Math.Log10(p.Y)).ToList();
            s.Append(CultureInfo.InvariantCulture, $"<text x=\"{ox + (PW / 2)}\" y=\"{oy + 16}\" text-anchor=\"middle\">{Escape(panel.Title)}</text>");
            if (xs.Count == 0 || ys.Count == 0)
            {
                continue;
            }

            double xMin = Math.Floor(xs.Min()), xMax = Math.Max(Math.Ceiling(xs.Max()), xMin + 1);
            double yMin = Math.Floor(ys.Min()), yMax = Math.Max(Math.Ceiling(ys.Max()), yMin + 1);
            double Px(double x) => ox + L + ((Math.Log10(x) - xMin) / (xMax - xMin) * (PW - L - R));
            double Py(double y) => oy + Tp + ((yMax - Math.Log10(y)) / (yMax - yMin) * (PH - Tp - B));
            string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
            var yStep = Math.Max(1, (int)Math.Ceiling((yMax - yMin) / 8));
            for (var e = yMin; e <= yMax; e += yStep)
            {
                var y = F(Py(Math.Pow(10, e)));
                s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{ox + L}\" y1=\"{y}\" x2=\"{ox + PW - R}\" y2=\"{y}\" stroke=\"#ddd\"/><text x=\"{ox + L - 4}\" y=\"{y}\" text-anchor=\"end\">1e{e}</text>");
            }

            for (var e = xMin; e <= xMax; e++)
            {
                var x = F(Px(Math.Pow(10, e)));
                s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"{oy + Tp}\" x2=\"{x}\" y2=\"{oy + PH - B}\" stroke=\"#eee\"/><text x=\"{x}\" y=\"{oy + PH - B + 14}\" text-anchor=\"middle\">1e{e}</text>");
            }

            s.Append(CultureInfo.InvariantCulture, $"<rect x=\"{ox + L}\" y=\"{oy + Tp}\" width=\"{PW - L - R}\" height=\"{PH - Tp - B}\" fill=\"none\" stroke=\"black\"/>");
            s.Append(CultureInfo.InvariantCulture, $"<text x=\"{ox + ((L + PW - R) / 2)}\" y=\"{oy + PH - 10}\" text-anchor=\"middle\">{Escape(xLabel)}</text><text x=\"{ox + 14}\" y=\"{oy + (PH / 2)}\" transform=\"rotate(-90 {ox + 14} {oy + (PH / 2)})\" text-anchor=\"middle\">{Escape(yLabel)}</text>");
            if (panel.ReferenceX is > 0)
            {
                var x = F(Px(panel.ReferenceX.Value));
                s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" y1=\"{oy + Tp}\" x2=\"{x}\" y2=\"{oy + PH - B}\" stroke=\"{Gray}\" stroke-dasharray=\"4 3\"/>");
            }

            foreach (var series in panel.Series)
            {
                var color = Palette[names.IndexOf(series.Name) % Palette.Length];
                var pts = series.Points.Where(p => p.X > 0 && p.Y > 0).OrderBy(p => p.X).Select(p => $"{F(Px(p.X))},{F(Py(p.Y))}").ToList();
                if (pts.Count > 1)
                {
                    s.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{string.Join(" ", pts)}\"/>");
                }

                foreach (var xy in pts.Select(p => p.Split(',')))
                {
                    s.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"2.5\" fill=\"{color}\"/>");
                }
            }
        }

        var legendY = 30 + (rows * PH) + 10;
        for (var i = 0; i < names.Count; i++)
        {
            int lx = 20 + ((i % 2) * (width / 2)), ly = legendY + (18 * (i / 2));
            var color = Palette[i % Palette.Length];
            s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 20}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"/><text x=\"{lx + 25}\" y=\"{ly + 4}\">{Escape(names[i])}</text>");
        }

        var refY = legendY + (18 * ((names.Count + 1) / 2));
        s.Append(CultureInfo.InvariantCulture, $"<line x1=\"20\" y1=\"{refY}\" x2=\"40\" y2=\"{refY}\" stroke=\"{Gray}\" stroke-dasharray=\"4 3\"/><text x=\"45\" y=\"{refY + 4}\">tabulation's query count</text>");
        s.Append("</svg>");
        return s.ToString();
    }

    private const string Gray = "#888";

    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
