using System.Buffers.Binary;
using System.Text;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using static IronWasm.Hardware.Tests.Usb.UsbTestKit;

namespace IronWasm.Hardware.Tests.Usb;

/// <summary>Bulk-only transport and SCSI, as a host driver (Linux usb-storage, our C driver) uses them.</summary>
public class MassStorageTests : IDisposable
{
    private const int Blocks = 128;
    private readonly byte[] _image = new byte[Blocks * 512];
    private readonly SimulatedUsbBackend _usb = ZeroLatency();
    private readonly MassStorageDevice _disk;
    private readonly UsbDeviceHandle _h;
    private uint _tag = 0x1000;

    public MassStorageTests()
    {
        for (int i = 0; i < _image.Length; i++) _image[i] = (byte)(i / 512);
        _disk = MassStorageDevice.FromMemory(_image);
        _h = OpenAndClaim(_usb.Plug(_disk), MassStorageDevice.Interface);
    }

    public void Dispose()
    {
        _h.Dispose();
        _usb.Dispose();
        _disk.Dispose();
    }

    private readonly record struct Csw(uint Signature, uint Tag, uint Residue, byte Status);

    private byte[] Cbw(uint hostLength, bool dataIn, params byte[] cdb)
    {
        var cbw = new byte[31];
        BinaryPrimitives.WriteUInt32LittleEndian(cbw, MassStorageDevice.CbwSignature);
        BinaryPrimitives.WriteUInt32LittleEndian(cbw.AsSpan(4), ++_tag);
        BinaryPrimitives.WriteUInt32LittleEndian(cbw.AsSpan(8), hostLength);
        cbw[12] = dataIn ? (byte)0x80 : (byte)0;
        cbw[14] = (byte)cdb.Length;
        cdb.CopyTo(cbw, 15);
        return cbw;
    }

    private UsbError Send(byte[] bytes) => _h.BulkTransfer(MassStorageDevice.BulkOut, bytes, 1000, out _);

    private Csw ReadCsw()
    {
        var csw = new byte[13];
        Assert.Equal(UsbError.Success, _h.BulkTransfer(MassStorageDevice.BulkIn, csw, 1000, out int n));
        Assert.Equal(13, n);
        return new Csw(BinaryPrimitives.ReadUInt32LittleEndian(csw), BinaryPrimitives.ReadUInt32LittleEndian(csw.AsSpan(4)),
            BinaryPrimitives.ReadUInt32LittleEndian(csw.AsSpan(8)), csw[12]);
    }

    /// <summary>One command as usb-storage runs it: CBW, data (clearing a stalled data pipe), CSW.</summary>
    private Csw Run(byte[] cdb, uint hostLength, bool dataIn, byte[]? data, out int moved, out UsbError dataResult)
    {
        Assert.Equal(UsbError.Success, Send(Cbw(hostLength, dataIn, cdb)));
        moved = 0;
        dataResult = UsbError.Success;
        if (hostLength > 0)
        {
            byte endpoint = dataIn ? MassStorageDevice.BulkIn : MassStorageDevice.BulkOut;
            dataResult = _h.BulkTransfer(endpoint, data.AsSpan(0, (int)hostLength), 1000, out moved);
            if (dataResult == UsbError.Pipe) Assert.Equal(UsbError.Success, _h.ClearHalt(endpoint));
        }
        var csw = ReadCsw();
        Assert.Equal(MassStorageDevice.CswSignature, csw.Signature);
        Assert.Equal(_tag, csw.Tag);
        return csw;
    }

    private Csw Run(byte[] cdb, byte[] dataIn) => Run(cdb, (uint)dataIn.Length, true, dataIn, out _, out _);

    private static byte[] Read10(uint lba, ushort blocks) => [0x28, 0, (byte)(lba >> 24), (byte)(lba >> 16), (byte)(lba >> 8), (byte)lba, 0, (byte)(blocks >> 8), (byte)blocks, 0];

    private static byte[] Write10(uint lba, ushort blocks) => [0x2A, 0, (byte)(lba >> 24), (byte)(lba >> 16), (byte)(lba >> 8), (byte)lba, 0, (byte)(blocks >> 8), (byte)blocks, 0];

    private (byte Key, byte Asc) Sense()
    {
        var sense = new byte[18];
        Assert.Equal(MassStorageDevice.CswPassed, Run([0x03, 0, 0, 0, 18, 0], sense).Status);
        Assert.Equal(0x70, sense[0]);
        return (sense[2], sense[12]);
    }

    [Fact]
    public void Get_max_lun_reports_a_single_lun()
    {
        var lun = new byte[1];
        Assert.Equal(UsbError.Success, _h.ControlTransfer(ControlIn(UsbRequestKind.Class, UsbRequestRecipient.Interface), MassStorageDevice.GetMaxLun, 0, 0, lun, 100, out int n));
        Assert.Equal((1, 0), (n, (int)lun[0]));
    }

    [Fact]
    public void Inquiry_describes_a_removable_direct_access_device()
    {
        var data = new byte[36];
        var csw = Run([0x12, 0, 0, 0, 36, 0], data);
        Assert.Equal((MassStorageDevice.CswPassed, 0u), (csw.Status, csw.Residue));
        Assert.Equal(0x00, data[0] & 0x1F);
        Assert.Equal(0x80, data[1]);
        Assert.Equal("IronWasm", Encoding.ASCII.GetString(data, 8, 8));
        Assert.Equal("Sim Mass Storage", Encoding.ASCII.GetString(data, 16, 16));
    }

    [Fact]
    public void Inquiry_vital_product_data_gives_the_unit_serial_number()
    {
        var data = new byte[64];
        var csw = Run([0x12, 1, 0x80, 0, 64, 0], 64, true, data, out int moved, out _);
        Assert.Equal(MassStorageDevice.CswPassed, csw.Status);
        Assert.Equal("120900020001", Encoding.ASCII.GetString(data, 4, data[3]));
        Assert.Equal(64u - (uint)moved, csw.Residue);
    }

    [Fact]
    public void Test_unit_ready_passes_without_a_data_phase()
    {
        var csw = Run([0, 0, 0, 0, 0, 0], 0, false, null, out _, out _);
        Assert.Equal((MassStorageDevice.CswPassed, 0u), (csw.Status, csw.Residue));
    }

    [Fact]
    public void Read_capacity_gives_the_last_block_and_the_block_size()
    {
        var data = new byte[8];
        Assert.Equal(MassStorageDevice.CswPassed, Run([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], data).Status);
        Assert.Equal((uint)(Blocks - 1), BinaryPrimitives.ReadUInt32BigEndian(data));
        Assert.Equal(512u, BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)));
    }

    [Fact]
    public void Sectors_written_read_back_and_land_in_the_image()
    {
        var sectors = Pattern(3 * 512, seed: 77);
        var csw = Run(Write10(10, 3), 3 * 512, false, sectors, out int moved, out var written);
        Assert.Equal((UsbError.Success, 1536, MassStorageDevice.CswPassed, 0u), (written, moved, csw.Status, csw.Residue));
        Assert.Equal(sectors, _image.AsSpan(10 * 512, 3 * 512).ToArray());

        var back = new byte[3 * 512];
        Assert.Equal(MassStorageDevice.CswPassed, Run(Read10(10, 3), back).Status);
        Assert.Equal(sectors, back);
        var neighbour = new byte[512];
        Run(Read10(13, 1), neighbour);
        Assert.All(neighbour, b => Assert.Equal(13, b));
    }

    [Fact]
    public void A_large_read_streams_across_the_staging_buffer()
    {
        var all = new byte[Blocks * 512];
        Assert.Equal(MassStorageDevice.CswPassed, Run(Read10(0, Blocks), all).Status);
        Assert.Equal(_image, all);
    }

    [Fact]
    public void A_read_beyond_the_end_fails_stalls_the_data_pipe_and_explains_itself_in_the_sense_data()
    {
        var data = new byte[1024];
        var csw = Run(Read10(Blocks - 1, 2), 1024, true, data, out int moved, out var dataResult);
        Assert.Equal(UsbError.Pipe, dataResult);   // case 4: Hi > Dn
        Assert.Equal(0, moved);
        Assert.Equal((MassStorageDevice.CswFailed, 1024u), (csw.Status, csw.Residue));
        Assert.Equal((ScsiDisk.KeyIllegalRequest, ScsiDisk.AscLbaOutOfRange), Sense());
        Assert.Equal((ScsiDisk.KeyNoSense, (byte)0), Sense());
    }

    [Fact]
    public void An_unknown_command_fails_with_invalid_operation_code()
    {
        var csw = Run([0xC7, 0, 0, 0, 0, 0], 0, false, null, out _, out _);
        Assert.Equal(MassStorageDevice.CswFailed, csw.Status);
        Assert.Equal((ScsiDisk.KeyIllegalRequest, ScsiDisk.AscInvalidOpcode), Sense());
    }

    [Fact]
    public void A_host_asking_for_more_ends_on_a_short_packet_with_the_rest_as_residue()
    {
        var data = new byte[100];
        var csw = Run([0x12, 0, 0, 0, 36, 0], 100, true, data, out int moved, out var result);
        Assert.Equal((UsbError.Success, 36), (result, moved));   // case 5, ended by the short packet
        Assert.Equal((MassStorageDevice.CswPassed, 64u), (csw.Status, csw.Residue));
    }

    [Fact]
    public void A_host_asking_for_more_than_whole_packets_hold_gets_a_stall_after_the_data()
    {
        var data = new byte[2048];
        var csw = Run(Read10(0, 2), 2048, true, data, out int moved, out var result);
        Assert.Equal((UsbError.Pipe, 1024), (result, moved));   // case 5, no short packet possible
        Assert.Equal((MassStorageDevice.CswPassed, 1024u), (csw.Status, csw.Residue));
    }

    [Fact]
    public void A_host_asking_for_less_than_the_command_moves_gets_a_phase_error()
    {
        var data = new byte[512];
        var csw = Run(Read10(0, 2), 512, true, data, out int moved, out var result);
        Assert.Equal((UsbError.Success, 512), (result, moved));   // case 7
        Assert.Equal(MassStorageDevice.CswPhaseError, csw.Status);
    }

    [Fact]
    public void A_command_with_data_when_the_host_expects_none_is_a_phase_error()
    {
        var csw = Run([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, true, null, out _, out _);   // case 2
        Assert.Equal((MassStorageDevice.CswPhaseError, 0u), (csw.Status, csw.Residue));
    }

    [Fact]
    public void Data_offered_to_a_command_that_takes_none_is_stalled_and_counted_as_residue()
    {
        var csw = Run([0, 0, 0, 0, 0, 0], 512, false, new byte[512], out int moved, out var result);   // case 9
        Assert.Equal((UsbError.Pipe, 0), (result, moved));
        Assert.Equal((MassStorageDevice.CswPassed, 512u), (csw.Status, csw.Residue));
    }

    [Fact]
    public void Data_out_for_a_command_that_sends_data_in_is_a_phase_error()
    {
        var csw = Run(Read10(0, 1), 512, false, new byte[512], out _, out var result);   // case 10
        Assert.Equal(UsbError.Pipe, result);
        Assert.Equal(MassStorageDevice.CswPhaseError, csw.Status);
    }

    [Fact]
    public void A_write_given_more_data_than_it_takes_stalls_after_its_blocks()
    {
        var data = Pattern(1024, 5);
        var csw = Run(Write10(0, 1), 1024, false, data, out int moved, out var result);   // case 11
        Assert.Equal((UsbError.Pipe, 512), (result, moved));
        Assert.Equal((MassStorageDevice.CswPassed, 512u), (csw.Status, csw.Residue));
        Assert.Equal(data[..512], _image[..512]);
    }

    [Fact]
    public void A_write_to_a_read_only_disk_is_refused_as_write_protected()
    {
        using var usb = ZeroLatency();
        using var disk = MassStorageDevice.FromMemory(new byte[4096], readOnly: true);
        using var h = OpenAndClaim(usb.Plug(disk), 0);
        var cbw = Cbw(512, false, Write10(0, 1));
        Assert.Equal(UsbError.Success, h.BulkTransfer(MassStorageDevice.BulkOut, cbw, 100, out _));
        Assert.Equal(UsbError.Pipe, h.BulkTransfer(MassStorageDevice.BulkOut, new byte[512], 100, out _));
        Assert.Equal(UsbError.Success, h.ClearHalt(MassStorageDevice.BulkOut));
        var csw = new byte[13];
        Assert.Equal(UsbError.Success, h.BulkTransfer(MassStorageDevice.BulkIn, csw, 100, out _));
        Assert.Equal(MassStorageDevice.CswFailed, csw[12]);
        Assert.True(disk.IsReadOnly);

        var mode = new byte[4];
        Assert.Equal(UsbError.Success, h.BulkTransfer(MassStorageDevice.BulkOut, Cbw(4, true, 0x1A, 0, 0x3F, 0, 4, 0), 100, out _));
        Assert.Equal(UsbError.Success, h.BulkTransfer(MassStorageDevice.BulkIn, mode, 100, out _));
        Assert.Equal(0x80, mode[2]);
    }

    [Fact]
    public void Mode_sense_returns_a_header_and_the_caching_page()
    {
        var data = new byte[64];
        var csw = Run([0x1A, 0, 0x08, 0, 64, 0], 64, true, data, out int moved, out _);
        Assert.Equal(MassStorageDevice.CswPassed, csw.Status);
        Assert.Equal(24, moved);
        Assert.Equal(23, data[0]);
        Assert.Equal(0, data[2]);
        Assert.Equal((0x08, 18), (data[4], (int)data[5]));
        Assert.Equal(MassStorageDevice.CswFailed, Run([0x1A, 0, 0x1C, 0, 64, 0], 64, true, data, out _, out _).Status);
        Assert.Equal((ScsiDisk.KeyIllegalRequest, ScsiDisk.AscInvalidFieldInCdb), Sense());
    }

    [Fact]
    public void Prevent_allow_medium_removal_is_remembered()
    {
        Assert.False(_disk.MediumRemovalPrevented);
        Assert.Equal(MassStorageDevice.CswPassed, Run([0x1E, 0, 0, 0, 1, 0], 0, false, null, out _, out _).Status);
        Assert.True(_disk.MediumRemovalPrevented);
        Run([0x1E, 0, 0, 0, 0, 0], 0, false, null, out _, out _);
        Assert.False(_disk.MediumRemovalPrevented);
    }

    [Fact]
    public void The_csw_carries_the_tag_of_its_cbw()
    {
        Run([0, 0, 0, 0, 0, 0], 0, false, null, out _, out _);
        uint first = _tag;
        var csw = Run([0, 0, 0, 0, 0, 0], 0, false, null, out _, out _);
        Assert.Equal(first + 1, csw.Tag);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("signature")]
    [InlineData("lun")]
    [InlineData("before-csw")]
    public void An_invalid_cbw_stalls_both_pipes_until_reset_recovery(string how)
    {
        var cbw = Cbw(0, false, 0, 0, 0, 0, 0, 0);
        switch (how)
        {
            case "short": cbw = cbw[..30]; break;
            case "signature": cbw[0] = (byte)'X'; break;
            case "lun": cbw[13] = 1; break;
            default:
                Assert.Equal(UsbError.Success, Send(cbw));   // its CSW is never read
                cbw = Cbw(0, false, 0, 0, 0, 0, 0, 0);
                break;
        }
        Assert.Equal(UsbError.Success, Send(cbw));
        Assert.True(_disk.AwaitingResetRecovery);
        var csw = new byte[13];
        Assert.Equal(UsbError.Pipe, _h.BulkTransfer(MassStorageDevice.BulkIn, csw, 100, out _));
        Assert.Equal(UsbError.Pipe, Send(Cbw(0, false, 0, 0, 0, 0, 0, 0)));

        // Clearing the halts alone does not help: the device stalls again.
        Assert.Equal(UsbError.Success, _h.ClearHalt(MassStorageDevice.BulkIn));
        Assert.Equal(UsbError.Pipe, _h.BulkTransfer(MassStorageDevice.BulkIn, csw, 100, out _));

        // Reset Recovery: Bulk-Only Mass Storage Reset, then clear both halts.
        Assert.Equal(UsbError.Success, _h.ControlTransfer(ControlOut(UsbRequestKind.Class, UsbRequestRecipient.Interface), MassStorageDevice.BulkOnlyMassStorageReset, 0, 0, default, 100, out _));
        Assert.Equal(UsbError.Success, _h.ClearHalt(MassStorageDevice.BulkIn));
        Assert.Equal(UsbError.Success, _h.ClearHalt(MassStorageDevice.BulkOut));
        Assert.False(_disk.AwaitingResetRecovery);
        Assert.Equal(MassStorageDevice.CswPassed, Run([0, 0, 0, 0, 0, 0], 0, false, null, out _, out _).Status);
    }

    [Fact]
    public void Class_requests_with_wrong_fields_stall()
    {
        byte toInterface = ControlOut(UsbRequestKind.Class, UsbRequestRecipient.Interface);
        Assert.Equal(UsbError.Pipe, _h.ControlTransfer(toInterface, MassStorageDevice.BulkOnlyMassStorageReset, 1, 0, default, 100, out _));
        Assert.Equal(UsbError.Pipe, _h.ControlTransfer(toInterface, MassStorageDevice.BulkOnlyMassStorageReset, 0, 3, default, 100, out _));
    }

    [Fact]
    public void An_image_file_backs_the_disk_and_synchronize_cache_puts_writes_on_it()
    {
        string path = Path.Combine(Path.GetTempPath(), $"usbsim-{Guid.NewGuid():N}.img");
        try
        {
            File.WriteAllBytes(path, new byte[16 * 512]);
            using var usb = ZeroLatency();
            using (var disk = MassStorageDevice.OpenImage(path))
            using (var h = OpenAndClaim(usb.Plug(disk), 0))
            {
                Assert.Equal(16, disk.BlockCount);
                var sector = Pattern(512, 3);
                var cbw = Cbw(512, false, Write10(5, 1));
                Assert.Equal(UsbError.Success, h.BulkTransfer(MassStorageDevice.BulkOut, cbw, 100, out _));
                Assert.Equal(UsbError.Success, h.BulkTransfer(MassStorageDevice.BulkOut, sector, 100, out _));
                var csw = new byte[13];
                Assert.Equal(UsbError.Success, h.BulkTransfer(MassStorageDevice.BulkIn, csw, 100, out _));
                Assert.Equal(UsbError.Success, h.BulkTransfer(MassStorageDevice.BulkOut, Cbw(0, false, 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0), 100, out _));
                Assert.Equal(UsbError.Success, h.BulkTransfer(MassStorageDevice.BulkIn, csw, 100, out _));
                Assert.Equal(MassStorageDevice.CswPassed, csw[12]);
                usb.Unplug(disk);
            }
            Assert.Equal(Pattern(512, 3), File.ReadAllBytes(path).AsSpan(5 * 512, 512).ToArray());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void An_image_that_is_not_whole_blocks_is_refused()
    {
        string path = Path.Combine(Path.GetTempPath(), $"usbsim-{Guid.NewGuid():N}.img");
        try
        {
            File.WriteAllBytes(path, new byte[1000]);
            var e = Assert.Throws<ArgumentException>(() => MassStorageDevice.OpenImage(path));
            Assert.Contains("1000 bytes", e.Message);
            File.Delete(path);
        }
        finally { File.Delete(path); }
    }
}
