using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

public partial class FutureSetsTests
{
    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 5)]
    public void Extended_set_holds_every_two_token_word_below_the_last_cut(int k, int horizon)
    {
        var f = FutureSets.Initial(k, horizon);
        for (var s = 0; s <= horizon - 2; s++)
        {
            foreach (var w in SequenceSpace.All(k, 2))
            {
                Assert.True(f.IndexInExtended(s, w) >= 0, $"cut {s} misses {w}");
            }

            // F̃_s = Σ ∪ Σ∘Σ initially: k + k² words, futures ∅ and the k one-token futures.
            Assert.Equal(k + (k * k), f.Extended(s).Count);
            Assert.Equal(k + 1, f.ExtendedFutures(s).Count);
        }

        // Last cut: F̃_{T-1} = F̂_{T-1} = Σ.
        Assert.Equal(k, f.Extended(horizon - 1).Count);
        Assert.Equal([Prefix.Empty], f.ExtendedFutures(horizon - 1));
    }

    [Fact]
    public void Horizon_one_has_a_single_cut_whose_extended_set_is_sigma()
    {
        var f = FutureSets.Initial(3, 1);
        Assert.Equal(1, f.Horizon);
        Assert.Equal(3, f.Extended(0).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Future(1));
    }

    [Fact]
    public void Horizon_two_cut_zero_needs_the_empty_query_and_one_per_token()
    {
        var f = FutureSets.Initial(2, 2);
        Assert.Equal([Prefix.Empty, Prefix.Of(0), Prefix.Of(1)], f.ExtendedFutures(0));
        Assert.Equal(2, f.Extended(1).Count);
    }

    [Fact]
    public void Witness_extends_its_cut_and_the_previous_extended_set()
    {
        var f = FutureSets.Initial(2, 5);
        var w = Prefix.Of(1, 0, 1);
        var g = f.WithWitness(2, w);
        Assert.True(g.ContainsFuture(2, w));
        Assert.False(f.ContainsFuture(2, w)); // immutable
        Assert.Equal(3, g.Future(2).Count);
        Assert.Equal(w, g.Future(2)[2]);
        Assert.True(g.IndexInExtended(2, w) >= 0);
        Assert.True(g.IndexInExtended(1, w.Prepend(0)) >= 0);
        Assert.True(g.IndexInExtended(1, w.Prepend(1)) >= 0);
        Assert.Equal(f.Extended(1).Count + 2, g.Extended(1).Count);
        Assert.Equal(f.Extended(0).Count, g.Extended(0).Count);
        Assert.Contains(Prefix.Of(1, 1, 0), g.ExtendedFutures(1));
        Assert.Same(g, g.WithWitness(2, w));
    }

    [Fact]
    public void Witness_of_the_maximal_length_is_accepted_at_the_last_cut_used()
    {
        // Cut T-2 = 3 of T = 5 holds words of length <= 2.
        var g = FutureSets.Initial(2, 5).WithWitness(3, Prefix.Of(1, 1));
        Assert.True(g.ContainsFuture(3, Prefix.Of(1, 1)));
    }

    [Fact]
    public void FromFutureSets_round_trips_and_validates()
    {
        var f = FutureSets.Initial(2, 4).WithWitness(1, Prefix.Of(0, 1, 1));
        var g = FutureSets.FromFutureSets(2, 4, Enumerable.Range(0, 4).Select(f.Future).ToList());
        Assert.True(f.SameAs(g));
        Assert.Throws<ArgumentException>(() => FutureSets.FromFutureSets(2, 4, [[Prefix.Of(1), Prefix.Of(0)], [Prefix.Of(0), Prefix.Of(1)], [Prefix.Of(0), Prefix.Of(1)], [Prefix.Of(0), Prefix.Of(1)]]));
        Assert.Throws<ArgumentException>(() => FutureSets.FromFutureSets(2, 4, [[Prefix.Of(0), Prefix.Of(1), Prefix.Of(1)], [Prefix.Of(0), Prefix.Of(1)], [Prefix.Of(0), Prefix.Of(1)], [Prefix.Of(0), Prefix.Of(1)]]));
    }

    [Fact]
    public void Future_sets_reject_bad_lists_and_report_sentinels()
    {
        var initial = FutureSets.Initial(2, 3);
        IReadOnlyList<IReadOnlyList<Prefix>> Lists(int count) => [.. Enumerable.Range(0, count).Select(s => initial.Future(s))];
        Assert.Equal("futureSets", Assert.Throws<ArgumentException>(() => FutureSets.FromFutureSets(2, 3, Lists(2))).ParamName);
        IReadOnlyList<IReadOnlyList<Prefix>> missingOneTokenWord = [[Prefix.Of(0)], initial.Future(1), initial.Future(2)];
        Assert.Equal("futureSets", Assert.Throws<ArgumentException>(() => FutureSets.FromFutureSets(2, 3, missingOneTokenWord)).ParamName);
        IReadOnlyList<IReadOnlyList<Prefix>> tokenOutside = [[Prefix.Of(0), Prefix.Of(1), Prefix.Of(1, 2)], initial.Future(1), initial.Future(2)];
        Assert.Equal("futureSets", Assert.Throws<ArgumentException>(() => FutureSets.FromFutureSets(2, 3, tokenOutside)).ParamName);
        Assert.True(FutureSets.FromFutureSets(2, 3, Lists(3)).SameAs(initial));

        Assert.Equal("cut", Assert.Throws<ArgumentOutOfRangeException>(() => initial.WithWitness(-1, Prefix.Of(0))).ParamName);
        Assert.Equal("cut", Assert.Throws<ArgumentOutOfRangeException>(() => initial.WithWitness(3, Prefix.Of(0))).ParamName);
        Assert.Equal("word", Assert.Throws<ArgumentException>(() => initial.WithWitness(1, Prefix.Of(0, 2))).ParamName);

        Assert.Equal(-1, initial.IndexInExtended(1, Prefix.Of(1, 1, 1)));
        Assert.False(initial.SameAs(FutureSets.Initial(2, 4)));
        Assert.False(initial.SameAs(FutureSets.Initial(3, 3)));
        Assert.False(initial.SameAs(initial.WithWitness(0, Prefix.Of(1, 1))));
    }
}
