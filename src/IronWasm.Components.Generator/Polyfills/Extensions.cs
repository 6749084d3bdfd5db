// The .NET 5+ APIs the linked sources call, for netstandard2.0. C# 14 extension blocks supply
// them under their real names (static ones too), so the linked files compile unchanged.

namespace System
{
    internal static class NetStandardPolyfills
    {
        extension(char)
        {
            public static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';
            public static bool IsAsciiLetterUpper(char c) => c is >= 'A' and <= 'Z';
            public static bool IsAsciiLetterLower(char c) => c is >= 'a' and <= 'z';
            public static bool IsAsciiLetter(char c) => (c | 0x20) is >= 'a' and <= 'z';
            public static bool IsAsciiLetterOrDigit(char c) => char.IsAsciiLetter(c) || char.IsAsciiDigit(c);
            public static bool IsAsciiHexDigit(char c) => char.IsAsciiDigit(c) || (c | 0x20) is >= 'a' and <= 'f';
        }

        extension(ArgumentNullException)
        {
            public static void ThrowIfNull(object? argument, string? paramName = null)
            {
                if (argument is null) throw new ArgumentNullException(paramName);
            }
        }

        extension(Enum)
        {
            public static TEnum[] GetValues<TEnum>() where TEnum : struct, Enum => (TEnum[])Enum.GetValues(typeof(TEnum));
        }

        extension(string text)
        {
            public bool StartsWith(char c) => text.Length > 0 && text[0] == c;
        }

        extension<T>(IEnumerable<T> source)
        {
            public IOrderedEnumerable<T> Order(IComparer<T> comparer) => source.OrderBy(x => x, comparer);
            public HashSet<T> ToHashSet() => new(source);
        }

        extension<TKey, TValue>(Dictionary<TKey, TValue> dictionary) where TKey : notnull
        {
            public bool TryAdd(TKey key, TValue value)
            {
                if (dictionary.ContainsKey(key)) return false;
                dictionary.Add(key, value);
                return true;
            }

            public TValue GetValueOrDefault(TKey key, TValue defaultValue) =>
                dictionary.TryGetValue(key, out var value) ? value : defaultValue;
        }
    }

    /// <summary>Combines hash codes (System.HashCode is .NET Core 2.1+), for the linked FunctionType.</summary>
    internal struct HashCode
    {
        private int _hash;

        public void Add<T>(T value) => _hash = unchecked(_hash * 31 + (value?.GetHashCode() ?? 0));

        public readonly int ToHashCode() => _hash;
    }
}
