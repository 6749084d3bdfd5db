using System.Diagnostics;

namespace IronWasm.Benchmarks;

/// <summary>What the plain measurement programs (<c>-- usb</c>, <c>-- first-load</c>, <c>-- first-reading</c>)
/// and benchmarks share: medians, the load average, distinct copies of a module, and running a case in a
/// process of its own.</summary>
internal static class Measurement
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>The 1, 5 and 15 minute load averages, or "unknown".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary><paramref name="wasm"/> with a small custom section holding <paramref name="number"/>: the
    /// same module in other bytes, so that loading it compiles or loads its code afresh rather than
    /// reusing an earlier load.</summary>
    public static byte[] DistinctCopy(byte[] wasm, int number) =>
        [.. wasm, 0, 7, 4, (byte)'c', (byte)'o', (byte)'p', (byte)'y', (byte)number, (byte)(number >> 8)];

    /// <summary>Runs this program with <paramref name="arguments"/> and returns the rest of the first
    /// line of its standard output that starts with <paramref name="prefix"/>; throws, with the child's
    /// standard error, when it fails or prints no such line.</summary>
    public static string RunChild(IEnumerable<string> arguments, string prefix, string what)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Under `dotnet IronWasm.Benchmarks.dll` the process is dotnet itself.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(Measurement).Assembly.Location);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var child = Process.Start(start)!;
        var error = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null) throw new InvalidOperationException($"{what} failed ({child.ExitCode}): {error.Result.Trim()}");
        return line[prefix.Length..];
    }
}
