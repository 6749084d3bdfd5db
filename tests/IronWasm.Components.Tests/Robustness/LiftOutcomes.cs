using IronWasm.Components.CanonicalAbi;

namespace IronWasm.Components.Tests.Robustness;

/// <summary>Runs lifts of arbitrary guest data and tallies how each ended. The only acceptable
/// ends are a lift (the value reached the host, or came back) or a <see cref="CanonicalAbiTrapException"/>.
/// The test guests' own code cannot trap (their relays only call imports, their allocator only
/// adds), so a plain <see cref="TrapException"/> would be a host failure the boundary wrapped
/// (<see cref="TrapCode.HostError"/>): that, like any other exception, fails the test with the
/// seed and iteration that caused it.</summary>
internal sealed class LiftOutcomes
{
    private readonly Dictionary<string, int> _lifted = new();

    public Dictionary<CanonicalAbiError, int> Traps { get; } = new();

    public int Lifted => _lifted.Values.Sum();

    public int Total => Lifted + Traps.Values.Sum();

    /// <summary>Runs <paramref name="lift"/>; <paramref name="subject"/> names what is lifted (a
    /// function or type) and <paramref name="context"/> how to reproduce it (seed, iteration).</summary>
    public CanonicalAbiError? Run(string subject, string context, Action lift)
    {
        try
        {
            lift();
            _lifted[subject] = _lifted.GetValueOrDefault(subject) + 1;
            return null;
        }
        catch (CanonicalAbiTrapException trap)
        {
            Traps[trap.Error] = Traps.GetValueOrDefault(trap.Error) + 1;
            return trap.Error;
        }
        catch (Exception e)
        {
            Assert.Fail($"{subject} ({context}): the host got {e.GetType().Name}, not a lift or a canonical ABI trap: {e}");
            throw;
        }
    }

    /// <summary>How often <paramref name="subject"/> lifted.</summary>
    public int LiftedOf(string subject) => _lifted.GetValueOrDefault(subject);

    /// <summary>The data is only worth something if it both lifts and reaches the traps: every
    /// subject lifted at least once, and every error in <paramref name="errors"/> occurred.</summary>
    public void AssertCovered(IEnumerable<string> subjects, params CanonicalAbiError[] errors)
    {
        var neverLifted = subjects.Where(s => LiftedOf(s) == 0).ToList();
        Assert.True(neverLifted.Count == 0, $"never lifted: {string.Join(", ", neverLifted)}");
        var missing = errors.Where(e => !Traps.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, $"never trapped with: {string.Join(", ", missing)} (traps: {Describe()})");
    }

    public string Describe() => $"{Lifted} lifted; " + string.Join(", ", Traps.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value}"));
}
