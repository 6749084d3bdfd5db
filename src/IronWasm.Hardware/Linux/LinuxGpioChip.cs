using System.Globalization;
using IronWasm.Hardware.Buses;
using static IronWasm.Hardware.Linux.GpioAbi;

namespace IronWasm.Hardware.Linux;

/// <summary>
/// A GPIO chip through the Linux GPIO character device (/dev/gpiochipN), uAPI v2. A line is
/// found by its label: an alias given to the constructor, else the line's name as the kernel
/// reports it, else "lineN" or "N" for offset N. Thread-safe.
/// </summary>
public sealed class LinuxGpioChip : IGpioController
{
    private const string Consumer = "ironwasm";

    private readonly FileDescriptor _fd;
    private readonly Dictionary<string, string> _aliases;
    private readonly HashSet<uint> _openOffsets = [];
    private readonly object _gate = new();

    /// <summary>Opens /dev/gpiochip<paramref name="chipNumber"/>.</summary>
    public LinuxGpioChip(int chipNumber, IReadOnlyDictionary<string, string>? aliases = null)
        : this($"/dev/gpiochip{chipNumber}", aliases)
    {
    }

    /// <summary>Opens the GPIO chip at <paramref name="devicePath"/>. <paramref name="aliases"/> maps
    /// labels of our own (what policies and guests use, e.g. "led") to a line name or offset on the chip.</summary>
    /// <exception cref="LinuxDeviceException">The device cannot be opened or is not a GPIO chip.</exception>
    public unsafe LinuxGpioChip(string devicePath, IReadOnlyDictionary<string, string>? aliases = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(devicePath);
        DevicePath = devicePath;
        _aliases = aliases is null ? new(StringComparer.Ordinal) : new(aliases, StringComparer.Ordinal);
        _fd = Libc.OpenDevice(devicePath, Libc.O_RDWR, LinuxNames.GpioChip);
        try
        {
            GpioChipInfo info = default;
            int result = Libc.IoctlRetrying(_fd, Ioctl.GPIO_GET_CHIPINFO_IOCTL, &info);
            if (result < 0)
                throw new LinuxDeviceException(devicePath, -result, $"{devicePath} is not a GPIO character device: GPIO_GET_CHIPINFO_IOCTL failed: {Errno.Describe(-result)}");
            Name = ReadName(info.Name);
            ChipLabel = ReadName(info.Label);
            LineCount = info.Lines;
        }
        catch
        {
            _fd.Dispose();
            throw;
        }
        Description = $"Linux GPIO chip {devicePath} ({(ChipLabel.Length > 0 ? ChipLabel + ", " : "")}{LineCount} lines)";
    }

    /// <summary>The kernel's name of the chip, e.g. "gpiochip0".</summary>
    public string Name { get; }

    /// <summary>The chip's functional label, e.g. "pinctrl-bcm2711" or "gpio-mockup-A"; may be empty.</summary>
    public string ChipLabel { get; }

    public uint LineCount { get; }
    public string DevicePath { get; }
    public string Description { get; }

    /// <summary>The lines as the kernel reports them now (in use or not), each under its label.</summary>
    public IReadOnlyList<GpioLineInfo> Lines
    {
        get
        {
            var byOffset = new Dictionary<uint, string>();
            foreach (var (alias, target) in _aliases)
                if (TryResolveOnChip(target, out uint offset)) byOffset.TryAdd(offset, alias);
            var lines = new List<GpioLineInfo>((int)LineCount);
            for (uint offset = 0; offset < LineCount; offset++)
            {
                var info = QueryLine(offset);
                string name = ReadLineName(info);
                string label = byOffset.TryGetValue(offset, out var alias) ? alias : name.Length > 0 ? name : $"line{offset}";
                lines.Add(new GpioLineInfo(label, offset, CanInput: true, CanOutput: true, IsAnalog: false,
                    InUse: (info.Flags & GPIO_V2_LINE_FLAG_USED) != 0));
            }
            return lines;
        }
    }

    /// <summary>Requests the line named <paramref name="label"/> in <paramref name="config"/>. Input lines
    /// watch both edges when the chip can interrupt on that line.</summary>
    /// <exception cref="KeyNotFoundException">No line has that label.</exception>
    /// <exception cref="InvalidOperationException">The line is in use, or cannot be configured so.</exception>
    public IGpioLine OpenDigital(string label, GpioLineConfig config)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (!TryResolve(label, out uint offset))
            throw new KeyNotFoundException($"{DevicePath} has no line labelled '{label}' (names: `ironwasm devices` lists them; offsets can be given as 'lineN')");
        lock (_gate)
        {
            if (_fd.IsClosed) throw new ObjectDisposedException(nameof(LinuxGpioChip));
            if (!_openOffsets.Add(offset))
                throw new InvalidOperationException($"line '{label}' (offset {offset}) of {DevicePath} is already open");
        }
        try
        {
            var lineFd = RequestLine(offset, label, config, out bool watchesEdges);
            return new LinuxGpioLine(this, lineFd, label, offset, config, watchesEdges);
        }
        catch
        {
            lock (_gate) _openOffsets.Remove(offset);
            throw;
        }
    }

    /// <summary>The GPIO character device has no analog lines.</summary>
    /// <exception cref="KeyNotFoundException">Always.</exception>
    public IAnalogLine OpenAnalog(string label) =>
        throw new KeyNotFoundException($"{DevicePath} has no analog line '{label}': the Linux GPIO character device has digital lines only");

    public void Dispose() => _fd.Dispose();

    internal void Released(uint offset)
    {
        lock (_gate) _openOffsets.Remove(offset);
    }

    internal static ulong FlagsFor(GpioLineConfig config, bool watchEdges)
    {
        if (config.Direction == GpioDirection.Output) return GPIO_V2_LINE_FLAG_OUTPUT;
        ulong flags = GPIO_V2_LINE_FLAG_INPUT | config.Pull switch
        {
            GpioPull.PullUp => GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
            GpioPull.PullDown => GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN,
            _ => GPIO_V2_LINE_FLAG_BIAS_DISABLED,
        };
        if (watchEdges) flags |= GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING;
        return flags;
    }

    /// <summary>Fills a line config for <paramref name="config"/>; outputs get their initial level as an attribute.</summary>
    internal static void FillConfig(ref GpioV2LineConfig target, GpioLineConfig config, bool watchEdges)
    {
        target = default;
        target.Flags = FlagsFor(config, watchEdges);
        if (config.Direction == GpioDirection.Output)
        {
            target.NumAttrs = 1;
            target.Attrs[0].Attr.Id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
            target.Attrs[0].Attr.Value = config.InitialHigh ? 1UL : 0UL;
            target.Attrs[0].Mask = 1;
        }
    }

    private unsafe FileDescriptor RequestLine(uint offset, string label, GpioLineConfig config, out bool watchesEdges)
    {
        // Edge detection needs an interrupt for the line; not every chip has one for every line,
        // and then the request fails with ENXIO (or EINVAL). Such a line still works, without edges.
        watchesEdges = config.Direction == GpioDirection.Input;
        int result = TryRequest(offset, config, watchesEdges, out int lineFd);
        if (result < 0 && watchesEdges && -result is Errno.ENXIO or Errno.EINVAL or Errno.EOPNOTSUPP or Errno.ENOTSUPP)
        {
            watchesEdges = false;
            result = TryRequest(offset, config, watchesEdges: false, out lineFd);
        }
        if (result < 0)
        {
            int errno = -result;
            string why = errno == Errno.EBUSY
                ? $"it is in use{InUseBy(offset)}"
                : $"GPIO_V2_GET_LINE_IOCTL failed: {Errno.Describe(errno)}";
            throw new InvalidOperationException($"cannot request line '{label}' (offset {offset}) of {DevicePath} as {Describe(config)}: {why}");
        }
        return new FileDescriptor(lineFd);
    }

    private unsafe int TryRequest(uint offset, GpioLineConfig config, bool watchesEdges, out int lineFd)
    {
        GpioV2LineRequest request = default;
        request.Offsets[0] = offset;
        request.NumLines = 1;
        var consumer = System.Text.Encoding.ASCII.GetBytes(Consumer);
        for (int i = 0; i < consumer.Length; i++) request.Consumer[i] = consumer[i];
        FillConfig(ref request.Config, config, watchesEdges);
        int result = Libc.IoctlRetrying(_fd, Ioctl.GPIO_V2_GET_LINE_IOCTL, &request);
        lineFd = request.Fd;
        return result;
    }

    private string InUseBy(uint offset)
    {
        try
        {
            var info = QueryLine(offset);
            string consumer = ReadConsumer(info);
            return consumer.Length > 0 ? $" by '{consumer}'" : "";
        }
        catch (LinuxDeviceException)
        {
            return "";
        }
    }

    private bool TryResolve(string label, out uint offset) =>
        _aliases.TryGetValue(label, out var target) ? TryResolveOnChip(target, out offset) : TryResolveOnChip(label, out offset);

    private bool TryResolveOnChip(string nameOrOffset, out uint offset)
    {
        for (uint candidate = 0; candidate < LineCount; candidate++)
        {
            if (ReadLineName(QueryLine(candidate)) == nameOrOffset)
            {
                offset = candidate;
                return true;
            }
        }
        var digits = nameOrOffset.StartsWith("line", StringComparison.Ordinal) ? nameOrOffset[4..] : nameOrOffset;
        return uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out offset) && offset < LineCount;
    }

    private unsafe GpioV2LineInfo QueryLine(uint offset)
    {
        GpioV2LineInfo info = default;
        info.Offset = offset;
        int result = Libc.IoctlRetrying(_fd, Ioctl.GPIO_V2_GET_LINEINFO_IOCTL, &info);
        if (result < 0)
            throw new LinuxDeviceException(DevicePath, -result, $"GPIO_V2_GET_LINEINFO_IOCTL for line {offset} of {DevicePath} failed: {Errno.Describe(-result)}");
        return info;
    }

    private static unsafe string ReadLineName(GpioV2LineInfo info) => ReadName(info.Name);

    private static unsafe string ReadConsumer(GpioV2LineInfo info) => ReadName(info.Consumer);

    internal static string Describe(GpioLineConfig config) =>
        config.Direction == GpioDirection.Output
            ? $"output ({(config.InitialHigh ? "high" : "low")})"
            : "input" + config.Pull switch { GpioPull.PullUp => " with pull-up", GpioPull.PullDown => " with pull-down", _ => "" };
}

/// <summary>One requested line: reads and writes with the line-values ioctls, edges read as
/// gpio_v2_line_event records from the request's file descriptor.</summary>
internal sealed class LinuxGpioLine : IGpioLine
{
    private const int PollSliceMilliseconds = 100;

    private readonly LinuxGpioChip _chip;
    private readonly FileDescriptor _fd;
    private readonly uint _offset;
    private readonly object _gate = new();
    private readonly object _events = new();
    private GpioLineConfig _config;
    private bool _watchesEdges;
    private int _pendingRising;
    private int _pendingFalling;

    public LinuxGpioLine(LinuxGpioChip chip, FileDescriptor fd, string label, uint offset, GpioLineConfig config, bool watchesEdges)
    {
        _chip = chip;
        _fd = fd;
        Label = label;
        _offset = offset;
        _config = config;
        _watchesEdges = watchesEdges;
    }

    public string Label { get; }

    public GpioLineConfig Config
    {
        get
        {
            lock (_gate) return _config;
        }
    }

    public unsafe bool Read()
    {
        var values = new GpioV2LineValues { Mask = 1 };
        int result = Libc.IoctlRetrying(Open(), Ioctl.GPIO_V2_LINE_GET_VALUES_IOCTL, &values);
        if (result < 0) throw Failure("read", -result);
        return (values.Bits & 1) != 0;
    }

    public unsafe void Write(bool high)
    {
        lock (_gate)
        {
            if (_config.Direction != GpioDirection.Output)
                throw new InvalidOperationException($"line '{Label}' is an input; reconfigure it as an output to drive it");
            var values = new GpioV2LineValues { Mask = 1, Bits = high ? 1UL : 0UL };
            int result = Libc.IoctlRetrying(Open(), Ioctl.GPIO_V2_LINE_SET_VALUES_IOCTL, &values);
            if (result < 0) throw Failure("write", -result);
        }
    }

    public unsafe void Reconfigure(GpioLineConfig config)
    {
        lock (_gate)
        {
            bool watchEdges = config.Direction == GpioDirection.Input;
            GpioV2LineConfig lineConfig = default;
            LinuxGpioChip.FillConfig(ref lineConfig, config, watchEdges);
            int result = Libc.IoctlRetrying(Open(), Ioctl.GPIO_V2_LINE_SET_CONFIG_IOCTL, &lineConfig);
            if (result < 0 && watchEdges)
            {
                watchEdges = false;
                LinuxGpioChip.FillConfig(ref lineConfig, config, watchEdges);
                result = Libc.IoctlRetrying(Open(), Ioctl.GPIO_V2_LINE_SET_CONFIG_IOCTL, &lineConfig);
            }
            if (result < 0)
                throw new InvalidOperationException($"cannot reconfigure line '{Label}' as {LinuxGpioChip.Describe(config)}: {Errno.Describe(-result)}");
            _config = config;
            _watchesEdges = watchEdges;
            lock (_events)
            {
                _pendingRising = 0;
                _pendingFalling = 0;
            }
        }
    }

    public bool WaitForEdge(GpioEdge edge, TimeSpan timeout, CancellationToken cancellation = default)
    {
        EnsureWatchesEdges();
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (TryTakeEdge(edge)) return true;
            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0) return false;
            // Poll in slices so that cancellation is noticed.
            int slice = (int)Math.Min(remaining, PollSliceMilliseconds);
            int events = Libc.PollReadable(Open(), slice);
            if (events < 0) throw Failure("wait for an edge on", -events);
            if ((events & (Libc.POLLERR | Libc.POLLNVAL)) != 0)
                throw new InvalidOperationException($"line '{Label}' of {_chip.DevicePath} reports an error while waiting for edges");
        }
    }

    public bool TryTakeEdge(GpioEdge edge)
    {
        EnsureWatchesEdges();
        lock (_events)
        {
            DrainEvents();
            if (edge == GpioEdge.Rising && _pendingRising > 0)
            {
                _pendingRising--;
                return true;
            }
            if (edge == GpioEdge.Falling && _pendingFalling > 0)
            {
                _pendingFalling--;
                return true;
            }
            return false;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_fd.IsClosed) return;
            _fd.Dispose();
        }
        _chip.Released(_offset);
    }

    /// <summary>Reads every event the kernel has queued, without blocking.</summary>
    private unsafe void DrainEvents()
    {
        const int Batch = 16;
        var buffer = stackalloc GpioV2LineEvent[Batch];
        while (true)
        {
            int ready = Libc.PollReadable(Open(), 0);
            if (ready < 0) throw Failure("read edges of", -ready);
            if ((ready & Libc.POLLIN) == 0) return;
            nint read = Libc.Read(_fd, buffer, (nuint)(Batch * sizeof(GpioV2LineEvent)));
            if (read < 0)
            {
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR) continue;
                throw Failure("read edges of", errno);
            }
            int count = (int)(read / sizeof(GpioV2LineEvent));
            for (int i = 0; i < count; i++)
            {
                if (buffer[i].Id == GPIO_V2_LINE_EVENT_RISING_EDGE) _pendingRising++;
                else if (buffer[i].Id == GPIO_V2_LINE_EVENT_FALLING_EDGE) _pendingFalling++;
            }
            if (count < Batch) return;
        }
    }

    private void EnsureWatchesEdges()
    {
        lock (_gate)
        {
            if (_config.Direction != GpioDirection.Input)
                throw new InvalidOperationException($"line '{Label}' is an output; edges are watched on inputs");
            if (!_watchesEdges)
                throw new InvalidOperationException($"line '{Label}' of {_chip.DevicePath} cannot detect edges: the chip has no interrupt for it");
        }
    }

    private FileDescriptor Open() => _fd.IsClosed ? throw new ObjectDisposedException($"GPIO line '{Label}'") : _fd;

    private InvalidOperationException Failure(string what, int errno) =>
        new($"cannot {what} line '{Label}' of {_chip.DevicePath}: {Errno.Describe(errno)}");
}
