using System.Text;

namespace IronWasm.Cli;

/// <summary>Reads a module file given on the command line, turning every way it can fail into a
/// <see cref="CliException"/> with one line that names the file.</summary>
internal static class ModuleFile
{
    /// <summary>The file's bytes; fails with <see cref="ExitCodes.NoInput"/> when it cannot be read.</summary>
    public static byte[] Read(string path)
    {
        if (Directory.Exists(path)) throw new CliException(ExitCodes.NoInput, $"{path}: is a directory, not a module file");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            string reason = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                UnauthorizedAccessException => "permission denied",
                _ => OneLine(e.Message),
            };
            throw new CliException(ExitCodes.NoInput, $"{path}: cannot read the module: {reason}");
        }
    }

    /// <summary>Whether the bytes are a binary module (they start with the "\0asm" magic).</summary>
    public static bool IsBinary(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\0asm"u8);

    /// <summary>Decodes and validates a binary module, or parses WAT text; fails with
    /// <see cref="ExitCodes.BadModule"/> for anything that is not a valid module.</summary>
    public static Module Load(Engine engine, string path) => Load(engine, path, Read(path));

    /// <summary>As <see cref="Load(Engine, string)"/>, for a file already read.</summary>
    public static Module Load(Engine engine, string path, byte[] bytes)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        try
        {
            if (IsBinary(bytes)) return Module.FromBytes(engine, name, bytes);
            return Module.FromText(engine, name, DecodeText(path, bytes));
        }
        catch (WasmFormatException e)
        {
            throw new CliException(ExitCodes.BadModule, $"{path}: malformed module: {OneLine(e.Message)}");
        }
        catch (WasmValidationException e)
        {
            throw new CliException(ExitCodes.BadModule, $"{path}: invalid module: {OneLine(e.Message)}");
        }
    }

    /// <summary>The text of a WAT file; refuses binary data that is not Wasm with a plain message
    /// rather than a lexer error about its first odd byte.</summary>
    public static string DecodeText(string path, byte[] bytes)
    {
        try
        {
            var text = new UTF8Encoding(false, true).GetString(bytes);
            if (!text.Contains('\0')) return text;
        }
        catch (DecoderFallbackException)
        {
        }
        throw new CliException(ExitCodes.BadModule, $"{path}: not a WebAssembly module: it starts with neither the \\0asm magic nor WAT text");
    }

    /// <summary>Messages end up on one line of stderr, whatever they contain.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
