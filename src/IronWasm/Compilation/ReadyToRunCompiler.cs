using System.Diagnostics;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace IronWasm.Compilation;

/// <summary>Precompiles a module's persisted assembly to native code with crossgen2, the .NET SDK's
/// ReadyToRun compiler (<see cref="Module.SerializeWithNativeCode"/>). The result is the same assembly
/// with native code beside the IL, for this runtime version and this engine build, which the compiled
/// module's engine identity already pins. See docs/PERFORMANCE.md, "Native code ahead of time".</summary>
internal static class ReadyToRunCompiler
{
    /// <summary>The environment variable naming a crossgen2 executable to use.</summary>
    public const string Crossgen2Variable = "IRONWASM_CROSSGEN2";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>The crossgen2 this runtime can use, or null; <paramref name="searched"/> says where it looked.</summary>
    public static string? Find(out string searched)
    {
        if (Environment.GetEnvironmentVariable(Crossgen2Variable) is { Length: > 0 } named)
        {
            searched = $"${Crossgen2Variable} ({named})";
            return File.Exists(named) ? named : null;
        }
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string executable = OperatingSystem.IsWindows() ? "crossgen2.exe" : "crossgen2";
        string path = Path.Combine(packages, $"microsoft.netcore.app.crossgen2.{RuntimeInformation.RuntimeIdentifier}", Environment.Version.ToString(), "tools", executable);
        searched = $"${Crossgen2Variable} (not set), {path}";
        return File.Exists(path) ? path : null;
    }

    /// <summary>The ReadyToRun image of the IL-only assembly <paramref name="image"/>.</summary>
    public static byte[] Compile(ReadOnlySpan<byte> image)
    {
        string crossgen2 = Find(out string searched)
            ?? throw new PlatformNotSupportedException($"native code needs crossgen2 {Environment.Version} for {RuntimeInformation.RuntimeIdentifier}; none at {searched}. " +
                $"Restore it with `dotnet publish -r {RuntimeInformation.RuntimeIdentifier} -p:PublishReadyToRun=true` on any project, or name one in ${Crossgen2Variable}");
        var directory = Directory.CreateTempSubdirectory("ironwasm-crossgen2-");
        try
        {
            string input = Path.Combine(directory.FullName, ModuleAssemblyBuilder.AssemblyName + ".dll");
            string output = Path.Combine(directory.FullName, "native", ModuleAssemblyBuilder.AssemblyName + ".dll");
            File.WriteAllBytes(input, image);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            var start = new ProcessStartInfo(crossgen2) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in Arguments(input, output)) start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new PlatformNotSupportedException($"crossgen2 ({crossgen2}) did not start");
            var standardOutput = process.StandardOutput.ReadToEndAsync();
            var standardError = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new PlatformNotSupportedException($"crossgen2 took more than {Timeout.TotalMinutes} minutes");
            }
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                string said = (standardError.Result + standardOutput.Result).Trim();
                throw new PlatformNotSupportedException($"crossgen2 failed (exit code {process.ExitCode}): {(said.Length > 2000 ? said[..2000] : said)}");
            }
            var compiled = File.ReadAllBytes(output);
            if (!HasNativeCode(compiled)) throw new PlatformNotSupportedException("crossgen2 wrote an image without native code");
            return compiled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            throw new PlatformNotSupportedException($"crossgen2 could not be run: {e.Message}", e);
        }
        finally
        {
            try { directory.Delete(recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The image references only the runtime's own assemblies and the engine.</summary>
    private static IEnumerable<string> Arguments(string input, string output)
    {
        yield return input;
        yield return "--out";
        yield return output;
        yield return "--optimize";
        yield return "--targetos";
        yield return OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        yield return "--targetarch";
        yield return RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string runtime = Path.GetFullPath(RuntimeEnvironment.GetRuntimeDirectory());
        yield return "--reference";
        yield return Path.Combine(runtime, "*.dll");
        string engine = typeof(ReadyToRunCompiler).Assembly.Location;
        if (engine.Length > 0 && Path.GetFullPath(Path.GetDirectoryName(engine)!) != runtime.TrimEnd(Path.DirectorySeparatorChar))
        {
            yield return "--reference";
            yield return engine;
        }
    }

    /// <summary>Whether <paramref name="image"/> carries ReadyToRun code (a managed native header).</summary>
    public static bool HasNativeCode(byte[] image)
    {
        using var reader = new PEReader(System.Collections.Immutable.ImmutableArray.Create(image));
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
