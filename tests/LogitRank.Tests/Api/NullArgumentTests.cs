using System.Reflection;
using LogitRank.Analysis;
using LogitRank.Learning;
using LogitRank.Models;
using LogitRank.Numerics;
using LogitRank.Oracles;
using LogitRank.Sequences;
using Xunit.Abstractions;

namespace LogitRank.Tests.Api;

/// <summary>
/// The documented convention for bad input, applied to null across the core's public surface: every public method and
/// constructor whose parameter is a non-nullable reference (by the nullable annotations) throws
/// <see cref="ArgumentNullException"/> naming that parameter when it receives null, instead of failing somewhere
/// inside with a <see cref="NullReferenceException"/> or doing work first. The other arguments are valid sample
/// values; a member whose parameter types have no sample is skipped and counted. An <c>out</c> parameter gets null (it
/// is written, not read), and a nullable parameter gets null. The decorating oracles wrap an inner oracle that checks
/// nothing (<see cref="PermissiveOracle"/>), and a parameter typed as an oracle or a model gets one that checks nothing
/// (<see cref="PermissiveModel"/>), so a member that relied on the oracle or model it calls to reject null (instead of
/// checking first) is caught here rather than passing on that callee's exception.
/// </summary>
public class NullArgumentTests(ITestOutputHelper output)
{
    private static readonly TabularModel Model = TabularModel.Random(2, 3, 1, scale: 1.0);

    /// <summary>One valid value per parameter type (the model has k = 2, T = 3).</summary>
    private static readonly Dictionary<Type, Func<object>> Samples = new()
    {
        [typeof(int)] = () => 2,
        [typeof(long)] = () => 1000L,
        [typeof(double)] = () => 0.5,
        [typeof(bool)] = () => false,
        [typeof(string)] = () => "sample",
        [typeof(CancellationToken)] = () => CancellationToken.None,
        [typeof(Random)] = () => new Random(1),
        [typeof(ISequenceModel)] = () => new PermissiveModel(),
        [typeof(TabularModel)] = () => Model,
        [typeof(ILogitOracle)] = () => new PermissiveOracle(),
        [typeof(ModelOracle)] = () => new ModelOracle(Model),
        [typeof(CachingOracle)] = () => new CachingOracle(new PermissiveOracle()),
        [typeof(CountingOracle)] = () => new CountingOracle(new PermissiveOracle()),
        [typeof(BudgetedOracle)] = () => new BudgetedOracle(new PermissiveOracle(), 1000),
        [typeof(NoisyOracle)] = () => new NoisyOracle(new PermissiveOracle(), 0.5, 1),
        [typeof(ValidatingOracle)] = () => new ValidatingOracle(new PermissiveOracle()),
        [typeof(DelegateOracle)] = () => new DelegateOracle(2, 3, batch => batch.Select(_ => new[] { 0.5, -0.5 }).ToArray()),
        [typeof(IReadOnlyList<LogitVector>)] = () => new[] { LogitVector.FromLogits([0.5, -0.5]) },
        [typeof(Prefix)] = () => Prefix.Of([0]),
        [typeof(IReadOnlyList<Prefix>)] = () => new[] { Prefix.Of([0]) },
        [typeof(IEnumerable<Prefix>)] = () => new[] { Prefix.Of([0]) },
        [typeof(LogitVector)] = () => LogitVector.FromLogits([0.5, -0.5]),
        [typeof(IReadOnlyList<double>)] = () => new[] { 2.0, 1.0 },
        [typeof(double[])] = () => new[] { 2.0, 1.0 },
        [typeof(double[,])] = () => new[,] { { 1.0, 0.0 }, { 0.0, 1.0 } },
        [typeof(IReadOnlyList<int>)] = () => new[] { 1 },
        [typeof(int[])] = () => new[] { 1 },
        [typeof(IReadOnlyList<double[]>)] = () => new[] { new[] { 1.0, 0.0 }, new[] { 0.0, 1.0 } },
        [typeof(double?)] = () => null!,
        [typeof(long?)] = () => null!,
        [typeof(TimeVaryingIsan)] = () => TimeVaryingIsan.Random(2, 3, 2, seed: 1),
        [typeof(LogitMatrixSampling)] = () => new LogitMatrixSampling(),
        [typeof(RankStrategy)] = () => RankStrategy.Fixed(1),
        [typeof(SingularValueSpectrum)] = () => new SingularValueSpectrum([2.0, 1.0], SpectrumMethod.Full, 2, 2, Math.Sqrt(5.0)),
        [typeof(ILearningSchedule)] = () => new PracticalSchedule(),
        [typeof(LogitRank.Certification.HoldoutOptions)] = () => new LogitRank.Certification.HoldoutOptions(),
    };

    [Fact]
    public void Null_for_a_non_nullable_reference_parameter_is_an_ArgumentNullException_naming_it()
    {
        var context = new NullabilityInfoContext();
        var failures = new List<string>();
        var checkedCount = 0;
        var skipped = 0;
        var missing = new List<string>();
        // Exceptions follow the .NET convention (a null message is allowed); the primary constructors of records are
        // data carriers filled by the library and check nothing, and so do the constructors of value types (their methods
        // are still checked).
        foreach (var type in typeof(Prefix).Assembly.GetExportedTypes().Where(t => !t.IsInterface && !t.IsEnum && !typeof(Delegate).IsAssignableFrom(t) && !typeof(Exception).IsAssignableFrom(t)))
        {
            var isRecord = type.GetMethod("<Clone>$") is not null;
            var members = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName && !m.IsGenericMethodDefinition).Cast<MethodBase>()
                .Concat(type.IsAbstract || type.IsValueType || isRecord ? [] : type.GetConstructors());
            foreach (var member in members)
            {
                if (!member.IsStatic && member is MethodInfo && !Samples.ContainsKey(type))
                {
                    skipped++;
                    continue;
                }

                var parameters = member.GetParameters();
                for (var i = 0; i < parameters.Length; i++)
                {
                    var parameter = parameters[i];
                    if (parameter.ParameterType.IsValueType || parameter.ParameterType.IsByRef || context.Create(parameter).WriteState != NullabilityState.NotNull)
                    {
                        continue;
                    }

                    var arguments = new object?[parameters.Length];
                    var complete = true;
                    for (var j = 0; j < parameters.Length && complete; j++)
                    {
                        if (j == i)
                        {
                            continue;
                        }

                        if (parameters[j].IsOut || context.Create(parameters[j]).WriteState == NullabilityState.Nullable)
                        {
                            arguments[j] = null;
                        }
                        else if (Samples.TryGetValue(parameters[j].ParameterType, out var sample))
                        {
                            arguments[j] = sample();
                        }
                        else if (parameters[j].ParameterType.IsEnum)
                        {
                            arguments[j] = Enum.GetValues(parameters[j].ParameterType).GetValue(0);
                        }
                        else if (parameters[j].HasDefaultValue)
                        {
                            arguments[j] = parameters[j].DefaultValue;
                        }
                        else
                        {
                            complete = false;
                            missing.Add(parameters[j].ParameterType.ToString());
                        }
                    }

                    if (!complete)
                    {
                        skipped++;
                        continue;
                    }

                    checkedCount++;
                    var name = $"{type.Name}.{member.Name}({string.Join(", ", parameters.Select(p => p.ParameterType.Name))}) with {parameter.Name} = null";
                    try
                    {
                        if (member is ConstructorInfo constructor)
                        {
                            constructor.Invoke(arguments);
                        }
                        else
                        {
                            member.Invoke(member.IsStatic ? null : Samples[type](), arguments);
                        }

                        failures.Add($"{name}: no exception");
                    }
                    catch (TargetInvocationException e) when (e.InnerException is ArgumentNullException ane)
                    {
                        if (ane.ParamName != parameter.Name)
                        {
                            failures.Add($"{name}: ArgumentNullException names '{ane.ParamName}'");
                        }
                    }
                    catch (TargetInvocationException e)
                    {
                        failures.Add($"{name}: {e.InnerException?.GetType().Name}: {e.InnerException?.Message}");
                    }
                }
            }
        }

        foreach (var g in missing.GroupBy(m => m).OrderByDescending(g => g.Count()).Take(30))
        {
            output.WriteLine($"MISSING {g.Count()} {g.Key}");
        }

        output.WriteLine($"{checkedCount} null arguments checked, {skipped} members or parameters skipped (no sample value)");
        Assert.True(checkedCount > 100, $"only {checkedCount} null arguments could be checked");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// An oracle over k = 2, T = 3 that checks nothing: it answers one fixed vector per prefix (none for a null batch), so
    /// that a decorator's own null checks are what the test sees.
    /// </summary>
    private sealed class PermissiveOracle : ILogitOracle
    {
        public int AlphabetSize => 2;

        public int Horizon => 3;

        public IReadOnlyList<LogitVector> Query(IReadOnlyList<Prefix> prefixes, QueryPhase phase = QueryPhase.Other, CancellationToken cancellationToken = default) =>
            prefixes is null ? [] : prefixes.Select(_ => LogitVector.FromLogits([0.5, -0.5])).ToArray();
    }

    /// <summary>A model over k = 2, T = 3 that checks nothing: uniform answers, a fixed sample, even with a null random.</summary>
    private sealed class PermissiveModel : ISequenceModel
    {
        public int AlphabetSize => 2;

        public int Horizon => 3;

        public LogitVector NextTokenLogits(Prefix prefix) => LogitVector.FromLogits([0.0, 0.0]);

        public double LogProbability(Prefix sequence) => (sequence?.Length ?? 0) * Math.Log(0.5);

        public Prefix Sample(Random random) => Prefix.Of([0, 1, 0]);
    }
}
