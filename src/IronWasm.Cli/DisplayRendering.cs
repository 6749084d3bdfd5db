using System.Text;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Cli;

/// <summary>What a simulated display shows, as text for the terminal: the LCD in its 16x2 frame,
/// the 7-segment digits as segment art, the OLED as a coarse picture (two pixels a character, cut to
/// what is lit).</summary>
internal static class DisplayRendering
{
    /// <summary>The picture, or null when the device is not a simulated display.</summary>
    public static string? Render(SimulatedI2cDevice? device) => device switch
    {
        Hd44780LcdDevice lcd => lcd.RenderFramed(),
        Tm1650Device digits => Framed(digits.RenderAsciiArt().Split('\n'), width: 4 * Tm1650Device.Digits),
        Ssd1306Device oled => HalfBlocks(oled),
        ISimulatedDisplay display => display.RenderText(),
        _ => null,
    };

    /// <summary>Writes <paramref name="picture"/> with every line indented.</summary>
    public static void Write(TextWriter output, string picture, string indent)
    {
        foreach (var line in picture.Split('\n')) output.WriteLine(indent + line);
    }

    private static string Framed(IReadOnlyList<string> lines, int width)
    {
        var text = new StringBuilder();
        text.Append('+').Append('-', width).Append("+\n");
        foreach (var line in lines) text.Append('|').Append(line.PadRight(width)).Append("|\n");
        text.Append('+').Append('-', width).Append('+');
        return text.ToString();
    }

    /// <summary>The OLED from its top-left corner to the last lit column and row, each character one
    /// pixel wide and two high (upper, lower and full half blocks); "(dark)" when nothing is lit.</summary>
    private static string HalfBlocks(Ssd1306Device oled)
    {
        int width = 0, height = 0;
        for (int y = 0; y < Ssd1306Device.Height; y++)
            for (int x = 0; x < Ssd1306Device.Width; x++)
                if (oled.PixelLit(x, y))
                {
                    width = Math.Max(width, x + 1);
                    height = Math.Max(height, y + 1);
                }
        if (width == 0) return Framed(["(dark)"], 6);
        var lines = new List<string>();
        for (int y = 0; y < height; y += 2)
        {
            var line = new StringBuilder(width);
            for (int x = 0; x < width; x++)
            {
                bool upper = oled.PixelLit(x, y), lower = y + 1 < Ssd1306Device.Height && oled.PixelLit(x, y + 1);
                line.Append(upper ? (lower ? '\u2588' : '\u2580') : (lower ? '\u2584' : ' '));
            }
            lines.Add(line.ToString());
        }
        return Framed(lines, width);
    }
}
