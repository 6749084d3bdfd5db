using System.Globalization;
using Spectre.Console;
using SpectreTable = Spectre.Console.Table;
using SpectreText = Spectre.Console.Text;

namespace IronWasm.Cli;

/// <summary><c>ironwasm inspect</c>: a module's imports, exports and sections as tables (for a compiled
/// module, what its header says, then the same of the Wasm inside). The only user of Spectre.Console,
/// so <c>run</c> never loads it.</summary>
internal static class InspectCommand
{
    public static int Execute(string path, CliConsole console)
    {
        var bytes = ModuleFile.Read(path);
        // A compiled module: what its header says, then the Wasm inside. Nothing of its code is loaded,
        // so this needs no --allow-precompiled.
        SerializedModuleDescription? compiled = null;
        if (Module.IsSerialized(bytes))
        {
            try
            {
                compiled = Module.DescribeSerialized(bytes);
            }
            catch (SerializedModuleException e)
            {
                throw new CliException(ExitCodes.BadModule, $"{path}: {ModuleFile.OneLine(e.Message)}");
            }
        }
        var wasm = compiled is null ? bytes : compiled.Wasm.ToArray();
        var module = ModuleFile.Load(new Engine(), path, wasm);
        bool binary = ModuleFile.IsBinary(wasm);

        var output = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(console.Out),
            Ansi = console.OutputIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = console.OutputIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // Redirected output (a file, a pipe, a test) gets wide rows rather than wrapped types.
        if (!console.OutputIsTerminal) output.Profile.Width = 160;

        if (compiled is null)
        {
            output.WriteLine($"{path}: {bytes.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes, {(binary ? "binary" : "text (WAT)")}");
        }
        else
        {
            output.WriteLine($"{path}: {bytes.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes, a compiled module: `{compiled.Name}`, " +
                $"{wasm.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes of Wasm and {compiled.CodeLength.ToString("N0", CultureInfo.InvariantCulture)} of code ({(compiled.NativeCode ? "IL and native code" : "IL")})");
            output.WriteLine($"  compiled by {compiled.EngineIdentity}");
            output.WriteLine(compiled.CompiledByThisEngine ? "  this ironwasm can run it (with --allow-precompiled)" : "  by another build: this ironwasm cannot run it (compile it again)");
            output.WriteLine($"  {compiled.Settings}");
        }
        output.WriteLine();

        var imports = NewTable($"Imports ({module.Imports.Count})", "Module", "Name", "Kind", "Type");
        foreach (var import in module.Imports)
            imports.AddRow(Cell(import.ModuleName), Cell(import.Name), Cell(KindName(import.Kind)), Cell(TypeText(import.Type)));
        output.Write(imports);

        var exports = NewTable($"Exports ({module.Exports.Count})", "Name", "Kind", "Type");
        foreach (var export in module.Exports)
            exports.AddRow(Cell(export.Name), Cell(KindName(export.Kind)), Cell(TypeText(export.Type)));
        output.Write(exports);

        if (!binary)
        {
            output.WriteLine("Sections: shown for binary modules only (this file is WAT text).");
            return ExitCodes.Success;
        }
        var sections = ModuleSections.Read(wasm);
        var table = NewTable($"Sections ({sections.Count})", "Id", "Section", "Offset", "Size", "Items");
        foreach (int column in new[] { 0, 2, 3, 4 }) table.Columns[column].RightAligned();
        foreach (var section in sections)
        {
            table.AddRow(
                Cell(section.Id.ToString(CultureInfo.InvariantCulture)),
                Cell(section.Name),
                Cell($"0x{section.Offset:x}"),
                Cell(section.Size.ToString("N0", CultureInfo.InvariantCulture)),
                Cell(section.Items?.ToString(CultureInfo.InvariantCulture) ?? ""));
        }
        output.Write(table);
        return ExitCodes.Success;
    }

    private static SpectreTable NewTable(string title, params string[] columns)
    {
        var table = new SpectreTable { Border = TableBorder.Rounded, Title = new TableTitle(title), Expand = false };
        foreach (var column in columns) table.AddColumn(new TableColumn(Markup.Escape(column)));
        return table;
    }

    // Names come from the module: never let them be read as Spectre markup.
    private static SpectreText Cell(string text) => new(text);

    private static string KindName(ExternalKind kind) => kind switch
    {
        ExternalKind.Function => "func",
        ExternalKind.Table => "table",
        ExternalKind.Memory => "memory",
        _ => "global",
    };

    private static string TypeText(object type) => type switch
    {
        FunctionType function => function.ToString(),
        MemoryType memory => $"{Pages(memory.Limits)} pages of 64 KiB",
        TableType table => $"{ValueName(table.ElementType)} {Pages(table.Limits)}",
        GlobalType global => global.Mutable ? $"mut {ValueName(global.ValueKind)}" : ValueName(global.ValueKind),
        _ => type.ToString() ?? "",
    };

    private static string Pages(Limits limits) => limits.Maximum is { } max ? $"{limits.Minimum}..{max}" : $"{limits.Minimum}..";

    private static string ValueName(ValueKind kind) => kind.ToString().ToLowerInvariant();
}
