using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AudioEmbed.Core.Checkpoints.Torch;

/// <summary>A module-level name a pickle refers to (only allowlisted ones are ever created).</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
    public override string ToString() => FullName;
}

/// <summary>
/// Interprets a pickle (protocols 2–5) WITHOUT executing anything: it builds plain data only —
/// dict → Dictionary&lt;string, object?&gt;, list → List&lt;object?&gt;, tuple → object?[], str → string,
/// bytes → byte[], int → long, float → double, bool, None → null — plus whatever the
/// <see cref="IPickleResolver"/> makes of allowlisted globals and persistent ids. A global that is
/// not allowlisted is refused at the moment it is named (GLOBAL, STACK_GLOBAL, INST), and the
/// opcodes that instantiate classes (OBJ, NEWOBJ, NEWOBJ_EX) are refused outright, so a
/// malicious pickle can at worst produce a <see cref="CheckpointException"/>.
/// </summary>
internal sealed class RestrictedUnpickler
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private readonly string _path;
    private readonly string _recordName;
    private readonly byte[] _data;
    private readonly IPickleResolver _resolver;
    private readonly List<object?> _stack = new();
    private readonly List<int> _marks = new();
    private readonly Dictionary<uint, object?> _memo = new();
    private int _pos;

    public RestrictedUnpickler(string path, string recordName, byte[] data, IPickleResolver resolver)
    {
        _path = path;
        _recordName = recordName;
        _data = data;
        _resolver = resolver;
    }

    public object? Load()
    {
        while (true)
        {
            int at = _pos;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    byte proto = ReadByte();
                    if (proto > 5) throw Fail($"pickle protocol {proto} is not supported");
                    break;
                case 0x95: // FRAME: the whole pickle is in memory, so frames are only checked
                    long frame = (long)ReadUInt64();
                    if (frame > _data.Length - _pos || frame < 0) throw Fail("FRAME length runs past the end");
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count == 0) throw Fail("STOP with an empty stack");
                    return _stack[^1];
                case (byte)'(': _marks.Add(_stack.Count); break; // MARK
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP

                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'J': Push((long)ReadInt32()); break; // BININT
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)ReadUInt16()); break; // BININT2
                case 0x8a: Push(ReadLong(ReadByte())); break; // LONG1
                case 0x8b: Push(ReadLong(ReadLength(ReadUInt32()))); break; // LONG4
                case (byte)'I': Push(ReadTextInt()); break; // INT (protocol 0, also bools)
                case (byte)'G': Push(BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(Take(8)))); break; // BINFLOAT

                case (byte)'X': Push(ReadUtf8(ReadLength(ReadUInt32()))); break; // BINUNICODE
                case 0x8c: Push(ReadUtf8(ReadByte())); break; // SHORT_BINUNICODE
                case 0x8d: Push(ReadUtf8(ReadLength(ReadUInt64()))); break; // BINUNICODE8
                case (byte)'B': Push(Take(ReadLength(ReadUInt32())).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(ReadLength(ReadUInt64())).ToArray()); break; // BINBYTES8

                case (byte)'}': Push(new Dictionary<string, object?>(StringComparer.Ordinal)); break; // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: { var a = Pop(); Push(new[] { a }); break; } // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'l': Push(PopMark()); break; // LIST
                case (byte)'d': // DICT
                {
                    var items = PopMark();
                    var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                    SetItems(dict, items);
                    Push(dict);
                    break;
                }
                case (byte)'s': // SETITEM
                {
                    var value = Pop();
                    var key = Pop();
                    SetItems(PeekDict("SETITEM"), new List<object?> { key, value });
                    break;
                }
                case (byte)'u': { var items = PopMark(); SetItems(PeekDict("SETITEMS"), items); break; } // SETITEMS
                case (byte)'a': { var v = Pop(); PeekList("APPEND").Add(v); break; } // APPEND
                case (byte)'e': { var items = PopMark(); PeekList("APPENDS").AddRange(items); break; } // APPENDS

                case (byte)'q': _memo[ReadByte()] = Peek(); break; // BINPUT
                case (byte)'r': _memo[ReadUInt32()] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[(uint)_memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': Push(MemoGet(ReadByte())); break; // BINGET
                case (byte)'j': Push(MemoGet(ReadUInt32())); break; // LONG_BINGET

                case (byte)'c': // GLOBAL "module\nname\n"
                {
                    string module = ReadLine(), name = ReadLine();
                    Push(ResolveGlobal(module, name));
                    break;
                }
                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop();
                    var module = Pop();
                    if (module is not string m || name is not string n) throw Fail("STACK_GLOBAL needs two strings");
                    Push(ResolveGlobal(m, n));
                    break;
                }
                case (byte)'R': // REDUCE
                {
                    var args = Pop();
                    var callable = Pop();
                    if (callable is not PickleGlobal g) throw Fail($"REDUCE on a {Describe(callable)}, which is not an allowed callable");
                    if (args is not object?[] tuple) throw Fail($"REDUCE of '{g.FullName}' with {Describe(args)} arguments instead of a tuple");
                    Push(_resolver.Call(g, tuple));
                    break;
                }
                case (byte)'b': // BUILD
                {
                    var state = Pop();
                    _resolver.Build(Peek(), state);
                    break;
                }
                case (byte)'Q': Push(_resolver.PersistentLoad(Pop())); break; // BINPERSID

                case (byte)'i': // INST "module\nname\n": instantiates a class
                {
                    string module = ReadLine(), name = ReadLine();
                    throw Fail($"refuses pickle global '{module}.{name}' (INST would instantiate it)");
                }
                case (byte)'o': // OBJ
                {
                    var items = PopMark();
                    string what = items.Count > 0 && items[0] is PickleGlobal g ? g.FullName : Describe(items.Count > 0 ? items[0] : null);
                    throw Fail($"refuses pickle global '{what}' (OBJ would instantiate it)");
                }
                case 0x81: // NEWOBJ
                case 0x92: // NEWOBJ_EX
                {
                    if (op == 0x92) Pop();
                    Pop();
                    var cls = Pop();
                    string what = cls is PickleGlobal g ? g.FullName : Describe(cls);
                    throw Fail($"refuses pickle global '{what}' (NEWOBJ would instantiate it)");
                }
                default:
                    throw Fail($"unsupported pickle opcode 0x{op:x2} at offset {at}");
            }
        }
    }

    private object ResolveGlobal(string module, string name) =>
        _resolver.ResolveGlobal(module, name) ?? throw Fail($"refuses pickle global '{module}.{name}'");

    private void SetItems(Dictionary<string, object?> dict, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Fail("odd number of items for a dict");
        for (int i = 0; i < items.Count; i += 2)
        {
            string key = KeyString(items[i]);
            var value = items[i + 1];
            // A tensor learns its name from the key it is stored under (torch names weights that way).
            if (value is TensorData t && t.Name.Length == 0) value = t.WithName(key);
            dict[key] = value;
        }
    }

    /// <summary>Dict keys become strings; non-string scalar keys (e.g. optimizer state ids) use their invariant text.</summary>
    private string KeyString(object? key) => key switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        null => "None",
        _ => throw Fail($"unsupported dict key of type {Describe(key)}"),
    };

    private Dictionary<string, object?> PeekDict(string op) =>
        Peek() as Dictionary<string, object?> ?? throw Fail($"{op} on a {Describe(Peek())}, not a dict");

    private List<object?> PeekList(string op) =>
        Peek() as List<object?> ?? throw Fail($"{op} on a {Describe(Peek())}, not a list");

    private object? MemoGet(uint index) =>
        _memo.TryGetValue(index, out var v) ? v : throw Fail($"memo entry {index} is not defined");

    private void Push(object? value) => _stack.Add(value);

    private object? Peek()
    {
        int floor = _marks.Count > 0 ? _marks[^1] : 0;
        if (_stack.Count <= floor) throw Fail("stack underflow");
        return _stack[^1];
    }

    private object? Pop()
    {
        var v = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Fail("no MARK on the stack");
        int start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private byte ReadByte()
    {
        if (_pos >= _data.Length) throw Fail("the pickle ends without STOP");
        return _data[_pos++];
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > _data.Length - _pos) throw Fail($"a {count}-byte field runs past the end of the pickle");
        var span = _data.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    private ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
    private int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
    private uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    private int ReadLength(ulong length) =>
        length > (ulong)(_data.Length - _pos) ? throw Fail($"a {length}-byte field runs past the end of the pickle") : (int)length;

    private long ReadLong(int byteCount)
    {
        if (byteCount > 8) throw Fail($"a {byteCount}-byte integer is too large");
        var bytes = Take(byteCount);
        if (byteCount == 0) return 0;
        long value = (sbyte)bytes[byteCount - 1]; // sign-extends the most significant byte
        for (int i = byteCount - 2; i >= 0; i--) value = (value << 8) | bytes[i];
        return value;
    }

    private string ReadUtf8(int length)
    {
        var bytes = Take(length);
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Fail("a string is not valid UTF-8"); }
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos, Math.Min(_data.Length - _pos, 1024));
        if (end < 0) throw Fail("unterminated text argument");
        string s = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }

    private object ReadTextInt()
    {
        string s = ReadLine();
        if (s == "01") return true;
        if (s == "00") return false;
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : throw Fail($"bad INT '{s}'");
    }

    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string => "str",
        long => "int",
        double => "float",
        bool => "bool",
        byte[] => "bytes",
        object?[] => "tuple",
        List<object?> => "list",
        Dictionary<string, object?> => "dict",
        PickleGlobal g => $"global '{g.FullName}'",
        TensorData => "tensor",
        _ => value.GetType().Name,
    };

    private CheckpointException Fail(string problem) => new(_path, problem, _recordName);
}

/// <summary>What a restricted unpickler may build beyond plain data.</summary>
internal interface IPickleResolver
{
    /// <summary>The allowlisted global, or null to refuse it.</summary>
    PickleGlobal? ResolveGlobal(string module, string name);

    /// <summary>REDUCE of an allowlisted global.</summary>
    object? Call(PickleGlobal callable, object?[] args);

    /// <summary>BUILD (setting state on an object).</summary>
    void Build(object? target, object? state);

    /// <summary>BINPERSID.</summary>
    object PersistentLoad(object? pid);
}
