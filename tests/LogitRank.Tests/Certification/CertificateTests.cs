using LogitRank.Certification;
using LogitRank.Statistics;

namespace LogitRank.Tests.Certification;

/// <summary>The combined certificate takes the smaller of the a priori and a posteriori bounds.</summary>
public partial class CertificateTests
{
    [Fact]
    public void Combined_bounds_are_the_minimum_of_both_certificates()
    {
        var aPriori = new APrioriCertificate(true, 0.1, new ErrorLedger([new LedgerTerm("a", 0, 0.2, 0.5, "")]), [], null);
        var kl = new ConfidenceBound(0.1, 10, 0.3, 0.3, 0.3, 2, 0.1);
        var tv = new ConfidenceBound(0.05, 1, 0.1, 0.1, 0.1, 2, 0.1);
        var aPosteriori = new HoldoutCertificate(kl, tv, tv, [], [], 0, 0, 0);
        var certificate = new Certificate(aPriori, aPosteriori);
        Assert.Equal(0.3, certificate.KullbackLeiblerUpper);
        Assert.Equal(0.1, certificate.TotalVariationUpper);

        var looser = aPosteriori with { KullbackLeibler = kl with { Upper = 2.0 }, TotalVariation = tv with { Upper = 0.9 } };
        var swapped = new Certificate(aPriori, looser);
        Assert.Equal(0.5, swapped.KullbackLeiblerUpper);
        Assert.Equal(0.2, swapped.TotalVariationUpper);
    }
}
