using IronWasm.Components.Bindings;

// The WIT interfaces the hardware hosts implement. IronWasm.Components.Generator turns each into a
// static class in these namespaces: its types, an interface per resource (II2c, IDelay,
// ISpiDevice, IDigitalOutPin, ...), an IHost for functions and resource constructors/statics,
// and Define(linker, instance[, host]) that defines the guest's imports.

[assembly: WitHostBindings("wasi:i2c/i2c@0.2.0-draft", Namespace = "IronWasm.Hardware.Bindings.WasiI2c")]
[assembly: WitHostBindings("wasi:i2c/delay@0.2.0-draft", Namespace = "IronWasm.Hardware.Bindings.WasiI2c")]

[assembly: WitHostBindings("wasi:spi/spi", Namespace = "IronWasm.Hardware.Bindings.WasiSpi")]

[assembly: WitHostBindings("wasi:gpio/general@0.2.0", Namespace = "IronWasm.Hardware.Bindings.WasiGpio")]
[assembly: WitHostBindings("wasi:gpio/digital@0.2.0", Namespace = "IronWasm.Hardware.Bindings.WasiGpio")]
[assembly: WitHostBindings("wasi:gpio/analog@0.2.0", Namespace = "IronWasm.Hardware.Bindings.WasiGpio")]
[assembly: WitHostBindings("wasi:gpio/poll@0.2.0", Namespace = "IronWasm.Hardware.Bindings.WasiGpio")]
[assembly: WitHostBindings("wasi:gpio/delay@0.2.0", Namespace = "IronWasm.Hardware.Bindings.WasiGpio")]

[assembly: WitHostBindings("component:usb/device@0.2.1", Namespace = "IronWasm.Hardware.Bindings.WasiUsb")]
[assembly: WitHostBindings("component:usb/transfers@0.2.1", Namespace = "IronWasm.Hardware.Bindings.WasiUsb")]
[assembly: WitHostBindings("component:usb/usb-hotplug@0.2.1", Namespace = "IronWasm.Hardware.Bindings.WasiUsb")]
