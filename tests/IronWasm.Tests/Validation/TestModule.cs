using IronWasm.Model;
using IronWasm.Validation;

namespace IronWasm.Tests.Validation;

/// <summary>Builds <see cref="ModuleDefinition"/>s by hand, with function bodies assembled from raw
/// instruction bytes, so that the validator is tested independently of the decoder.</summary>
internal sealed class TestModule
{
    public ModuleDefinition Module { get; } = new();

    private int _codeOffset = 0x100;

    public static ValueKind[] Types(params ValueKind[] types) => types;

    public uint AddType(ValueKind[] parameters, ValueKind[] results)
    {
        var type = new FunctionType(parameters, results);
        int existing = Module.Types.IndexOf(type);
        if (existing >= 0) return (uint)existing;
        Module.Types.Add(type);
        return (uint)(Module.Types.Count - 1);
    }

    /// <summary>Adds a defined function; <paramref name="code"/> is the expression including the final end.
    /// Returns its index in the function index space.</summary>
    public uint AddFunction(ValueKind[] parameters, ValueKind[] results, byte[] code, params LocalRun[] locals)
    {
        Module.FunctionTypeIndices.Add(AddType(parameters, results));
        Module.Bodies.Add(new FunctionBody(locals, code, _codeOffset, _codeOffset - 2));
        _codeOffset += code.Length + 16;
        return (uint)(Module.Imports.Count(i => i.Kind == ExternalKind.Function) + Module.FunctionTypeIndices.Count - 1);
    }

    public uint AddFunction(byte[] code) => AddFunction([], [], code);

    public void ImportFunction(ValueKind[] parameters, ValueKind[] results) =>
        Module.Imports.Add(new ImportDefinition("m", "f" + Module.Imports.Count, ExternalKind.Function)
        {
            FunctionTypeIndex = AddType(parameters, results),
        });

    public void ImportGlobal(ValueKind type, bool mutable) =>
        Module.Imports.Add(new ImportDefinition("m", "g" + Module.Imports.Count, ExternalKind.Global)
        {
            Global = new GlobalType(type, mutable),
        });

    public void ImportMemory(uint minimum, uint? maximum = null) =>
        Module.Imports.Add(new ImportDefinition("m", "mem" + Module.Imports.Count, ExternalKind.Memory)
        {
            Memory = new MemoryType(new Limits(minimum, maximum)),
        });

    public void ImportTable(ValueKind elementType, uint minimum, uint? maximum = null) =>
        Module.Imports.Add(new ImportDefinition("m", "t" + Module.Imports.Count, ExternalKind.Table)
        {
            Table = new TableType(elementType, new Limits(minimum, maximum)),
        });

    public TestModule WithMemory(uint minimum = 1, uint? maximum = null)
    {
        Module.Memories.Add(new MemoryType(new Limits(minimum, maximum)));
        return this;
    }

    public TestModule WithTable(ValueKind elementType = ValueKind.FuncRef, uint minimum = 1, uint? maximum = null)
    {
        Module.Tables.Add(new TableType(elementType, new Limits(minimum, maximum)));
        return this;
    }

    public void AddGlobal(ValueKind type, bool mutable, params byte[] initializer) =>
        Module.Globals.Add(new GlobalDefinition(new GlobalType(type, mutable), Constant(initializer)));

    public static ConstantExpression Constant(params byte[] code) => new(code, 0x10);

    // The validator builds its own view of the index spaces, so ComputeIndexSpaces is not called
    // (it cannot be, for a module with an unknown type index).
    public void Validate() => ModuleValidator.Validate(Module);

    /// <summary>Validates and returns the exception, failing the test if the module is valid.</summary>
    public WasmValidationException Invalid() => Assert.Throws<WasmValidationException>(Validate);

    /// <summary>Asserts that validation fails with a message containing <paramref name="expected"/>
    /// (the spec test suite's text).</summary>
    public WasmValidationException AssertInvalid(string expected)
    {
        var error = Invalid();
        Assert.Contains(expected, error.Message);
        return error;
    }

    // ---- a single-function module ----

    public static TestModule Function(ValueKind[] parameters, ValueKind[] results, params byte[] code)
    {
        var module = new TestModule();
        module.AddFunction(parameters, results, code);
        return module;
    }

    public static TestModule Function(params byte[] code) => Function([], [], code);

    public static TestModule Build(Action<TestModule> setUp)
    {
        var module = new TestModule();
        setUp(module);
        return module;
    }
}
