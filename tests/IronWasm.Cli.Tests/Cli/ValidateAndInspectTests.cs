namespace IronWasm.Cli.Tests.Cli;

public sealed class ValidateAndInspectTests
{
    [Fact]
    public void ValidateAcceptsAValidBinary()
    {
        var result = CliRun.InProcess(["validate", GuestPaths.Hello]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{GuestPaths.Hello}: valid\n", result.StandardOutput);
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public void ValidateAcceptsValidText()
    {
        using var module = TempModule.Text("(module (func (export \"f\") (result i32) i32.const 1))");
        var result = CliRun.InProcess(["validate", module.Path]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{module.Path}: valid\n", result.StandardOutput);
    }

    [Fact]
    public void ValidateRejectsAnInvalidModuleInOneLine()
    {
        using var module = TempModule.Text("(module (func (result i32)))");
        var result = CliRun.InProcess(["validate", module.Path]);
        Assert.Equal(65, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.StartsWith($"ironwasm: error: {module.Path}: invalid module: ", result.StandardError);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void ValidateRunsNothing()
    {
        // A start function that would trap: validation does not instantiate.
        using var module = TempModule.Text("(module (func $boom unreachable) (start $boom))");
        Assert.Equal(0, CliRun.InProcess(["validate", module.Path]).ExitCode);
    }

    [Fact]
    public void InspectListsImportsExportsAndSections()
    {
        var result = CliRun.InProcess(["inspect", GuestPaths.Hello]);
        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n');
        Assert.Contains(lines, l => l.StartsWith($"{GuestPaths.Hello}: ") && l.EndsWith(" bytes, binary"));
        Assert.Contains(lines, l => l.Contains("Imports (5)"));
        Assert.Contains(lines, l => Row(l, "wasi_snapshot_preview1", "fd_write", "func", "[i32 i32 i32 i32] -> [i32]"));
        Assert.Contains(lines, l => Row(l, "wasi_snapshot_preview1", "proc_exit", "func", "[i32] -> []"));
        Assert.Contains(lines, l => l.Contains("Exports (2)"));
        Assert.Contains(lines, l => Row(l, "memory", "memory", "2.. pages of 64 KiB"));
        Assert.Contains(lines, l => Row(l, "_start", "func", "[] -> []"));
        Assert.Contains(lines, l => Row(l, "2", "import", "0x3f", "176", "5"));
        Assert.Contains(lines, l => Row(l, "0", "custom \"name\""));
    }

    [Fact]
    public void InspectOfACompiledModuleSaysWhatItIsThenInspectsTheWasmInside()
    {
        var directory = Directory.CreateTempSubdirectory("ironwasm-inspect-").FullName;
        try
        {
            string compiled = Path.Combine(directory, "hello.iwm");
            Assert.Equal(0, CliRun.InProcess(["compile", "--epoch-interruption", GuestPaths.Hello, "-o", compiled]).ExitCode);
            var result = CliRun.InProcess(["inspect", compiled]);
            Assert.Equal((0, ""), (result.ExitCode, result.StandardError));
            var lines = result.StandardOutput.Split('\n');
            Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(compiled)}: [0-9,]+ bytes, a compiled module: `hello`, 4,807 bytes of Wasm and [0-9,]+ of code \(IL\)$", lines[0]);
            Assert.StartsWith("  compiled by IronWasm ", lines[1]);
            Assert.Equal("  this ironwasm can run it (with --allow-precompiled)", lines[2]);
            Assert.Equal("  fuel consumption off, epoch interruption on", lines[3]);
            Assert.Contains(lines, l => Row(l, "_start", "func", "[] -> []"));
            Assert.Contains(lines, l => Row(l, "2", "import", "0x3f", "176", "5"));

            // A damaged one is refused with the reason, as run refuses it.
            var bytes = File.ReadAllBytes(compiled);
            bytes[^1] ^= 1;
            File.WriteAllBytes(compiled, bytes);
            var damaged = CliRun.InProcess(["inspect", compiled]);
            Assert.Equal(65, damaged.ExitCode);
            Assert.Contains("checksum mismatch", damaged.StandardError);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void InspectSectionSizesAddUpToTheFile()
    {
        var bytes = File.ReadAllBytes(GuestPaths.Hello);
        var sections = ModuleSections.Read(bytes);
        Assert.Equal(8, sections[0].Offset);
        // Each section: id byte, the LEB128 size, the payload; the next starts where it ends.
        for (int i = 1; i < sections.Count; i++)
            Assert.True(sections[i].Offset > sections[i - 1].Offset + sections[i - 1].Size);
        var last = sections[^1];
        Assert.Equal(bytes.Length, last.Offset + 1 + LebLength(last.Size) + last.Size);
    }

    [Fact]
    public void InspectOfTextSaysSectionsAreForBinaries()
    {
        using var module = TempModule.Text("(module (memory (export \"mem\") 1 3) (global (export \"g\") (mut f64) (f64.const 0)))");
        var result = CliRun.InProcess(["inspect", module.Path]);
        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n');
        Assert.Contains(lines, l => Row(l, "mem", "memory", "1..3 pages of 64 KiB"));
        Assert.Contains(lines, l => Row(l, "g", "global", "mut f64"));
        Assert.Contains("Sections: shown for binary modules only (this file is WAT text).", lines);
    }

    [Fact]
    public void InspectNeverReadsNamesAsMarkup()
    {
        using var module = TempModule.Text("(module (func (export \"[bold]x[/]\")))");
        var result = CliRun.InProcess(["inspect", module.Path]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[bold]x[/]", result.StandardOutput);
    }

    // A table row holding these cells in order, whatever the borders and padding.
    private static bool Row(string line, params string[] cells)
    {
        var found = line.Split('│').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
        return found.Length >= cells.Length && found.Take(cells.Length).SequenceEqual(cells);
    }

    private static int LebLength(long value)
    {
        int length = 1;
        while ((value >>= 7) != 0) length++;
        return length;
    }
}
