using System.Text;

namespace IronWasm.Components.Generator.Emit;

/// <summary>Indented C# text.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    public CodeWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>A `/// &lt;summary&gt;` from WIT doc comments, else from <paramref name="fallbackXml"/>
    /// (already XML), else nothing.</summary>
    public CodeWriter Docs(string? docs, string? fallbackXml = null)
    {
        var lines = string.IsNullOrWhiteSpace(docs)
            ? (string.IsNullOrWhiteSpace(fallbackXml) ? [] : new[] { fallbackXml! })
            : docs!.Replace("\r", "").Split('\n').Select(l => Naming.Xml(l.TrimEnd())).ToArray();
        if (lines.Length == 0) return this;
        if (lines.Length == 1) return Line($"/// <summary>{lines[0].Trim()}</summary>");
        Line("/// <summary>");
        foreach (var line in lines) Line("/// " + line);
        return Line("/// </summary>");
    }

    public int Indent
    {
        get => _indent;
        set => _indent = value;
    }

    public override string ToString() => _text.ToString();
}
