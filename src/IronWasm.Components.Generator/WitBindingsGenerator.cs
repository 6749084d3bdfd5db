using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IronWasm.Components.Generator;

/// <summary>Generates typed host bindings for the WIT interfaces a project names with
/// <c>[assembly: WitHostBindings("ns:pkg/iface@version")]</c>, from the `.wit` files among its
/// AdditionalFiles. See README.md.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class WitBindingsGenerator : IIncrementalGenerator
{
    internal const string AttributeName = "IronWasm.Components.Bindings.WitHostBindingsAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var witFiles = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".wit", StringComparison.OrdinalIgnoreCase))
            .Select(static (text, cancellation) => new WitSource(text.Path, text.GetText(cancellation)?.ToString()))
            .Collect()
            .Select(static (files, _) => new EquatableArray<WitSource>(files.OrderBy(f => f.Path, StringComparer.Ordinal).ToImmutableArray()));

        var selections = context.CompilationProvider.Select(static (compilation, cancellation) => ReadSelections(compilation, cancellation));

        var output = witFiles.Combine(selections)
            .Select(static (input, cancellation) => BindingsBuilder.Run(input.Left, input.Right, cancellation));

        context.RegisterSourceOutput(output, static (context, output) =>
        {
            foreach (var diagnostic in output.Diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
            foreach (var file in output.Files) context.AddSource(file.HintName, file.Text);
        });
    }

    private static EquatableArray<Selection> ReadSelections(Compilation compilation, CancellationToken cancellation)
    {
        var attributeType = compilation.GetTypeByMetadataName(AttributeName);
        if (attributeType is null) return new EquatableArray<Selection>(ImmutableArray<Selection>.Empty);
        var selections = ImmutableArray.CreateBuilder<Selection>();
        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            cancellation.ThrowIfCancellationRequested();
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType)) continue;
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellation) as AttributeSyntax;
            var location = LocationInfo.From(syntax?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation() ?? syntax?.GetLocation());
            string name = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string s ? s : "";
            string? ns = null;
            foreach (var argument in attribute.NamedArguments)
                if (argument.Key == "Namespace") ns = argument.Value.Value as string;
            selections.Add(new Selection(name, ns, location));
        }
        return new EquatableArray<Selection>(selections.ToImmutable());
    }
}
