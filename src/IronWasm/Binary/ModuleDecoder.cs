using IronWasm.Model;

namespace IronWasm.Binary;

/// <summary>Decodes a WebAssembly 2.0 binary module into a <see cref="ModuleDefinition"/>, rejecting
/// every malformed module with a <see cref="WasmFormatException"/> whose message contains the spec
/// interpreter's wording. Function bodies stay encoded, but each is scanned once so that everything
/// the spec calls malformed (illegal opcodes, bad immediates, misnested else/end, a body whose end
/// does not match its size) is reported here rather than by the validator.</summary>
/// <remarks>
/// Like the spec interpreter, sections and bodies are read from the whole module rather than from a
/// slice of their declared size, and the size is checked afterwards; this is what makes a missing
/// <c>end</c> a "section size mismatch" when another section follows but an "unexpected end" at the
/// end of the file, which is what the spec suite expects.
/// <para>The decoded module refers to the module bytes (bodies, data, constant expressions, custom
/// sections are <see cref="ReadOnlyMemory{T}"/> slices of them): <see cref="Decode(ReadOnlySpan{byte})"/>
/// copies the input first, <see cref="Decode(byte[])"/> does not, so its caller must not change the
/// array afterwards.</para>
/// </remarks>
internal static class ModuleDecoder
{
    private const uint Magic = 0x6D736100; // "\0asm" little endian
    private const uint Version = 1;

    public static ModuleDefinition Decode(ReadOnlySpan<byte> bytes) => Decode(bytes.ToArray());

    /// <summary>Decodes without copying: the returned module keeps slices of <paramref name="bytes"/>.</summary>
    public static ModuleDefinition Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new Decoder(bytes, trusted: false).Run();
    }

    /// <summary>Decodes a module already known to be valid (it was validated when it was compiled, and a
    /// checksum shows these are the same bytes): function bodies are sliced by their declared sizes
    /// rather than scanned instruction by instruction, which is most of the decoding time. Malformed
    /// input still fails with <see cref="WasmFormatException"/> wherever the sections are read.</summary>
    public static ModuleDefinition DecodeTrusted(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new Decoder(bytes, trusted: true).Run();
    }

    private sealed class Decoder
    {
        private readonly byte[] _bytes;
        private readonly bool _trusted;
        private readonly ModuleDefinition _module = new();
        // Open blocks of the expression being scanned: true for an `if` that may still take an `else`.
        private readonly List<bool> _frames = new();
        // Type indices used by imports and the function section, with their offsets, checked once the
        // whole module is known to be well-formed (an unknown type is invalid, not malformed).
        private readonly List<(uint TypeIndex, int Offset)> _typeUses = new();
        private bool _codeUsesDataSegments;
        private bool _sawDataCount;
        private bool _sawNameSection;

        public Decoder(byte[] bytes, bool trusted)
        {
            _bytes = bytes;
            _trusted = trusted;
        }

        public ModuleDefinition Run()
        {
            var reader = new WasmReader(_bytes);
            if (reader.ReadUInt32() != Magic) throw new WasmFormatException("magic header not detected", 0);
            if (reader.ReadUInt32() != Version) throw new WasmFormatException("unknown binary version", 4);

            int lastRank = 0;
            while (!reader.IsAtEnd)
            {
                int sectionOffset = reader.Offset;
                byte idByte = reader.ReadByte();
                if (idByte > (byte)SectionId.DataCount)
                    throw new WasmFormatException($"malformed section id {idByte}", sectionOffset);
                var id = (SectionId)idByte;
                if (id != SectionId.Custom)
                {
                    int rank = SectionOrder.Rank(id);
                    // A repeated or misplaced section: the spec's decoder stops reading sections there.
                    if (rank <= lastRank)
                        throw new WasmFormatException($"unexpected content after last section ({id} section out of order or repeated)", sectionOffset);
                    lastRank = rank;
                }
                int size = reader.ReadLength();
                int start = reader.Position;
                ReadSection(ref reader, id, start, size, sectionOffset);
                if (reader.Position != start + size)
                    throw new WasmFormatException($"section size mismatch ({id} section declares {size} bytes)", start);
            }

            if (_module.FunctionTypeIndices.Count != _module.Bodies.Count)
                throw new WasmFormatException("function and code section have inconsistent lengths", _bytes.Length);
            if (_module.DataCount is { } dataCount && dataCount != (uint)_module.Data.Count)
                throw new WasmFormatException("data count and data section have inconsistent lengths", _bytes.Length);
            if (!_sawDataCount && _codeUsesDataSegments)
                throw new WasmFormatException("data count section required", _bytes.Length);

            foreach (var (typeIndex, offset) in _typeUses)
            {
                if (typeIndex >= (uint)_module.Types.Count)
                    throw new WasmValidationException($"unknown type {typeIndex}", null, offset);
            }
            _module.ComputeIndexSpaces();
            return _module;
        }

        private void ReadSection(ref WasmReader reader, SectionId id, int start, int size, int sectionOffset)
        {
            switch (id)
            {
                case SectionId.Custom: ReadCustomSection(ref reader, start, size, sectionOffset); break;
                case SectionId.Type: ReadTypeSection(ref reader); break;
                case SectionId.Import: ReadImportSection(ref reader); break;
                case SectionId.Function: ReadFunctionSection(ref reader); break;
                case SectionId.Table: ReadTableSection(ref reader); break;
                case SectionId.Memory: ReadMemorySection(ref reader); break;
                case SectionId.Global: ReadGlobalSection(ref reader); break;
                case SectionId.Export: ReadExportSection(ref reader); break;
                case SectionId.Start: _module.StartFunction = reader.ReadVarUInt32(); break;
                case SectionId.Element: ReadElementSection(ref reader); break;
                case SectionId.DataCount:
                    _module.DataCount = reader.ReadVarUInt32();
                    _sawDataCount = true;
                    break;
                case SectionId.Code: ReadCodeSection(ref reader); break;
                case SectionId.Data: ReadDataSection(ref reader); break;
            }
        }

        private void ReadCustomSection(ref WasmReader reader, int start, int size, int sectionOffset)
        {
            string name = reader.ReadName();
            int end = start + size;
            if (reader.Position > end || end > _bytes.Length)
                throw new WasmFormatException(WasmReader.UnexpectedEnd, Math.Min(end, _bytes.Length));
            int contentStart = reader.Position;
            var content = _bytes.AsMemory(contentStart, end - contentStart);
            reader.Position = end;
            _module.CustomSections.Add(new CustomSection(name, content, sectionOffset));
            if (name == "name" && !_sawNameSection)
            {
                _sawNameSection = true;
                _module.Names = NameSectionDecoder.TryDecode(content.Span, contentStart);
            }
        }

        private void ReadTypeSection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++)
            {
                int offset = reader.Offset;
                // The form is a signed 7-bit LEB128 integer: -0x20, encoded 0x60.
                long form = reader.ReadVarSigned(7);
                if (form != -0x20) throw new WasmFormatException($"malformed function type {form}", offset);
                var parameters = ReadValueTypes(ref reader);
                var results = ReadValueTypes(ref reader);
                _module.Types.Add(new FunctionType(parameters, results));
            }
        }

        private static ValueKind[] ReadValueTypes(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            if (count == 0) return [];
            var types = new ValueKind[count];
            for (int i = 0; i < count; i++) types[i] = reader.ReadValueType();
            return types;
        }

        private void ReadImportSection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++)
            {
                string moduleName = reader.ReadName();
                string name = reader.ReadName();
                int kindOffset = reader.Offset;
                byte kind = reader.ReadByte();
                ImportDefinition import;
                switch (kind)
                {
                    case (byte)ExternalKind.Function:
                        int typeOffset = reader.Offset;
                        uint typeIndex = reader.ReadVarUInt32();
                        _typeUses.Add((typeIndex, typeOffset));
                        import = new ImportDefinition(moduleName, name, ExternalKind.Function) { FunctionTypeIndex = typeIndex };
                        break;
                    case (byte)ExternalKind.Table:
                        import = new ImportDefinition(moduleName, name, ExternalKind.Table) { Table = ReadTableType(ref reader) };
                        break;
                    case (byte)ExternalKind.Memory:
                        import = new ImportDefinition(moduleName, name, ExternalKind.Memory) { Memory = new MemoryType(ReadLimits(ref reader)) };
                        break;
                    case (byte)ExternalKind.Global:
                        import = new ImportDefinition(moduleName, name, ExternalKind.Global) { Global = ReadGlobalType(ref reader) };
                        break;
                    default:
                        throw new WasmFormatException($"malformed import kind 0x{kind:X2}", kindOffset);
                }
                _module.Imports.Add(import);
            }
        }

        private void ReadFunctionSection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++)
            {
                int offset = reader.Offset;
                uint typeIndex = reader.ReadVarUInt32();
                _typeUses.Add((typeIndex, offset));
                _module.FunctionTypeIndices.Add(typeIndex);
            }
        }

        private void ReadTableSection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++) _module.Tables.Add(ReadTableType(ref reader));
        }

        private void ReadMemorySection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++) _module.Memories.Add(new MemoryType(ReadLimits(ref reader)));
        }

        private void ReadGlobalSection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++)
            {
                var type = ReadGlobalType(ref reader);
                _module.Globals.Add(new GlobalDefinition(type, ReadConstantExpression(ref reader)));
            }
        }

        private void ReadExportSection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadName();
                int kindOffset = reader.Offset;
                byte kind = reader.ReadByte();
                if (kind > (byte)ExternalKind.Global)
                    throw new WasmFormatException($"malformed export kind 0x{kind:X2}", kindOffset);
                _module.Exports.Add(new ExportDefinition(name, (ExternalKind)kind, reader.ReadVarUInt32()));
            }
        }

        private void ReadElementSection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++)
            {
                int flagsOffset = reader.Offset;
                uint flags = reader.ReadVarUInt32();
                // Bit 0: passive or declarative (else active); bit 1: declarative if bit 0, else an explicit
                // table index; bit 2: items are expressions with an explicit reference type (else function
                // indices with an element kind). Encodings 0 and 4 imply table 0 and funcref.
                ElementSegment segment = flags switch
                {
                    0 => new ElementSegment(SegmentMode.Active, ValueKind.FuncRef, 0, ReadConstantExpression(ref reader))
                    { FunctionIndices = ReadFunctionIndices(ref reader) },
                    1 => new ElementSegment(SegmentMode.Passive, ReadElementKind(ref reader), 0, null)
                    { FunctionIndices = ReadFunctionIndices(ref reader) },
                    2 => ReadActiveFunctionIndices(ref reader),
                    3 => new ElementSegment(SegmentMode.Declarative, ReadElementKind(ref reader), 0, null)
                    { FunctionIndices = ReadFunctionIndices(ref reader) },
                    4 => new ElementSegment(SegmentMode.Active, ValueKind.FuncRef, 0, ReadConstantExpression(ref reader))
                    { Expressions = ReadConstantExpressions(ref reader) },
                    5 => new ElementSegment(SegmentMode.Passive, reader.ReadReferenceType(), 0, null)
                    { Expressions = ReadConstantExpressions(ref reader) },
                    6 => ReadActiveExpressions(ref reader),
                    7 => new ElementSegment(SegmentMode.Declarative, reader.ReadReferenceType(), 0, null)
                    { Expressions = ReadConstantExpressions(ref reader) },
                    _ => throw new WasmFormatException($"malformed elements segment kind {flags}", flagsOffset),
                };
                _module.Elements.Add(segment);
            }
        }

        private ElementSegment ReadActiveFunctionIndices(ref WasmReader reader)
        {
            uint table = reader.ReadVarUInt32();
            var offset = ReadConstantExpression(ref reader);
            var kind = ReadElementKind(ref reader);
            return new ElementSegment(SegmentMode.Active, kind, table, offset) { FunctionIndices = ReadFunctionIndices(ref reader) };
        }

        private ElementSegment ReadActiveExpressions(ref WasmReader reader)
        {
            uint table = reader.ReadVarUInt32();
            var offset = ReadConstantExpression(ref reader);
            var type = reader.ReadReferenceType();
            return new ElementSegment(SegmentMode.Active, type, table, offset) { Expressions = ReadConstantExpressions(ref reader) };
        }

        private static ValueKind ReadElementKind(ref WasmReader reader)
        {
            int offset = reader.Offset;
            byte kind = reader.ReadByte();
            if (kind != 0x00) throw new WasmFormatException($"malformed element kind 0x{kind:X2}", offset);
            return ValueKind.FuncRef;
        }

        private static uint[] ReadFunctionIndices(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            var indices = new uint[count];
            for (int i = 0; i < count; i++) indices[i] = reader.ReadVarUInt32();
            return indices;
        }

        private ConstantExpression[] ReadConstantExpressions(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            var expressions = new ConstantExpression[count];
            for (int i = 0; i < count; i++) expressions[i] = ReadConstantExpression(ref reader);
            return expressions;
        }

        private void ReadCodeSection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++)
            {
                int size = reader.ReadLength();
                int bodyStart = reader.Position;
                var locals = ReadLocals(ref reader);
                int codeStart = reader.Position;
                int end = _trusted ? bodyStart + size : ScanExpression(codeStart, isFunctionBody: true);
                if (end < codeStart || end > _bytes.Length)
                    throw new WasmFormatException($"section size mismatch (function body {i} declares {size} bytes)", bodyStart);
                if (end != bodyStart + size)
                    throw new WasmFormatException($"section size mismatch (function body {i} declares {size} bytes)", bodyStart);
                reader.Position = end;
                _module.Bodies.Add(new FunctionBody(locals, _bytes.AsMemory(codeStart, end - codeStart), codeStart, bodyStart));
            }
        }

        private static LocalRun[] ReadLocals(ref WasmReader reader)
        {
            int offset = reader.Offset;
            int count = reader.ReadLength();
            if (count == 0) return [];
            var runs = new LocalRun[count];
            ulong total = 0;
            for (int i = 0; i < count; i++)
            {
                uint n = reader.ReadVarUInt32();
                runs[i] = new LocalRun(n, reader.ReadValueType());
                total += n;
            }
            if (total > uint.MaxValue) throw new WasmFormatException("too many locals", offset);
            return runs;
        }

        private void ReadDataSection(ref WasmReader reader)
        {
            int count = reader.ReadLength();
            for (int i = 0; i < count; i++)
            {
                int flagsOffset = reader.Offset;
                uint flags = reader.ReadVarUInt32();
                DataSegment segment;
                switch (flags)
                {
                    case 0:
                    {
                        var offset = ReadConstantExpression(ref reader);
                        segment = new DataSegment(SegmentMode.Active, 0, offset, ReadDataBytes(ref reader));
                        break;
                    }
                    case 1:
                        segment = new DataSegment(SegmentMode.Passive, 0, null, ReadDataBytes(ref reader));
                        break;
                    case 2:
                    {
                        uint memory = reader.ReadVarUInt32();
                        var offset = ReadConstantExpression(ref reader);
                        segment = new DataSegment(SegmentMode.Active, memory, offset, ReadDataBytes(ref reader));
                        break;
                    }
                    default:
                        throw new WasmFormatException($"malformed data segment kind {flags}", flagsOffset);
                }
                _module.Data.Add(segment);
            }
        }

        private ReadOnlyMemory<byte> ReadDataBytes(ref WasmReader reader)
        {
            int length = reader.ReadLength();
            int start = reader.Position;
            reader.Skip(length);
            return _bytes.AsMemory(start, length);
        }

        private static GlobalType ReadGlobalType(ref WasmReader reader)
        {
            var type = reader.ReadValueType();
            int offset = reader.Offset;
            byte mutability = reader.ReadByte();
            if (mutability > 1) throw new WasmFormatException($"malformed mutability 0x{mutability:X2}", offset);
            return new GlobalType(type, mutability == 1);
        }

        private static TableType ReadTableType(ref WasmReader reader)
        {
            var elementType = reader.ReadReferenceType();
            return new TableType(elementType, ReadLimits(ref reader));
        }

        private static Limits ReadLimits(ref WasmReader reader)
        {
            // The flag is a 1-bit LEB128 integer, so 0x02 is "too large" and 0x81 0x00 "too long".
            bool hasMaximum = reader.ReadVarUnsigned(1) == 1;
            uint minimum = reader.ReadVarUInt32();
            uint? maximum = hasMaximum ? reader.ReadVarUInt32() : null;
            return new Limits(minimum, maximum);
        }

        private ConstantExpression ReadConstantExpression(ref WasmReader reader)
        {
            int start = reader.Position;
            int end = ScanExpression(start, isFunctionBody: false);
            reader.Position = end;
            return new ConstantExpression(_bytes.AsMemory(start, end - start), start);
        }

        /// <summary>Reads the instructions of an expression starting at <paramref name="start"/> up to
        /// and including the `end` that closes it, and returns the position after that `end`. Reading
        /// may run past the expression's declared size; callers compare the result with it.</summary>
        private int ScanExpression(int start, bool isFunctionBody)
        {
            var instructions = new InstructionReader(_bytes.AsSpan(start), start);
            var frames = _frames;
            frames.Clear();
            while (true)
            {
                var instruction = instructions.Read();
                switch (instruction.Opcode)
                {
                    case Opcode.Block:
                    case Opcode.Loop:
                        frames.Add(false);
                        break;
                    case Opcode.If:
                        frames.Add(true);
                        break;
                    case Opcode.Else:
                        // The binary grammar allows one else, directly inside an if; anywhere else the
                        // spec's decoder expects the end of the enclosing block.
                        if (frames.Count == 0 || !frames[^1])
                            throw new WasmFormatException("END opcode expected (misplaced else)", instruction.Offset);
                        frames[^1] = false;
                        break;
                    case Opcode.End:
                        if (frames.Count == 0) return start + instructions.Position;
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case Opcode.MemoryInit:
                    case Opcode.DataDrop:
                        if (isFunctionBody) _codeUsesDataSegments = true;
                        break;
                }
            }
        }
    }
}
