using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

public class WitnessSearchResultTests
{
    private static WitnessRecord Candidate(int cut, double residual, int sample) => new(cut, Prefix.Of(0, 1), residual, sample, cut + 1);

    [Fact]
    public void A_later_sample_replaces_a_candidate_only_when_strictly_larger_so_ties_keep_the_earlier()
    {
        // Sample 0: cut 1 has |res| 0.5, cut 2 has 0.3. Sample 1: cut 1 ties at -0.5, cut 2 is larger (0.4).
        var first = new WitnessSearchResult(0.5, 0.1, Candidate(1, 0.5, 0), [null, Candidate(1, 0.5, 0), Candidate(2, 0.3, 0)]);
        var second = new WitnessSearchResult(0.5, 0.2, Candidate(1, -0.5, 1), [null, Candidate(1, -0.5, 1), Candidate(2, 0.4, 1)]);
        var both = WitnessSearchResult.None(3).Then(first).Then(second);

        Assert.Equal(0, both.Best!.Sample); // the tie goes to the first in sample order
        Assert.Equal(0, both.BestPerCut[1]!.Sample);
        Assert.Equal(1, both.BestPerCut[2]!.Sample);
        Assert.Null(both.BestPerCut[0]);
        Assert.Equal(0.5, both.MaxResidual);
        Assert.Equal(0.2, both.MaxLogitError);
        var unchanged = both.Then(WitnessSearchResult.None(3)); // a sample with nothing found changes nothing
        Assert.Same(both.Best, unchanged.Best);
        Assert.Equal(both.BestPerCut, unchanged.BestPerCut);
        Assert.Equal((both.MaxResidual, both.MaxLogitError), (unchanged.MaxResidual, unchanged.MaxLogitError));
    }

    [Fact]
    public void One_witness_per_epoch_is_the_largest_and_several_are_the_largest_per_cut_ties_by_cut()
    {
        var found = new WitnessSearchResult(0.9, 0.0, Candidate(3, -0.9, 2), [null, Candidate(1, 0.4, 0), Candidate(2, 0.4, 1), Candidate(3, -0.9, 2)]);
        Assert.Equal([Candidate(3, -0.9, 2)], found.Choose(1));
        Assert.Equal([Candidate(3, -0.9, 2), Candidate(1, 0.4, 0)], found.Choose(2)); // the tie at 0.4 goes to the lower cut
        Assert.Equal(3, found.Choose(5).Count);
        Assert.Empty(WitnessSearchResult.None(4).Choose(1));
        Assert.Empty(WitnessSearchResult.None(4).Choose(3));
    }
}
