using LogitRank.Models;
using LogitRank.Oracles;
using LogitRank.Sequences;

namespace LogitRank.Tests.Models;

/// <content>
/// The limits of tabulation and of random tables: a row count equal to <see cref="TabulationOptions.MaxPrefixes"/> is
/// allowed, the smallest options (a batch of one prefix, a limit of one row) are allowed, a batch size that divides
/// the row count sends no empty batch, and a random table accepts any positive finite scale.
/// </content>
public partial class TabularModelTests
{
    [Fact]
    public void A_table_of_exactly_the_row_limit_is_tabulated_and_one_row_less_is_refused()
    {
        // k = 2, T = 3: 1 + 2 + 4 = 7 rows.
        var model = TabularModel.Random(2, 3, seed: 5);
        var table = TabularModel.Tabulate(new ModelOracle(model), new TabulationOptions { MaxPrefixes = 7 });
        Assert.All(SequenceSpace.AllUpTo(2, 2), h => Assert.Equal(model.NextTokenLogits(h), table.NextTokenLogits(h)));
        var e = Assert.Throws<TableTooLargeException>(() => TabularModel.Tabulate(new ModelOracle(model), new TabulationOptions { MaxPrefixes = 6 }));
        Assert.Equal(6, e.Limit);
    }

    [Fact]
    public void A_batch_of_one_prefix_and_a_limit_of_one_row_are_allowed()
    {
        var options = new TabulationOptions { BatchSize = 1, MaxPrefixes = 1 };
        options.Validate();

        // T = 1 has the one row of the empty prefix.
        var model = TabularModel.Random(3, 1, seed: 6);
        var oracle = new RecordingOracle(new ModelOracle(model));
        var table = TabularModel.Tabulate(oracle, options);
        Assert.Equal(model.NextTokenLogits(Prefix.Empty), table.NextTokenLogits(Prefix.Empty));
        Assert.Equal(new[] { Prefix.Empty }, Assert.Single(oracle.Batches));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(1)]
    public void A_batch_size_dividing_the_row_count_sends_no_empty_batch(int batchSize)
    {
        var oracle = new RecordingOracle(new ModelOracle(TabularModel.Random(2, 3, seed: 7)));
        var progress = new ListProgress();
        TabularModel.Tabulate(oracle, new TabulationOptions { BatchSize = batchSize }, progress);

        // 7 rows in batches of batchSize: 7 / batchSize full batches, no empty one, and one report per batch after the
        // initial report.
        Assert.Equal(7 / batchSize, oracle.Batches.Count);
        Assert.All(oracle.Batches, b => Assert.Equal(batchSize, b.Length));
        Assert.Equal((7 / batchSize) + 1, progress.Reports.Count);
        Assert.Equal(new TabulationProgress(7, 7), progress.Reports[^1]);
    }

    [Fact]
    public void A_random_table_accepts_a_huge_finite_scale_and_stays_within_it()
    {
        // The draws scale·(2u - 1) lie in [-scale, scale]; for k = 2 the centered logits are ±(a - b)/2, within
        // [-scale, scale]. A scale of a quarter of the largest double keeps every intermediate sum finite.
        var scale = double.MaxValue / 4;
        var model = TabularModel.Random(2, 3, seed: 8, scale);
        foreach (var h in SequenceSpace.AllUpTo(2, 2))
        {
            var logits = model.NextTokenLogits(h);
            Assert.All(logits.ToArray(), l => Assert.True(double.IsFinite(l) && Math.Abs(l) <= scale, $"{h}: {l:R}"));
        }

        // The logits are not all tiny: at least one row spans more than a tenth of the scale.
        Assert.Contains(SequenceSpace.AllUpTo(2, 2), h => Math.Abs(model.NextTokenLogits(h)[0]) > scale / 10);
    }
}
