using static IronWasm.Tests.Validation.Op;

namespace IronWasm.Tests.Validation;

/// <summary>The function validator is cached per thread; a failure must not leak state into the next use.</summary>
public class ValidatorReuseTests
{
    [Fact]
    public void ModuleAfterAFailureMidFunctionValidates()
    {
        // Fails deep inside nested blocks with values on the stack and the stack polymorphic.
        TestModule.Function(Block, Empty, Block, Empty, I32Const, 1, Unreachable, I64Const, 0, I32Add, End, End, End)
            .AssertInvalid("type mismatch");
        TestModule.Function([], [ValueKind.I32], I32Const, 1, End).Validate();
    }

    [Fact]
    public void LocalsOfThePreviousFunctionAreForgotten()
    {
        var module = new TestModule();
        module.AddFunction([ValueKind.I32, ValueKind.I32], [], Code(End));
        module.AddFunction(Code(LocalGet, 1, Drop, End));
        module.AssertInvalid("unknown local 1");
    }

    [Fact]
    public void ValidatingConcurrentlyIsSafe()
    {
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        Parallel.For(0, 64, i =>
        {
            try
            {
                if (i % 2 == 0) TestModule.Function([], [ValueKind.I32], I32Const, 1, End).Validate();
                else TestModule.Function([], [ValueKind.I32], I64Const, 1, End).AssertInvalid("type mismatch");
            }
            catch (Exception e) { errors.Add(e); }
        });
        Assert.Empty(errors);
    }
}
