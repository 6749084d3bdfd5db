using IronWasm.Components.Wit;
using Microsoft.CodeAnalysis.Text;

namespace IronWasm.Components.Generator;

/// <summary>Loads the `.wit` AdditionalFiles with the project's own WIT parser and resolver, the
/// way <see cref="WitPackageLoader.LoadDirectory"/> reads a directory: the files of one folder
/// form one package. Errors become diagnostics at their file, line and column.</summary>
internal static class WitLoader
{
    public static IReadOnlyList<WitPackage>? Load(IReadOnlyList<WitSource> files, List<DiagnosticInfo> diagnostics)
    {
        var texts = files.Where(f => f.Text is not null).ToDictionary(f => f.Path, f => SourceText.From(f.Text!), StringComparer.Ordinal);
        var units = new List<WitResolver.Unit>();
        bool failed = false;
        foreach (var folder in files.GroupBy(f => Path.GetDirectoryName(f.Path) ?? "", StringComparer.Ordinal))
        {
            var documents = new List<WitDocumentSyntax>();
            foreach (var file in folder)
            {
                if (file.Text is null)
                {
                    diagnostics.Add(new DiagnosticInfo(Diagnostics.InvalidWit.Id, $"{file.Path}: the file could not be read", null));
                    failed = true;
                    continue;
                }
                try
                {
                    documents.Add(WitParser.Parse(file.Text, file.Path));
                }
                catch (WitException e)
                {
                    diagnostics.Add(ToDiagnostic(e, texts));
                    failed = true;
                }
            }
            units.Add(new WitResolver.Unit(folder.Key, documents));
        }
        if (failed) return null;

        // The resolver wants a root package; any folder with a `package` declaration serves, since
        // every package given to it is resolved.
        int root = units.FindIndex(u => u.Documents.Any(d => d.Root.Package is not null));
        if (root < 0)
        {
            diagnostics.Add(new DiagnosticInfo(Diagnostics.InvalidWit.Id, "the .wit files in AdditionalFiles have no `package` declaration", null));
            return null;
        }
        try
        {
            return WitResolver.Resolve(units[root], units.Where((_, i) => i != root).ToList()).Packages;
        }
        catch (WitException e)
        {
            diagnostics.Add(ToDiagnostic(e, texts));
            return null;
        }
    }

    internal static DiagnosticInfo ToDiagnostic(WitException e, IReadOnlyDictionary<string, SourceText> texts)
    {
        if (e.Line <= 0 || !texts.TryGetValue(e.File, out var text) || e.Line > text.Lines.Count)
            return new DiagnosticInfo(Diagnostics.InvalidWit.Id, e.Message, null);
        var line = text.Lines[e.Line - 1];
        int column = Math.Min(e.Column - 1, line.End - line.Start);
        int start = line.Start + Math.Max(column, 0);
        var position = new LinePosition(e.Line - 1, Math.Max(column, 0));
        var span = new TextSpan(start, start < line.End ? 1 : 0);
        // The position is in the location; the message keeps only the reason.
        return new DiagnosticInfo(Diagnostics.InvalidWit.Id, e.Reason, new LocationInfo(e.File, span, new LinePositionSpan(position, position)));
    }
}
