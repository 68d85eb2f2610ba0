using System.Runtime.CompilerServices;

namespace LogitRank.Learning;

/// <summary>
/// The range checks of the knobs that <see cref="PracticalSchedule"/> and <see cref="AdaptiveSchedule"/> share: each returns
/// its value or throws <see cref="ArgumentOutOfRangeException"/> naming the knob (the calling property) and the range.
/// </summary>
internal static class ScheduleKnobs
{
    public static int Epochs(int value, [CallerMemberName] string knob = "") =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected an epoch budget K >= 1.");

    public static int ValidationSamples(int value, [CallerMemberName] string knob = "") =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected a validation sample count n >= 1.");

    public static int SpannerSamples(int value, [CallerMemberName] string knob = "") =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected a spanner sample count N_s >= 1.");

    public static double WitnessThreshold(double value, [CallerMemberName] string knob = "") =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected a positive, finite witness threshold g.");

    public static int WitnessesPerEpoch(int value, [CallerMemberName] string knob = "") =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected at least 1 witness per epoch.");

    public static long? QueryBudget(long? value, [CallerMemberName] string knob = "") =>
        value is null || value >= 1 ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected a query budget >= 1 (or null for none).");

    public static T Defined<T>(T value, [CallerMemberName] string knob = "")
        where T : struct, Enum =>
        Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(knob, value, $"Expected a defined {typeof(T).Name}.");

    public static double Beta(double value, [CallerMemberName] string knob = "") =>
        value > 1 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected a finite coefficient bound β > 1.");

    public static double LpRelativeTolerance(double value, [CallerMemberName] string knob = "") =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected a non-negative, finite LP tolerance τ_lp.");

    public static double RankTolerance(double value, [CallerMemberName] string knob = "") =>
        value > 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected a relative rank tolerance in (0, 1).");

    public static double ZeroRowTolerance(double value, [CallerMemberName] string knob = "") =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(knob, value, "Expected a non-negative, finite zero-row tolerance.");
}
