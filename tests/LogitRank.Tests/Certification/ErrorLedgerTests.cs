using LogitRank.Certification;

namespace LogitRank.Tests.Certification;

/// <summary>The sums, the cap and the validation of <see cref="ErrorLedger"/>.</summary>
public partial class ErrorLedgerTests
{
    [Fact]
    public void Bounds_are_the_sums_of_the_terms_and_tv_is_capped_at_one()
    {
        var ledger = new ErrorLedger([new LedgerTerm("a", 1, 0.25, 0.5, "x"), new LedgerTerm("b", 2, 0.125, 1.5, "y")]);
        Assert.Equal(0.375, ledger.TotalVariation);
        Assert.Equal(2.0, ledger.KullbackLeibler);
        Assert.Same(ledger.Terms[1], ledger["b"]);

        var large = new ErrorLedger([new LedgerTerm("a", 1, 0.75, 3, ""), new LedgerTerm("b", 1, 0.75, 4, "")]);
        Assert.Equal(1.0, large.TotalVariation);
        Assert.Equal(7.0, large.KullbackLeibler);
    }

    [Fact]
    public void Infinite_contributions_are_allowed_and_propagate()
    {
        var ledger = new ErrorLedger([new LedgerTerm("a", double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, "")]);
        Assert.Equal(1.0, ledger.TotalVariation);
        Assert.Equal(double.PositiveInfinity, ledger.KullbackLeibler);
    }

    [Fact]
    public void Invalid_terms_are_rejected_with_the_term_named()
    {
        var negativeKl = Assert.Throws<ArgumentException>(() => new ErrorLedger([new LedgerTerm("kl-term", 1, 0, -1, "")]));
        Assert.Contains("'kl-term'", negativeKl.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ErrorLedger([new LedgerTerm("a", double.NaN, 0, 0, "")]));
        Assert.Throws<ArgumentException>(() => new ErrorLedger([new LedgerTerm("a", 1, double.NaN, 0, "")]));
        Assert.Throws<ArgumentNullException>(() => new ErrorLedger([null!]));
        var nullTerms = Assert.Throws<ArgumentNullException>(() => new ErrorLedger(null!));
        Assert.Equal("terms", nullTerms.ParamName);
        var dup = Assert.Throws<ArgumentException>(() => new ErrorLedger([new LedgerTerm("a", 1, 0, 0, ""), new LedgerTerm("b", 1, 0, 0, ""), new LedgerTerm("a", 1, 0, 0, "")]));
        Assert.Contains("'a' appears 2 times", dup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_term_lists_the_names_present()
    {
        var ledger = new ErrorLedger([new LedgerTerm("first", 1, 0, 0, ""), new LedgerTerm("second", 1, 0, 0, "")]);
        var e = Assert.Throws<KeyNotFoundException>(() => ledger["third"]);
        Assert.Contains("'third'", e.Message, StringComparison.Ordinal);
        Assert.Contains("first, second", e.Message, StringComparison.Ordinal);
    }
}
