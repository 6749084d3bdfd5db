using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Linking;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation;

namespace IronWasm.Hardware.Deployment;

/// <summary>How a <see cref="DeviceDeployment"/> runs its guests.</summary>
public sealed record DeploymentOptions
{
    /// <summary>The app's guest name, as the policy knows it.</summary>
    public string AppName { get; init; } = "app";

    /// <summary>Fuel the guests get for each call the host makes (attach, tick, run); needs an
    /// engine made with <see cref="Config.WithFuelConsumption"/>. Null: no limit.</summary>
    public long? FuelPerCall { get; init; }

    /// <summary>How long each call the host makes may run in guest code; needs an engine made with
    /// <see cref="Config.WithEpochInterruption"/>. Null: no limit. (Time a guest spends blocked in a
    /// host call, such as waiting for a GPIO edge, is not interrupted.)</summary>
    public TimeSpan? CallTimeout { get; init; }
}

/// <summary>A driver as it runs: its component and guest names, the module of its current
/// instance, where it is attached and what it calls itself (its <c>driver-name</c>).</summary>
/// <param name="Name">The component name (the name it was deployed under).</param>
/// <param name="Guest">The guest name the policy checks its calls against.</param>
/// <param name="ModuleName">The name of the module of the current instance.</param>
/// <param name="World">The world it plays: <see cref="DeviceWorld.SensorDriver"/> or <see cref="DeviceWorld.DisplayDriver"/>.</param>
/// <param name="Attachment">The bus and address it was attached at.</param>
/// <param name="DriverName">What its <c>driver-name</c> said right after attaching, e.g. "hts221 1.0".</param>
/// <param name="Generation">1 for the first instance, one more after each swap.</param>
public sealed record DeployedDriver(string Name, string Guest, string ModuleName, DeviceWorld World, I2cAttachment Attachment, string DriverName, int Generation)
{
    public override string ToString() => $"{Name}: {DriverName} (module `{ModuleName}`, guest `{Guest}`) at {Attachment}";
}

/// <summary>What an app's <c>run</c> returned: its <c>ok</c> text, or its <c>err</c> text.</summary>
public readonly record struct AppOutcome(bool Succeeded, string Text);

/// <summary>An app and its drivers put together on hardware: each module's world is recognised from
/// wit/devices.wit, the app's <c>sensor</c> and <c>display</c> imports are linked to the drivers
/// exporting them, every guest gets the bus interfaces from the <see cref="HardwareHost"/> (checked
/// against the policy under its guest name), and each driver is attached to its I2C device. A driver
/// can be swapped while the app lives. Every failure is a <see cref="DeploymentException"/>; a
/// trapping guest never takes the host down. Not thread-safe, like the <see cref="ComponentHost"/>
/// underneath.</summary>
/// <example><code>
/// var deployment = DeviceDeployment.Start(engine, hardwareHost, appModule,
///     [new DriverModule("sensor", hts221), new DriverModule("display", lcd, new I2cAttachment("sim-i2c-1", 0x27))]);
/// Console.WriteLine(deployment.Tick());                 // "21.5 C 45 %"
/// deployment.SwapDriver("display", tm1650, new I2cAttachment("sim-i2c-1", 0x24));
/// Console.WriteLine(deployment.Tick());                 // "21.5"
/// </code></example>
public sealed class DeviceDeployment
{
    private readonly ComponentHost _host;
    private readonly DeploymentOptions _options;
    private readonly Dictionary<string, string> _guests = new(StringComparer.Ordinal);   // component -> guest
    private readonly List<DeployedDriver> _drivers = new();
    private GuestFunction? _appExport;

    private DeviceDeployment(Engine engine, HardwareHost hardware, DeviceWorld appWorld, DeploymentOptions options)
    {
        Hardware = hardware;
        AppWorld = appWorld;
        _options = options;
        _host = new ComponentHost(engine)
        {
            DefineHostImports = (component, linker, canonical) => hardware.DefineImports(linker, canonical, _guests[component]),
        };
    }

    public HardwareHost Hardware { get; }

    /// <summary>The components and links underneath (for tools and tests).</summary>
    public ComponentHost Components => _host;

    public DeviceWorld AppWorld { get; }

    public string AppName => _options.AppName;

    /// <summary>The drivers as they run now, in the order given.</summary>
    public IReadOnlyList<DeployedDriver> Drivers => _drivers;

    /// <summary>The driver exporting <c>sensor</c> or <c>display</c>, or null.</summary>
    public DeployedDriver? DriverFor(DeviceWorld world) => _drivers.Find(d => d.World == world);

    /// <summary>Recognises, links, instantiates and attaches: after this the app is ready to run.</summary>
    /// <exception cref="DeploymentException">Anything that stops the deployment, with the guest and the reason.</exception>
    public static DeviceDeployment Start(Engine engine, HardwareHost hardware, Module app, IReadOnlyList<DriverModule> drivers, DeploymentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(drivers);
        options ??= new DeploymentOptions();
        CheckOptions(engine, options);

        var appWorld = DeviceWit.Recognize(app, $"the app `{options.AppName}`");
        if (DeviceWit.IsDriver(appWorld))
            throw new DeploymentException($"the app (module `{app.Name}`) is a driver ({DeviceWit.WitName(appWorld)}), not an app: give drivers as --driver NAME=FILE", options.AppName);
        var driverWorlds = new List<DeviceWorld>();
        foreach (var driver in drivers)
        {
            if (!DriverArgument.IsGuestName(driver.Name))
                throw new DeploymentException($"bad driver name `{driver.Name}`: use letters, digits, '-', '_' and '.'", driver.Name);
            if (driver.Name == options.AppName || drivers.Count(d => d.Name == driver.Name) > 1)
                throw new DeploymentException($"two guests are named `{driver.Name}`: every driver needs a name of its own, other than the app's (`{options.AppName}`)", driver.Name);
            var world = DeviceWit.Recognize(driver.Module, $"driver `{driver.Name}`");
            if (!DeviceWit.IsDriver(world))
                throw new DeploymentException($"driver `{driver.Name}` (module `{driver.Module.Name}`) is an app ({DeviceWit.WitName(world)}), not a driver", driver.Name);
            driverWorlds.Add(world);
        }

        var deployment = new DeviceDeployment(engine, hardware, appWorld, options);
        deployment.Assemble(app, drivers, driverWorlds);
        return deployment;
    }

    private void Assemble(Module app, IReadOnlyList<DriverModule> drivers, List<DeviceWorld> driverWorlds)
    {
        for (int i = 0; i < drivers.Count; i++)
        {
            _guests[drivers[i].Name] = drivers[i].Name;
            _host.AddComponent(drivers[i].Name, drivers[i].Module, DeviceWit.World(driverWorlds[i]));
        }
        _guests[AppName] = AppName;
        var appWit = DeviceWit.World(AppWorld);
        _host.AddComponent(AppName, app, appWit);

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var import in appWit.Imports)
        {
            if (import.Interface?.QualifiedName is not { } name || !name.StartsWith("ironwasm:devices/", StringComparison.Ordinal)) continue;
            var exporters = Enumerable.Range(0, drivers.Count)
                .Where(i => DeviceWit.World(driverWorlds[i]).Exports.Any(e => e.Interface?.QualifiedName == name))
                .Select(i => drivers[i].Name).ToList();
            if (exporters.Count == 0)
                throw new DeploymentException(
                    $"the app ({DeviceWit.WitName(AppWorld)}) imports {name}, but no driver exports it " +
                    $"({DescribeDrivers(drivers, driverWorlds)}); add one: --driver NAME=FILE", AppName);
            if (exporters.Count > 1)
                throw new DeploymentException($"the app imports {name} once, but drivers `{string.Join("` and `", exporters)}` both export it: give only one", AppName);
            Guard(() => _host.Link(AppName, name, exporters[0]));
            used.Add(exporters[0]);
        }
        for (int i = 0; i < drivers.Count; i++)
        {
            if (!used.Contains(drivers[i].Name))
                throw new DeploymentException(
                    $"driver `{drivers[i].Name}` ({DeviceWit.WitName(driverWorlds[i])}) exports nothing the app ({DeviceWit.WitName(AppWorld)}) imports", drivers[i].Name);
        }

        Guard(_host.Instantiate);
        for (int i = 0; i < drivers.Count; i++)
            _drivers.Add(Attach(drivers[i].Name, driverWorlds[i], drivers[i].Attachment));
    }

    private static string DescribeDrivers(IReadOnlyList<DriverModule> drivers, List<DeviceWorld> worlds) =>
        drivers.Count == 0 ? "no drivers were given"
            : "drivers: " + string.Join(", ", drivers.Select((d, i) => $"{d.Name} = module `{d.Module.Name}` ({DeviceWit.WitName(worlds[i])})"));

    /// <summary>One round of a sensor-display app: read, format, show; returns the lines shown (or
    /// what went wrong, as the app reports it).</summary>
    /// <exception cref="DeploymentException">A guest trapped.</exception>
    public string Tick()
    {
        var tick = AppExport(DeviceWorld.SensorDisplayApp, "tick");
        return Call(AppName, "tick()", () => tick.Invoke()!.Value.AsString());
    }

    /// <summary>A button-LED app: waits for <paramref name="presses"/> presses of the button,
    /// toggling the LED on each, and returns its log. Blocks until the presses have happened.</summary>
    public AppOutcome RunButtonLed(uint presses)
    {
        var run = AppExport(DeviceWorld.ButtonLedApp, "run");
        return Outcome(Call(AppName, $"run({presses})", () => run.Invoke(ComponentValue.U32(presses))!.Value));
    }

    /// <summary>An SPI flash app: writes <paramref name="text"/> at <paramref name="address"/> and reads it back.</summary>
    public AppOutcome RunSpiFlash(uint address, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var run = AppExport(DeviceWorld.SpiFlashApp, "run");
        return Outcome(Call(AppName, $"run(0x{address:x6}, ...)", () => run.Invoke(ComponentValue.U32(address), ComponentValue.String(text))!.Value));
    }

    /// <summary>Replaces driver <paramref name="name"/> by a new instance of <paramref name="module"/>
    /// (which must play the same world) while the app lives, and attaches it at
    /// <paramref name="attachment"/> (default: the first address the policy grants its guest). The
    /// new driver may run as another guest (<paramref name="guest"/>), with that guest's grants. If
    /// the new driver cannot be linked or attached, the previous one is put back.</summary>
    /// <exception cref="DeploymentException">The swap failed; the message says whether the old driver is back.</exception>
    public DeployedDriver SwapDriver(string name, Module module, I2cAttachment? attachment = null, string? guest = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        int index = _drivers.FindIndex(d => d.Name == name);
        if (index < 0)
            throw new DeploymentException($"there is no driver named `{name}` to swap (drivers: {string.Join(", ", _drivers.Select(d => d.Name))})", name);
        var old = _drivers[index];
        guest ??= old.Guest;
        if (!DriverArgument.IsGuestName(guest) || guest == AppName)
            throw new DeploymentException($"bad guest name `{guest}` for driver `{name}`", guest);
        var world = DeviceWit.Recognize(module, $"the new driver for `{name}`");
        if (world != old.World)
            throw new DeploymentException($"cannot swap driver `{name}` ({DeviceWit.WitName(old.World)}) for module `{module.Name}`: it is a {DeviceWit.WitName(world)}", name);

        var oldModule = _host[name].Module;
        var oldInstance = _host[name].Canonical!;
        _guests[name] = guest;
        try
        {
            Guard(() => _host.Swap(name, module), guest);
        }
        catch (DeploymentException)
        {
            _guests[name] = old.Guest;   // the old instance is still in place
            throw;
        }
        try
        {
            _drivers[index] = Attach(name, world, attachment);
            // The old instance is never called again: its bus handles (and leases) go now.
            Hardware.Release(oldInstance);
            return _drivers[index];
        }
        catch (DeploymentException failure)
        {
            string restored;
            try
            {
                var failedInstance = _host[name].Canonical!;
                _guests[name] = old.Guest;
                Guard(() => _host.Swap(name, oldModule), old.Guest);
                Hardware.Release(failedInstance);
                Hardware.Release(oldInstance);
                _drivers[index] = Attach(name, old.World, old.Attachment);
                restored = $"driver `{name}` is back to module `{old.ModuleName}`";
            }
            catch (DeploymentException again)
            {
                restored = $"putting module `{old.ModuleName}` back failed too: {again.Message}";
            }
            throw new DeploymentException($"{failure.Message}; {restored}", failure.Guest, failure.InnerException);
        }
    }

    /// <summary>The simulated device driver <paramref name="name"/> is attached to, or null when it
    /// runs on real hardware (or nothing simulated is at its address).</summary>
    public SimulatedI2cDevice? SimulatedDeviceOf(string name)
    {
        var driver = _drivers.Find(d => d.Name == name);
        if (driver is null || Hardware.Inventory.Simulation is not { } simulation) return null;
        return simulation.TryGetI2cBus(driver.Attachment.Bus, out var bus) ? bus.DeviceAt(driver.Attachment.Address) : null;
    }

    private List<ushort> GrantedAddresses(string guest, string bus) =>
        Hardware.Policy.Policy.Find(guest) is { } grants && grants.I2c.TryGetValue(bus, out var grant)
            ? grant.GrantedAddresses().ToList()
            : [];

    private DeployedDriver Attach(string name, DeviceWorld world, I2cAttachment? requested)
    {
        string guest = _guests[name];
        var component = _host[name];
        I2cAttachment attachment;
        if (requested is { } explicitAttachment)
            attachment = explicitAttachment;
        else if (Hardware.DefaultI2cGrant(guest) is { } grant)
        {
            // A guest granted several addresses may be granted several chips (or one chip at
            // several addresses): guessing would attach a driver to the wrong device.
            var granted = GrantedAddresses(guest, grant.Bus);
            if (granted.Count > 1)
                throw new DeploymentException(
                    $"driver `{name}` (module `{component.Module.Name}`): guest `{guest}` is granted several addresses on {grant.Bus} " +
                    $"({string.Join(", ", granted.Select(a => $"0x{a:x2}"))}); say which one the device answers at: {name}=FILE@{grant.Bus}:0xNN", guest);
            attachment = new I2cAttachment(grant.Bus, grant.Address);
        }
        else
            throw new DeploymentException(
                $"driver `{name}` (module `{component.Module.Name}`) is granted no I2C bus: the policy ({Hardware.Policy.Policy.Source}) " +
                $"must grant guest `{guest}` a bus and address (or the driver be given one as {name}=FILE@BUS:ADDRESS)", guest);

        (ComponentValue Bus, ComponentValue Delay) handles;
        try
        {
            handles = Hardware.OpenI2cForAttach(component.Canonical!, guest, attachment.Bus);
        }
        catch (Exception e) when (e is HardwareAccessException or KeyNotFoundException or ArgumentException or InvalidOperationException)
        {
            throw new DeploymentException($"driver `{name}` cannot attach at {attachment}: {e.Message}", guest, e);
        }
        var attach = _host.GetFunction(name, DeviceWit.I2cAttach + "#attach");
        var result = Call(guest, "attach", () => attach.Invoke(handles.Bus, handles.Delay, ComponentValue.U16(attachment.Address))!.Value);
        if (result.CaseIndex != 0)
            throw new DeploymentException(
                $"driver `{name}` (module `{component.Module.Name}`) failed to attach at {attachment}: {result.Payload?.AsString() ?? "it gave no reason"}", guest);
        string device = world == DeviceWorld.SensorDriver ? DeviceWit.Sensor : DeviceWit.Display;
        var driverName = _host.GetFunction(name, device + "#driver-name");
        string named = Call(guest, "driver-name", () => driverName.Invoke()!.Value.AsString());
        return new DeployedDriver(name, guest, component.Module.Name, world, attachment, named, component.Generation);
    }

    /// <summary>The current driver-name of driver <paramref name="name"/> (drivers may report state
    /// in it, as the rogue display does).</summary>
    public string QueryDriverName(string name)
    {
        var driver = _drivers.Find(d => d.Name == name) ?? throw new DeploymentException($"there is no driver named `{name}`", name);
        string device = driver.World == DeviceWorld.SensorDriver ? DeviceWit.Sensor : DeviceWit.Display;
        var function = _host.GetFunction(name, device + "#driver-name");
        return Call(driver.Guest, "driver-name", () => function.Invoke()!.Value.AsString());
    }

    private GuestFunction AppExport(DeviceWorld world, string export)
    {
        if (AppWorld != world)
            throw new InvalidOperationException($"the app is a {DeviceWit.WitName(AppWorld)}; `{export}` is for a {DeviceWit.WitName(world)}");
        return _appExport ??= _host.GetFunction(AppName, export);
    }

    private static AppOutcome Outcome(ComponentValue result) =>
        new(result.CaseIndex == 0, result.Payload?.AsString() ?? "");

    /// <summary>Runs one call into the guests under the per-call limits; a trap becomes a
    /// <see cref="DeploymentException"/> naming the guest that was called.</summary>
    private T Call<T>(string guest, string what, Func<T> call)
    {
        ApplyLimits();
        try
        {
            return call();
        }
        catch (TrapException trap)
        {
            throw new DeploymentException($"guest `{guest}` trapped in {what}: {DescribeTrap(trap)}", guest, trap);
        }
        finally
        {
            ClearLimits();
        }
    }

    internal static string DescribeTrap(TrapException trap)
    {
        string message = trap.Code == TrapCode.HostError && trap.InnerException is { } inner
            ? $"a host function failed: {inner.Message}"
            : trap.Message;
        return $"{message} [{trap.Code}]";
    }

    /// <summary>Link and instantiation errors as deployment errors; guests' `_initialize` runs under the per-call limits.</summary>
    private void Guard(Action action, string? guest = null)
    {
        ApplyLimits();
        try
        {
            action();
        }
        catch (ComponentLinkException e)
        {
            throw new DeploymentException($"cannot link: {e.Message}", guest ?? e.Exporter ?? e.Importer, e);
        }
        catch (WasmLinkException e)
        {
            throw new DeploymentException($"cannot instantiate{(guest is null ? "" : $" `{guest}`")}: {e.Message}", guest, e);
        }
        catch (TrapException trap)
        {
            throw new DeploymentException($"{(guest is null ? "a guest" : $"guest `{guest}`")} trapped while starting: {DescribeTrap(trap)}", guest, trap);
        }
        finally
        {
            ClearLimits();
        }
    }

    private void ApplyLimits()
    {
        if (_options.FuelPerCall is { } fuel) _host.Store.Fuel = fuel;
        if (_options.CallTimeout is { } timeout) _host.Store.SetDeadline(timeout);
    }

    private void ClearLimits()
    {
        if (_options.CallTimeout is not null) _host.Store.SetDeadline(Timeout.InfiniteTimeSpan);
    }

    private static void CheckOptions(Engine engine, DeploymentOptions options)
    {
        if (!DriverArgument.IsGuestName(options.AppName)) throw new ArgumentException($"bad app name `{options.AppName}`", nameof(options));
        if (options.FuelPerCall is not null && !engine.Config.ConsumeFuel)
            throw new ArgumentException("FuelPerCall needs an engine made with Config.WithFuelConsumption(true)", nameof(options));
        if (options.CallTimeout is not null && !engine.Config.EpochInterruption)
            throw new ArgumentException("CallTimeout needs an engine made with Config.WithEpochInterruption(true)", nameof(options));
    }
}
