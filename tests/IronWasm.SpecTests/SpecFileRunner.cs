using System.Runtime.Intrinsics;
using IronWasm.Text;

namespace IronWasm.SpecTests;

/// <summary>One failed check: where it is, and what went wrong.</summary>
internal sealed record SpecFailure(string File, int Line, string Command, string Reason)
{
    public string Key => $"{File}:{Line}";
    public override string ToString() => $"{Key} {Command}: {Reason}";
}

internal sealed class SpecFileResult
{
    public int Passed;
    public int Failed;
    /// <summary>assert_* commands seen (each is one assertion of the suite).</summary>
    public int Assertions;
    public List<SpecFailure> Failures { get; } = new();
}

/// <summary>Runs the commands of one .wast script against a fresh engine, store and linker.</summary>
internal sealed class SpecFileRunner
{
    // Spec scripts recurse deliberately (assert_exhaustion, deep but finite recursion in
    // call.wast and fac.wast). Run each file on a thread whose stack size we choose, so the
    // outcome does not depend on the caller's thread.
    private const int GuestStackBytes = 64 * 1024 * 1024;

    private readonly string _fileName;
    private readonly SpecFileResult _result = new();
    private readonly Engine _engine;
    private readonly Store _store;
    private readonly Linker _linker;
    private readonly Dictionary<string, Instance> _named = new(StringComparer.Ordinal);
    private Instance? _current;

    private SpecFileRunner(string fileName)
    {
        _fileName = fileName;
        _engine = new Engine(new Config().WithEpochInterruption(true));
        _store = new Store(_engine);
        _linker = new Linker(_engine) { AllowShadowing = true };
        SpectestModule.Define(_linker, _store);
    }

    public static SpecFileResult RunOnLargeStack(string path)
    {
        SpecFileResult? result = null;
        var thread = new Thread(() => result = Run(path), GuestStackBytes) { Name = Path.GetFileName(path) };
        thread.Start();
        thread.Join();
        return result!;
    }

    public static SpecFileResult Run(string path)
    {
        var fileName = Path.GetFileName(path);
        WastScript script;
        try
        {
            script = WastParser.Parse(File.ReadAllText(path), fileName);
        }
        catch (Exception e)
        {
            var failed = new SpecFileResult();
            failed.Failed++;
            failed.Failures.Add(new SpecFailure(fileName, 0, "parse", e.Message));
            return failed;
        }

        var runner = new SpecFileRunner(fileName);
        foreach (var command in script.Commands)
            runner.Execute(command);
        return runner._result;
    }

    private void Execute(WastCommand command)
    {
        string? failure;
        try
        {
            // A guest that loops forever must not hang the suite: every command gets a deadline.
            _store.SetDeadline(TimeSpan.FromSeconds(60));
            failure = command switch
            {
                WastModuleCommand m => DefineModule(m.Module),
                WastRegister r => Register(r),
                WastActionCommand a => RunAction(a.Action, out _, out var trap) is { } err ? err : trap is null ? null : $"unexpected trap: {trap.Message}",
                WastAssertReturn a => AssertReturn(a),
                WastAssertTrap a => AssertTrap(a),
                WastAssertExhaustion a => AssertExhaustion(a),
                WastAssertInvalid a => AssertInvalid(a),
                WastAssertMalformed a => AssertMalformed(a),
                WastAssertUnlinkable a => AssertUnlinkable(a),
                WastAssertUninstantiable a => AssertUninstantiable(a),
                _ => $"unknown command {command.GetType().Name}",
            };
        }
        catch (Exception e)
        {
            failure = $"runner caught {e.GetType().Name}: {e.Message}";
        }

        if (command is WastRegister) { if (failure is null) return; }
        if (command.GetType().Name.StartsWith("WastAssert", StringComparison.Ordinal)) _result.Assertions++;
        if (failure is null)
        {
            _result.Passed++;
        }
        else
        {
            _result.Failed++;
            _result.Failures.Add(new SpecFailure(_fileName, command.Line, CommandName(command), failure));
        }
    }

    private static string CommandName(WastCommand command) => command switch
    {
        WastModuleCommand => "module",
        WastRegister => "register",
        WastActionCommand => "action",
        WastAssertReturn => "assert_return",
        WastAssertTrap => "assert_trap",
        WastAssertExhaustion => "assert_exhaustion",
        WastAssertInvalid => "assert_invalid",
        WastAssertMalformed => "assert_malformed",
        WastAssertUnlinkable => "assert_unlinkable",
        WastAssertUninstantiable => "assert_uninstantiable",
        _ => command.GetType().Name,
    };

    // ---- modules ----

    private static byte[] ModuleBytes(WastModuleSource source)
    {
        if (source.TextError is not null) throw source.TextError;
        if (source.Binary is not null) return source.Binary;
        return WatParser.ParseModule(source.QuoteText!);
    }

    private Module Compile(WastModuleSource source) => Module.FromBytes(_engine, source.Name ?? "module", ModuleBytes(source));

    private string? DefineModule(WastModuleSource source)
    {
        try
        {
            var instance = _linker.Instantiate(_store, Compile(source));
            _current = instance;
            if (source.Name is not null) _named[source.Name] = instance;
            return null;
        }
        catch (WasmException e)
        {
            _current = null;
            return $"module failed: {e.GetType().Name}: {e.Message}";
        }
    }

    private string? Register(WastRegister r)
    {
        var instance = r.ModuleName is null ? _current : _named.GetValueOrDefault(r.ModuleName);
        if (instance is null) return $"register: no module {r.ModuleName ?? "(current)"}";
        _linker.DefineInstance(_store, r.As, instance);
        return null;
    }

    private string? AssertInvalid(WastAssertInvalid a) => ExpectModuleError<WasmValidationException>(a.Module, a.Message, instantiate: false);

    private string? AssertMalformed(WastAssertMalformed a) => ExpectModuleError<WasmFormatException>(a.Module, a.Message, instantiate: false);

    private string? AssertUnlinkable(WastAssertUnlinkable a) => ExpectModuleError<WasmLinkException>(a.Module, a.Message, instantiate: true);

    private string? AssertUninstantiable(WastAssertUninstantiable a) => ExpectModuleError<TrapException>(a.Module, a.Message, instantiate: true);

    private string? ExpectModuleError<T>(WastModuleSource source, string expected, bool instantiate) where T : WasmException
    {
        try
        {
            var module = Compile(source);
            if (instantiate) _linker.Instantiate(_store, module);
            return $"expected {typeof(T).Name} \"{expected}\", but the module {(instantiate ? "instantiated" : "was accepted")}";
        }
        catch (T)
        {
            return null;
        }
        catch (WasmException e)
        {
            return $"expected {typeof(T).Name} \"{expected}\", got {e.GetType().Name}: {e.Message}";
        }
    }

    // ---- actions ----

    private Instance? Target(string? name) => name is null ? _current : _named.GetValueOrDefault(name);

    /// <summary>Runs an action. Returns an error text when the action could not even be attempted
    /// (missing module or export); otherwise the results, or the trap it raised.</summary>
    private string? RunAction(WastAction action, out WasmValue[] results, out TrapException? trap)
    {
        results = [];
        trap = null;
        var instance = Target(action.ModuleName);
        if (instance is null) return $"no module {action.ModuleName ?? "(current)"} to run {action.Name}";
        switch (action)
        {
            case WastInvoke invoke:
            {
                var function = instance.GetFunction(invoke.Name);
                if (function is null) return $"no exported function \"{invoke.Name}\"";
                var arguments = invoke.Arguments.Select(ToWasmValue).ToArray();
                results = new WasmValue[function.Type.Results.Count];
                try
                {
                    function.Invoke(arguments, results);
                }
                catch (TrapException e)
                {
                    trap = e;
                }
                return null;
            }
            case WastGet get:
            {
                var global = instance.GetGlobal(get.Name);
                if (global is null) return $"no exported global \"{get.Name}\"";
                results = [global.GetValue()];
                return null;
            }
            default:
                return $"unknown action {action.GetType().Name}";
        }
    }

    private string? AssertReturn(WastAssertReturn a)
    {
        if (RunAction(a.Action, out var results, out var trap) is { } error) return error;
        if (trap is not null) return $"trapped: {trap.Message}";
        if (results.Length != a.Expected.Count) return $"expected {a.Expected.Count} results, got {results.Length}";
        for (int i = 0; i < results.Length; i++)
        {
            if (!ValueMatcher.Matches(a.Expected[i], results[i], _externs))
                return $"result {i}: expected {ValueMatcher.Describe(a.Expected[i])}, got {ValueMatcher.Describe(results[i])}";
        }
        return null;
    }

    private string? AssertTrap(WastAssertTrap a)
    {
        if (a.Module is not null)
            return ExpectModuleError<TrapException>(a.Module, a.Message, instantiate: true);
        if (RunAction(a.Action!, out _, out var trap) is { } error) return error;
        if (trap is null) return $"expected trap \"{a.Message}\", but it returned";
        return TrapMessages.Accepts(a.Message, trap) ? null : $"expected trap \"{a.Message}\", got {trap.Code}: {trap.Message}";
    }

    private string? AssertExhaustion(WastAssertExhaustion a)
    {
        if (RunAction(a.Action, out _, out var trap) is { } error) return error;
        if (trap is null) return $"expected exhaustion \"{a.Message}\", but it returned";
        return trap.Code == TrapCode.StackOverflow ? null : $"expected stack exhaustion, got {trap.Code}: {trap.Message}";
    }

    // ---- values ----

    private readonly Dictionary<uint, ExternObject> _externs = new();

    private WasmValue ToWasmValue(WastValue value) => value.Kind switch
    {
        ValueKind.I32 => WasmValue.FromInt32((int)value.Bits),
        ValueKind.I64 => WasmValue.FromInt64((long)value.Bits),
        ValueKind.F32 => WasmValue.FromSingleBits((uint)value.Bits),
        ValueKind.F64 => WasmValue.FromDoubleBits(value.Bits),
        ValueKind.V128 => WasmValue.FromVector(value.Vector),
        ValueKind.FuncRef => WasmValue.Null(ValueKind.FuncRef),
        ValueKind.ExternRef => value.IsNull ? WasmValue.Null(ValueKind.ExternRef) : WasmValue.FromExternRef(Extern(value.ExternId)),
        _ => throw new InvalidOperationException($"unsupported argument kind {value.Kind}"),
    };

    private ExternObject Extern(uint id)
    {
        if (!_externs.TryGetValue(id, out var obj)) _externs[id] = obj = new ExternObject(id);
        return obj;
    }
}

/// <summary>The host object behind the script's (ref.extern N).</summary>
internal sealed record ExternObject(uint Id);
