using System.Reflection.Emit;

namespace IronWasm.Compilation;

internal enum FrameKind : byte { Function, Block, Loop, If }

/// <summary>One entry of the control stack while a function body is compiled. Operand-stack
/// values that cross the frame's boundaries live in the slot locals of depths
/// <see cref="Height"/> and up, so every branch to <see cref="Label"/> arrives with an empty IL
/// evaluation stack.</summary>
internal struct ControlFrame
{
    public FrameKind Kind;
    /// <summary>Operand stack height below the frame's parameters.</summary>
    public int Height;
    public IReadOnlyList<ValueKind> Parameters;
    public IReadOnlyList<ValueKind> Results;
    /// <summary>Branch target: the loop header for a loop, the end of the frame otherwise (the
    /// epilogue for the function frame).</summary>
    public Label Label;
    /// <summary>Start of the else branch of an if (or its end when it has no else).</summary>
    public Label Else;
    public bool HasElse;
    /// <summary>The rest of the frame's code cannot run (after br, br_table, return, unreachable).</summary>
    public bool Unreachable;

    /// <summary>The values a branch to this frame carries.</summary>
    public readonly IReadOnlyList<ValueKind> LabelTypes => Kind == FrameKind.Loop ? Parameters : Results;
}
