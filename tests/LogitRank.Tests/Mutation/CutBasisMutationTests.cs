using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Mutation;

/// <summary>
/// The <see cref="CutBasis"/> constructor rejects null lists and negative cut or width by parameter name, before it
/// compares counts (proofs-notes/mutation.md).
/// </summary>
public class CutBasisMutationTests
{
    [Fact]
    public void Constructor_rejects_null_lists_and_negative_cut_or_width_by_name()
    {
        Assert.Equal("histories", Assert.Throws<ArgumentNullException>(() => new CutBasis(1, 2, null!, [])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentNullException>(() => new CutBasis(1, 2, [], null!)).ParamName);
        Assert.Equal("cut", Assert.Throws<ArgumentOutOfRangeException>(() => new CutBasis(-1, 2, [], [])).ParamName);
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => new CutBasis(1, -1, [], [])).ParamName);
        Assert.Equal(0, new CutBasis(1, 2, Array.Empty<Prefix>(), []).Size); // the empty basis itself is valid
    }
}
