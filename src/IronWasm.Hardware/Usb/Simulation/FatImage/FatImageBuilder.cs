using System.Buffers.Binary;
using System.Text;

namespace IronWasm.Hardware.Usb.Simulation.FatImage;

/// <summary>The FAT variants <see cref="FatImageBuilder"/> writes.</summary>
public enum FatType { Fat16 = 16, Fat32 = 32 }

/// <summary>
/// Writes FAT16 and FAT32 disk images (a simulated USB stick's contents, the mass-storage tests), following Microsoft's FAT
/// specification (2005): boot sector and BPB, two FATs, a FAT16 fixed root directory or a FAT32
/// root cluster chain with FSInfo and a backup boot sector, directories with VFAT long names
/// (and their 8.3 aliases with numeric tails), and files of any size. Optionally inside an MBR
/// partition, and optionally with every chain fragmented (each file's clusters every other free one).
/// </summary>
public sealed class FatImageBuilder
{
    private const int SectorSize = 512;
    private const int DirEntrySize = 32;
    private const uint PartitionStart = 2048;  // 1 MiB, as fdisk aligns

    // 2024-05-17 12:34:56, so images are byte-for-byte reproducible.
    internal const ushort Date = (2024 - 1980) << 9 | 5 << 5 | 17;
    internal const ushort Time = 12 << 11 | 34 << 5 | 56 / 2;

    private readonly Node _root = new("", null, isDirectory: true);

    /// <summary>A disk of <paramref name="sizeMiB"/> MiB with clusters of <paramref name="sectorsPerCluster"/> 512-byte sectors.</summary>
    public FatImageBuilder(FatType type, int sizeMiB, int sectorsPerCluster)
        : this(type, sizeMiB * 1048576L, sectorsPerCluster)
    {
    }

    private FatImageBuilder(FatType type, long sizeBytes, int sectorsPerCluster)
    {
        if (sectorsPerCluster is < 1 or > 128 || (sectorsPerCluster & (sectorsPerCluster - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(sectorsPerCluster), "a power of two from 1 to 128");
        if (type is not (FatType.Fat16 or FatType.Fat32)) throw new ArgumentOutOfRangeException(nameof(type), $"FAT16 or FAT32, not {type}");
        if (sizeBytes <= 0 || sizeBytes % SectorSize != 0 || sizeBytes > MaxBytes)
            throw new ArgumentOutOfRangeException(nameof(sizeBytes), $"a whole number of 512-byte sectors, at most {MaxBytes >> 20} MiB");
        Type = type;
        SizeBytes = sizeBytes;
        SectorsPerCluster = sectorsPerCluster;
    }

    /// <summary>The image is one byte array.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>A disk of <paramref name="sizeBytes"/> bytes with the smallest clusters that make it
    /// <paramref name="type"/> (as the FAT type is decided by the cluster count alone).</summary>
    public static FatImageBuilder ForSize(FatType type, long sizeBytes, bool partitioned = false, string label = "NO NAME")
    {
        var probe = new FatImageBuilder(type, sizeBytes, 1);
        for (int spc = 1; spc <= 128; spc *= 2)
            if (Geometry.Of(type, sizeBytes, spc, partitioned).Fits)
                return new FatImageBuilder(type, sizeBytes, spc) { Partitioned = partitioned, Label = label };
        // Below MaxBytes only too few clusters (even of 512 bytes) is possible: the disk is too small.
        string least = type == FatType.Fat32 ? "33 MiB" : "3 MiB";
        throw new ArgumentException($"{probe.SizeText} is too small for {(type == FatType.Fat32 ? "FAT32" : "FAT16")} (at least {least}{(partitioned ? " plus the 1 MiB before the partition" : "")})");
    }

    public FatType Type { get; }
    public long SizeBytes { get; }
    public int SectorsPerCluster { get; }
    public string Label
    {
        get => _label;
        init => _label = CheckLabel(value);
    }
    public uint Serial { get; init; } = 0x1234ABCD;
    public bool Partitioned { get; init; }
    public bool Fragmented { get; init; }

    public int ClusterBytes => SectorsPerCluster * SectorSize;

    private string _label = "NO NAME";

    private const string ShortSpecials = "$%'-_@~`!(){}^#&";

    private static bool IsShortChar(char c) => c is >= 'A' and <= 'Z' or >= '0' and <= '9' || ShortSpecials.Contains(c);

    private string SizeText => SizeBytes % 1048576 == 0 ? $"{SizeBytes >> 20} MiB" : $"{SizeBytes} bytes";

    /// <summary>A volume label: 1 to 11 characters that an 8.3 name may hold, or spaces; upper case.</summary>
    public static string CheckLabel(string label)
    {
        if (label.Length is 0 or > 11 || label.Any(c => !IsShortChar(c) && c != ' ') || label[0] == ' ')
            throw new ArgumentException($"bad volume label '{label}' (1 to 11 of A-Z, 0-9, space and {ShortSpecials}; upper case)");
        return label;
    }

    /// <summary>Adds every file and folder below <paramref name="hostDirectory"/> (a folder of this
    /// machine), in ordinal order of their names so images are reproducible.</summary>
    public FatImageBuilder AddHostDirectory(string hostDirectory)
    {
        if (!System.IO.Directory.Exists(hostDirectory)) throw new DirectoryNotFoundException($"no directory {hostDirectory}");
        long total = 0;
        AddHost(hostDirectory, hostDirectory, "", 0, ref total);
        return this;
    }

    private void AddHost(string root, string hostDirectory, string prefix, int depth, ref long total)
    {
        // A symbolic link to a folder above would recurse for ever.
        if (depth > 64) throw new ArgumentException($"{hostDirectory}: folders nested more than 64 deep (a symbolic link loop?)");
        var entries = new DirectoryInfo(hostDirectory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Name.Length > 255 || entry.Name.Any(c => c < ' ' || "\\\"*/:<>?|".Contains(c)) || entry.Name.Trim('.', ' ').Length == 0)
                throw new ArgumentException($"{entry.FullName}: the name cannot be a FAT long name");
            string path = prefix + entry.Name;
            if (entry is DirectoryInfo directory)
            {
                Directory(path);
                AddHost(root, directory.FullName, path + "/", depth + 1, ref total);
            }
            else
            {
                // Checked before reading, so a huge file is refused without being loaded.
                total += ((FileInfo)entry).Length;
                if (total > SizeBytes) throw new ArgumentException($"the files of {root} take more than the {SizeText} of the disk");
                File(path, System.IO.File.ReadAllBytes(entry.FullName));
            }
        }
    }

    /// <summary>Adds a directory (and its parents).</summary>
    public FatImageBuilder Directory(string path)
    {
        Walk(path, createLast: true);
        return this;
    }

    /// <summary>Adds a file (and its parent directories).</summary>
    public FatImageBuilder File(string path, byte[] content)
    {
        var parts = Split(path);
        var parent = parts.Length == 1 ? _root : Walk(string.Join('/', parts[..^1]), createLast: true);
        if (parent.Children.Any(c => string.Equals(c.Name, parts[^1], StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"{path} exists already");
        parent.Children.Add(new Node(parts[^1], content, isDirectory: false));
        return this;
    }

    public byte[] Build() => new Layout(this).Write();

    private static string[] Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } parts ? parts : throw new ArgumentException("an empty path");

    private Node Walk(string path, bool createLast)
    {
        var node = _root;
        foreach (var part in Split(path))
        {
            var next = node.Children.FirstOrDefault(c => string.Equals(c.Name, part, StringComparison.OrdinalIgnoreCase));
            if (next is null)
            {
                if (!createLast) throw new ArgumentException($"no directory {path}");
                next = new Node(part, null, isDirectory: true);
                node.Children.Add(next);
            }
            else if (!next.IsDirectory) throw new ArgumentException($"{part} in {path} is a file");
            node = next;
        }
        return node;
    }

    private sealed class Node(string name, byte[]? content, bool isDirectory)
    {
        public string Name { get; } = name;
        public byte[]? Content { get; } = content;
        public bool IsDirectory { get; } = isDirectory;
        public List<Node> Children { get; } = [];
        public uint FirstCluster { get; set; }
        public byte[] ShortName { get; set; } = [];
        public bool NeedsLongName { get; set; }
    }

    /// <summary>Where a volume's parts go, and how many clusters it has.</summary>
    private readonly record struct Geometry(uint TotalSectors, uint Reserved, uint FatSectors, uint RootSectors, uint DataStart, uint Clusters, bool Fits)
    {
        public static Geometry Of(FatType type, long sizeBytes, int sectorsPerCluster, bool partitioned)
        {
            long volumeBytes = sizeBytes - (partitioned ? PartitionStart * SectorSize : 0);
            bool fat32 = type == FatType.Fat32;
            uint reserved = fat32 ? 32u : 4u;
            uint rootSectors = fat32 ? 0u : 512u * DirEntrySize / SectorSize;
            if (volumeBytes < (reserved + rootSectors + 8) * (long)SectorSize) return new Geometry(0, reserved, 0, rootSectors, 0, 0, false);
            uint totalSectors = (uint)(volumeBytes / SectorSize);
            uint entryBytes = fat32 ? 4u : 2u;
            // The FAT's size and the cluster count depend on each other; iterate to the fixed point.
            uint fatSectors = 1;
            while (true)
            {
                long free = (long)totalSectors - reserved - 2L * fatSectors - rootSectors;
                if (free <= 0) return new Geometry(totalSectors, reserved, fatSectors, rootSectors, 0, 0, false);
                uint clusters = (uint)(free / sectorsPerCluster);
                uint needed = (uint)(((clusters + 2L) * entryBytes + SectorSize - 1) / SectorSize);
                if (needed <= fatSectors) break;
                fatSectors = needed;
            }
            uint dataStart = reserved + 2 * fatSectors + rootSectors;
            uint count = (totalSectors - dataStart) / (uint)sectorsPerCluster;
            bool fits = fat32 ? count is >= 65525 and < 0x0FFFFFF5 : count is >= 4085 and < 65525;
            return new Geometry(totalSectors, reserved, fatSectors, rootSectors, dataStart, count, fits);
        }
    }

    /// <summary>The geometry and the writing of one image.</summary>
    private sealed class Layout
    {
        private readonly FatImageBuilder _b;
        private readonly byte[] _image;
        private readonly long _volume;            // byte offset of the volume
        private readonly uint _totalSectors, _reserved, _fatSectors, _rootSectors, _dataStart, _clusterCount;
        private readonly uint[] _fat;
        private readonly SortedSet<uint> _free = [];
        private const int Fats = 2;

        public Layout(FatImageBuilder builder)
        {
            _b = builder;
            var geometry = Geometry.Of(builder.Type, builder.SizeBytes, builder.SectorsPerCluster, builder.Partitioned);
            if (!geometry.Fits)
                throw new ArgumentException($"{builder.SizeText} with {builder.SectorsPerCluster}-sector clusters makes {geometry.Clusters} clusters, which is not {builder.Type}");
            _image = new byte[builder.SizeBytes];
            _volume = builder.Partitioned ? PartitionStart * SectorSize : 0;
            (_totalSectors, _reserved, _fatSectors, _rootSectors, _dataStart, _clusterCount) =
                (geometry.TotalSectors, geometry.Reserved, geometry.FatSectors, geometry.RootSectors, geometry.DataStart, geometry.Clusters);
            _fat = new uint[_clusterCount + 2];
            for (uint c = 2; c < _clusterCount + 2; c++) _free.Add(c);
        }

        public byte[] Write()
        {
            bool fat32 = _b.Type == FatType.Fat32;
            _fat[0] = fat32 ? 0x0FFFFFF8u : 0xFFF8u;
            _fat[1] = fat32 ? 0x0FFFFFFFu : 0xFFFFu;
            uint rootCluster = 0;
            if (fat32)
            {
                rootCluster = Allocate(ClustersFor(DirectoryBytes(_b._root, isRoot: true)))[0];
                _b._root.FirstCluster = rootCluster;
            }
            AssignNames(_b._root);
            Place(_b._root);
            WriteDirectory(_b._root, isRoot: true, parentCluster: 0);
            WriteBootSector(rootCluster);
            WriteFats();
            if (_b.Partitioned) WriteMbr();
            return _image;
        }

        private uint ClustersFor(long bytes) => (uint)Math.Max(1, (bytes + _b.ClusterBytes - 1) / _b.ClusterBytes);

        private List<uint> Allocate(uint count)
        {
            if (count > _free.Count) throw new ArgumentException($"the image is full: {count} more clusters needed, {_free.Count} free");
            var taken = new List<uint>((int)count);
            // Fragmented: every other free cluster, so no two neighbours of a chain are neighbours on disk.
            int step = _b.Fragmented && _free.Count >= count * 2 ? 2 : 1;
            int index = 0;
            foreach (var cluster in _free)
            {
                if (index++ % step == 0) taken.Add(cluster);
                if (taken.Count == count) break;
            }
            foreach (var cluster in taken) _free.Remove(cluster);
            for (int i = 0; i < taken.Count; i++)
                _fat[taken[i]] = i + 1 < taken.Count ? taken[i + 1] : (_b.Type == FatType.Fat32 ? 0x0FFFFFFFu : 0xFFFFu);
            return taken;
        }

        private readonly Dictionary<Node, List<uint>> _chains = [];

        // Allocates every directory and file below DIR (depth first, files and directories in order).
        private void Place(Node dir)
        {
            foreach (var child in dir.Children)
            {
                if (child.IsDirectory)
                {
                    var chain = Allocate(ClustersFor(DirectoryBytes(child, isRoot: false)));
                    child.FirstCluster = chain[0];
                    _chains[child] = chain;
                    Place(child);
                }
                else if (child.Content!.Length > 0)
                {
                    var chain = Allocate(ClustersFor(child.Content.Length));
                    child.FirstCluster = chain[0];
                    _chains[child] = chain;
                    WriteChain(chain, child.Content);
                }
            }
        }

        private long ClusterOffset(uint cluster) => _volume + ((long)_dataStart + (long)(cluster - 2) * _b.SectorsPerCluster) * SectorSize;

        private void WriteChain(List<uint> chain, byte[] content)
        {
            for (int i = 0; i < chain.Count; i++)
            {
                int at = i * _b.ClusterBytes;
                int length = Math.Min(_b.ClusterBytes, content.Length - at);
                if (length > 0) content.AsSpan(at, length).CopyTo(_image.AsSpan((int)ClusterOffset(chain[i])));
            }
        }

        private static int EntriesFor(Node node) => node.NeedsLongName ? 1 + (node.Name.Length + 12) / 13 : 1;

        private long DirectoryBytes(Node dir, bool isRoot)
        {
            AssignNames(dir);
            int entries = (isRoot ? (_b.Label != "NO NAME" ? 1 : 0) : 2) + dir.Children.Sum(EntriesFor);
            return (long)entries * DirEntrySize;
        }

        private void WriteDirectory(Node dir, bool isRoot, uint parentCluster)
        {
            var entries = new List<byte[]>();
            if (isRoot && _b.Label != "NO NAME") entries.Add(ShortEntry(Pad11(_b.Label), 0x08, 0, 0));
            if (!isRoot)
            {
                entries.Add(ShortEntry(Pad11("."), 0x10, dir.FirstCluster, 0));
                // ".." of a first-level directory says cluster 0, whatever the FAT type (the specification).
                entries.Add(ShortEntry(Pad11(".."), 0x10, parentCluster == _b._root.FirstCluster ? 0 : parentCluster, 0));
            }
            foreach (var child in dir.Children)
            {
                if (child.NeedsLongName) entries.AddRange(LongEntries(child.Name, child.ShortName));
                entries.Add(ShortEntry(child.ShortName, child.IsDirectory ? (byte)0x10 : (byte)0x20, child.FirstCluster,
                    child.IsDirectory ? 0u : (uint)child.Content!.Length));
            }
            var bytes = entries.SelectMany(e => e).ToArray();
            if (isRoot && _b.Type == FatType.Fat16)
            {
                if (entries.Count > 512) throw new ArgumentException("the FAT16 root directory holds 512 entries");
                bytes.CopyTo(_image.AsSpan((int)(_volume + (long)(_reserved + Fats * _fatSectors) * SectorSize)));
            }
            else
            {
                var chain = isRoot ? Allocated(_b._root.FirstCluster) : _chains[dir];
                WriteChain(chain, bytes);
            }
            uint self = isRoot ? _b._root.FirstCluster : dir.FirstCluster;
            foreach (var child in dir.Children.Where(c => c.IsDirectory)) WriteDirectory(child, isRoot: false, self);
        }

        private List<uint> Allocated(uint first)
        {
            var chain = new List<uint> { first };
            while (_fat[chain[^1]] is var next && next >= 2 && next < _clusterCount + 2) chain.Add(next);
            return chain;
        }

        private static byte[] ShortEntry(byte[] name11, byte attributes, uint cluster, uint size)
        {
            var entry = new byte[DirEntrySize];
            name11.CopyTo(entry, 0);
            entry[11] = attributes;
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(14), Time);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(16), Date);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(18), Date);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(20), (ushort)(cluster >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(22), Time);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(24), Date);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(26), (ushort)cluster);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(28), size);
            return entry;
        }

        internal static byte Checksum(ReadOnlySpan<byte> name11)
        {
            byte sum = 0;
            foreach (byte b in name11) sum = (byte)(((sum & 1) != 0 ? 0x80 : 0) + (sum >> 1) + b);
            return sum;
        }

        // The long name's entries, last part first, as they sit before the short entry.
        private static IEnumerable<byte[]> LongEntries(string name, byte[] shortName)
        {
            if (name.Length > 255) throw new ArgumentException($"a long name has at most 255 characters: {name}");
            int count = (name.Length + 12) / 13;
            var units = new ushort[count * 13];
            Array.Fill(units, (ushort)0xFFFF);
            for (int i = 0; i < name.Length; i++) units[i] = name[i];
            if (name.Length < units.Length) units[name.Length] = 0;
            byte checksum = Checksum(shortName);
            int[] offsets = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];
            for (int sequence = count; sequence >= 1; sequence--)
            {
                var entry = new byte[DirEntrySize];
                entry[0] = (byte)(sequence | (sequence == count ? 0x40 : 0));
                entry[11] = 0x0F;
                entry[13] = checksum;
                for (int i = 0; i < 13; i++) BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(offsets[i]), units[(sequence - 1) * 13 + i]);
                yield return entry;
            }
        }

        private static byte[] Pad11(string text)
        {
            var name = Enumerable.Repeat((byte)' ', 11).ToArray();
            Encoding.ASCII.GetBytes(text.Length > 11 ? text[..11] : text).CopyTo(name, 0);
            return name;
        }

        // 8.3 names as Windows makes them: a name that is a valid upper-case 8.3 name is its own alias;
        // any other gets BASIS~N with the first free N and a long name.
        private void AssignNames(Node dir)
        {
            if (dir.Children.Count == 0 || dir.Children[0].ShortName.Length != 0) return;
            var used = new HashSet<string>();
            foreach (var child in dir.Children)
            {
                string name = child.Name;
                int dot = name.LastIndexOf('.');
                string stem = dot > 0 ? name[..dot] : name, ext = dot > 0 ? name[(dot + 1)..] : "";
                bool valid = stem.Length is >= 1 and <= 8 && ext.Length <= 3 && stem.All(IsShortChar) && ext.All(IsShortChar) && (dot < 0 || ext.Length > 0);
                if (valid && used.Add(Pad(stem, ext)))
                {
                    child.ShortName = Encoding.ASCII.GetBytes(Pad(stem, ext));
                    child.NeedsLongName = false;
                    continue;
                }
                string Clean(string s) => new(s.ToUpperInvariant().Where(c => c != ' ' && c != '.').Select(c => IsShortChar(c) ? c : '_').ToArray());
                string basis = Clean(stem), extension = Clean(ext);
                if (extension.Length > 3) extension = extension[..3];
                if (basis.Length == 0) basis = "_";
                for (int n = 1; ; n++)
                {
                    string tail = "~" + n;
                    string candidate = Pad((basis.Length > 8 - tail.Length ? basis[..(8 - tail.Length)] : basis) + tail, extension);
                    if (used.Add(candidate))
                    {
                        child.ShortName = Encoding.ASCII.GetBytes(candidate);
                        break;
                    }
                }
                child.NeedsLongName = true;
            }
        }

        private static string Pad(string stem, string ext) => stem.PadRight(8) + ext.PadRight(3);

        private void WriteBootSector(uint rootCluster)
        {
            bool fat32 = _b.Type == FatType.Fat32;
            var boot = new byte[SectorSize];
            boot[0] = 0xEB;
            boot[1] = fat32 ? (byte)0x58 : (byte)0x3C;
            boot[2] = 0x90;
            Encoding.ASCII.GetBytes("IRONWASM").CopyTo(boot, 3);
            BinaryPrimitives.WriteUInt16LittleEndian(boot.AsSpan(11), SectorSize);
            boot[13] = (byte)_b.SectorsPerCluster;
            BinaryPrimitives.WriteUInt16LittleEndian(boot.AsSpan(14), (ushort)_reserved);
            boot[16] = Fats;
            BinaryPrimitives.WriteUInt16LittleEndian(boot.AsSpan(17), (ushort)(fat32 ? 0 : 512));
            if (!fat32 && _totalSectors < 0x10000) BinaryPrimitives.WriteUInt16LittleEndian(boot.AsSpan(19), (ushort)_totalSectors);
            else BinaryPrimitives.WriteUInt32LittleEndian(boot.AsSpan(32), _totalSectors);
            boot[21] = 0xF8;
            if (!fat32) BinaryPrimitives.WriteUInt16LittleEndian(boot.AsSpan(22), (ushort)_fatSectors);
            BinaryPrimitives.WriteUInt16LittleEndian(boot.AsSpan(24), 32);   // sectors per track
            BinaryPrimitives.WriteUInt16LittleEndian(boot.AsSpan(26), 64);   // heads
            BinaryPrimitives.WriteUInt32LittleEndian(boot.AsSpan(28), _b.Partitioned ? PartitionStart : 0);
            int ext = 36;
            if (fat32)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(boot.AsSpan(36), _fatSectors);
                BinaryPrimitives.WriteUInt32LittleEndian(boot.AsSpan(44), rootCluster);
                BinaryPrimitives.WriteUInt16LittleEndian(boot.AsSpan(48), 1);  // FSInfo
                BinaryPrimitives.WriteUInt16LittleEndian(boot.AsSpan(50), 6);  // backup boot sector
                ext = 64;
            }
            boot[ext] = 0x80;
            boot[ext + 2] = 0x29;
            BinaryPrimitives.WriteUInt32LittleEndian(boot.AsSpan(ext + 3), _b.Serial);
            Pad11(_b.Label).CopyTo(boot, ext + 7);
            Encoding.ASCII.GetBytes(fat32 ? "FAT32   " : "FAT16   ").CopyTo(boot, ext + 18);
            boot[510] = 0x55;
            boot[511] = 0xAA;
            boot.CopyTo(_image, _volume);
            if (!fat32) return;
            var info = new byte[SectorSize];
            BinaryPrimitives.WriteUInt32LittleEndian(info, 0x41615252);
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(484), 0x61417272);
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(488), (uint)_free.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(492), _free.Count > 0 ? _free.Min : 0xFFFFFFFF);
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(508), 0xAA550000);
            info.CopyTo(_image, _volume + SectorSize);
            boot.CopyTo(_image, _volume + 6 * SectorSize);
            info.CopyTo(_image, _volume + 7 * SectorSize);
        }

        private void WriteFats()
        {
            bool fat32 = _b.Type == FatType.Fat32;
            for (int copy = 0; copy < Fats; copy++)
            {
                long at = _volume + (_reserved + (long)copy * _fatSectors) * SectorSize;
                for (int i = 0; i < _fat.Length; i++)
                {
                    if (fat32) BinaryPrimitives.WriteUInt32LittleEndian(_image.AsSpan((int)(at + i * 4L)), _fat[i]);
                    else BinaryPrimitives.WriteUInt16LittleEndian(_image.AsSpan((int)(at + i * 2L)), (ushort)_fat[i]);
                }
            }
        }

        private void WriteMbr()
        {
            var entry = _image.AsSpan(446, 16);
            entry[4] = _b.Type == FatType.Fat32 ? (byte)0x0C : (byte)0x0E;  // LBA-addressed FAT32 / FAT16
            // CHS fields say "use LBA" (the maximum), as tools write for LBA partitions.
            entry[1] = entry[5] = 0xFE;
            entry[2] = entry[6] = 0xFF;
            entry[3] = entry[7] = 0xFF;
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], PartitionStart);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[12..], _totalSectors);
            BinaryPrimitives.WriteUInt32LittleEndian(_image.AsSpan(440), 0x1EE7CAFE);  // disk signature
            _image[510] = 0x55;
            _image[511] = 0xAA;
        }
    }
}
