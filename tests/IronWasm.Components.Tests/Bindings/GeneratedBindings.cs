using IronWasm.Components.Bindings;

// The test package's host bindings, generated at build time from bindings-test.wit. `shapes` is
// not named: `values` takes types from it, so its types are generated too.
[assembly: WitHostBindings("test:bindings/values@1.0.0", Namespace = "IronWasm.Components.Tests.Bindings.Generated")]
[assembly: WitHostBindings("test:bindings/res", Namespace = "IronWasm.Components.Tests.Bindings.Generated")]
