using LogitRank.Learning;

namespace LogitRank.Cli;

/// <summary>
/// Learning progress on stderr: a bar redrawn in place on an interactive terminal (queries done / budget, epoch, phase),
/// one plain line per phase change when stderr is redirected, nothing with <c>--quiet</c>. Reports arrive synchronously
/// on the learner's thread (not through <see cref="Progress{T}"/>, which would post them to the thread pool out of order).
/// Also records the queries paid at the end of each epoch, for the error-against-queries plot.
/// </summary>
internal sealed class ProgressDisplay(TextWriter stderr, bool interactive, bool quiet) : IProgress<LearningProgress>
{
    private const int BarWidth = 30;
    private readonly Dictionary<int, long> _queriesAtEpochEnd = [];
    private int _lastEpoch;
    private bool _barDrawn;

    /// <summary>Queries paid when each epoch ended (the next epoch's first report, or the final one).</summary>
    public IReadOnlyDictionary<int, long> QueriesAtEpochEnd => _queriesAtEpochEnd;

    public void Report(LearningProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Epoch != _lastEpoch && _lastEpoch > 0)
        {
            _queriesAtEpochEnd[_lastEpoch] = value.QueriesSoFar;
        }

        if (value.Phase == LearningPhase.Done)
        {
            _queriesAtEpochEnd[_lastEpoch] = value.QueriesSoFar;
        }

        _lastEpoch = value.Epoch;
        if (quiet)
        {
            return;
        }

        var queries = value.QueryBudget is { } budget ? $"{value.QueriesSoFar}/{budget} queries" : $"{value.QueriesSoFar} queries";
        if (interactive)
        {
            var bar = string.Empty;
            if (value.QueryBudget is { } b && b > 0)
            {
                var filled = (int)Math.Clamp(value.QueriesSoFar * BarWidth / b, 0, BarWidth);
                bar = "[" + new string('#', filled) + new string('-', BarWidth - filled) + "] ";
            }

            stderr.Write($"\r{bar}{queries}  epoch {value.Epoch}  {value.Phase,-10}");
            _barDrawn = true;
            if (value.Phase == LearningPhase.Done)
            {
                Finish();
            }
        }
        else
        {
            stderr.WriteLine($"progress: epoch {value.Epoch}, {value.Phase}, {queries}");
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
