using IronWasm.Binary;
using IronWasm.Text;

namespace IronWasm.Tests.Text;

/// <summary>The parsers against the spec test suite: every top-level script parses, every well-formed text
/// module converts, and every module the suite calls malformed text is rejected with the suite's reason.</summary>
public sealed class WastSuiteTests
{
    [SpecSuiteTheory]
    [MemberData(nameof(SpecSuite.TopLevelScripts), MemberType = typeof(SpecSuite))]
    public void ScriptParsesIntoCommands(string fileName)
    {
        var script = WastParser.Parse(SpecSuite.ReadScript(fileName), fileName);

        Assert.NotEmpty(script.Commands);
        Assert.Equal(fileName, script.FileName);
    }

    [SpecSuiteTheory]
    [MemberData(nameof(SpecSuite.TopLevelScripts), MemberType = typeof(SpecSuite))]
    public void EveryModuleNotAssertedMalformedConverts(string fileName)
    {
        var script = WastParser.Parse(SpecSuite.ReadScript(fileName), fileName);
        var failures = new List<string>();
        foreach (var command in script.Commands)
        {
            var module = ModuleNotAssertedMalformed(command);
            if (module is null) continue;
            if (module.TextError is { } error) failures.Add($"line {command.Line}: {error.Message}");
            if (module.QuoteText is { } quoted)
            {
                try { WatParser.ParseModule(quoted); }
                catch (WasmFormatException e) { failures.Add($"line {command.Line} (quote): {e.Message}"); }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SpecSuiteTheory]
    [MemberData(nameof(SpecSuite.TopLevelScripts), MemberType = typeof(SpecSuite))]
    public void EveryQuotedMalformedModuleIsRejectedForTheExpectedReason(string fileName)
    {
        var script = WastParser.Parse(SpecSuite.ReadScript(fileName), fileName);
        var failures = new List<string>();
        foreach (var command in script.Commands.OfType<WastAssertMalformed>())
        {
            if (command.Module.QuoteText is not { } quoted) continue;
            try
            {
                WatParser.ParseModule(quoted);
                failures.Add($"line {command.Line}: accepted, expected \"{command.Message}\"");
            }
            catch (WasmFormatException e) when (!e.Reason.Contains(command.Message, StringComparison.Ordinal))
            {
                failures.Add($"line {command.Line}: \"{e.Reason}\", expected \"{command.Message}\"");
            }
            catch (WasmFormatException)
            {
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Every module not asserted malformed is well-formed, so what the text parser made of it must decode.</summary>
    [SpecSuiteTheory]
    [MemberData(nameof(SpecSuite.TopLevelScripts), MemberType = typeof(SpecSuite))]
    public void EveryConvertedModuleDecodes(string fileName)
    {
        var script = WastParser.Parse(SpecSuite.ReadScript(fileName), fileName);
        var failures = new List<string>();
        foreach (var command in script.Commands)
        {
            var module = ModuleNotAssertedMalformed(command);
            var binary = module?.Binary ?? (module?.QuoteText is { } quoted ? WatParser.ParseModule(quoted) : null);
            if (binary is null) continue;
            try { ModuleDecoder.Decode(binary); }
            catch (WasmFormatException e) { failures.Add($"line {command.Line}: {e.Message}"); }
            catch (WasmValidationException) when (command is WastAssertInvalid) { } // the decoder checks some indices
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static WastModuleSource? ModuleNotAssertedMalformed(WastCommand command) => command switch
    {
        WastModuleCommand c => c.Module,
        WastAssertInvalid c => c.Module,
        WastAssertUnlinkable c => c.Module,
        WastAssertUninstantiable c => c.Module,
        WastAssertTrap c => c.Module,
        _ => null,
    };
}
