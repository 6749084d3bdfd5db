namespace IronWasm.Hardware.Usb.Simulation;

// Serving the head transfer of an endpoint: packets between its buffer and the device model,
// and the bus time that takes.
internal sealed partial class SimulatedUsbBus
{
    private enum Outcome : byte { More, Nak, Completed, Stall, Overflow, Disconnect }

    private void Service(SimulatedEndpoint ep)
    {
        if (ep.Head is not { } t || t.Ignored) return;
        long now = _logicalNow;
        switch (ep.Type)
        {
            case UsbTransferType.Control:
            case UsbTransferType.Bulk:
                ServiceAsynchronous(ep, t, now);
                break;
            case UsbTransferType.Interrupt:
                ServiceInterrupt(ep, t, now);
                break;
            default:
                ServiceIsochronous(ep, t, now);
                break;
        }
    }

    // Control and bulk share the asynchronous schedule: one transfer's data after another's.
    private void ServiceAsynchronous(SimulatedEndpoint ep, SimulatedUsbTransfer t, long now)
    {
        long start = Math.Max(now, _asyncFreeAt);
        if (start > now)
        {
            ScheduleService(ep, start);
            return;
        }
        if (ep.Halted)
        {
            Finish(ep, t, UsbTransferStatus.Stall, now);
            return;
        }
        if (!t.Serviced && ApplyFault(ep, t, now)) return;
        int before = t.Progress;
        bool control = ep.Type == UsbTransferType.Control;
        var outcome = control ? RunControl(ep, t) : MovePackets(ep, t, int.MaxValue);
        int bytes = t.Progress - before + (control ? UsbSetupPacket.Size : 0);
        long wireEnd = now + Timing.BulkWireNs(bytes);
        _asyncFreeAt = wireEnd;
        Conclude(ep, t, outcome, wireEnd);
    }

    // An interrupt endpoint moves up to its transactions per interval at each poll.
    private void ServiceInterrupt(SimulatedEndpoint ep, SimulatedUsbTransfer t, long now)
    {
        ep.LastPollAt = now;
        if (ep.Halted)
        {
            Finish(ep, t, UsbTransferStatus.Stall, now);
            return;
        }
        if (!t.Serviced && ApplyFault(ep, t, now)) return;
        int before = t.Progress;
        var outcome = MovePackets(ep, t, ep.PeriodNs == 0 ? int.MaxValue : ep.Transactions);
        Conclude(ep, t, outcome, now + Timing.PeriodicWireNs(t.Progress - before));
    }

    // An isochronous endpoint moves one packet of the transfer per interval, whatever happens:
    // no handshake, no retry, a status per packet.
    private void ServiceIsochronous(SimulatedEndpoint ep, SimulatedUsbTransfer t, long now)
    {
        ep.LastPollAt = now;
        var packets = t.IsoResults;
        if (!t.Serviced)
        {
            t.Serviced = true;
            switch (ep.Device.Model.NextFault(ep.Address))
            {
                case UsbFaultKind.Stall:
                    foreach (ref var p in packets) p.Status = UsbTransferStatus.Stall;
                    Finish(ep, t, UsbTransferStatus.Completed, now);
                    return;
                case UsbFaultKind.Timeout:
                    t.Ignored = true;
                    return;
                case UsbFaultKind.Disconnect:
                    t.PacketsBeforeDisconnect = packets.Length / 2;
                    break;
            }
        }
        var model = ep.Device.Model;
        var buffer = t.Buffer;
        long wire = 0;
        do
        {
            if (t.PacketsBeforeDisconnect == 0)
            {
                Disconnect(ep.Device);
                return;
            }
            if (t.PacketsBeforeDisconnect > 0) t.PacketsBeforeDisconnect--;
            ref var p = ref packets[t.IsoIndex];
            var data = buffer.Slice(t.IsoOffset, p.Length);
            if (ep.IsIn)
            {
                var packet = _scratch.AsSpan(0, ep.PacketSize * ep.Transactions);
                var r = model.OnInPacket(ep.Address, packet, out int length);
                length = r == UsbPacketResult.Ack ? Math.Clamp(length, 0, packet.Length) : 0;
                int kept = Math.Min(length, data.Length);
                packet[..kept].CopyTo(data);
                p.ActualLength = kept;
                p.Status = r == UsbPacketResult.Stall ? UsbTransferStatus.Stall
                    : length > data.Length ? UsbTransferStatus.Overflow : UsbTransferStatus.Completed;
                wire += Timing.PeriodicWireNs(length);
            }
            else
            {
                var r = model.OnOutPacket(ep.Address, data);
                p.ActualLength = data.Length;
                p.Status = r == UsbPacketResult.Stall ? UsbTransferStatus.Stall : UsbTransferStatus.Completed;
                wire += Timing.PeriodicWireNs(data.Length);
            }
            t.Progress += p.ActualLength;
            t.IsoOffset += p.Length;
            t.IsoIndex++;
            if (t.IsoIndex == packets.Length)
            {
                Finish(ep, t, UsbTransferStatus.Completed, now + wire);
                return;
            }
        }
        while (ep.PeriodNs == 0);
        ScheduleService(ep, NextPoll(ep, now));
    }

    /// <summary>Decides the injected faults for a transfer's first service; true when the fault
    /// has dealt with the transfer.</summary>
    private bool ApplyFault(SimulatedEndpoint ep, SimulatedUsbTransfer t, long now)
    {
        t.Serviced = true;
        switch (ep.Device.Model.NextFault(ep.Address))
        {
            case UsbFaultKind.Stall:
                if (ep.Type != UsbTransferType.Control) ep.Halted = true;
                Finish(ep, t, UsbTransferStatus.Stall, now);
                return true;
            case UsbFaultKind.Timeout:
                t.Ignored = true;
                return true;
            case UsbFaultKind.Disconnect:
                int packets = Math.Max(1, (t.Total + ep.PacketSize - 1) / ep.PacketSize);
                t.PacketsBeforeDisconnect = ep.Type == UsbTransferType.Control ? 0 : packets / 2;
                return false;
            default:
                return false;
        }
    }

    private Outcome RunControl(SimulatedEndpoint ep, SimulatedUsbTransfer t)
    {
        if (t.PacketsBeforeDisconnect == 0) return Outcome.Disconnect;
        var setup = t.Setup;
        var r = ep.Device.HandleControl(setup, t.Buffer[..setup.Length], out int length);
        if (r == UsbPacketResult.Nak) return Outcome.Nak;
        if (r == UsbPacketResult.Stall) return Outcome.Stall;
        t.Progress = setup.IsDeviceToHost ? Math.Clamp(length, 0, setup.Length) : setup.Length;
        return Outcome.Completed;
    }

    /// <summary>Moves up to <paramref name="maxPackets"/> packets of a bulk or interrupt transfer.
    /// An IN transfer ends with a short packet or a full buffer; a packet larger than the room
    /// left is an overflow (babble).</summary>
    private Outcome MovePackets(SimulatedEndpoint ep, SimulatedUsbTransfer t, int maxPackets)
    {
        var model = ep.Device.Model;
        var buffer = t.Buffer;
        int size = ep.PacketSize;
        for (int n = 0; n < maxPackets; n++)
        {
            if (t.PacketsBeforeDisconnect == 0) return Outcome.Disconnect;
            if (t.PacketsBeforeDisconnect > 0) t.PacketsBeforeDisconnect--;
            int remaining = t.Total - t.Progress;
            if (ep.IsIn)
            {
                var packet = _scratch.AsSpan(0, size);
                var r = model.OnInPacket(ep.Address, packet, out int length);
                if (r == UsbPacketResult.Nak) return Outcome.Nak;
                if (r == UsbPacketResult.Stall)
                {
                    ep.Halted = true;
                    return Outcome.Stall;
                }
                length = Math.Clamp(length, 0, size);
                if (length > remaining)
                {
                    packet[..remaining].CopyTo(buffer[t.Progress..]);
                    t.Progress += remaining;
                    return Outcome.Overflow;
                }
                packet[..length].CopyTo(buffer[t.Progress..]);
                t.Progress += length;
                if (length < size || t.Progress == t.Total) return Outcome.Completed;
            }
            else
            {
                int length = Math.Min(size, remaining);
                var r = model.OnOutPacket(ep.Address, buffer.Slice(t.Progress, length));
                if (r == UsbPacketResult.Nak) return Outcome.Nak;
                if (r == UsbPacketResult.Stall)
                {
                    ep.Halted = true;
                    return Outcome.Stall;
                }
                t.Progress += length;
                if (t.Progress == t.Total) return Outcome.Completed;
            }
        }
        return Outcome.More;
    }

    private void Conclude(SimulatedEndpoint ep, SimulatedUsbTransfer t, Outcome outcome, long wireEnd)
    {
        switch (outcome)
        {
            case Outcome.More:
                ScheduleService(ep, NextPoll(ep, ep.LastPollAt));
                break;
            case Outcome.Nak:
                ep.Parked = true;
                break;
            case Outcome.Disconnect:
                Disconnect(ep.Device);
                break;
            case Outcome.Completed:
                Finish(ep, t, UsbTransferStatus.Completed, wireEnd);
                break;
            case Outcome.Stall:
                Finish(ep, t, UsbTransferStatus.Stall, wireEnd);
                break;
            default:
                Finish(ep, t, UsbTransferStatus.Overflow, wireEnd);
                break;
        }
    }

    /// <summary>Takes the transfer off the wire at <paramref name="wireEnd"/>; it completes a
    /// completion latency later, and the next one on the endpoint may start at once.</summary>
    private void Finish(SimulatedEndpoint ep, SimulatedUsbTransfer t, UsbTransferStatus status, long wireEnd)
    {
        long done = wireEnd + Timing.CompletionLatencyNs;
        t.CompletedAt = done;
        Dequeue(ep, t, wireEnd);
        if (done <= _logicalNow)
        {
            t.Finish(status, Actual(t));
            return;
        }
        t.Finishing = true;
        t.FinishingStatus = status;
        At(done, BusEventKind.Complete, t, t.Generation);
    }
}
