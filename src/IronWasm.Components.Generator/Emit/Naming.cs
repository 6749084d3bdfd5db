using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace IronWasm.Components.Generator.Emit;

/// <summary>WIT names (kebab-case) as C# names.</summary>
internal static class Naming
{
    /// <summary>`digital-out-pin` -> `DigitalOutPin`, `HTTP-error` -> `HttpError`.</summary>
    public static string Pascal(string kebab)
    {
        var text = new StringBuilder(kebab.Length);
        foreach (var word in kebab.Split('-'))
        {
            if (word.Length == 0) continue;
            text.Append(char.ToUpperInvariant(word[0]));
            text.Append(word.Substring(1).ToLowerInvariant());
        }
        return text.Length == 0 ? "_" : text.ToString();
    }

    /// <summary>`pin-label` -> `pinLabel`, escaped with `@` when it is a C# keyword.</summary>
    public static string Camel(string kebab)
    {
        var pascal = Pascal(kebab);
        return Escape(char.ToLowerInvariant(pascal[0]) + pascal.Substring(1));
    }

    public static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;

    /// <summary>Escapes text for an XML doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A C# string literal.</summary>
    public static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}

/// <summary>The names taken in one C# scope; a name already taken gets a number appended, so
/// unusual WIT (a record field named like its record, a case named `tag`) still compiles.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public NameScope(params string[] reserved)
    {
        foreach (var name in reserved) _taken.Add(name);
    }

    public string Claim(string name)
    {
        var candidate = name;
        for (int i = 2; !_taken.Add(candidate); i++) candidate = name + i;
        return candidate;
    }
}
