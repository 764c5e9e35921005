using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Torch;

namespace AudioEmbed.Tests.Checkpoints;

/// <summary>
/// Crafted pickles that would run code under Python's unpickler. Each one is wrapped in a valid
/// torch zip archive; the reader must refuse it by naming the global, and the command it carries
/// (creating a marker file) must not have run.
/// </summary>
public class TorchMaliciousPickleTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _marker;
    private readonly string _command;

    public TorchMaliciousPickleTests()
    {
        _marker = _dir.File("pwned");
        _command = "touch " + _marker;
    }

    public void Dispose() => _dir.Dispose();

    private CheckpointException LoadFails(byte[] pickle)
    {
        string path = _dir.File("evil.pt");
        TorchZipWriter.WriteArchive(path, pickle, Array.Empty<(string, byte[])>());
        var ex = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path));
        Assert.Equal(path, ex.FilePath);
        Assert.False(File.Exists(_marker), "the payload ran");
        return ex;
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("posix", "system")]
    [InlineData("nt", "system")]
    [InlineData("subprocess", "Popen")]
    [InlineData("subprocess", "check_output")]
    [InlineData("builtins", "eval")]
    [InlineData("builtins", "exec")]
    [InlineData("__builtin__", "eval")]
    [InlineData("builtins", "getattr")]
    [InlineData("builtins", "__import__")]
    [InlineData("torch.storage", "_load_from_bytes")]
    [InlineData("torch", "load")]
    [InlineData("numpy.core.multiarray", "_reconstruct")]
    public void GlobalPlusReduceIsRefusedByName(string module, string name)
    {
        var pickle = new PickleBuilder().Proto(2).Global(module, name).Str(_command).Tuple1().Reduce().Stop().ToArray();
        var ex = LoadFails(pickle);
        Assert.Contains($"refuses pickle global '{module}.{name}'", ex.Message);
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("subprocess", "run")]
    public void StackGlobalIsRefusedByName(string module, string name)
    {
        var pickle = new PickleBuilder().Proto(4).StackGlobal(module, name).Str(_command).Tuple1().Reduce().Stop().ToArray();
        Assert.Contains($"refuses pickle global '{module}.{name}'", LoadFails(pickle).Message);
    }

    [Fact]
    public void StackGlobalFromMemoizedStringsIsRefused()
    {
        // The names come out of the memo rather than being literal next to the opcode.
        var pickle = new PickleBuilder().Proto(4).Str("os").Put(0).Str("system").Put(1).Op((byte)'0').Op((byte)'0')
            .Get(0).Get(1).Op(0x93).Str(_command).Tuple1().Reduce().Stop().ToArray();
        Assert.Contains("refuses pickle global 'os.system'", LoadFails(pickle).Message);
    }

    [Fact]
    public void PayloadNestedInsideAnAllowedTensorRebuildIsRefused()
    {
        // _rebuild_tensor_v2 is allowed, but one of its arguments is built by os.system.
        var pickle = new PickleBuilder().Proto(2).Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .Global("os", "system").Str(_command).Tuple1().Reduce()
            .Int(0).IntTuple(new long[] { 1 }).IntTuple(new long[] { 1 }).False().EmptyDict()
            .Tuple().Reduce().Stop().ToArray();
        Assert.Contains("refuses pickle global 'os.system'", LoadFails(pickle).Message);
    }

    [Fact]
    public void PayloadInsideOrderedDictItemsIsRefused()
    {
        var pickle = new PickleBuilder().Proto(2).Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark()
            .Str("w").Global("builtins", "eval").Str("__import__('os').system('" + _command + "')").Tuple1().Reduce()
            .SetItems().Stop().ToArray();
        Assert.Contains("refuses pickle global 'builtins.eval'", LoadFails(pickle).Message);
    }

    [Fact]
    public void ReduceOfANonGlobalCallableIsRefused()
    {
        var pickle = new PickleBuilder().Proto(2).Str("os.system").Str(_command).Tuple1().Reduce().Stop().ToArray();
        Assert.Contains("not an allowed callable", LoadFails(pickle).Message);
    }

    [Fact]
    public void AllowlistedStorageClassCannotBeCalled()
    {
        // torch.FloatStorage is only legal as the type inside a persistent id, never as a callable.
        var pickle = new PickleBuilder().Proto(2).Global("torch", "FloatStorage").Int(1000).Tuple1().Reduce().Stop().ToArray();
        Assert.Contains("refuses to call pickle global 'torch.FloatStorage'", LoadFails(pickle).Message);
    }

    [Fact]
    public void InstIsRefusedByName()
    {
        var pickle = new PickleBuilder().Proto(2).Mark().Str(_command).Op((byte)'i').Raw("os\nsystem\n"u8.ToArray()).Stop().ToArray();
        Assert.Contains("refuses pickle global 'os.system'", LoadFails(pickle).Message);
    }

    [Fact]
    public void ObjIsRefusedEvenForAnAllowedClass()
    {
        var pickle = new PickleBuilder().Proto(2).Mark().Global("collections", "OrderedDict").Op((byte)'o').Stop().ToArray();
        Assert.Contains("refuses pickle global 'collections.OrderedDict' (OBJ", LoadFails(pickle).Message);
    }

    [Fact]
    public void ObjOnADangerousClassIsRefusedAtTheGlobal()
    {
        var pickle = new PickleBuilder().Proto(2).Mark().Global("subprocess", "Popen").Str(_command).Op((byte)'o').Stop().ToArray();
        Assert.Contains("refuses pickle global 'subprocess.Popen'", LoadFails(pickle).Message);
    }

    [Fact]
    public void NewObjIsRefused()
    {
        var pickle = new PickleBuilder().Proto(2).Global("collections", "OrderedDict").EmptyTuple().Op(0x81).Stop().ToArray();
        Assert.Contains("NEWOBJ", LoadFails(pickle).Message);
    }

    [Fact]
    public void BuildOnAStringIsRefused()
    {
        // BUILD with a dict state is how __setstate__ / __dict__ tricks are triggered.
        var pickle = new PickleBuilder().Proto(2).Str("x").EmptyDict().Build().Stop().ToArray();
        Assert.Contains("BUILD", LoadFails(pickle).Message);
    }

    [Fact]
    public void PersistentIdThatIsNotAStorageIsRefused()
    {
        var pickle = new PickleBuilder().Proto(2).Str(_command).PersId().Stop().ToArray();
        Assert.Contains("persistent id", LoadFails(pickle).Message);
    }

    [Fact]
    public void PersistentIdWithANonStorageTypeIsRefused()
    {
        var pickle = new PickleBuilder().Proto(2).Mark().Str("storage").Global("collections", "OrderedDict").Str("0").Str("cpu").Int(1).Tuple().PersId().Stop().ToArray();
        Assert.Contains("not a torch typed storage", LoadFails(pickle).Message);
    }

    [Fact]
    public void PlainDataPicklesStillLoad()
    {
        // The restriction does not get in the way of ordinary data.
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("n").Int(-5).Str("big").Int(1L << 40).Str("list").EmptyList().Mark().Str("a").Int(300).Appends()
            .Str("t").Mark().None().False().Op(0x88).Tuple()
            .SetItems().Stop().ToArray();
        string path = _dir.File("data.pt");
        TorchZipWriter.WriteArchive(path, pickle, Array.Empty<(string, byte[])>());
        var root = Assert.IsType<Dictionary<string, object?>>(TorchCheckpoint.Load(path).Root);
        Assert.Equal(-5L, root["n"]);
        Assert.Equal(1L << 40, root["big"]);
        Assert.Equal(new object?[] { "a", 300L }, Assert.IsType<List<object?>>(root["list"]));
        Assert.Equal(new object?[] { null, false, true }, Assert.IsType<object?[]>(root["t"]));
    }
}
