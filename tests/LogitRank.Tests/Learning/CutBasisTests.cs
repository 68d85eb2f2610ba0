using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// The <see cref="CutBasis"/> constructor rejects null lists and negative cut or width by parameter name, before it
/// compares counts.
/// </summary>
public partial class CutBasisTests
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

    [Fact]
    public void A_null_history_or_row_is_named_with_its_index()
    {
        var history = Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0), null!], [[1.0, 0.0], [0.0, 1.0]]));
        Assert.Equal("histories", history.ParamName);
        Assert.Contains("Cut 1: basis history 1 is null.", history.Message, StringComparison.Ordinal);

        var row = Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0), Prefix.Of(1)], [[1.0, 0.0], null!]));
        Assert.Equal("rows", row.ParamName);
        Assert.Contains("Cut 1: row 1 is null.", row.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cut_basis_rejects_inconsistent_histories_and_rows()
    {
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0)], [])).ParamName);
        Assert.Equal("histories", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0, 1)], [[0.0, 0.0]])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0)], [[0.0]])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0)], [[0.0, double.NaN]])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => new CutBasis(1, 2, [Prefix.Of(0)], [[double.PositiveInfinity, 0.0]])).ParamName);
        var ok = new CutBasis(1, 2, [Prefix.Of(0)], [[0.5, -0.5]]);
        Assert.Equal(1, ok.Size);
    }
}
