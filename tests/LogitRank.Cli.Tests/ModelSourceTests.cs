using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Cli.Tests;

public sealed class ModelSourceTests
{
    [Fact]
    public void Damage_found_in_the_cache_mid_run_is_a_bad_file_error_naming_it()
    {
        // Found by CliFuzzTests (seed 2, case 457): a corrupted cache page read back as NULL threw a bare
        // InvalidOperationException ("The data is NULL at ordinal 0"), exit code 1.
        var guard = new ModelSource.CacheGuard(new Throwing(new InvalidOperationException("The data is NULL at ordinal 0.")), "answers.db");
        var e = Assert.Throws<CliException>(() => guard.Query([Prefix.Empty]));
        Assert.Equal(ExitCodes.BadInputFile, e.ExitCode);
        Assert.Contains("The --cache file 'answers.db' is damaged or unusable: The data is NULL at ordinal 0.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_targets_own_failures_pass_through_the_cache_unchanged()
    {
        var original = new InvalidOperationException("the target's own bug");
        var guard = new ModelSource.CacheGuard(new ModelSource.InnerOracle(new Throwing(original)), "answers.db");
        Assert.Same(original, Assert.Throws<InvalidOperationException>(() => guard.Query([Prefix.Empty])));

        var model = TimeVaryingIsan.Random(2, 3, 2, 1);
        var answers = new ModelSource.CacheGuard(new ModelSource.InnerOracle(new ModelOracle(model)), "answers.db").Query([Prefix.Empty]);
        Assert.Equal(model.NextTokenLogits(Prefix.Empty).ToArray(), answers[0].ToArray());
    }

    private sealed class Throwing(Exception e) : ILogitOracle
    {
        public int AlphabetSize => 2;

        public int Horizon => 3;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) => throw e;
    }
}
