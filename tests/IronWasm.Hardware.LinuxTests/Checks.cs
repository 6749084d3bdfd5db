namespace IronWasm.Hardware.LinuxTests;

/// <summary>Runs named checks, prints one line each, and counts them.</summary>
internal sealed class Checks
{
    public int Passed { get; private set; }
    public int Failed { get; private set; }
    public int Skipped { get; private set; }

    /// <summary>Runs <paramref name="body"/>: it returns null when the check holds, or what was wrong.
    /// An exception fails the check with its message.</summary>
    public void Run(string name, Func<string?> body)
    {
        string? problem;
        try
        {
            problem = body();
        }
        catch (Exception e)
        {
            problem = $"{e.GetType().Name}: {e.Message}";
        }
        if (problem is null)
        {
            Passed++;
            Console.WriteLine($"PASS {name}");
        }
        else
        {
            Failed++;
            Console.WriteLine($"FAIL {name}: {problem}");
        }
    }

    public void Skip(string what, string why)
    {
        Skipped++;
        Console.WriteLine($"SKIP {what}: {why}");
    }

    public static string? Expect<T>(T expected, T actual, string what) =>
        EqualityComparer<T>.Default.Equals(expected, actual) ? null : $"{what}: expected {expected}, got {actual}";

    public static string? ExpectBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what) =>
        expected.SequenceEqual(actual) ? null : $"{what}: expected {Convert.ToHexString(expected)}, got {Convert.ToHexString(actual)}";
}
