using IronWasm.Tests.Text;
using IronWasm.Text;

namespace IronWasm.Tests.Caching;

/// <summary>Spec scripts run three times in lockstep: once with every module compiled as usual (lazily,
/// to DynamicMethods), and twice with every module serialized and deserialized first (persisted code),
/// loaded as an assembly and as DynamicMethods made from the stored IL. Every invocation, global read
/// and instantiation must give the same outcome in all three: the same result bits or the same trap. The scripts are a sample that covers every kind of instruction and linking.</summary>
public sealed class SpecSuiteRoundTripTests
{
    public static TheoryData<string> Scripts() => new()
    {
        "i32.wast", "i64.wast", "f32.wast", "f64.wast", "conversions.wast", "float_exprs.wast", "float_misc.wast",
        "br_table.wast", "block.wast", "loop.wast", "if.wast", "call.wast", "call_indirect.wast", "fac.wast", "return.wast",
        "select.wast", "stack.wast", "unreachable.wast", "unwind.wast", "local_tee.wast", "global.wast",
        "memory.wast", "memory_grow.wast", "memory_fill.wast", "memory_copy.wast", "memory_init.wast", "address.wast",
        "table_get.wast", "table_set.wast", "table_grow.wast", "table_copy.wast", "table_init.wast", "elem.wast", "data.wast",
        "ref_func.wast", "ref_null.wast", "ref_is_null.wast", "func_ptrs.wast", "imports.wast", "linking.wast", "exports.wast",
        "start.wast", "traps.wast", "left-to-right.wast", "int_exprs.wast", "func.wast", "names.wast", "skip-stack-guard-page.wast",
        "simd_f32x4.wast", "simd_f64x2_arith.wast", "simd_i8x16_arith.wast", "simd_i32x4_arith2.wast", "simd_load.wast",
        "simd_store.wast", "simd_lane.wast", "simd_conversions.wast", "simd_i16x8_q15mulr_sat_s.wast",
    };

    [SpecSuiteTheory]
    [MemberData(nameof(Scripts))]
    public void DeserializedModulesBehaveLikeFreshOnes(string fileName)
    {
        var script = WastParser.Parse(SpecSuite.ReadScript(fileName), fileName);
        List<string> differences = [];
        int compared = 0;
        Exception? failure = null;
        // Deep recursion (call.wast, fac.wast, assert_exhaustion) needs a stack of known size.
        var thread = new Thread(() =>
        {
            try { compared = Lockstep.Run(script, differences); }
            catch (Exception e) { failure = e; }
        }, 64 * 1024 * 1024);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException($"{fileName}: {failure}");
        Assert.True(differences.Count == 0, $"{fileName}: {differences.Count} differences:\n{string.Join("\n", differences.Take(20))}");
        Assert.True(compared > 0, $"{fileName}: nothing was compared");
    }

    /// <summary>Two worlds, fresh and persisted, driven by the same commands.</summary>
    private sealed class Lockstep
    {
        private readonly World _fresh = new(loading: null);
        private readonly World _assembly = new(CompiledCodeLoading.Assembly);
        private readonly World _methods = new(CompiledCodeLoading.DynamicMethods);
        private readonly List<string> _differences;
        private int _compared;

        private Lockstep(List<string> differences) => _differences = differences;

        public static int Run(WastScript script, List<string> differences)
        {
            var lockstep = new Lockstep(differences);
            foreach (var command in script.Commands) lockstep.Execute(command);
            return lockstep._compared;
        }

        private void Execute(WastCommand command)
        {
            switch (command)
            {
                case WastModuleCommand m: Compare(command, world => world.Define(m.Module)); break;
                case WastRegister r: _fresh.Register(r); _assembly.Register(r); _methods.Register(r); break;
                case WastActionCommand a: Compare(command, world => world.Act(a.Action)); break;
                case WastAssertReturn a: Compare(command, world => world.Act(a.Action)); break;
                case WastAssertTrap { Action: { } action }: Compare(command, world => world.Act(action)); break;
                case WastAssertTrap { Module: { } module }: Compare(command, world => world.Instantiate(module)); break;
                case WastAssertExhaustion a: Compare(command, world => world.Act(a.Action)); break;
                case WastAssertUninstantiable a: Compare(command, world => world.Instantiate(a.Module)); break;
                case WastAssertUnlinkable a: Compare(command, world => world.Instantiate(a.Module)); break;
                default: break; // invalid and malformed modules never reach compilation
            }
        }

        private void Compare(WastCommand command, Func<World, string> step)
        {
            _compared++;
            string fresh = step(_fresh), assembly = step(_assembly), methods = step(_methods);
            if (fresh != assembly) _differences.Add($"line {command.Line}: fresh {fresh}, persisted as an assembly {assembly}");
            if (fresh != methods) _differences.Add($"line {command.Line}: fresh {fresh}, persisted as DynamicMethods {methods}");
        }
    }

    /// <summary>An engine, store and linker with the spectest module, where every module is either used as
    /// compiled (no loading given) or round-tripped through Serialize/Deserialize and loaded the given way.</summary>
    private sealed class World
    {
        private readonly bool _serialize;
        private readonly Engine _engine;
        private readonly Store _store;
        private readonly Linker _linker;
        private readonly Dictionary<string, Instance> _named = new(StringComparer.Ordinal);
        private readonly Dictionary<uint, object> _externs = new();
        private Instance? _current;

        public World(CompiledCodeLoading? loading)
        {
            _serialize = loading is not null;
            _engine = new Engine(new Config().WithEpochInterruption(true).WithCompiledCodeLoading(loading ?? CompiledCodeLoading.Assembly));
            _store = new Store(_engine);
            _linker = new Linker(_engine) { AllowShadowing = true };
            const string M = "spectest";
            _linker.DefineFunction(M, "print", () => { });
            _linker.DefineFunction(M, "print_i32", (int _) => { });
            _linker.DefineFunction(M, "print_i64", (long _) => { });
            _linker.DefineFunction(M, "print_f32", (float _) => { });
            _linker.DefineFunction(M, "print_f64", (double _) => { });
            _linker.DefineFunction(M, "print_i32_f32", (int _, float _) => { });
            _linker.DefineFunction(M, "print_f64_f64", (double _, double _) => { });
            _linker.Define(M, "global_i32", new Global(_store, ValueKind.I32, WasmValue.FromInt32(666), mutable: false));
            _linker.Define(M, "global_i64", new Global(_store, ValueKind.I64, WasmValue.FromInt64(666), mutable: false));
            _linker.Define(M, "global_f32", new Global(_store, ValueKind.F32, WasmValue.FromSingle(666.6f), mutable: false));
            _linker.Define(M, "global_f64", new Global(_store, ValueKind.F64, WasmValue.FromDouble(666.6), mutable: false));
            _linker.Define(M, "table", new Table(_store, ValueKind.FuncRef, null, 10, 20));
            _linker.Define(M, "memory", new Memory(_store, 1, 2));
        }

        private Module Compile(WastModuleSource source)
        {
            var bytes = source.Binary ?? WatParser.ParseModule(source.QuoteText ?? throw source.TextError!);
            var module = Module.FromBytes(_engine, source.Name ?? "module", bytes);
            return _serialize ? Module.Deserialize(_engine, module.Serialize()) : module;
        }

        public string Define(WastModuleSource source)
        {
            try
            {
                _current = _linker.Instantiate(_store, Compile(source));
                if (source.Name is not null) _named[source.Name] = _current;
                return "instantiated";
            }
            catch (WasmException e)
            {
                _current = null;
                return Describe(e);
            }
        }

        public string Instantiate(WastModuleSource source)
        {
            try
            {
                _linker.Instantiate(_store, Compile(source));
                return "instantiated";
            }
            catch (WasmException e)
            {
                return Describe(e);
            }
        }

        public void Register(WastRegister register)
        {
            var instance = register.ModuleName is null ? _current : _named.GetValueOrDefault(register.ModuleName);
            if (instance is not null) _linker.DefineInstance(_store, register.As, instance);
        }

        public string Act(WastAction action)
        {
            var instance = action.ModuleName is null ? _current : _named.GetValueOrDefault(action.ModuleName);
            if (instance is null) return "no instance";
            _store.SetDeadline(TimeSpan.FromSeconds(60));
            switch (action)
            {
                case WastInvoke invoke:
                    var function = instance.GetFunction(invoke.Name);
                    if (function is null) return "no function";
                    var results = new WasmValue[function.Type.Results.Count];
                    try
                    {
                        function.Invoke(invoke.Arguments.Select(Argument).ToArray(), results);
                        return string.Join(" ", results.Select(Describe));
                    }
                    catch (TrapException e)
                    {
                        return Describe(e);
                    }
                case WastGet get:
                    return instance.GetGlobal(get.Name) is { } global ? Describe(global.GetValue()) : "no global";
                default:
                    return "unknown action";
            }
        }

        private static string Describe(WasmException e) => e switch
        {
            TrapException trap => $"trap {trap.Code} [{string.Join(",", trap.WasmBacktrace.Take(3))}]",
            _ => e.GetType().Name,
        };

        private string Describe(WasmValue value) => value.Kind switch
        {
            ValueKind.I32 => $"i32:{value.AsInt32()}",
            ValueKind.I64 => $"i64:{value.AsInt64()}",
            ValueKind.F32 => $"f32:{value.AsSingleBits():X8}",
            ValueKind.F64 => $"f64:{value.AsDoubleBits():X16}",
            ValueKind.V128 => $"v128:{value.AsVector()}",
            ValueKind.ExternRef => value.IsNullReference ? "extern:null" : $"extern:{_externs.FirstOrDefault(p => ReferenceEquals(p.Value, value.AsExternRef())).Key}",
            _ => value.IsNullReference ? "func:null" : "func",
        };

        private WasmValue Argument(WastValue value) => value.Kind switch
        {
            ValueKind.I32 => WasmValue.FromInt32((int)value.Bits),
            ValueKind.I64 => WasmValue.FromInt64((long)value.Bits),
            ValueKind.F32 => WasmValue.FromSingleBits((uint)value.Bits),
            ValueKind.F64 => WasmValue.FromDoubleBits(value.Bits),
            ValueKind.V128 => WasmValue.FromVector(value.Vector),
            ValueKind.ExternRef when !value.IsNull => WasmValue.FromExternRef(Extern(value.ExternId)),
            _ => WasmValue.Null(value.Kind),
        };

        private object Extern(uint id)
        {
            if (!_externs.TryGetValue(id, out var extern_)) _externs[id] = extern_ = new object();
            return extern_;
        }
    }
}
