namespace IronWasm.Hardware.Usb.Simulation;

/// <summary>The transfer engine of a simulated bus: endpoint queues, the timing model, and the
/// packet-by-packet exchange with device models. Time is bus time in nanoseconds since the
/// backend was made; everything happens as events on it (SimulatedUsbBus.Clock.cs decides when
/// they run). All state is guarded by <see cref="Gate"/>.</summary>
internal sealed partial class SimulatedUsbBus
{
    private readonly SimulatedUsbBackend _backend;
    private readonly PriorityQueue<BusEvent, EventKey> _events = new();
    // One service opportunity of the largest endpoint: 3 transactions of 1024 bytes.
    private readonly byte[] _scratch = new byte[3 * 1024];
    private long _sequence;
    private long _asyncFreeAt;
    private bool _processing;
    private long _logicalNow;

    public SimulatedUsbBus(SimulatedUsbBackend backend, UsbBusTiming timing, TimeProvider time)
    {
        _backend = backend;
        Timing = timing;
        _time = time;
        _origin = time.GetTimestamp();
        _realTime = ReferenceEquals(time, TimeProvider.System);
    }

    /// <summary>The bus lock: guards the bus, every attached device's state, and the device models.</summary>
    public Lock Gate { get; } = new();

    public UsbBusTiming Timing { get; }

    /// <summary>While events run, the time of the event; otherwise the clock.</summary>
    public long CurrentTime => _processing ? _logicalNow : Now;

    public void RequireGate()
    {
        if (!Gate.IsHeldByCurrentThread)
            throw new InvalidOperationException("call this inside an On... method of the device or inside LockBus()");
    }

    /// <summary>Takes the lock for an operation; pair with <see cref="Leave"/>.</summary>
    public void Enter() => Gate.Enter();

    /// <summary>Runs what the operation made due (everything, at zero latency), re-arms the
    /// clock, releases the lock and delivers hotplug events it raised.</summary>
    public void Leave()
    {
        AfterExternalChange();
        Gate.Exit();
        AfterUnlock();
    }

    /// <summary>Under the lock, after a change from outside the event loop.</summary>
    public void AfterExternalChange()
    {
        if (_processing) return;
        ProcessDue(Now);
        Rearm();
    }

    /// <summary>After the lock is released: hotplug handlers run outside it (a nested release,
    /// from a device callback, leaves them to the outermost one).</summary>
    public void AfterUnlock()
    {
        if (!Gate.IsHeldByCurrentThread) _backend.DeliverHotplug();
    }

    // ---- submission and cancellation ----

    public UsbError Submit(SimulatedUsbTransfer t)
    {
        Enter();
        try
        {
            var device = t.Handle.Attached;
            if (t.Handle.IsClosed) return UsbError.InvalidParam;
            if (!device.IsConnected) return UsbError.NoDevice;
            if (t.StreamId != 0) return UsbError.NotSupported;
            var ep = device.FindEndpoint(t.Type == UsbTransferType.Control ? (byte)0 : t.Endpoint);
            if (ep is null || !t.Handle.HasClaimed(ep.InterfaceNumber)) return UsbError.NotFound;
            if (ep.Type != t.Type) return UsbError.InvalidParam;
            if (t.Type == UsbTransferType.Isochronous)
            {
                int limit = ep.PacketSize * ep.Transactions;
                foreach (var p in t.IsoPackets)
                    if (p.Length > limit) return UsbError.InvalidParam;
            }

            long now = Now;
            t.Generation++;
            t.Total = t.Length;
            t.Progress = 0;
            t.IsoIndex = 0;
            t.IsoOffset = 0;
            t.Serviced = false;
            t.Ignored = false;
            t.Finishing = false;
            t.PacketsBeforeDisconnect = -1;
            t.TimeoutDeadline = long.MaxValue;
            t.SubmittedAt = now;
            t.NotBefore = now + Timing.SubmitLatencyNs;
            t.CompletedAt = 0;
            ep.Enqueue(t);
            if (ep.Head == t) ScheduleHead(ep, now);
            ProcessDue(now);
            if (t.TimeoutMilliseconds != 0 && t.Queue is not null) ArmTimeout(t, now + t.TimeoutMilliseconds * 1_000_000L);
            return UsbError.Success;
        }
        finally { Leave(); }
    }

    public UsbError Cancel(SimulatedUsbTransfer t)
    {
        Enter();
        try
        {
            if (t.Queue is not { } ep) return UsbError.NotFound;
            Dequeue(ep, t);
            t.CompletedAt = CurrentTime;
            t.Finish(UsbTransferStatus.Cancelled, Actual(t));
            return UsbError.Success;
        }
        finally { Leave(); }
    }

    /// <summary>Ends every queued transfer on <paramref name="ep"/> (of <paramref name="owner"/>
    /// only, when given) with <paramref name="status"/>.</summary>
    public void CancelQueued(SimulatedEndpoint ep, UsbTransferStatus status, SimulatedUsbDeviceHandle? owner = null)
    {
        var t = ep.Head;
        while (t is not null)
        {
            var next = t.Next;
            if (owner is null || t.Handle == owner)
            {
                Dequeue(ep, t);
                t.CompletedAt = CurrentTime;
                t.Finish(status, Actual(t));
            }
            t = next;
        }
    }

    // ---- device-side notifications ----

    public void EndpointReady(AttachedUsbDevice device, byte address, long delayNs)
    {
        if (device.FindEndpoint(address) is not { } ep) return;
        if (delayNs > 0) At(CurrentTime + delayNs, BusEventKind.Ready, ep, 0);
        else MarkReady(ep, CurrentTime);
    }

    public void Halt(AttachedUsbDevice device, byte address)
    {
        if (address == 0 || device.FindEndpoint(address) is not { } ep) return;
        ep.Halted = true;
        // A transfer waiting on a NAK now stalls.
        MarkReady(ep, CurrentTime);
    }

    public void ClearHalt(SimulatedEndpoint ep)
    {
        ep.Halted = false;
        ep.Device.Model.OnHaltCleared(ep.Address);
        if (ep.Head is not null && !ep.ServiceScheduled && !ep.Parked) ScheduleHead(ep, CurrentTime);
    }

    public void ScheduleCallback(AttachedUsbDevice device, long delayNs, Action action) =>
        At(CurrentTime + delayNs, BusEventKind.Callback, new DeviceCallback(device, action), 0);

    /// <summary>The device leaves: its queued transfers end with NoDevice (ones already off the
    /// wire keep their outcome), and the backend forgets it and reports the departure.</summary>
    public void Disconnect(AttachedUsbDevice device)
    {
        if (!device.IsConnected) return;
        device.MarkDisconnected();
        foreach (var ep in device.Endpoints())
        {
            CancelQueued(ep, UsbTransferStatus.NoDevice);
            ep.Active = false;
        }
        _backend.OnDisconnected(device);
    }

    // ---- events ----

    private void At(long time, BusEventKind kind, object target, int version) =>
        _events.Enqueue(new BusEvent(kind, target, version), new EventKey(time, _sequence++));

    private void ProcessDue(long now)
    {
        _processing = true;
        try
        {
            while (_events.TryPeek(out var ev, out var key) && key.Time <= now)
            {
                _events.Dequeue();
                _logicalNow = key.Time;
                Dispatch(ev);
            }
        }
        finally { _processing = false; }
    }

    private void Dispatch(in BusEvent ev)
    {
        switch (ev.Kind)
        {
            case BusEventKind.Service:
                var ep = (SimulatedEndpoint)ev.Target;
                if (ep.ServiceVersion != ev.Version) return;
                ep.ServiceScheduled = false;
                if (!ep.Active || !ep.Device.IsConnected) return;
                try
                {
                    Service(ep);
                }
                catch (Exception ex)
                {
                    // A broken device model fails the transfer, not the bus (whose thread this may be).
                    System.Diagnostics.Trace.TraceError($"USB device model '{ep.Device.Model.Name}' threw on {ep}: {ex}");
                    if (ep.Head is { } failed)
                    {
                        Dequeue(ep, failed);
                        failed.CompletedAt = _logicalNow;
                        failed.Finish(UsbTransferStatus.Error, Actual(failed));
                    }
                }
                return;
            case BusEventKind.Complete:
                var done = (SimulatedUsbTransfer)ev.Target;
                if (done.Generation != ev.Version || !done.Finishing) return;
                done.Finishing = false;
                done.Finish(done.FinishingStatus, Actual(done));
                return;
            case BusEventKind.Timeout:
                var late = (SimulatedUsbTransfer)ev.Target;
                if (late.TimeoutEventAt == _logicalNow) late.TimeoutEventAt = long.MaxValue;
                if (late.Queue is not { } queue) return;
                if (late.TimeoutDeadline > _logicalNow)
                {
                    // The event of an earlier submission: this one's deadline is later.
                    ArmTimeout(late, late.TimeoutDeadline);
                    return;
                }
                Dequeue(queue, late);
                late.CompletedAt = _logicalNow;
                late.Finish(UsbTransferStatus.TimedOut, Actual(late));
                return;
            case BusEventKind.Ready:
                // A device that said when it will be ready is ready at that instant: a poll then sees it.
                var ready = (SimulatedEndpoint)ev.Target;
                if (!ready.Active || !ready.Parked) return;
                ready.Parked = false;
                ScheduleHead(ready, _logicalNow);
                return;
            case BusEventKind.Callback:
                var callback = (DeviceCallback)ev.Target;
                if (!callback.Device.IsConnected) return;
                try
                {
                    callback.Action();
                }
                catch (Exception ex)
                {
                    System.Diagnostics.Trace.TraceError($"a scheduled action of USB device model '{callback.Device.Model.Name}' threw: {ex}");
                }
                return;
        }
    }

    /// <summary>Keeps at most one timeout event per transfer in the queue (usually an earlier
    /// submission's, which re-arms itself when it finds a later deadline), so that a tight loop of
    /// transfers that complete in time does not grow the queue.</summary>
    private void ArmTimeout(SimulatedUsbTransfer t, long deadline)
    {
        t.TimeoutDeadline = deadline;
        if (t.TimeoutEventAt <= deadline) return;
        t.TimeoutEventAt = deadline;
        At(deadline, BusEventKind.Timeout, t, 0);
    }

    private void MarkReady(SimulatedEndpoint ep, long now)
    {
        if (!ep.Parked) return;
        ep.Parked = false;
        // Data that arrives at a poll's instant was not there when that poll asked: a periodic
        // endpoint is served at the next poll strictly after it.
        ScheduleHead(ep, ep.IsPeriodic && ep.PeriodNs > 0 ? now + 1 : now);
    }

    /// <summary>Schedules the service of the head transfer: at once for the asynchronous
    /// schedule (which queues behind other traffic when served), at the next polling opportunity
    /// for a periodic endpoint.</summary>
    private void ScheduleHead(SimulatedEndpoint ep, long from)
    {
        if (ep.Head is not { } t || ep.Parked || t.Ignored) return;
        long at = Math.Max(from, t.NotBefore);
        if (ep.IsPeriodic) at = NextPoll(ep, at);
        if (ep.ServiceScheduled && ep.ServiceAt <= at) return;
        ScheduleService(ep, at);
    }

    private void ScheduleService(SimulatedEndpoint ep, long at)
    {
        ep.ServiceVersion++;
        ep.ServiceScheduled = true;
        ep.ServiceAt = at;
        At(at, BusEventKind.Service, ep, ep.ServiceVersion);
    }

    /// <summary>The first service opportunity at or after <paramref name="t"/> not already used:
    /// periodic endpoints are polled at whole multiples of their interval.</summary>
    private static long NextPoll(SimulatedEndpoint ep, long t)
    {
        long period = ep.PeriodNs;
        if (period == 0) return t;
        long poll = (t + period - 1) / period * period;
        return poll <= ep.LastPollAt ? ep.LastPollAt + period : poll;
    }

    /// <summary>Takes <paramref name="t"/> off its endpoint; if it was the head, the next
    /// transfer is scheduled from <paramref name="nextFrom"/> (default: now).</summary>
    private void Dequeue(SimulatedEndpoint ep, SimulatedUsbTransfer t, long nextFrom = -1)
    {
        bool wasHead = ep.Head == t;
        ep.Remove(t);
        if (!wasHead) return;
        ep.ServiceVersion++;
        ep.ServiceScheduled = false;
        ScheduleHead(ep, nextFrom >= 0 ? nextFrom : CurrentTime);
    }

    private static int Actual(SimulatedUsbTransfer t) => t.Progress;

    private enum BusEventKind : byte { Service, Complete, Timeout, Ready, Callback }

    private readonly record struct BusEvent(BusEventKind Kind, object Target, int Version);

    private readonly record struct EventKey(long Time, long Sequence) : IComparable<EventKey>
    {
        public int CompareTo(EventKey other) => Time != other.Time ? Time.CompareTo(other.Time) : Sequence.CompareTo(other.Sequence);
    }

    private sealed record DeviceCallback(AttachedUsbDevice Device, Action Action);
}
