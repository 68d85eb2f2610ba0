using LogitRank.Evaluation;

namespace LogitRank.Cli;

/// <summary>
/// Progress of one long step (exact enumeration, certification, a spectrum's cuts) on stderr: a bar redrawn in place on
/// an interactive terminal, else one line <c>progress: STEP, DONE/TOTAL UNIT</c> each time another tenth is done (and at
/// the end), nothing with <c>--quiet</c>. Reports arrive synchronously on the worker's thread.
/// </summary>
internal sealed class StepProgress(TextWriter stderr, bool interactive, bool quiet, string step) : IProgress<EnumerationProgress>
{
    private const int BarWidth = 30;
    private int _lastTenth = -1;
    private bool _barDrawn;

    public void Report(EnumerationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Report(value.Done, value.Total, "sequences");
    }

    /// <summary>Reports <paramref name="done"/> of <paramref name="total"/> <paramref name="unit"/>.</summary>
    public void Report(long done, long total, string unit)
    {
        if (quiet || total <= 0)
        {
            return;
        }

        var fraction = Math.Clamp((double)done / total, 0, 1);
        if (interactive)
        {
            var filled = (int)(fraction * BarWidth);
            stderr.Write($"\r{step}: [{new string('#', filled)}{new string('-', BarWidth - filled)}] {done}/{total} {unit}");
            _barDrawn = true;
            if (done >= total)
            {
                Finish();
            }

            return;
        }

        var tenth = (int)(fraction * 10);
        if (tenth > _lastTenth)
        {
            _lastTenth = tenth;
            stderr.WriteLine($"progress: {step}, {done}/{total} {unit}");
        }
    }

    /// <summary>Ends the bar's line (before anything else is written to stderr).</summary>
    public void Finish()
    {
        if (_barDrawn)
        {
            stderr.WriteLine();
            _barDrawn = false;
        }
    }
}
