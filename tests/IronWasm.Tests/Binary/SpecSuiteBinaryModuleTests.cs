using System.Text;
using IronWasm.Binary;

namespace IronWasm.Tests.Binary;

/// <summary>Runs the decoder over every <c>(module binary ...)</c> of the spec suite's top-level
/// .wast files: modules asserted malformed must be rejected with the expected message, all others
/// must decode (an invalid one may be rejected as invalid, never as malformed).</summary>
public class SpecSuiteBinaryModuleTests
{
    private const string SuiteAbsent = "(spec suite absent)";

    public static IEnumerable<object[]> WastFiles()
    {
        var suite = FindSuite();
        // xunit 2 fails a theory without data; where the suite is absent (as CI allows) there is
        // one placeholder case that checks nothing.
        if (suite is null)
        {
            yield return [SuiteAbsent];
            yield break;
        }
        foreach (var file in Directory.GetFiles(suite, "*.wast").OrderBy(f => f, StringComparer.Ordinal))
            yield return [Path.GetFileName(file)];
    }

    [Theory]
    [MemberData(nameof(WastFiles))]
    public void BinaryModulesDecodeAsTheSuiteExpects(string fileName)
    {
        if (fileName == SuiteAbsent) return;
        var text = File.ReadAllText(Path.Combine(FindSuite()!, fileName));
        var failures = new List<string>();
        foreach (var command in SExpression.ParseAll(text))
        {
            if (command.Items.Count == 0 || command.Items[0].Atom is not { } head) continue;
            switch (head)
            {
                case "module" when TryGetBinary(command, out var bytes):
                    Expect(bytes, command.Line, malformed: null, mayBeInvalid: false, failures);
                    break;
                case "assert_malformed" or "assert_invalid" or "assert_unlinkable" or "assert_uninstantiable"
                    when command.Items.Count >= 2 && TryGetBinary(command.Items[1], out var bytes):
                    string? message = head == "assert_malformed" ? command.Items[^1].Text : null;
                    Expect(bytes, command.Line, message, mayBeInvalid: head == "assert_invalid", failures);
                    break;
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static void Expect(byte[] bytes, int line, string? malformed, bool mayBeInvalid, List<string> failures)
    {
        try
        {
            ModuleDecoder.Decode(bytes);
            if (malformed is not null) failures.Add($"line {line}: decoded, but expected malformed \"{malformed}\"");
        }
        catch (WasmFormatException e)
        {
            if (malformed is null) failures.Add($"line {line}: unexpected malformed: {e.Message}");
            else if (!e.Reason.Contains(malformed, StringComparison.Ordinal))
                failures.Add($"line {line}: expected \"{malformed}\", got \"{e.Message}\"");
        }
        catch (WasmValidationException e)
        {
            if (malformed is not null) failures.Add($"line {line}: expected malformed \"{malformed}\", got invalid: {e.Message}");
            else if (!mayBeInvalid) failures.Add($"line {line}: unexpected invalid: {e.Message}");
        }
    }

    private static bool TryGetBinary(SExpression module, out byte[] bytes)
    {
        bytes = [];
        if (module.Items.Count < 2 || module.Items[0].Atom != "module") return false;
        int i = 1;
        if (module.Items[i].Atom is { } id && id.StartsWith('$')) i++;
        if (i >= module.Items.Count || module.Items[i].Atom != "binary") return false;
        var all = new List<byte>();
        for (i++; i < module.Items.Count; i++) all.AddRange(module.Items[i].Bytes!);
        bytes = all.ToArray();
        return true;
    }

    private static string? FindSuite()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "wasm-testsuite");
                if (File.Exists(Path.Combine(candidate, "binary.wast"))) return candidate;
            }
        }
        return Directory.Exists("/work/shared/wasm-testsuite") ? "/work/shared/wasm-testsuite" : null;
    }

    /// <summary>Just enough of the WAST S-expression syntax to find binary modules: lists, atoms and
    /// strings (kept as bytes, since binary module strings need not be UTF-8).</summary>
    private sealed class SExpression
    {
        public List<SExpression> Items { get; } = new();
        public string? Atom { get; init; }
        public byte[]? Bytes { get; init; }
        public int Line { get; init; }
        public string? Text => Bytes is null ? null : Encoding.UTF8.GetString(Bytes);

        public static List<SExpression> ParseAll(string text)
        {
            int position = 0;
            var result = new List<SExpression>();
            while (true)
            {
                SkipSpace(text, ref position);
                if (position >= text.Length) return result;
                result.Add(Parse(text, ref position));
            }
        }

        private static SExpression Parse(string text, ref int position)
        {
            int line = 1 + text.AsSpan(0, position).Count('\n');
            char c = text[position];
            if (c == '(')
            {
                position++;
                var list = new SExpression { Line = line };
                while (true)
                {
                    SkipSpace(text, ref position);
                    if (text[position] == ')') { position++; return list; }
                    list.Items.Add(Parse(text, ref position));
                }
            }
            if (c == '"') return new SExpression { Bytes = ParseString(text, ref position), Line = line };
            int start = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] is not '(' and not ')' and not '"' and not ';')
                position++;
            return new SExpression { Atom = text[start..position], Line = line };
        }

        private static byte[] ParseString(string text, ref int position)
        {
            var bytes = new List<byte>();
            position++;
            while (text[position] != '"')
            {
                char c = text[position++];
                if (c != '\\')
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                    continue;
                }
                char e = text[position++];
                switch (e)
                {
                    case 'n': bytes.Add(0x0A); break;
                    case 't': bytes.Add(0x09); break;
                    case 'r': bytes.Add(0x0D); break;
                    case '\\': bytes.Add((byte)'\\'); break;
                    case '\'': bytes.Add((byte)'\''); break;
                    case '"': bytes.Add((byte)'"'); break;
                    case 'u':
                    {
                        int close = text.IndexOf('}', position);
                        int codePoint = Convert.ToInt32(text[(position + 1)..close].Replace("_", ""), 16);
                        bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(codePoint)));
                        position = close + 1;
                        break;
                    }
                    default:
                        bytes.Add(Convert.ToByte(text.Substring(position - 1, 2), 16));
                        position++;
                        break;
                }
            }
            position++;
            return bytes.ToArray();
        }

        private static void SkipSpace(string text, ref int position)
        {
            while (position < text.Length)
            {
                if (char.IsWhiteSpace(text[position])) position++;
                else if (text[position] == ';' && position + 1 < text.Length && text[position + 1] == ';')
                {
                    while (position < text.Length && text[position] != '\n') position++;
                }
                else if (text[position] == '(' && position + 1 < text.Length && text[position + 1] == ';')
                {
                    int depth = 0;
                    do
                    {
                        if (text[position] == '(' && text[position + 1] == ';') { depth++; position += 2; }
                        else if (text[position] == ';' && text[position + 1] == ')') { depth--; position += 2; }
                        else position++;
                    } while (depth > 0);
                }
                else return;
            }
        }
    }
}
