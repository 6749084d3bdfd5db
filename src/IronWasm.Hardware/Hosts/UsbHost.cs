using IronWasm.Components.Bindings;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb;
using BackendDevice = IronWasm.Hardware.Usb.IUsbDevice;
using Descriptors = IronWasm.Hardware.Bindings.WasiUsb.Descriptors;
using Device = IronWasm.Hardware.Bindings.WasiUsb.Device;
using GuestDevice = IronWasm.Hardware.Bindings.WasiUsb.Device.IUsbDevice;
using LibusbError = IronWasm.Hardware.Bindings.WasiUsb.Errors.LibusbError;
using Transfers = IronWasm.Hardware.Bindings.WasiUsb.Transfers;
using UsbHotplug = IronWasm.Hardware.Bindings.WasiUsb.UsbHotplug;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// component:usb@0.2.1's free functions for one guest: <c>init</c>, <c>list-devices</c> and the
/// hotplug functions show only the devices the policy lets the guest see; <c>await-transfer</c>
/// waits for a transfer of one of its open devices. Without a USB backend in the inventory every
/// function answers <c>not-supported</c>.
/// </summary>
internal sealed class UsbHost(GuestScope scope) : Device.IHost, Transfers.IHost, UsbHotplug.IHost
{
    private readonly List<BackendDevice> _scratch = [];
    private UsbHotplugQueue? _hotplug;

    private IUsbBackend? Backend => scope.Host.Inventory.Usb;

    public Result<Unit, LibusbError> Init()
    {
        if (scope.Host.IsDisposed) return Result.Err(LibusbError.NoDevice);
        return Backend is null ? Result.Err(LibusbError.NotSupported) : Result.Ok();
    }

    public Result<(GuestDevice, Descriptors.DeviceDescriptor, Device.DeviceLocation)[], LibusbError> ListDevices()
    {
        if (scope.Host.IsDisposed) return Result.Err(LibusbError.NoDevice);
        if (Backend is not { } backend) return Result.Err(LibusbError.NotSupported);
        lock (_scratch)
        {
            _scratch.Clear();
            var error = backend.GetDevices(_scratch);
            if (error != UsbError.Success) return Result.Err(UsbWit.ToWit(error));
            var visible = new List<(GuestDevice, Descriptors.DeviceDescriptor, Device.DeviceLocation)>(_scratch.Count);
            foreach (var device in _scratch)
            {
                var identity = UsbDeviceIdentity.Of(device);
                if (!scope.Host.Policy.IsUsbDeviceVisible(scope.Guest, identity)) continue;
                visible.Add((new UsbDeviceEntry(scope, device, identity), UsbWit.ToWit(device.Descriptor), UsbWit.ToWit(device.Location)));
            }
            _scratch.Clear();
            return Result.Ok(visible.ToArray());
        }
    }

    public Result<byte[], LibusbError> AwaitTransfer(Transfers.ITransfer xfer) =>
        xfer is UsbTransferObject transfer ? transfer.Await() : Result.Err(LibusbError.InvalidParam);

    public Result<Unit, LibusbError> EnableHotplug()
    {
        if (scope.Host.IsDisposed) return Result.Err(LibusbError.NoDevice);
        if (Backend is not { SupportsHotplug: true } backend) return Result.Err(LibusbError.NotSupported);
        if (_hotplug is { IsClosed: false }) return Result.Ok();
        var queue = new UsbHotplugQueue(scope, backend);
        if (!scope.Host.Track(queue)) return Result.Err(LibusbError.NoDevice);
        _hotplug = queue;
        return Result.Ok();
    }

    public (UsbHotplug.Event, UsbHotplug.Info, GuestDevice)[] PollEvents() => _hotplug?.Drain() ?? [];
}

/// <summary>A device the guest was shown (by a listing or a hotplug event). Opening it asks the
/// policy again, since the policy may have changed since it was listed.</summary>
internal sealed class UsbDeviceEntry(GuestScope scope, BackendDevice device, UsbDeviceIdentity identity) : GuestDevice
{
    public BackendDevice Backend => device;

    public Result<Device.IDeviceHandle, LibusbError> Open()
    {
        var host = scope.Host;
        if (host.IsDisposed) return Result.Err(LibusbError.NoDevice);
        if (!device.IsConnected) return Result.Err(LibusbError.NoDevice);
        if (host.Policy.OpenUsbDevice(scope.Guest, identity, out UsbLease? lease) != PolicyVerdict.Granted)
            return Result.Err(LibusbError.Access);
        UsbError error;
        UsbDeviceHandle? handle;
        try
        {
            error = device.Open(out handle);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            (error, handle) = (UsbError.Io, null);
        }
        if (error != UsbError.Success)
        {
            lease!.Dispose();
            // The backend allows one open handle per device: this guest, or another, has it open.
            if (error == UsbError.Access) host.Policy.DenyUsb(scope.Guest, identity.Name, "open", PolicyVerdict.InUse);
            return Result.Err(UsbWit.ToWit(error));
        }
        var opened = new UsbDeviceHandleObject(scope, handle!, lease!);
        if (!host.Track(opened)) return Result.Err(LibusbError.NoDevice);
        return Result.Ok<Device.IDeviceHandle>(opened);
    }

    public Result<Descriptors.ConfigurationDescriptor, LibusbError> GetConfigurationDescriptor(byte configIndex)
    {
        if (!device.IsConnected) return Result.Err(LibusbError.NoDevice);
        var configurations = device.Configurations;
        return configIndex < configurations.Count ? Result.Ok(UsbWit.ToWit(configurations[configIndex])) : Result.Err(LibusbError.NotFound);
    }

    public Result<Descriptors.ConfigurationDescriptor, LibusbError> GetConfigurationDescriptorByValue(byte configValue)
    {
        if (!device.IsConnected) return Result.Err(LibusbError.NoDevice);
        foreach (var configuration in device.Configurations)
            if (configuration.ConfigurationValue == configValue) return Result.Ok(UsbWit.ToWit(configuration));
        return Result.Err(LibusbError.NotFound);
    }

    public Result<Descriptors.ConfigurationDescriptor, LibusbError> GetActiveConfigurationDescriptor()
    {
        var error = device.GetActiveConfiguration(out var configuration);
        return error == UsbError.Success ? Result.Ok(UsbWit.ToWit(configuration!)) : Result.Err(UsbWit.ToWit(error));
    }
}

/// <summary>The conversions between the backend's USB types and component:usb's.</summary>
internal static class UsbWit
{
    public static LibusbError ToWit(UsbError error) => (LibusbError)error.ToWitCase();

    public static LibusbError ToWit(UsbTransferStatus status) => ToWit(status.ToError());

    public static Descriptors.DeviceDescriptor ToWit(UsbDeviceDescriptor d) => new(
        UsbDeviceDescriptor.Length, UsbDeviceDescriptor.DescriptorType, d.UsbVersion, d.DeviceClass, d.DeviceSubclass, d.DeviceProtocol,
        d.MaxPacketSize0, d.VendorId, d.ProductId, d.DeviceVersion, d.ManufacturerIndex, d.ProductIndex, d.SerialNumberIndex, d.ConfigurationCount);

    public static Device.DeviceLocation ToWit(UsbDeviceLocation l) =>
        new(l.BusNumber, l.DeviceAddress, l.PortNumber, (Device.UsbSpeed)Math.Min((byte)l.Speed, (byte)Device.UsbSpeed.SuperPlusX2));

    public static Descriptors.ConfigurationDescriptor ToWit(UsbConfigurationDescriptor c)
    {
        var interfaces = new Descriptors.InterfaceDescriptor[c.Interfaces.Count];
        for (int i = 0; i < interfaces.Length; i++)
        {
            var d = c.Interfaces[i];
            var endpoints = new Descriptors.EndpointDescriptor[d.Endpoints.Count];
            for (int e = 0; e < endpoints.Length; e++)
            {
                var p = d.Endpoints[e];
                endpoints[e] = new(p.Length, UsbEndpointDescriptor.DescriptorType, p.Address, p.Attributes, p.MaxPacketSize, p.Interval, p.Refresh, p.SynchAddress);
            }
            interfaces[i] = new(UsbInterfaceDescriptor.Length, UsbInterfaceDescriptor.DescriptorType, d.InterfaceNumber, d.AlternateSetting, endpoints,
                d.InterfaceClass, d.InterfaceSubclass, d.InterfaceProtocol, d.InterfaceIndex);
        }
        return new(UsbConfigurationDescriptor.Length, UsbConfigurationDescriptor.DescriptorType, c.TotalLength, interfaces,
            c.ConfigurationValue, c.ConfigurationIndex, c.Attributes, c.MaxPower);
    }

    public static UsbTransferType ToBackend(Transfers.TransferType type) => type switch
    {
        Transfers.TransferType.Control => UsbTransferType.Control,
        Transfers.TransferType.Bulk => UsbTransferType.Bulk,
        Transfers.TransferType.Interrupt => UsbTransferType.Interrupt,
        _ => UsbTransferType.Isochronous,
    };
}
