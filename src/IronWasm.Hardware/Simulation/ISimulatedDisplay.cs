namespace IronWasm.Hardware.Simulation;

/// <summary>A simulated display whose visible state can be shown as text.</summary>
public interface ISimulatedDisplay
{
    string Name { get; }

    /// <summary>What a person would see now, as text (lines separated by '\n').</summary>
    string RenderText();
}
