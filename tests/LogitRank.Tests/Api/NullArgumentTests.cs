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
/// values; a member whose parameter types have no sample is skipped and counted.
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
        [typeof(ISequenceModel)] = () => Model,
        [typeof(TabularModel)] = () => Model,
        [typeof(ILogitOracle)] = () => new ModelOracle(Model),
        [typeof(ModelOracle)] = () => new ModelOracle(Model),
        [typeof(CachingOracle)] = () => new CachingOracle(new ModelOracle(Model)),
        [typeof(CountingOracle)] = () => new CountingOracle(new ModelOracle(Model)),
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

                        if (parameters[j].HasDefaultValue && context.Create(parameters[j]).WriteState == NullabilityState.Nullable)
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
}
