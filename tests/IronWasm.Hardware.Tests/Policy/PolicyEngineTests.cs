using System.Text.Json;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;

namespace IronWasm.Hardware.Tests.Policy;

public class PolicyEngineTests
{
    private const string Demo = """
        guests:
          sensor:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x5f, 0x76]
                access: read-write
          display:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x27]
                access: write
          app:
            gpio:
              - pin: led
                directions: [out]
              - pin: button
                directions: [in]
                pulls: [up, none]
              - pin: dial
                analog: [in]
            spi:
              - device: flash0
        """;

    private static PolicyEngine NewEngine(string yaml = Demo, PolicyEngineOptions? options = null) =>
        new(AccessPolicy.Parse(yaml, "demo.yaml"), options ?? new PolicyEngineOptions { TimeProvider = new ManualClock() });

    private static AccessPolicy Without(string yaml, string remove) => AccessPolicy.Parse(yaml.Replace(remove, ""), "changed.yaml");

    // ---- checks, counters, audit ----------------------------------------------------------------

    [Fact]
    public void Granted_checks_are_counted_and_not_audited()
    {
        var engine = NewEngine();
        Assert.Equal(PolicyVerdict.Granted, engine.CheckI2c("sensor", "sim-i2c-1", 0x5f, I2cAccess.ReadWrite));
        Assert.Equal(PolicyVerdict.Granted, engine.CheckSpi("app", "flash0"));
        Assert.Equal(PolicyVerdict.Granted, engine.CheckGpio("app", "led", GpioDirection.Output, GpioPull.None));
        Assert.Equal(PolicyVerdict.Granted, engine.CheckAnalog("app", "dial", GpioDirection.Input));

        Assert.Empty(engine.RecentAudit());
        Assert.Equal(
            [
                new PolicyCounter("app", PolicyInterface.Spi, 1, 0, 0, 0),
                new PolicyCounter("app", PolicyInterface.Gpio, 2, 0, 0, 0),
                new PolicyCounter("sensor", PolicyInterface.I2c, 1, 0, 0, 0),
            ],
            engine.Counters());
    }

    [Fact]
    public void A_denial_writes_an_audit_record_with_all_fields_and_counts_it()
    {
        var clock = new ManualClock();
        var engine = NewEngine(options: new PolicyEngineOptions { TimeProvider = clock });
        Assert.Equal(PolicyVerdict.AccessNotGranted, engine.CheckI2c("display", "sim-i2c-1", 0x27, I2cAccess.Read));

        var record = Assert.Single(engine.RecentAudit());
        Assert.Equal(new AuditRecord(clock.GetUtcNow(), AuditEvent.Denied, "display", PolicyInterface.I2c, "sim-i2c-1/0x27", "read", "access-not-granted", 1), record);
        Assert.Equal(new PolicyCounter("display", PolicyInterface.I2c, 0, 1, 0, 0), Assert.Single(engine.Counters()));
    }

    [Fact]
    public void Each_interface_denial_names_its_resource_and_operation()
    {
        var engine = NewEngine();
        engine.CheckSpi("app", "flash1");
        engine.CheckGpio("app", "button", GpioDirection.Input, GpioPull.PullDown);
        engine.CheckAnalog("app", "dial", GpioDirection.Output);
        engine.CheckI2c("stranger", "sim-i2c-1", 0x3c, I2cAccess.Write);

        Assert.Equal(
            [
                ("flash1", "transaction", "resource-not-granted"),
                ("button", "in/pull-down", "pull-not-granted"),
                ("dial", "analog-out", "direction-not-granted"),
                ("sim-i2c-1/0x3c", "write", "unknown-guest"),
            ],
            engine.RecentAudit().Select(r => (r.Resource, r.Operation, r.Reason)).ToArray());
    }

    [Fact]
    public void Audit_records_go_to_json_lines_sinks()
    {
        var engine = NewEngine();
        var text = new StringWriter();
        engine.AddAuditSink(new JsonLinesAuditSink(text));
        engine.CheckI2c("display", "sim-i2c-1", 0x3c, I2cAccess.Write);
        engine.CheckSpi("nobody", "flash0");

        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("2025-05-01T10:00:00.000Z", root.GetProperty("time").GetString());
        Assert.Equal("denied", root.GetProperty("event").GetString());
        Assert.Equal("display", root.GetProperty("guest").GetString());
        Assert.Equal("i2c", root.GetProperty("interface").GetString());
        Assert.Equal("sim-i2c-1/0x3c", root.GetProperty("resource").GetString());
        Assert.Equal("write", root.GetProperty("operation").GetString());
        Assert.Equal("address-not-granted", root.GetProperty("reason").GetString());
        Assert.Equal(1, root.GetProperty("generation").GetInt64());
        Assert.Contains("\"reason\":\"unknown-guest\"", lines[1]);
    }

    [Fact]
    public void The_file_sink_appends_lines_to_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path, "{\"earlier\":true}\n");
            var engine = NewEngine();
            using (var sink = JsonLinesAuditSink.AppendToFile(path))
            {
                engine.AddAuditSink(sink);
                engine.CheckSpi("app", "flash9");
            }
            var lines = File.ReadAllLines(path);
            Assert.Equal(2, lines.Length);
            Assert.Contains("\"resource\":\"flash9\"", lines[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_failing_sink_neither_fails_the_check_nor_stops_other_sinks()
    {
        var engine = NewEngine();
        var text = new StringWriter();
        engine.AddAuditSink(new ThrowingSink());
        engine.AddAuditSink(new JsonLinesAuditSink(text));
        Assert.Equal(PolicyVerdict.ResourceNotGranted, engine.CheckSpi("app", "flash9"));
        Assert.Equal(1, engine.AuditWriteFailures);
        Assert.Contains("flash9", text.ToString());
    }

    [Fact]
    public void The_recent_ring_keeps_the_latest_records_oldest_first()
    {
        var engine = NewEngine(options: new PolicyEngineOptions { RecentAuditCapacity = 3, TimeProvider = new ManualClock() });
        for (int i = 0; i < 5; i++) engine.CheckSpi("app", $"dev{i}");
        Assert.Equal(["dev2", "dev3", "dev4"], engine.RecentAudit().Select(r => r.Resource));
        Assert.Equal(["dev3", "dev4"], engine.RecentAudit(2).Select(r => r.Resource));
        Assert.Empty(engine.RecentAudit(0));
    }

    [Fact]
    public void Denial_records_are_rate_limited_per_guest_but_all_denials_are_counted()
    {
        var clock = new ManualClock();
        var engine = NewEngine(options: new PolicyEngineOptions { MaxAuditRecordsPerSecond = 3, TimeProvider = clock });
        for (int i = 0; i < 10; i++) engine.CheckI2c("display", "sim-i2c-1", 0x3c, I2cAccess.Write);
        engine.CheckSpi("app", "flash9"); // another guest has its own budget

        Assert.Equal(4, engine.RecentAudit().Count);
        var display = engine.Counters().Single(c => c.Guest == "display");
        Assert.Equal((10L, 7L), (display.Denied, display.AuditSuppressed));

        clock.Advance(TimeSpan.FromSeconds(1));
        engine.CheckI2c("display", "sim-i2c-1", 0x3c, I2cAccess.Write);
        Assert.Equal(5, engine.RecentAudit().Count);
    }

    [Fact]
    public void A_zero_rate_limit_writes_every_record()
    {
        var engine = NewEngine(options: new PolicyEngineOptions { MaxAuditRecordsPerSecond = 0, TimeProvider = new ManualClock() });
        for (int i = 0; i < 500; i++) engine.CheckSpi("app", "flash9");
        Assert.Equal(256, engine.RecentAudit().Count);
        Assert.Equal(0, engine.Counters().Single().AuditSuppressed);
    }

    // ---- leases ---------------------------------------------------------------------------------

    [Fact]
    public void Opening_a_lease_on_an_ungranted_resource_is_denied_and_gives_no_lease()
    {
        var engine = NewEngine();
        Assert.Equal(PolicyVerdict.ResourceNotGranted, engine.OpenI2c("app", "sim-i2c-1", out var i2c));
        Assert.Equal(PolicyVerdict.UnknownGuest, engine.OpenSpi("rogue", "flash0", out var spi));
        Assert.Equal(PolicyVerdict.DirectionNotGranted, engine.OpenGpio("app", "led", GpioDirection.Input, GpioPull.None, out var pin));
        Assert.Equal(PolicyVerdict.DirectionNotGranted, engine.OpenAnalog("app", "dial", GpioDirection.Output, out var analog));
        Assert.Null(i2c);
        Assert.Null(spi);
        Assert.Null(pin);
        Assert.Null(analog);
        Assert.All(engine.RecentAudit(), r => Assert.Equal(AuditEvent.Denied, r.Event));
        Assert.Equal("open", engine.RecentAudit()[0].Operation);
        Assert.Equal(0, engine.LiveLeaseCount);
    }

    [Fact]
    public void An_i2c_lease_checks_address_and_access_on_every_transfer()
    {
        var engine = NewEngine();
        Assert.Equal(PolicyVerdict.Granted, engine.OpenI2c("display", "sim-i2c-1", out var lease));
        Assert.Equal("sim-i2c-1", lease!.Bus);
        Assert.Equal(PolicyVerdict.Granted, lease.Check(0x27, I2cAccess.Write));
        Assert.Equal(PolicyVerdict.AccessNotGranted, lease.Check(0x27, I2cAccess.ReadWrite));
        Assert.Equal(PolicyVerdict.AddressNotGranted, lease.Check(0x3c, I2cAccess.Write));
        var counter = engine.Counters().Single();
        Assert.Equal((2L, 2L), (counter.Granted, counter.Denied));
        Assert.Equal(["sim-i2c-1/0x27", "sim-i2c-1/0x3c"], engine.RecentAudit().Select(r => r.Resource));
    }

    [Fact]
    public void Replacing_the_policy_revokes_leases_it_no_longer_grants_and_keeps_the_others()
    {
        var engine = NewEngine();
        engine.OpenI2c("sensor", "sim-i2c-1", out var sensor);
        engine.OpenI2c("display", "sim-i2c-1", out var display);
        engine.OpenSpi("app", "flash0", out var flash);
        engine.OpenGpio("app", "led", GpioDirection.Output, GpioPull.None, out var led);

        var tighter = Without(Demo, """
              display:
                i2c:
                  - bus: sim-i2c-1
                    addresses: [0x27]
                    access: write
            """);
        var result = engine.Replace(tighter);

        Assert.Equal(new PolicyReplacement(2, "changed.yaml", 4, 1), result);
        Assert.Equal(2, engine.Generation);
        Assert.Same(tighter, engine.Policy);
        Assert.True(display!.IsRevoked);
        Assert.Equal(PolicyVerdict.UnknownGuest, display.RevokedBecause);
        Assert.False(sensor!.IsRevoked);
        Assert.False(flash!.IsRevoked);
        Assert.False(led!.IsRevoked);
        Assert.Equal(PolicyVerdict.Revoked, display.Check(0x27, I2cAccess.Write));
        Assert.Equal(PolicyVerdict.Granted, sensor.Check(0x76, I2cAccess.Read));

        var records = engine.RecentAudit();
        Assert.Equal(
            [
                (AuditEvent.Revoked, "display", "sim-i2c-1", "revoke", "unknown-guest", 2L),
                (AuditEvent.PolicyReplaced, null, null, null, "policy 'changed.yaml' in force; 1 of 4 live leases revoked", 2L),
                (AuditEvent.Denied, "display", "sim-i2c-1/0x27", "write", "revoked", 2L),
            ],
            records.Select(r => (r.Event, r.Guest, r.Resource, r.Operation, r.Reason, r.Generation)).ToArray());
        Assert.Equal(1, engine.Counters().Single(c => c.Guest == "display").Revoked);
    }

    [Fact]
    public void Removing_one_address_denies_it_without_revoking_the_bus_lease()
    {
        var engine = NewEngine();
        engine.OpenI2c("sensor", "sim-i2c-1", out var lease);
        engine.Replace(AccessPolicy.Parse(Demo.Replace("[0x5f, 0x76]", "[0x76]")));
        Assert.False(lease!.IsRevoked);
        Assert.Equal(PolicyVerdict.AddressNotGranted, lease.Check(0x5f, I2cAccess.Read));
        Assert.Equal(PolicyVerdict.Granted, lease.Check(0x76, I2cAccess.Read));
    }

    [Fact]
    public void Adding_an_address_takes_effect_for_live_leases()
    {
        var engine = NewEngine();
        engine.OpenI2c("display", "sim-i2c-1", out var lease);
        Assert.Equal(PolicyVerdict.AddressNotGranted, lease!.Check(0x3c, I2cAccess.Write));
        engine.Replace(AccessPolicy.Parse(Demo.Replace("addresses: [0x27]", "addresses: [0x27, 0x3c]")));
        Assert.Equal(PolicyVerdict.Granted, lease.Check(0x3c, I2cAccess.Write));
    }

    [Fact]
    public void A_revoked_lease_stays_revoked_when_a_later_policy_grants_again()
    {
        var original = AccessPolicy.Parse(Demo);
        var engine = new PolicyEngine(original);
        engine.OpenSpi("app", "flash0", out var lease);
        engine.Replace(AccessPolicy.DenyAll);
        engine.Replace(original);
        Assert.True(lease!.IsRevoked);
        Assert.Equal(PolicyVerdict.Revoked, lease.Check());
        Assert.Equal(PolicyVerdict.Granted, engine.OpenSpi("app", "flash0", out var fresh));
        Assert.Equal(PolicyVerdict.Granted, fresh!.Check());
    }

    [Fact]
    public void A_gpio_lease_is_revoked_when_its_current_mode_is_withdrawn()
    {
        var engine = NewEngine();
        engine.OpenGpio("app", "button", GpioDirection.Input, GpioPull.PullUp, out var pulled);
        engine.OpenGpio("app", "button", GpioDirection.Input, GpioPull.None, out var plain);
        var result = engine.Replace(AccessPolicy.Parse(Demo.Replace("pulls: [up, none]", "pulls: [none]")));
        Assert.Equal(1, result.LeasesRevoked);
        Assert.True(pulled!.IsRevoked);
        Assert.Equal(PolicyVerdict.PullNotGranted, pulled.RevokedBecause);
        Assert.False(plain!.IsRevoked);
        Assert.Equal(PolicyVerdict.Granted, plain.Check());
    }

    [Fact]
    public void Changing_a_pin_mode_is_checked_and_the_new_mode_is_what_replacements_recheck()
    {
        var engine = NewEngine();
        engine.OpenGpio("app", "button", GpioDirection.Input, GpioPull.None, out var lease);
        Assert.Equal(PolicyVerdict.DirectionNotGranted, lease!.TryChangeMode(GpioDirection.Output));
        Assert.Equal((GpioDirection.Input, GpioPull.None), (lease.Direction, lease.Pull));
        Assert.Equal(PolicyVerdict.Granted, lease.TryChangeMode(GpioDirection.Input, GpioPull.PullUp));
        Assert.Equal(GpioPull.PullUp, lease.Pull);

        engine.Replace(AccessPolicy.Parse(Demo.Replace("pulls: [up, none]", "pulls: [none]")));
        Assert.True(lease.IsRevoked);
        Assert.Equal(PolicyVerdict.Revoked, lease.TryChangeMode(GpioDirection.Input, GpioPull.None));
    }

    [Fact]
    public void An_analog_lease_is_checked_against_analog_grants()
    {
        var engine = NewEngine();
        Assert.Equal(PolicyVerdict.Granted, engine.OpenAnalog("app", "dial", GpioDirection.Input, out var lease));
        Assert.True(lease!.IsAnalog);
        Assert.Equal(PolicyVerdict.DirectionNotGranted, lease.TryChangeMode(GpioDirection.Output));
        engine.Replace(AccessPolicy.Parse(Demo.Replace("analog: [in]", "analog: [out]")));
        Assert.True(lease.IsRevoked);
    }

    [Fact]
    public void Disposed_leases_are_no_longer_rechecked()
    {
        var engine = NewEngine();
        engine.OpenSpi("app", "flash0", out var kept);
        engine.OpenSpi("app", "flash0", out var dropped);
        Assert.Equal(2, engine.LiveLeaseCount);
        dropped!.Dispose();
        dropped.Dispose();
        Assert.Equal(1, engine.LiveLeaseCount);
        var result = engine.Replace(AccessPolicy.DenyAll);
        Assert.Equal((1, 1), (result.LeasesChecked, result.LeasesRevoked));
        Assert.False(dropped.IsRevoked);
        Assert.True(kept!.IsRevoked);
    }

    [Fact]
    public void Lease_checks_allocate_nothing_when_granted()
    {
        var engine = NewEngine();
        engine.OpenI2c("sensor", "sim-i2c-1", out var i2c);
        engine.OpenSpi("app", "flash0", out var spi);
        engine.OpenGpio("app", "led", GpioDirection.Output, GpioPull.None, out var led);
        RunChecks();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) RunChecks();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001 * 3 + 1, engine.Counters().Single(c => c.Interface == PolicyInterface.I2c).Granted);

        void RunChecks()
        {
            i2c!.Check(0x5f, I2cAccess.ReadWrite);
            i2c.Check(0x76, I2cAccess.Read);
            spi!.Check();
            led!.Check();
            engine.CheckI2c("sensor", "sim-i2c-1", 0x76, I2cAccess.Write);
        }
    }

    [Fact]
    public async Task Checks_running_on_other_threads_see_the_replacement_and_never_fail()
    {
        var open = AccessPolicy.Parse(Demo);
        var sameAgain = AccessPolicy.Parse(Demo);
        var engine = new PolicyEngine(open, new PolicyEngineOptions { MaxAuditRecordsPerSecond = 0 });
        var leases = new I2cLease[4];
        for (int i = 0; i < leases.Length; i++) engine.OpenI2c("sensor", "sim-i2c-1", out leases[i]!);
        using var stop = new CancellationTokenSource();
        var workers = leases.Select(lease => Task.Run(() =>
        {
            long denied = 0;
            while (!stop.IsCancellationRequested)
                if (lease.Check(0x76, I2cAccess.Read) != PolicyVerdict.Granted) denied++;
            return denied;
        })).ToArray();

        for (int i = 0; i < 50; i++) engine.Replace(i % 2 == 0 ? sameAgain : open);
        engine.Replace(AccessPolicy.DenyAll);
        foreach (var lease in leases) Assert.Equal(PolicyVerdict.Revoked, lease.Check(0x76, I2cAccess.Read));
        stop.Cancel();
        await Task.WhenAll(workers);
        Assert.All(leases, l => Assert.True(l.IsRevoked));
        Assert.Equal(4, engine.Counters().Single().Revoked);
    }

    // ---- reloading ------------------------------------------------------------------------------

    [Fact]
    public void Reloading_a_valid_file_replaces_the_policy()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pol-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, Demo);
            var engine = new PolicyEngine(AccessPolicy.Load(path));
            engine.OpenSpi("app", "flash0", out var lease);
            File.WriteAllText(path, "guests: {}\n");
            var result = engine.ReloadFrom(path);
            Assert.Equal((2L, path, 1), (result.Generation, result.Source, result.LeasesRevoked));
            Assert.True(lease!.IsRevoked);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reloading_an_invalid_file_keeps_the_policy_and_audits_the_failure()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pol-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, Demo);
            var engine = new PolicyEngine(AccessPolicy.Load(path));
            var before = engine.Policy;
            File.WriteAllText(path, "guests:\n  app:\n    spi:\n      - device: flash0\n        mode: 3\n");
            var e = Assert.Throws<PolicyFormatException>(() => engine.ReloadFrom(path));
            Assert.Equal(5, e.Line);
            Assert.Same(before, engine.Policy);
            Assert.Equal(1, engine.Generation);
            var record = Assert.Single(engine.RecentAudit());
            Assert.Equal(AuditEvent.PolicyReloadFailed, record.Event);
            Assert.Contains("unknown key 'mode'", record.Reason);
            Assert.Contains("previous policy stays in force", record.Reason);

            Assert.Throws<FileNotFoundException>(() => engine.ReloadFrom(path + ".missing"));
            Assert.Equal(2, engine.RecentAudit().Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_watched_file_is_reloaded_when_it_changes()
    {
        var directory = Directory.CreateTempSubdirectory("pol-watch-").FullName;
        var path = Path.Combine(directory, "deploy.policy.yaml");
        try
        {
            File.WriteAllText(path, Demo);
            var engine = new PolicyEngine(AccessPolicy.Load(path));
            engine.OpenSpi("app", "flash0", out var lease);
            using var reloaded = new SemaphoreSlim(0);
            using var failed = new SemaphoreSlim(0);
            using var watch = engine.WatchFile(path, _ => reloaded.Release(), _ => failed.Release(), TimeSpan.FromMilliseconds(50));

            File.WriteAllText(path, "guests: [broken\n");
            Assert.True(failed.Wait(TimeSpan.FromSeconds(30)), "the broken file was not noticed");
            Assert.False(lease!.IsRevoked);

            File.WriteAllText(path, "guests: {}\n");
            Assert.True(reloaded.Wait(TimeSpan.FromSeconds(30)), "the fixed file was not reloaded");
            Assert.True(lease.IsRevoked);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_committed_example_policy_grants_the_demo_guests()
    {
        var path = Path.Combine(RepoRoot(), "src", "IronWasm.Hardware", "Policy", "example.policy.yaml");
        var policy = AccessPolicy.Load(path);
        Assert.Equal(["app", "display", "rogue-display", "sensor"], policy.Guests);
        foreach (ushort a in new ushort[] { 0x5f, 0x76 })
            Assert.Equal(PolicyVerdict.Granted, policy.CheckI2c("sensor", "sim-i2c-1", a, I2cAccess.ReadWrite));
        foreach (ushort a in new ushort[] { 0x27, 0x24, 0x34, 0x35, 0x36, 0x37, 0x3c })
            Assert.Equal(PolicyVerdict.Granted, policy.CheckI2c("display", "sim-i2c-1", a, I2cAccess.ReadWrite));
        Assert.Equal(PolicyVerdict.AddressNotGranted, policy.CheckI2c("display", "sim-i2c-1", 0x38, I2cAccess.Write));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckI2c("rogue-display", "sim-i2c-1", 0x27, I2cAccess.Write));
        Assert.Equal(PolicyVerdict.AddressNotGranted, policy.CheckI2c("rogue-display", "sim-i2c-1", 0x3c, I2cAccess.Write));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckGpio("app", "led", GpioDirection.Output, GpioPull.None));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckGpio("app", "button", GpioDirection.Input, GpioPull.PullUp));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckSpi("app", "flash0"));
        Assert.Equal(PolicyVerdict.ResourceNotGranted, policy.CheckSpi("sensor", "flash0"));
    }

    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(thisFile)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IronWasm.slnx"))) return dir.FullName;
        throw new InvalidOperationException("IronWasm.slnx not found above " + thisFile);
    }

    private sealed class ThrowingSink : IAuditSink
    {
        public void Write(AuditRecord record) => throw new IOException("disk full");
    }
}

/// <summary>A clock that only moves when told to.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2025, 5, 1, 10, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;
    public override long GetTimestamp() => _now.UtcTicks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public void Advance(TimeSpan by) => _now += by;
}
