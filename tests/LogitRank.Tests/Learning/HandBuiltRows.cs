using LogitRank.Learning;
using LogitRank.Sequences;

namespace LogitRank.Tests.Learning;

/// <summary>
/// Hand-built basis rows for <c>k = 2</c>, <c>T = 3</c>: <c>F̃_0 = F̃_1 = {[0], [1], [0,0], [1,0], [0,1], [1,1]}</c> (width 6),
/// <c>F̃_2 = {[0], [1]}</c>. Shared by the tests that need exact, non-centred stored rows.
/// </summary>
internal static class HandBuiltRows
{
    /// <summary>The initial future sets for <c>k = 2</c>, <c>T = 3</c>.</summary>
    public static readonly FutureSets Futures = FutureSets.Initial(2, 3);

    /// <summary>A row on <c>F̃_cut</c> with the single-token entries <paramref name="single"/> and the two-token entries <c>pair[a, z]</c> at <c>a∘z</c>.</summary>
    public static double[] Row(int cut, double[] single, double[,] pair)
    {
        var row = new double[Futures.Extended(cut).Count];
        for (var z = 0; z < 2; z++)
        {
            row[Futures.IndexInExtended(cut, Prefix.Of(z))] = single[z];
            for (var a = 0; a < 2; a++)
            {
                row[Futures.IndexInExtended(cut, Prefix.Of(a, z))] = pair[a, z];
            }
        }

        return row;
    }
}
