namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>The HD44780's character ROM A00 (Japanese standard font), as the characters a
/// terminal can show. 0x20-0x7D is ASCII except 0x5C (yen) and 0x7E/0x7F (arrows); 0xA1-0xDF
/// are the JIS X 0201 half-width katakana, 0xDF drawn as the degree-like handakuten that
/// displays use for "°"; 0xE0-0xFF Greek and math symbols; 0x00-0x0F the CGRAM characters.</summary>
internal static class CharacterRom
{
    // 0xE0-0xFF; 0xE9 is a superscript -1 and 0xF8 an x with a bar, shown without their marks.
    private static readonly char[] High = "αäβεμσρg√⁻jˣ¢£ñöpqθ∞ΩüΣπxy千万円÷ █".ToCharArray();

    public static char ToChar(byte code) => code switch
    {
        < 0x10 => '▒', // a custom character from CGRAM
        0x5C => '¥',
        0x7E => '→',
        0x7F => '←',
        >= 0x20 and < 0x7E => (char)code,
        0xDF => '°',
        >= 0xA1 and < 0xDF => (char)(0xFF61 + (code - 0xA1)),
        >= 0xE0 => High[code - 0xE0],
        _ => ' ',
    };
}
