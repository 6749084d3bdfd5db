namespace IronWasm.Components.Wit;

// The syntax tree the parser produces: WIT as written, names unresolved. The resolver turns it
// into the public model (WitPackage, WitInterface, WitWorld, WitType).

internal sealed record WitPackageNameSyntax(string Namespace, string Name, string? Version, WitSourcePosition Position)
{
    public WitPackageName ToName() => new(Namespace, Name, Version);
}

/// <summary>An interface or world reference: a bare `id` (same package or a file-level `use`
/// name), or `ns:pkg/id@version`.</summary>
internal sealed record WitUsePathSyntax(WitPackageNameSyntax? Package, string Name, WitSourcePosition Position)
{
    public override string ToString() => Package is null ? Name : $"{Package.Namespace}:{Package.Name}/{Name}" + (Package.Version is { } v ? "@" + v : "");
}

internal sealed record WitGateSyntax(string? Since, string? Unstable, string? Deprecated, WitSourcePosition Position);

/// <summary>What precedes an item: its doc comments, gate and `@external-id`.</summary>
internal sealed record WitItemPrefix(string? Docs, WitGateSyntax? Gate, string? ExternalId);

/// <summary>One file, or one `package x { }` block: the items of one package in one scope of
/// file-level `use` names.</summary>
internal sealed class WitPackageBodySyntax
{
    public required WitPackageNameSyntax? Package { get; init; }
    public required bool IsNested { get; init; }
    public string? Docs { get; init; }
    public List<WitTopLevelUseSyntax> Uses { get; } = new();
    public List<WitInterfaceSyntax> Interfaces { get; } = new();
    public List<WitWorldSyntax> Worlds { get; } = new();
}

internal sealed class WitDocumentSyntax
{
    public required string File { get; init; }
    /// <summary>The items outside any `package x { }` block, under the file's `package x;` (if any).</summary>
    public required WitPackageBodySyntax Root { get; init; }
    public List<WitPackageBodySyntax> NestedPackages { get; } = new();
}

internal sealed record WitTopLevelUseSyntax(WitUsePathSyntax Path, string? Alias, WitSourcePosition Position)
{
    public string LocalName => Alias ?? Path.Name;
}

internal abstract record WitItemSyntax(WitItemPrefix Prefix, WitSourcePosition Position);

internal sealed record WitUseNameSyntax(string Name, string? Alias, WitSourcePosition Position)
{
    public string LocalName => Alias ?? Name;
}

internal sealed record WitUseSyntax(WitUsePathSyntax Path, List<WitUseNameSyntax> Names, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitItemSyntax(Prefix, Position);

internal sealed record WitFuncItemSyntax(string Name, WitFuncTypeSyntax Type, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitItemSyntax(Prefix, Position);

internal sealed record WitInterfaceSyntax(string? Name, List<WitItemSyntax> Items, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitItemSyntax(Prefix, Position);

// Type definitions.

internal abstract record WitTypeDefSyntax(string Name, WitItemPrefix Prefix, WitSourcePosition Position) : WitItemSyntax(Prefix, Position);

internal sealed record WitAliasSyntax(string Name, WitTypeSyntax Target, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitTypeDefSyntax(Name, Prefix, Position);

internal sealed record WitNamedTypeSyntax(string Name, WitTypeSyntax Type, string? Docs, WitSourcePosition Position);

internal sealed record WitRecordSyntax(string Name, List<WitNamedTypeSyntax> Fields, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitTypeDefSyntax(Name, Prefix, Position);

internal sealed record WitCaseSyntax(string Name, WitTypeSyntax? Payload, string? Docs, WitSourcePosition Position);

internal sealed record WitVariantSyntax(string Name, List<WitCaseSyntax> Cases, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitTypeDefSyntax(Name, Prefix, Position);

internal sealed record WitEnumSyntax(string Name, List<WitCaseSyntax> Cases, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitTypeDefSyntax(Name, Prefix, Position);

internal sealed record WitFlagsSyntax(string Name, List<WitCaseSyntax> Flags, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitTypeDefSyntax(Name, Prefix, Position);

internal enum WitResourceFunctionKind { Constructor, Method, Static }

internal sealed record WitResourceFunctionSyntax(WitResourceFunctionKind Kind, string Name, WitFuncTypeSyntax Type, WitItemPrefix Prefix, WitSourcePosition Position);

internal sealed record WitResourceSyntax(string Name, List<WitResourceFunctionSyntax> Functions, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitTypeDefSyntax(Name, Prefix, Position);

// Functions and types.

internal sealed record WitFuncTypeSyntax(bool IsAsync, List<WitNamedTypeSyntax> Parameters, WitTypeSyntax? Result, List<WitNamedTypeSyntax>? NamedResults, WitSourcePosition Position);

internal abstract record WitTypeSyntax(WitSourcePosition Position);

internal sealed record WitPrimitiveTypeSyntax(WitPrimitiveKind Kind, WitSourcePosition Position) : WitTypeSyntax(Position);

internal sealed record WitTypeReferenceSyntax(string Name, WitSourcePosition Position) : WitTypeSyntax(Position);

internal sealed record WitListSyntax(WitTypeSyntax Element, uint? Length, WitSourcePosition Position) : WitTypeSyntax(Position);

internal sealed record WitOptionSyntax(WitTypeSyntax Some, WitSourcePosition Position) : WitTypeSyntax(Position);

internal sealed record WitResultSyntax(WitTypeSyntax? Ok, WitTypeSyntax? Err, WitSourcePosition Position) : WitTypeSyntax(Position);

internal sealed record WitTupleSyntax(List<WitTypeSyntax> Types, WitSourcePosition Position) : WitTypeSyntax(Position);

internal sealed record WitMapSyntax(WitTypeSyntax Key, WitTypeSyntax Value, WitSourcePosition Position) : WitTypeSyntax(Position);

internal sealed record WitFutureSyntax(WitTypeSyntax? Payload, WitSourcePosition Position) : WitTypeSyntax(Position);

internal sealed record WitStreamSyntax(WitTypeSyntax? Payload, WitSourcePosition Position) : WitTypeSyntax(Position);

internal sealed record WitHandleSyntax(bool IsBorrow, string Resource, WitSourcePosition Position) : WitTypeSyntax(Position);

// Worlds.

internal sealed record WitWorldSyntax(string Name, List<WitItemSyntax> Items, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitItemSyntax(Prefix, Position);

/// <summary>`import`/`export` in a world. Exactly one of the shapes is set: <see cref="Path"/> alone
/// (`import wasi:io/poll;`), <see cref="Label"/> with <see cref="Function"/>, <see cref="Interface"/>
/// (inline) or <see cref="Path"/> (`import primary: wasi:keyvalue/store;`).</summary>
internal sealed record WitExternSyntax(bool IsImport, string? Label, WitUsePathSyntax? Path, WitFuncTypeSyntax? Function,
    WitInterfaceSyntax? Interface, WitItemPrefix Prefix, WitSourcePosition Position) : WitItemSyntax(Prefix, Position);

internal sealed record WitIncludeNameSyntax(string Name, string As, WitSourcePosition Position);

internal sealed record WitIncludeSyntax(WitUsePathSyntax Path, List<WitIncludeNameSyntax> With, WitItemPrefix Prefix, WitSourcePosition Position)
    : WitItemSyntax(Prefix, Position);
