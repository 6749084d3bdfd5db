using System.Globalization;
using System.Text.RegularExpressions;

namespace IronWasm.Hardware.Usb.Simulation.Devices;

/// <summary>The gamepad's 16 buttons; the value is the bit (HID button usage value + 1) in the report.</summary>
public enum GamepadButton : byte
{
    A, B, X, Y, LeftShoulder, RightShoulder, Back, Start, LeftStick, RightStick, Up, Down, Left, Right, Guide, Extra,
}

public enum GamepadAxis : byte { LeftX, LeftY, RightX, RightY }

public enum GamepadInputKind : byte { Press, Release, Move }

/// <summary>One step of scripted input, <see cref="At"/> after the script starts.</summary>
public readonly record struct GamepadInput(TimeSpan At, GamepadInputKind Kind, GamepadButton Button = default, GamepadAxis Axis = default, sbyte Value = 0)
{
    public static GamepadInput Press(GamepadButton button, TimeSpan at) => new(at, GamepadInputKind.Press, button);

    public static GamepadInput Release(GamepadButton button, TimeSpan at) => new(at, GamepadInputKind.Release, button);

    /// <summary>Moves <paramref name="axis"/> to <paramref name="value"/> (-127 to 127).</summary>
    public static GamepadInput Move(GamepadAxis axis, sbyte value, TimeSpan at) =>
        value == sbyte.MinValue ? throw new ArgumentOutOfRangeException(nameof(value), "axes run from -127 to 127")
                                : new(at, GamepadInputKind.Move, Axis: axis, Value: value);

    /// <summary>Parses a script: steps separated by ';' or new lines, each
    /// <c>TIME press BUTTON</c>, <c>TIME release BUTTON</c> or <c>TIME axis AXIS VALUE</c>, with
    /// TIME as <c>250us</c>, <c>10ms</c> or <c>1.5s</c>, buttons a, b, x, y, left-shoulder,
    /// right-shoulder, back, start, left-stick, right-stick, up, down, left, right, guide, extra,
    /// and axes left-x, left-y, right-x, right-y. Example: <c>0ms press a; 20ms release a; 30ms axis left-x -127</c>.</summary>
    /// <exception cref="FormatException">With the step that is wrong and why.</exception>
    public static IReadOnlyList<GamepadInput> ParseScript(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var steps = new List<GamepadInput>();
        foreach (var raw in script.Split([';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var words = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = ParseTime(words[0], raw);
            if (words.Length == 3 && words[1] is "press" or "release")
            {
                var button = ParseName<GamepadButton>(words[2], raw, "button");
                steps.Add(words[1] == "press" ? Press(button, at) : Release(button, at));
            }
            else if (words.Length == 4 && words[1] == "axis")
            {
                var axis = ParseName<GamepadAxis>(words[2], raw, "axis");
                if (!sbyte.TryParse(words[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out sbyte v) || v == sbyte.MinValue)
                    throw new FormatException($"'{raw}': an axis value is a whole number from -127 to 127");
                steps.Add(Move(axis, v, at));
            }
            else throw new FormatException($"'{raw}': expected 'TIME press BUTTON', 'TIME release BUTTON' or 'TIME axis AXIS VALUE'");
        }
        return steps;
    }

    private static TimeSpan ParseTime(string text, string step)
    {
        var m = Regex.Match(text, @"^(\d+(?:\.\d+)?)(us|ms|s)$");
        if (!m.Success) throw new FormatException($"'{step}': '{text}' is not a time such as 250us, 10ms or 1.5s");
        double value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    private static T ParseName<T>(string text, string step, string what) where T : struct, Enum
    {
        string pascal = string.Concat(text.Split('-').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
        if (Enum.TryParse<T>(pascal, ignoreCase: true, out var value) && Enum.IsDefined(value) && !char.IsDigit(text[0])) return value;
        var names = Enum.GetNames<T>().Select(n => Regex.Replace(n, "(?<=[a-z])([A-Z])", "-$1").ToLowerInvariant());
        throw new FormatException($"'{step}': no {what} '{text}' (one of {string.Join(", ", names)})");
    }
}
