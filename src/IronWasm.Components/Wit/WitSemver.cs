namespace IronWasm.Components.Wit;

/// <summary>Semantic Versioning 2.0 syntax: MAJOR.MINOR.PATCH, optional -prerelease and +build.</summary>
internal static class WitSemver
{
    public static bool IsValid(string text)
    {
        var plus = text.IndexOf('+');
        var core = plus < 0 ? text : text[..plus];
        if (plus >= 0 && !Identifiers(text[(plus + 1)..], numericRule: false)) return false;
        var dash = core.IndexOf('-');
        var release = dash < 0 ? core : core[..dash];
        if (dash >= 0 && !Identifiers(core[(dash + 1)..], numericRule: true)) return false;
        var parts = release.Split('.');
        return parts.Length == 3 && parts.All(IsNumber);
    }

    private static bool IsNumber(string part) =>
        part.Length > 0 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0');

    private static bool Identifiers(string text, bool numericRule) =>
        text.Split('.').All(id => id.Length > 0 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && (!numericRule || !id.All(char.IsAsciiDigit) || IsNumber(id)));
}
