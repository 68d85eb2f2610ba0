namespace LogitRank.Numerics;

/// <summary>Seeded Gaussian draws (Box–Muller over <see cref="Random.NextDouble"/>) and random orthogonal matrices.</summary>
internal static class Gaussian
{
    /// <summary>One standard normal draw.</summary>
    public static double Next(Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // in (0, 1]
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A vector of <paramref name="length"/> independent standard normal draws.</summary>
    public static double[] Vector(Random random, int length)
    {
        var v = new double[length];
        for (var i = 0; i < length; i++)
        {
            v[i] = Next(random);
        }

        return v;
    }

    /// <summary>Rescales <paramref name="v"/> in place to Euclidean norm <paramref name="norm"/> (a zero vector becomes <c>norm·e_1</c>).</summary>
    public static void Normalize(double[] v, double norm)
    {
        var n = Math.Sqrt(v.Sum(x => x * x));
        if (n == 0)
        {
            v[0] = norm;
            return;
        }

        for (var i = 0; i < v.Length; i++)
        {
            v[i] *= norm / n;
        }
    }

    /// <summary>A random <c>d×d</c> orthogonal matrix: Gram–Schmidt on Gaussian columns (Haar up to sign conventions).</summary>
    public static double[,] Orthogonal(Random random, int d)
    {
        var q = new double[d, d];
        var columns = new double[d][];
        for (var c = 0; c < d; c++)
        {
            double[] v;
            double norm;
            do
            {
                v = Vector(random, d);
                for (var p = 0; p < c; p++)
                {
                    var dot = 0.0;
                    for (var i = 0; i < d; i++)
                    {
                        dot += v[i] * columns[p][i];
                    }

                    for (var i = 0; i < d; i++)
                    {
                        v[i] -= dot * columns[p][i];
                    }
                }

                norm = Math.Sqrt(v.Sum(x => x * x));
            }
            while (norm < Tolerances.GramSchmidtRedraw);

            for (var i = 0; i < d; i++)
            {
                v[i] /= norm;
                q[i, c] = v[i];
            }

            columns[c] = v;
        }

        return q;
    }
}
